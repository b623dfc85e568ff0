package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// absentByKind lists, for each kind of trace step, the resource types
// whose absence a failing step of that kind may conclude: a name that
// does not resolve (no link, no record), a packet dropped (no route, no
// allowing rule), an identity without a role. While a resource of one of
// these types (or of unknown type, or a nested deployment) is left out of
// the analysis, a failure of that kind is not proved: the intent is
// unknown, with what was left out. A failure of another kind (a vault
// whose publicNetworkAccess is Enabled) stands.
var absentByKind = map[string][]string{
	"dns": {
		"Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
		"Microsoft.Network/privateDnsZones/A", "Microsoft.Network/privateDnsZones/CNAME",
		"Microsoft.Network/privateEndpoints", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
		"Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
		"Microsoft.Network/dnsResolvers", "Microsoft.Network/dnsResolvers/inboundEndpoints",
		"Microsoft.Network/dnsResolvers/outboundEndpoints", "Microsoft.Network/dnsForwardingRulesets",
		"Microsoft.Network/dnsForwardingRulesets/forwardingRules", "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
		"Microsoft.Network/azureFirewalls", "Microsoft.Network/firewallPolicies",
		"Microsoft.Compute/virtualMachines", "Microsoft.Compute/virtualMachines/extensions", "Microsoft.Network/networkInterfaces",
	},
	"network": {
		"Microsoft.Network/networkSecurityGroups", "Microsoft.Network/networkSecurityGroups/securityRules",
		"Microsoft.Network/applicationSecurityGroups", "Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes",
		"Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/subnets",
		"Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "Microsoft.Network/azureFirewalls",
		"Microsoft.Network/firewallPolicies", "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
		"Microsoft.Network/natGateways", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/loadBalancers",
		"Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/virtualHubs", "Microsoft.Network/networkInterfaces",
		"Microsoft.Network/privateEndpoints",
	},
	"identity": {
		"Microsoft.Authorization/roleAssignments", "Microsoft.Authorization/roleDefinitions",
		"Microsoft.ManagedIdentity/userAssignedIdentities",
		"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
		"Microsoft.KeyVault/vaults/accessPolicies",
	},
	"exposure": {
		"Microsoft.Network/networkSecurityGroups", "Microsoft.Network/networkSecurityGroups/securityRules",
		"Microsoft.Network/publicIPAddresses", "Microsoft.Network/loadBalancers",
		"Microsoft.Network/azureFirewalls", "Microsoft.Network/firewallPolicies",
		"Microsoft.Network/firewallPolicies/ruleCollectionGroups",
	},
}

// undecide turns a failure that may rest on a left-out resource into an
// unknown result naming what was left out.
func undecide(r *Result, cov twin.Coverage) {
	if r.Status != Fail || cov.Complete() {
		return
	}
	kind := ""
	for _, s := range r.Trace {
		if !s.OK {
			kind = s.Kind
			break
		}
	}
	missing := cov.Missing(absentByKind[kind]...)
	if kind == "exposure" {
		// An exposure failure rests on the target's own settings (a
		// public API server, publicNetworkAccess) or on the NSG rules in
		// its path: only a left-out resource of those types can undo it,
		// not any nested deployment or resource of unknown type.
		missing = slices.DeleteFunc(missing, func(l arm.LeftOut) bool {
			return l.Type == "" || strings.EqualFold(l.Type, "Microsoft.Resources/deployments")
		})
	}
	if len(missing) == 0 {
		return
	}
	r.Status = Unknown
	for _, l := range missing {
		r.LeftOut = append(r.LeftOut, l.String())
	}
	what := missing[0].Resource
	switch n := len(missing) - 1; {
	case n == 1:
		what += " and 1 other"
	case n > 1:
		what += fmt.Sprintf(" and %d others", n)
	}
	verb := " was"
	if len(missing) > 1 {
		verb = " were"
	}
	r.Cause = "undecided: " + strings.TrimSuffix(r.Cause, ".") + "; but " + what + verb + " left out of the analysis"
}

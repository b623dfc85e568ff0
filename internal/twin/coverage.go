package twin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Relevance says what the model makes of a resource type.
type Relevance int

const (
	// NotModelled: the type may change whether a name resolves, a packet
	// gets through, an identity reads a secret or something is exposed,
	// and neither the model nor a check rule reads it. A resource of such a
	// type makes an analysis incomplete. Every type not listed below is
	// NotModelled: what privaks does not know is never taken as harmless.
	NotModelled Relevance = iota
	// Modelled: the model (or a check rule, from the set) reads the type.
	Modelled
	// Irrelevant: the type bears on no intent and no rule (monitoring,
	// diagnostics, locks, policy, disks): leaving it unread loses nothing.
	Irrelevant
)

// modelledTypes are the types Build (or a check rule reading the set)
// turns into model objects. TestModelledTypesListed keeps it in step with
// the builders: a type read with OfType must be here.
var modelledTypes = typeSet(
	"Microsoft.Authorization/roleAssignments",
	"Microsoft.Compute/virtualMachineScaleSets",
	"Microsoft.Compute/virtualMachines",
	"Microsoft.Compute/virtualMachines/extensions",
	"Microsoft.ContainerRegistry/registries",
	"Microsoft.ContainerRegistry/registries/replications",
	"Microsoft.ContainerService/managedClusters",
	"Microsoft.ContainerService/managedClusters/agentPools",
	"Microsoft.KeyVault/vaults",
	"Microsoft.KeyVault/vaults/secrets",
	"Microsoft.ManagedIdentity/userAssignedIdentities",
	"Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
	"Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", // read by check (WAF mode)
	"Microsoft.Network/applicationGateways",
	"Microsoft.Network/azureFirewalls",
	"Microsoft.Network/bastionHosts",
	"Microsoft.Network/dnsForwardingRulesets",
	"Microsoft.Network/dnsForwardingRulesets/forwardingRules",
	"Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
	"Microsoft.Network/dnsResolvers",
	"Microsoft.Network/dnsResolvers/inboundEndpoints",
	"Microsoft.Network/dnsResolvers/outboundEndpoints", // read by check (subnet use)
	"Microsoft.Network/firewallPolicies",
	"Microsoft.Network/loadBalancers",
	"Microsoft.Network/firewallPolicies/ruleCollectionGroups",
	"Microsoft.Network/ipGroups", // addresses of firewall rules' sourceIpGroups and destinationIpGroups
	"Microsoft.Network/natGateways",
	"Microsoft.Network/networkInterfaces",
	"Microsoft.Network/networkSecurityGroups",
	"Microsoft.Network/networkWatchers/flowLogs", // read by check (flow logs)
	"Microsoft.Network/privateDnsZones",
	"Microsoft.Network/privateDnsZones/A",
	"Microsoft.Network/privateDnsZones/CNAME",
	"Microsoft.Network/privateDnsZones/virtualNetworkLinks",
	"Microsoft.Network/privateEndpoints",
	"Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
	"Microsoft.Network/publicIPAddresses",
	"Microsoft.Network/routeTables",
	"Microsoft.Network/routeTables/routes",
	"Microsoft.Network/virtualNetworks",
	"Microsoft.Network/virtualNetworks/subnets",
	"Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
	// A nested deployment is expanded by the reader: its resources are
	// counted one by one, and one it could not expand is left out.
	"Microsoft.Resources/deployments",
	// Storage accounts are private-endpoint services (verify) and judged
	// for exposure, anonymous blob and shared-key access (check).
	"Microsoft.Storage/storageAccounts",
)

// irrelevantTypes bear on no intent and no rule. irrelevantProviders are
// whole resource providers of that kind.
var (
	irrelevantTypes = typeSet(
		"Microsoft.Authorization/locks",
		"Microsoft.Authorization/policyAssignments",
		"Microsoft.Authorization/policyDefinitions",
		"Microsoft.Authorization/policyExemptions",
		"Microsoft.Authorization/policySetDefinitions",
		"Microsoft.Compute/availabilitySets",
		"Microsoft.Compute/disks",
		"Microsoft.Compute/proximityPlacementGroups",
		"Microsoft.Compute/sshPublicKeys",
		"Microsoft.EventGrid/systemTopics", // an Azure service's event source: no endpoint, no network
		"Microsoft.ContainerService/managedClusters/maintenanceConfigurations",
		"Microsoft.KeyVault/vaults/keys",
		"Microsoft.Network/ddosProtectionPlans",
		"Microsoft.Network/networkWatchers",
		"Microsoft.Network/privateDnsZones/MX",
		"Microsoft.Network/privateDnsZones/PTR",
		"Microsoft.Network/privateDnsZones/SOA",
		"Microsoft.Network/privateDnsZones/SRV",
		"Microsoft.Network/privateDnsZones/TXT",
		// Containers: what they hold is counted resource by resource.
		"Microsoft.Management/managementGroups",
		"Microsoft.Management/managementGroups/subscriptions",
		"Microsoft.Resources/resourceGroups",
		"Microsoft.Resources/tags",
		"Microsoft.Subscription/aliases",
	)
	irrelevantProviders = []string{
		"microsoft.advisor/",
		"microsoft.alertsmanagement/",
		"microsoft.consumption/",
		"microsoft.costmanagement/",
		"microsoft.insights/",
		"microsoft.maintenance/",
		"microsoft.operationalinsights/",
		"microsoft.operationsmanagement/",
		"microsoft.policyinsights/",
		"microsoft.security/",
	}
)

func typeSet(types ...string) map[string]bool {
	m := make(map[string]bool, len(types))
	for _, t := range types {
		m[strings.ToLower(t)] = true
	}
	return m
}

// TypeRelevance classifies a resource type (case-insensitive). Extension
// types written in the legacy form (".../providers/Microsoft.Insights/
// diagnosticSettings") are judged by their extension's own type.
func TypeRelevance(typ string) Relevance {
	t := strings.ToLower(typ)
	if i := strings.LastIndex(t, "/providers/"); i >= 0 {
		t = t[i+len("/providers/"):]
		if !strings.Contains(t, "/") { // ".../providers/roleAssignments"
			t = "microsoft.authorization/" + t
		}
	}
	switch {
	case modelledTypes[t]:
		return Modelled
	case irrelevantTypes[t]:
		return Irrelevant
	}
	for _, p := range irrelevantProviders {
		if strings.HasPrefix(t, p) {
			return Irrelevant
		}
	}
	return NotModelled
}

// Coverage says how much of its sources an analysis covers: what they
// declare, what the model holds, and each resource left out — by the
// reader (an expression it could not evaluate, a form it does not read)
// or by the model (a type it does not read that may matter).
type Coverage struct {
	// Declared counts the resources the sources declare after conditions
	// and copy loops.
	Declared int `json:"declared"`
	// Modelled counts the resources the model (or a rule) reads.
	Modelled int `json:"modelled"`
	// Ignored counts the resources whose type bears on no intent or rule.
	Ignored int `json:"ignored"`
	// LeftOut lists every resource not analysed that may matter, the
	// reader's first, then the model's, each with its reason and place.
	LeftOut []arm.LeftOut `json:"leftOut"`
	// IgnoredTypes lists the ignored types with their counts ("Microsoft.Insights/diagnosticSettings ×2").
	IgnoredTypes []string `json:"ignoredTypes,omitempty"`
	// IgnoredLeftOut lists what the reader left out whose type bears on no
	// intent or rule (counted in Ignored, not in LeftOut).
	IgnoredLeftOut []arm.LeftOut `json:"ignoredLeftOut,omitempty"`
}

// Complete reports whether nothing that may matter was left out.
func (c Coverage) Complete() bool { return len(c.LeftOut) == 0 }

// Coverage returns what the model covers of its sources: the reader's
// coverage of the set, with the resources of types the model does not
// read added as left out. Left-out entries of irrelevant types (a
// diagnostic setting whose name is unknown) are counted as ignored.
func (t *Twin) Coverage() Coverage {
	set := t.Set
	c := Coverage{LeftOut: []arm.LeftOut{}}
	ignored := map[string]int{}
	for _, l := range set.Coverage.LeftOut {
		if l.Type != "" && !strings.EqualFold(l.Type, "Microsoft.Resources/deployments") && TypeRelevance(l.Type) == Irrelevant {
			ignored[l.Type]++
			c.Ignored++
			c.IgnoredLeftOut = append(c.IgnoredLeftOut, l)
			continue
		}
		c.LeftOut = append(c.LeftOut, l)
	}
	for _, r := range set.Resources {
		switch TypeRelevance(r.Type) {
		case Modelled:
			c.Modelled++
		case Irrelevant:
			c.Ignored++
			ignored[r.Type]++
		default:
			c.LeftOut = append(c.LeftOut, arm.LeftOut{
				Pos:      resourcePos(set, r),
				Resource: r.Type + " " + r.Name,
				Type:     r.Type,
				Reason:   fmt.Sprintf("privaks does not model %s yet: what it does to names, packets, identities or exposure is not analysed", r.Type),
			})
		}
	}
	// The reader's count, when it gave one; a reader that gives none (a
	// live read-back) declared what it read.
	c.Declared = set.Coverage.Declared
	if n := len(set.Resources) + len(set.Coverage.LeftOut); c.Declared < n {
		c.Declared = n
	}
	for typ, n := range ignored {
		c.IgnoredTypes = append(c.IgnoredTypes, fmt.Sprintf("%s ×%d", typ, n))
	}
	sort.Strings(c.IgnoredTypes)
	return c
}

// resourcePos is where r is declared: its position when the reader
// recorded it, else the file it comes from (its origin in a merged set,
// or the set's source).
func resourcePos(set *arm.Set, r *arm.Resource) arm.Pos {
	p := set.PosOf(r.ID)
	if p.Line != 0 {
		return p
	}
	if p.File != "" {
		return arm.Pos{File: sourceFile(p.File)}
	}
	return arm.Pos{File: sourceFile(set.Source)}
}

// sourceFile turns a set's Source into a file name for positions
// ("spec:privaks.yaml" → "privaks.yaml", "terraform-plan:plan.json" →
// "plan.json", "terraform:./infra" → "./infra"); a live read
// ("subscription:…") has no file.
func sourceFile(src string) string {
	for _, prefix := range []string{"spec:", "terraform-plan:", "terraform:"} {
		if rest, ok := strings.CutPrefix(src, prefix); ok {
			return rest
		}
	}
	if strings.HasPrefix(src, "subscription:") {
		return ""
	}
	if strings.Contains(src, ":") && !strings.Contains(src, "/") && !strings.Contains(src, `\`) {
		return ""
	}
	return src
}

// Missing returns the left-out entries that could be a resource of one of
// the given types: the same type (or a relative child type naming its
// last segments, as a child written inside its parent is), a resource of
// unknown type, or a nested deployment the reader could not expand (it
// may hold anything). Rules and intents that conclude from the absence of
// such a resource cannot decide while one is missing.
func (c Coverage) Missing(types ...string) []arm.LeftOut {
	var out []arm.LeftOut
	for _, l := range c.LeftOut {
		lt := strings.ToLower(l.Type)
		if lt == "" || lt == "microsoft.resources/deployments" {
			out = append(out, l)
			continue
		}
		for _, typ := range types {
			t := strings.ToLower(typ)
			if lt == t || strings.HasSuffix(t, "/"+lt) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// Text renders the coverage for people: a summary line, then each
// resource left out with its place and reason.
func (c Coverage) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coverage: %d resources declared, %d modelled, %d ignored (no bearing on any intent or rule), %d left out\n",
		c.Declared, c.Modelled, c.Ignored, len(c.LeftOut))
	for _, l := range c.LeftOut {
		line := l.String()
		if l.Expr != "" && !strings.Contains(line, l.Expr) {
			line += " (expression " + l.Expr + ")"
		}
		fmt.Fprintf(&b, "  left out: %s\n", line)
	}
	for _, l := range c.IgnoredLeftOut {
		fmt.Fprintf(&b, "  ignored: %s (no bearing on any intent or rule)\n", l.String())
	}
	return b.String()
}

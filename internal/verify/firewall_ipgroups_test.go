package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/verify"
)

const ipGroupsDocs = "https://learn.microsoft.com/azure/firewall/ip-groups"

var nodeEgress = []string{"node pool aks-privaks/system → AKS required endpoints", "node pool aks-privaks/user → AKS required endpoints"}

// nodesByIPGroup makes the firewall policy's aks-required rule name its
// sources by the IP group ipg-nodes (sourceIpGroups instead of
// sourceAddresses), as aks-baseline does, and declares the group with
// the given ipAddresses (nil: the group is not declared).
func nodesByIPGroup(t *testing.T, tm *arm.Template, addrs any) {
	t.Helper()
	g := find(t, tm, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "afwp-hub/privaks")
	found := false
	for _, c := range g.Properties["ruleCollections"].([]any) {
		for _, x := range c.(map[string]any)["rules"].([]any) {
			if r := x.(map[string]any); r["name"] == "aks-required" {
				delete(r, "sourceAddresses")
				r["sourceIpGroups"] = []any{"[resourceId('Microsoft.Network/ipGroups', 'ipg-nodes')]"}
				found = true
			}
		}
	}
	if !found {
		t.Fatal("no rule aks-required")
	}
	if addrs != nil {
		tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Network/ipGroups", APIVersion: netAPI, Name: "ipg-nodes",
			Location: "canadacentral", Properties: map[string]any{"ipAddresses": addrs}})
	}
}

func TestFirewallIPGroupScenarios(t *testing.T) {
	subnetRef := "[reference(resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-aks', 'snet-nodes'), '" + netAPI + "').addressPrefix]"
	runDNSScenarios(t, []dnsScenario{
		{name: "IP group holding the node subnet's prefix", source: ipGroupsDocs,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { nodesByIPGroup(t, tm, []any{"10.1.0.0/22"}) },
			want: allStatus(verify.Pass, nodeEgress...)},
		{name: "IP group with an address range", source: ipGroupsDocs + " (an IP group holds addresses, prefixes or ranges)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				nodesByIPGroup(t, tm, []any{"192.0.2.0/24", "10.1.0.0-10.1.3.255"})
			},
			want: allStatus(verify.Pass, nodeEgress...)},
		{name: "IP group reading the subnet's prefix through reference() (aks-baseline)", source: ipGroupsDocs,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { nodesByIPGroup(t, tm, []any{subnetRef}) },
			want: allStatus(verify.Pass, nodeEgress...)},
		// Single faults.
		{name: "IP group without the nodes", source: ipGroupsDocs,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { nodesByIPGroup(t, tm, []any{"10.0.0.96/27"}) },
			want: map[string]string{nodeEgress[0]: verify.Fail + "|no rule matches"}},
		{name: "IP group no source declares", source: ipGroupsDocs,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { nodesByIPGroup(t, tm, nil) },
			want: map[string]string{nodeEgress[0]: verify.Unknown + "|IP group ipg-nodes (not in this resource set)"}},
	})
}

// A route's next hop given as reference() to the firewall's private IP
// (as Terraform's azurerm_firewall.x.ip_configuration[0].private_ip_address
// reads) is the firewall's predicted address.
func TestRouteNextHopThroughReference(t *testing.T) {
	ref := "[reference(resourceId('Microsoft.Network/azureFirewalls', 'afw-hub'), '" + netAPI + "').ipConfigurations[0].properties.privateIPAddress]"
	setNextHop := func(t *testing.T, tm *arm.Template, v string) {
		rt := find(t, tm, "Microsoft.Network/routeTables", "rt-aks-nodes")
		rt.Properties["routes"].([]any)[0].(map[string]any)["properties"].(map[string]any)["nextHopIpAddress"] = v
	}
	runDNSScenarios(t, []dnsScenario{
		{name: "next hop is reference() to the firewall", spec: firewallSpec,
			mutate: func(t *testing.T, tm *arm.Template) { setNextHop(t, tm, ref) },
			want:   allStatus(verify.Pass, nodeEgress...)},
		// Single fault: the reference reads a NIC that is no appliance.
		{name: "next hop is reference() to the DNS VM's NIC", spec: firewallSpec,
			mutate: func(t *testing.T, tm *arm.Template) {
				setNextHop(t, tm, strings.ReplaceAll(ref, "Microsoft.Network/azureFirewalls', 'afw-hub'", "Microsoft.Network/networkInterfaces', 'nic-vm-dns'"))
			},
			want: map[string]string{nodeEgress[0]: verify.Fail}},
		// The firewall another file (not given) declares: unknown, not a
		// failure.
		{name: "next hop is reference() to a firewall no source declares", spec: firewallSpec,
			mutate: func(t *testing.T, tm *arm.Template) {
				setNextHop(t, tm, strings.ReplaceAll(ref, "'afw-hub'", "'afw-elsewhere'"))
			},
			want: map[string]string{nodeEgress[0]: verify.Unknown + "|next hop"}},
	})
}

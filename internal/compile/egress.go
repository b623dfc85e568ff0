package compile

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Egress resources.
const (
	tFirewall    = "Microsoft.Network/azureFirewalls"
	tFWPolicy    = "Microsoft.Network/firewallPolicies"
	tFWRules     = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
	tRouteTable  = "Microsoft.Network/routeTables"
	nFirewall    = "afw-hub"
	nFWPolicy    = "afwp-hub"
	nFWRules     = "privaks"
	nPIPFirewall = "pip-afw-hub"
	nFWSub       = "AzureFirewallSubnet" // the name Azure requires
	nRTHub       = "rt-hub-vms"
	nRTSpoke     = "rt-aks-nodes"
	nNATSpoke    = "ng-aks"
	nPIPNATSpoke = "pip-ng-aks"
)

// Egress endpoints privaks allows through the firewall: exactly what the
// design needs to come up (azure-rules.md §2.10, [S58]).
var (
	// UbuntuMirrors serve the VMs' packages (Azure images use the
	// azure.archive mirror).
	UbuntuMirrors = []string{"azure.archive.ubuntu.com", "archive.ubuntu.com", "security.ubuntu.com"}
	// AgentEndpoints are what the CI agent's cloud-init downloads and
	// registers with: the CI service, the Azure CLI repository, the
	// Kubernetes tool releases.
	AgentEndpointsAzDO   = []string{"dev.azure.com", "*.dev.azure.com", "*.visualstudio.com", "*.vsassets.io", "download.agent.dev.azure.com", "vstsagentpackage.azureedge.net"}
	AgentEndpointsGitHub = []string{"github.com", "api.github.com", "*.actions.githubusercontent.com", "codeload.github.com", "objects.githubusercontent.com", "release-assets.githubusercontent.com"}
	AgentTools           = []string{"packages.microsoft.com", "dl.k8s.io", "cdn.dl.k8s.io", "get.helm.sh", "github.com", "objects.githubusercontent.com", "release-assets.githubusercontent.com", "login.microsoftonline.com", "management.azure.com"}
)

// FirewallIP is the private address Azure Firewall takes in its subnet
// (the fourth address, the first a NIC may use).
func (b *builder) firewallIP() string {
	a := b.d.FirewallSubnet.Addr()
	for range 4 {
		a = a.Next()
	}
	return a.String()
}

// firewall writes Azure Firewall (Standard) with its policy and the allow
// rules the design needs, and the route tables that send 0.0.0.0/0 from the
// node subnet and the hub VM subnets to it. Traffic to private endpoints
// stays on the VNet and peering routes, which are more specific than
// 0.0.0.0/0, so it never detours through the firewall.
func (b *builder) firewall() {
	d := b.d
	b.resource(tPIP, apiNetwork, nPIPFirewall, publicIPProps()).SKU = stdSKU()
	b.resource(tFWPolicy, apiNetwork, nFWPolicy, map[string]any{
		"sku":             map[string]any{"tier": "Standard"},
		"threatIntelMode": "Deny",
	})
	hubVMs := []any{d.DNSSubnet.String(), d.AgentSubnet.String()}
	nodes := []any{d.NodeSubnet.String()}
	agentCI := AgentEndpointsAzDO
	if d.Agent.Kind == "github" {
		agentCI = AgentEndpointsGitHub
	}
	appRule := func(name string, src []any, fqdns []string, tags []string) map[string]any {
		r := map[string]any{
			"ruleType":        "ApplicationRule",
			"name":            name,
			"sourceAddresses": src,
			"protocols": []any{
				map[string]any{"protocolType": "Http", "port": 80},
				map[string]any{"protocolType": "Https", "port": 443},
			},
		}
		if len(fqdns) > 0 {
			r["targetFqdns"] = toAny(fqdns)
		}
		if len(tags) > 0 {
			r["fqdnTags"] = toAny(tags)
		}
		return r
	}
	netRule := func(name string, src []any, proto string, dst, ports []string) map[string]any {
		return map[string]any{
			"ruleType": "NetworkRule", "name": name, "sourceAddresses": src,
			"ipProtocols": []any{proto}, "destinationAddresses": toAny(dst), "destinationPorts": toAny(ports),
		}
	}
	region := strings.ToLower(d.Region)
	b.add(&arm.Resource{Type: tFWRules, APIVersion: apiNetwork, Name: nFWPolicy + "/" + nFWRules,
		Properties: map[string]any{
			"priority": 200,
			"ruleCollections": []any{
				map[string]any{
					"ruleCollectionType": "FirewallPolicyFilterRuleCollection",
					"name":               "aks-network", "priority": 100,
					"action": map[string]any{"type": "Allow"},
					"rules": []any{
						netRule("aks-tunnel-udp", nodes, "UDP", []string{"AzureCloud." + region}, []string{"1194"}),
						netRule("aks-tunnel-tcp", nodes, "TCP", []string{"AzureCloud." + region}, []string{"9000"}),
						netRule("ntp", append(append([]any{}, nodes...), hubVMs...), "UDP", []string{"*"}, []string{"123"}),
					},
				},
				map[string]any{
					"ruleCollectionType": "FirewallPolicyFilterRuleCollection",
					"name":               "egress-fqdns", "priority": 200,
					"action": map[string]any{"type": "Allow"},
					"rules": []any{
						appRule("aks-required", nodes, nil, []string{"AzureKubernetesService"}),
						appRule("os-packages", append(append([]any{}, nodes...), hubVMs...), UbuntuMirrors, nil),
						appRule("ci-service", []any{d.AgentSubnet.String()}, agentCI, nil),
						appRule("ci-tools", []any{d.AgentSubnet.String()}, AgentTools, nil),
					},
				},
			},
		}})
	fw := b.resource(tFirewall, apiNetwork, nFirewall, map[string]any{
		"sku":            map[string]any{"name": "AZFW_VNet", "tier": "Standard"},
		"firewallPolicy": idOf(tFWPolicy, nFWPolicy),
		"ipConfigurations": []any{map[string]any{
			"name": "ipconfig",
			"properties": map[string]any{
				"subnet":          idOf(tSubnet, nHub, nFWSub),
				"publicIPAddress": idOf(tPIP, nPIPFirewall),
			},
		}},
	})
	// The rules must exist before anything routes through the firewall.
	b.dependOn(fw, b.resources[len(b.resources)-2])
	defaultRoute := func(name string) {
		b.resource(tRouteTable, apiNetwork, name, map[string]any{
			"disableBgpRoutePropagation": true,
			"routes": []any{map[string]any{"name": "default-to-firewall", "properties": map[string]any{
				"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": b.firewallIP(),
			}}},
		})
	}
	defaultRoute(nRTHub)
	defaultRoute(nRTSpoke)
}

// spokeNAT writes the NAT gateway the cluster uses with outboundType
// userAssignedNATGateway.
func (b *builder) spokeNAT() {
	b.resource(tPIP, apiNetwork, nPIPNATSpoke, publicIPProps()).SKU = stdSKU()
	nat := b.resource(tNAT, apiNetwork, nNATSpoke, map[string]any{
		"idleTimeoutInMinutes": 4,
		"publicIpAddresses":    []any{idOf(tPIP, nPIPNATSpoke)},
	})
	nat.SKU = map[string]any{"name": "Standard"}
}

// aksOutboundType maps the spec's choice to the ARM value.
func (b *builder) aksOutboundType() string {
	switch b.d.AKSOutboundType {
	case "natGateway":
		return "userAssignedNATGateway"
	case "userDefinedRouting":
		return "userDefinedRouting"
	}
	return "loadBalancer"
}

package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/verify"
)

// DNS servers that are not VMs: Azure Firewall DNS proxy and Azure DNS
// Private Resolver, each as a table of the documented scenarios, built on
// the compiled reference design (hub vnet-hub linked to the privatelink
// zones, spoke vnet-aks holding the cluster).

const (
	fwIP       = "10.0.0.132" // 4th address of AzureFirewallSubnet 10.0.0.128/26
	inboundIP  = "10.0.2.4"
	netAPI     = "2025-07-01"
	resolverAP = "2025-05-01"
)

func setVNetDNS(t *testing.T, tm *arm.Template, vnet string, servers ...any) {
	t.Helper()
	v := find(t, tm, "Microsoft.Network/virtualNetworks", vnet)
	if servers == nil {
		delete(v.Properties, "dhcpOptions")
		return
	}
	v.Properties["dhcpOptions"] = map[string]any{"dnsServers": servers}
}

func setPolicyDNS(t *testing.T, tm *arm.Template, settings map[string]any) {
	t.Helper()
	find(t, tm, "Microsoft.Network/firewallPolicies", "afwp-hub").Properties["dnsSettings"] = settings
}

// classicFirewall detaches the policy and gives the firewall classic
// additionalProperties.
func classicFirewall(t *testing.T, tm *arm.Template, props map[string]any) {
	t.Helper()
	fw := find(t, tm, "Microsoft.Network/azureFirewalls", "afw-hub")
	delete(fw.Properties, "firewallPolicy")
	fw.Properties["additionalProperties"] = props
}

func bothVNetsUse(t *testing.T, tm *arm.Template, servers ...any) {
	setVNetDNS(t, tm, "vnet-hub", servers...)
	setVNetDNS(t, tm, "vnet-aks", servers...)
}

type dnsScenario struct {
	name   string
	source string // where the documented behaviour comes from
	spec   string
	mutate func(t *testing.T, tm *arm.Template)
	// want maps intent name prefixes to a status, and optionally (after
	// "|") a text the cause must hold.
	want map[string]string
}

func runDNSScenarios(t *testing.T, cases []dnsScenario) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := variantTemplate(t, c.spec)
			c.mutate(t, tm)
			rs := run(t, tm)
			for prefix, want := range c.want {
				status, cause, _ := strings.Cut(want, "|")
				found := false
				for _, r := range rs {
					if !strings.HasPrefix(r.Name, prefix) {
						continue
					}
					found = true
					if r.Status != status {
						t.Errorf("%s: %s (%s), want %s\n%v", r.Name, r.Status, r.Cause, status, r.Trace)
					} else if cause != "" && !strings.Contains(r.Cause, cause) {
						t.Errorf("%s: cause %q lacks %q", r.Name, r.Cause, cause)
					}
				}
				if !found {
					t.Errorf("no intent %q", prefix)
				}
			}
		})
	}
}

const fwDocs = "https://learn.microsoft.com/azure/firewall/dns-settings"

var privateIntents = []string{"node pool aks-privaks/system → key vault", "node pool aks-privaks/user → registry",
	"node pool aks-privaks/system → API server", "vm-agent → key vault"}

func allStatus(status string, prefixes ...string) map[string]string {
	m := map[string]string{}
	for _, p := range prefixes {
		m[p] = status
	}
	return m
}

func TestFirewallDNSProxyScenarios(t *testing.T) {
	proxyOn := func(t *testing.T, tm *arm.Template) { setPolicyDNS(t, tm, map[string]any{"enableProxy": true}) }
	ref := "[reference(resourceId('Microsoft.Network/azureFirewalls', 'afw-hub'), '" + netAPI + "').ipConfigurations[0].properties.privateIPAddress]"
	runDNSScenarios(t, []dnsScenario{
		{name: "policy proxy on, VNets use the firewall's IP", source: fwDocs + " (DNS proxy; configure the VNet's DNS server to the firewall's private IP)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { proxyOn(t, tm); bothVNetsUse(t, tm, fwIP) },
			want: allStatus(verify.Pass, privateIntents...)},
		{name: "firewall IP through reference()", source: fwDocs,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { proxyOn(t, tm); bothVNetsUse(t, tm, ref) },
			want: allStatus(verify.Pass, privateIntents...)},
		{name: "classic firewall, additionalProperties Network.DNS.EnableProxy", source: fwDocs + ` (classic rules: "Network.DNS.EnableProxy")`,
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				classicFirewall(t, tm, map[string]any{"Network.DNS.EnableProxy": "true"})
				bothVNetsUse(t, tm, fwIP)
			},
			want: allStatus(verify.Pass, privateIntents...)},
		{name: "custom DNS server of the proxy is the BIND forwarder", source: fwDocs + " (custom DNS servers)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				setPolicyDNS(t, tm, map[string]any{"enableProxy": true, "servers": []any{"10.0.0.68"}})
				setVNetDNS(t, tm, "vnet-aks", fwIP)
			},
			want: allStatus(verify.Pass, privateIntents...)},
		// Single faults.
		{name: "proxy off", source: fwDocs + " (DNS proxy is disabled by default)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) { bothVNetsUse(t, tm, fwIP) },
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|does not proxy DNS"}},
		{name: "classic firewall with EnableProxy false",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				classicFirewall(t, tm, map[string]any{"Network.DNS.EnableProxy": "false"})
				bothVNetsUse(t, tm, fwIP)
			},
			want: map[string]string{"node pool aks-privaks/user → key vault": verify.Fail + "|does not proxy DNS"}},
		{name: "proxy forwards to a public resolver", source: fwDocs + " (custom DNS servers replace Azure DNS)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				setPolicyDNS(t, tm, map[string]any{"enableProxy": true, "servers": []any{"8.8.8.8"}})
				bothVNetsUse(t, tm, fwIP)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|public address"}},
		{name: "node subnet NSG denies TCP 53 to the firewall", source: "DNS falls back to TCP for large answers (RFC 7766)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				proxyOn(t, tm)
				bothVNetsUse(t, tm, fwIP)
				nsg := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-nodes")
				nsg.Properties["securityRules"] = append(list(nsg.Properties["securityRules"]), map[string]any{
					"name": "DenyDnsTcp", "properties": map[string]any{"priority": 100, "direction": "Outbound", "access": "Deny", "protocol": "Tcp",
						"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": fwIP, "destinationPortRange": "53"}})
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|TCP 53", "vm-agent → key vault": verify.Pass}},
		{name: "vault zone not linked to the firewall's VNet", source: fwDocs + " (Azure DNS answers in the firewall's VNet)",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				proxyOn(t, tm)
				bothVNetsUse(t, tm, fwIP)
				remove(tm, func(r *arm.Resource) bool {
					return !(r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") && strings.HasPrefix(r.Name, "privatelink.vaultcore.azure.net/"))
				})
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail, "node pool aks-privaks/system → registry": verify.Pass}},
		{name: "firewall policy in another template",
			spec: firewallSpec, mutate: func(t *testing.T, tm *arm.Template) {
				bothVNetsUse(t, tm, fwIP)
				find(t, tm, "Microsoft.Network/azureFirewalls", "afw-hub").Properties["firewallPolicy"] = map[string]any{
					"id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-platform/providers/Microsoft.Network/firewallPolicies/afwp-platform"}
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Unknown + "|not known"}},
	})
}

func list(v any) []any { l, _ := v.([]any); return l }

// addResolver gives the hub a DNS Private Resolver: inbound endpoint
// 10.0.2.4 in snet-dns-in, an outbound endpoint in snet-dns-out, and a
// forwarding ruleset with the given rules (domain → target) linked to the
// given VNets.
func addResolver(t *testing.T, tm *arm.Template, links []string, rules ...[2]string) {
	t.Helper()
	hub := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-hub")
	deleg := []any{map[string]any{"name": "resolver", "properties": map[string]any{"serviceName": "Microsoft.Network/dnsResolvers"}}}
	hub.Properties["subnets"] = append(list(hub.Properties["subnets"]),
		map[string]any{"name": "snet-dns-in", "properties": map[string]any{"addressPrefix": "10.0.2.0/28", "delegations": deleg}},
		map[string]any{"name": "snet-dns-out", "properties": map[string]any{"addressPrefix": "10.0.2.16/28", "delegations": deleg}})
	sub := func(n string) map[string]any {
		return map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', '" + n + "')]"}
	}
	vnet := func(n string) map[string]any {
		return map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks', '" + n + "')]"}
	}
	res := func(typ, name string, props map[string]any) arm.Resource {
		return arm.Resource{Type: typ, APIVersion: resolverAP, Name: name, Location: "canadacentral", Properties: props}
	}
	tm.Resources = append(tm.Resources,
		res("Microsoft.Network/dnsResolvers", "dnspr-hub", map[string]any{"virtualNetwork": vnet("vnet-hub")}),
		res("Microsoft.Network/dnsResolvers/inboundEndpoints", "dnspr-hub/in", map[string]any{"ipConfigurations": []any{
			map[string]any{"subnet": sub("snet-dns-in"), "privateIpAddress": inboundIP, "privateIpAllocationMethod": "Static"}}}),
		res("Microsoft.Network/dnsResolvers/outboundEndpoints", "dnspr-hub/out", map[string]any{"subnet": sub("snet-dns-out")}),
		res("Microsoft.Network/dnsForwardingRulesets", "dnsrs-hub", map[string]any{"dnsResolverOutboundEndpoints": []any{
			map[string]any{"id": "[resourceId('Microsoft.Network/dnsResolvers/outboundEndpoints', 'dnspr-hub', 'out')]"}}}))
	for i, r := range rules {
		state := "Enabled"
		target := r[1]
		if strings.HasPrefix(target, "disabled:") {
			state, target = "Disabled", strings.TrimPrefix(target, "disabled:")
		}
		tm.Resources = append(tm.Resources, res("Microsoft.Network/dnsForwardingRulesets/forwardingRules", "dnsrs-hub/rule"+string(rune('a'+i)),
			map[string]any{"domainName": r[0], "forwardingRuleState": state, "targetDnsServers": []any{map[string]any{"ipAddress": target, "port": 53}}}))
	}
	for _, l := range links {
		tm.Resources = append(tm.Resources, res("Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "dnsrs-hub/"+l,
			map[string]any{"virtualNetwork": vnet(l)}))
	}
}

const resolverDocs = "azure-rules.md §1.5; https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets"

func TestDNSPrivateResolverScenarios(t *testing.T) {
	unlinkSpoke := func(tm *arm.Template) {
		remove(tm, func(r *arm.Resource) bool {
			if !r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") {
				return true
			}
			v, _ := r.Properties["virtualNetwork"].(map[string]any)
			id, _ := v["id"].(string)
			return !strings.Contains(id, "vnet-aks")
		})
	}
	runDNSScenarios(t, []dnsScenario{
		{name: "spoke DNS server is the inbound endpoint", source: resolverDocs + " (inbound endpoint resolves the zones linked to its VNet)",
			mutate: func(t *testing.T, tm *arm.Template) { addResolver(t, tm, nil); bothVNetsUse(t, tm, inboundIP) },
			want:   allStatus(verify.Pass, privateIntents...)},
		{name: "spoke on Azure DNS, ruleset rule to the inbound endpoint (Figure 1)", source: resolverDocs + " (spoke resolves the private zone through a rule to the inbound endpoint; no peering needed)",
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, []string{"vnet-aks"}, [2]string{"privatelink.vaultcore.azure.net.", inboundIP})
				setVNetDNS(t, tm, "vnet-aks")
				unlinkSpoke(tm)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Pass,
				"node pool aks-privaks/system → registry": verify.Fail + "|public address"}},
		{name: "longest domain wins", source: resolverDocs + " (rules match on the longest suffix)",
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, []string{"vnet-aks"}, [2]string{"vaultcore.azure.net.", "8.8.8.8"}, [2]string{"privatelink.vaultcore.azure.net.", inboundIP})
				setVNetDNS(t, tm, "vnet-aks")
				unlinkSpoke(tm)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Pass}},
		// Single faults.
		{name: "rule disabled", source: resolverDocs,
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, []string{"vnet-aks"}, [2]string{"privatelink.vaultcore.azure.net.", "disabled:" + inboundIP})
				setVNetDNS(t, tm, "vnet-aks")
				unlinkSpoke(tm)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|public address"}},
		{name: "ruleset not linked to the spoke", source: resolverDocs + " (only linked VNets use the ruleset)",
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, nil, [2]string{"privatelink.vaultcore.azure.net.", inboundIP})
				setVNetDNS(t, tm, "vnet-aks")
				unlinkSpoke(tm)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail}},
		{name: "only the shorter rule, to an address no network reaches", source: resolverDocs,
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, []string{"vnet-aks"}, [2]string{"vaultcore.azure.net.", "172.31.9.53"})
				setVNetDNS(t, tm, "vnet-aks")
				unlinkSpoke(tm)
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|unreachable"}},
		{name: "ruleset linked to the inbound endpoint's own VNet", source: resolverDocs + " (don't link a ruleset whose rule targets an inbound endpoint to that endpoint's VNet)",
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, []string{"vnet-aks", "vnet-hub"}, [2]string{"privatelink.vaultcore.azure.net.", inboundIP})
				bothVNetsUse(t, tm)
				unlinkSpoke(tm)
				remove(tm, func(r *arm.Resource) bool {
					return !(r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") && strings.HasPrefix(r.Name, "privatelink.vaultcore.azure.net/"))
				})
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|loop"}},
		{name: "inbound endpoint NSG denies UDP 53", source: "NSGs apply to resolver endpoint subnets",
			mutate: func(t *testing.T, tm *arm.Template) {
				addResolver(t, tm, nil)
				bothVNetsUse(t, tm, inboundIP)
				hub := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-hub")
				for _, s := range list(hub.Properties["subnets"]) {
					if s.(map[string]any)["name"] == "snet-dns-in" {
						s.(map[string]any)["properties"].(map[string]any)["networkSecurityGroup"] = map[string]any{
							"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-dns-in')]"}
					}
				}
				tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Network/networkSecurityGroups", APIVersion: netAPI, Name: "nsg-dns-in",
					Location: "canadacentral", Properties: map[string]any{"securityRules": []any{map[string]any{"name": "DenyDns",
						"properties": map[string]any{"priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "Udp",
							"sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "53"}}}}})
			},
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|UDP 53"}},
	})
}

// TestUnreachableDNSServer: a DNS server address outside every VNet that
// no path of the estate reaches fails the intent; behind a gateway of the
// estate it stays unknown (on-premises).
func TestUnreachableDNSServer(t *testing.T) {
	gateway := func(tm *arm.Template) {
		tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Network/virtualNetworkGateways", APIVersion: netAPI, Name: "vgw-hub",
			Location: "canadacentral", Properties: map[string]any{"gatewayType": "ExpressRoute"}})
	}
	runDNSScenarios(t, []dnsScenario{
		{name: "no path", mutate: func(t *testing.T, tm *arm.Template) { setVNetDNS(t, tm, "vnet-aks", "172.31.9.53") },
			want: map[string]string{"node pool aks-privaks/system → key vault": verify.Fail + "|no gateway, peering, route or declared range"}},
		{name: "behind an ExpressRoute gateway", mutate: func(t *testing.T, tm *arm.Template) {
			setVNetDNS(t, tm, "vnet-aks", "172.31.9.53")
			gateway(tm)
		}, want: map[string]string{"node pool aks-privaks/system → key vault": verify.Unknown + "|vgw-hub"}},
		{name: "benign: the forwarder's IP through reference() to its NIC", mutate: func(t *testing.T, tm *arm.Template) {
			bothVNetsUse(t, tm, "[reference(resourceId('Microsoft.Network/networkInterfaces', 'nic-vm-dns'), '"+netAPI+"').ipConfigurations[0].properties.privateIPAddress]")
		}, want: allStatus(verify.Pass, privateIntents...)},
		{name: "benign: the gateway alone changes nothing", mutate: func(t *testing.T, tm *arm.Template) { gateway(tm) },
			want: allStatus(verify.Pass, privateIntents...)},
	})
}

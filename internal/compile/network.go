package compile

import (
	"net/netip"
	"strconv"

	"github.com/privaks/privaks/internal/spec"

	"github.com/privaks/privaks/internal/arm"
)

// network writes the NSGs, both VNets with their subnets (inline, so a
// redeploy never fights subnet child resources), both peerings and the NAT
// gateway that gives the hub VMs explicit outbound access (subnets are
// private by default from Network API 2025-07-01, azure-rules.md §2.10).
func (b *builder) network() {
	d := b.d
	onPrem := prefixes(d.OnPremises)
	b.nsg(nBastionSub, bastionRules())
	b.nsg(nDNSSub, vmRules(d.BastionSubnet.String(), append([]string{"VirtualNetwork"}, onPrem...), 53))
	b.nsg(nAgentSub, vmRules(d.BastionSubnet.String(), nil, 0))
	b.nsg(nPESub, nil)
	b.nsg(nNodeSub, nodeRules(d))
	b.nsg(nAppGwSub, appGwRules(d))

	fw := d.EgressMode == "firewall"
	hubOut := outbound{nat: nNAT}
	if fw {
		b.firewall()
		hubOut = outbound{routeTable: nRTHub}
	} else {
		b.resource(tPIP, apiNetwork, nPIPNAT, publicIPProps()).SKU = stdSKU()
		nat := b.resource(tNAT, apiNetwork, nNAT, map[string]any{
			"idleTimeoutInMinutes": 4,
			"publicIpAddresses":    []any{idOf(tPIP, nPIPNAT)},
		})
		nat.SKU = map[string]any{"name": "Standard"}
	}
	var nodeOut outbound
	switch d.AKSOutboundType {
	case "natGateway":
		b.spokeNAT()
		nodeOut = outbound{nat: nNATSpoke}
	case "userDefinedRouting":
		nodeOut = outbound{routeTable: nRTSpoke}
	}

	dns := []any{d.ForwarderIP.String()}
	hubSubnets := []any{
		subnet(nBastionSub, d.BastionSubnet, outbound{}, true),
		subnet(nDNSSub, d.DNSSubnet, hubOut, true),
		subnet(nAgentSub, d.AgentSubnet, hubOut, true),
		subnet(nPESub, d.PrivateEndpoints, outbound{}, true),
	}
	if fw {
		// AzureFirewallSubnet takes no NSG and no route table.
		hubSubnets = append(hubSubnets, subnet(nFWSub, d.FirewallSubnet, outbound{}, false))
	}
	b.resource(tVNet, apiNetwork, nHub, map[string]any{
		"addressSpace": map[string]any{"addressPrefixes": []any{d.HubSpace.String()}},
		"dhcpOptions":  map[string]any{"dnsServers": dns},
		"subnets":      hubSubnets,
	})
	b.resource(tVNet, apiNetwork, nSpoke, map[string]any{
		"addressSpace": map[string]any{"addressPrefixes": []any{d.SpokeSpace.String()}},
		"dhcpOptions":  map[string]any{"dnsServers": dns},
		"subnets": []any{
			subnet(nNodeSub, d.NodeSubnet, nodeOut, true),
			appGwSubnet(d),
		},
	})
	peer := func(from, name, to string) {
		b.add(&arm.Resource{Type: tPeering, APIVersion: apiNetwork, Name: from + "/" + name,
			Properties: map[string]any{
				"remoteVirtualNetwork":      idOf(tVNet, to),
				"allowVirtualNetworkAccess": true,
				"allowForwardedTraffic":     true,
				"allowGatewayTransit":       false,
				"useRemoteGateways":         false,
			}})
	}
	peer(nHub, nHubToSpoke, nSpoke)
	peer(nSpoke, nSpokeToHub, nHub)
}

func prefixes(ps []netip.Prefix) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// outbound is a subnet's explicit outbound method: a NAT gateway or a
// route table (to the firewall); neither for subnets whose resources bring
// their own (Bastion, Application Gateway, private endpoints).
type outbound struct{ nat, routeTable string }

// subnet returns an inline subnet, private (defaultOutboundAccess false,
// the default from Network API 2025-07-01, written out so the intent is
// visible), with its NSG and outbound method.
func subnet(name string, p netip.Prefix, out outbound, withNSG bool) map[string]any {
	props := map[string]any{
		"addressPrefix":                     p.String(),
		"defaultOutboundAccess":             false,
		"privateEndpointNetworkPolicies":    "Disabled",
		"privateLinkServiceNetworkPolicies": "Enabled",
	}
	if withNSG {
		props["networkSecurityGroup"] = idOf(tNSG, nsgName(name))
	}
	if out.nat != "" {
		props["natGateway"] = idOf(tNAT, out.nat)
	}
	if out.routeTable != "" {
		props["routeTable"] = idOf(tRouteTable, out.routeTable)
	}
	return map[string]any{"name": name, "properties": props}
}

// nodeRules: with Azure CNI Overlay, pod-to-pod traffic is not
// encapsulated and the node subnet's NSG applies to it, while the pod CIDR
// lies outside the VNet; the AKS docs ask that node↔pod and pod↔pod
// traffic be allowed (azure-rules.md §2.8 [S37]). The rules say so
// explicitly rather than rely on the VirtualNetwork tag. Node subnet mode
// needs none.
func nodeRules(d *spec.Design) []any {
	if d.NetworkPluginMode != "overlay" || !d.PodCIDR.IsValid() {
		return nil
	}
	pods := d.PodCIDR.String()
	return []any{
		rule("AllowPodCIDRInbound", 100, "Inbound", "Allow", "*", []string{pods}, "*", "*"),
		rule("AllowToPodCIDROutbound", 100, "Outbound", "Allow", "*", []string{"*"}, pods, "*"),
	}
}

// appGwSubnet is the gateway's dedicated subnet. Without a public
// workload the gateway has no public IP: a Private Application Gateway
// (network isolation, generally available since April 2026, subscription
// feature Microsoft.Network/EnableApplicationGatewayNetworkIsolation),
// whose subnet must be delegated to Microsoft.Network/applicationGateways
// (azure-rules.md §2.7 [S33]; docs/deploy.md).
func appGwSubnet(d *spec.Design) map[string]any {
	s := subnet(nAppGwSub, d.AppGwSubnet, outbound{}, true)
	if !hasPublicWorkload(d) {
		s["properties"].(map[string]any)["delegations"] = []any{map[string]any{
			"name":       "appgw",
			"properties": map[string]any{"serviceName": "Microsoft.Network/applicationGateways"},
		}}
	}
	return s
}

func (b *builder) nsg(subnet string, rules []any) {
	if rules == nil {
		rules = []any{}
	}
	b.resource(tNSG, apiNetwork, nsgName(subnet), map[string]any{"securityRules": rules})
}

// rule builds one NSG security rule. Ports and prefixes are lists; a
// single "*" is written in the singular property as ARM prefers.
func rule(name string, priority int, dir, access, proto string, src []string, dst string, ports ...string) map[string]any {
	p := map[string]any{
		"priority":                 priority,
		"direction":                dir,
		"access":                   access,
		"protocol":                 proto,
		"sourcePortRange":          "*",
		"destinationAddressPrefix": dst,
	}
	if len(src) == 1 {
		p["sourceAddressPrefix"] = src[0]
	} else {
		p["sourceAddressPrefixes"] = toAny(src)
	}
	if len(ports) == 1 {
		p["destinationPortRange"] = ports[0]
	} else {
		p["destinationPortRanges"] = toAny(ports)
	}
	return map[string]any{"name": name, "properties": p}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// bastionRules are the rules Azure Bastion requires on AzureBastionSubnet
// (azure-rules.md §2.6; creating the NSG fails without them).
func bastionRules() []any {
	return []any{
		rule("AllowHttpsInbound", 120, "Inbound", "Allow", "Tcp", []string{"Internet"}, "*", "443"),
		rule("AllowGatewayManagerInbound", 130, "Inbound", "Allow", "Tcp", []string{"GatewayManager"}, "*", "443"),
		rule("AllowAzureLoadBalancerInbound", 140, "Inbound", "Allow", "Tcp", []string{"AzureLoadBalancer"}, "*", "443"),
		rule("AllowBastionHostCommunication", 150, "Inbound", "Allow", "*", []string{"VirtualNetwork"}, "VirtualNetwork", "8080", "5701"),
		rule("AllowSshRdpOutbound", 100, "Outbound", "Allow", "*", []string{"*"}, "VirtualNetwork", "22", "3389"),
		rule("AllowAzureCloudOutbound", 110, "Outbound", "Allow", "Tcp", []string{"*"}, "AzureCloud", "443"),
		rule("AllowBastionCommunication", 120, "Outbound", "Allow", "*", []string{"VirtualNetwork"}, "VirtualNetwork", "8080", "5701"),
		rule("AllowHttpOutbound", 130, "Outbound", "Allow", "*", []string{"*"}, "Internet", "80"),
	}
}

// vmRules admit SSH only from the Bastion subnet and, when dnsPort is set,
// DNS from the given sources; everything else inbound is denied, including
// the rest of the VNet (the default AllowVNetInBound would admit it).
func vmRules(bastion string, dnsSources []string, dnsPort int) []any {
	rules := []any{rule("AllowSshFromBastion", 100, "Inbound", "Allow", "Tcp", []string{bastion}, "*", "22")}
	if dnsPort != 0 {
		rules = append(rules,
			rule("AllowDnsUdp", 110, "Inbound", "Allow", "Udp", dnsSources, "*", "53"),
			rule("AllowDnsTcp", 120, "Inbound", "Allow", "Tcp", dnsSources, "*", "53"))
	}
	return append(rules, rule("DenyAllOtherInbound", 4096, "Inbound", "Deny", "*", []string{"*"}, "*", "*"))
}

// appGwRules are what Application Gateway v2 needs (azure-rules.md §2.7):
// the GatewayManager infrastructure ports, the load balancer's probes, and
// the listener ports (HTTPS, and HTTP that redirects to it): from the
// Internet only when a workload is public, and from the VNet to the private
// frontend. Public and private listeners share the ports, so the private
// rule names the private frontend address as its destination (frontend IP
// configuration docs) and the Internet rule any destination (the public
// frontend's address is known only once deployed).
func appGwRules(d *spec.Design) []any {
	ports := []string{itoa(HTTPSPort), itoa(HTTPPort)}
	rules := []any{
		rule("AllowGatewayManager", 100, "Inbound", "Allow", "Tcp", []string{"GatewayManager"}, "*", "65200-65535"),
		rule("AllowAzureLoadBalancer", 110, "Inbound", "Allow", "*", []string{"AzureLoadBalancer"}, "*", "*"),
	}
	if hasPublicWorkload(d) {
		rules = append(rules, rule("AllowInternetToPublicListeners", 120, "Inbound", "Allow", "Tcp", []string{"Internet"}, "*", ports...))
	}
	return append(rules, rule("AllowVNetToPrivateListeners", 130, "Inbound", "Allow", "Tcp", []string{"VirtualNetwork"}, d.AppGwPrivateIP.String(), ports...))
}

func itoa(n int) string { return strconv.Itoa(n) }

package tfread

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// API versions: those the ARM compiler writes, so that a design read from
// Terraform and from its ARM template are the same set.
const (
	apiNetwork = "2025-07-01"
	apiDNS     = "2024-06-01"
)

func registerMapNetwork(mappings map[string]*mapping) {
	mappings["azurerm_resource_group"] = &mapping{arm: "Microsoft.Resources/resourceGroups", api: "2024-03-01",
		id: func(c *mctx) (arm.ResourceID, error) {
			n, err := seg(c.a.str("name"), "name")
			return arm.ResourceID("/subscriptions/" + c.r.scope.Subscription + "/resourceGroups/" + n), err
		},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			if n, ok := c.a.str("name").(string); ok {
				res.Name = n
			}
			return nil, nil
		}}

	mappings["azurerm_virtual_network"] = &mapping{arm: "Microsoft.Network/virtualNetworks", api: apiNetwork,
		id: simple("Microsoft.Network/virtualNetworks"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["addressSpace"] = map[string]any{"addressPrefixes": orEmpty(c.a.list("address_space"))}
			if dns := c.a.list("dns_servers"); dns != nil {
				p["dhcpOptions"] = map[string]any{"dnsServers": dns}
			}
			var subnets []any
			for _, s := range c.a.blocks("subnet") {
				sp := map[string]any{}
				pfx := s.list("address_prefixes")
				if pfx == nil {
					if one := s.str("address_prefix"); one != nil {
						pfx = []any{one}
					}
				}
				prefixProps(sp, pfx)
				put(sp, "networkSecurityGroup", ref(s.str("security_group")))
				put(sp, "routeTable", ref(s.str("route_table_id")))
				put(sp, "defaultOutboundAccess", s.boolOr(true, "default_outbound_access_enabled"))
				put(sp, "privateEndpointNetworkPolicies", s.strOr("Disabled", "private_endpoint_network_policies"))
				put(sp, "privateLinkServiceNetworkPolicies", enabled(s.boolOr(true, "private_link_service_network_policies_enabled")))
				delegations(s, sp)
				subnets = append(subnets, map[string]any{"name": s.str("name"), "properties": sp})
			}
			if subnets != nil {
				p["subnets"] = subnets
			}
			return nil, nil
		}}

	mappings["azurerm_subnet"] = &mapping{arm: "Microsoft.Network/virtualNetworks/subnets", api: apiNetwork,
		id: childOf("Microsoft.Network/virtualNetworks/subnets", "virtual_network_name"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			pfx := c.a.list("address_prefixes")
			if pfx == nil {
				if one := c.a.str("address_prefix"); one != nil {
					pfx = []any{one}
				}
			}
			prefixProps(p, pfx)
			put(p, "networkSecurityGroup", ref(c.a.str("network_security_group_id")))
			put(p, "routeTable", ref(c.a.str("route_table_id")))
			put(p, "defaultOutboundAccess", c.a.boolOr(true, "default_outbound_access_enabled"))
			// 4.x: a string; 3.x: private_endpoint_network_policies_enabled
			// (true = Enabled) or, older, enforce_private_link_endpoint_network_policies
			// (true = policies Disabled).
			pol := c.a.str("private_endpoint_network_policies")
			if pol == nil {
				if b, ok := c.a.legacy(kBool, "private_endpoint_network_policies_enabled").(bool); ok {
					pol = enabled(b)
				} else if b, ok := c.a.legacy(kBool, "enforce_private_link_endpoint_network_policies").(bool); ok {
					pol = enabled(!b)
				}
			}
			if pol == nil {
				pol = "Disabled"
			}
			p["privateEndpointNetworkPolicies"] = pol
			pls := c.a.get(kBool, "private_link_service_network_policies_enabled")
			if pls == nil {
				if b, ok := c.a.legacy(kBool, "enforce_private_link_service_network_policies").(bool); ok {
					pls = !b
				}
			}
			if pls == nil {
				pls = true
			}
			p["privateLinkServiceNetworkPolicies"] = enabled(pls)
			var eps []any
			for _, s := range strs(c.a.legacy(kList, "service_endpoints")) { // 3.x and 4.x
				eps = append(eps, map[string]any{"service": s})
			}
			for _, b := range c.a.blocks("service_endpoint") { // 5.x
				eps = append(eps, map[string]any{"service": b.str("service")})
			}
			put(p, "serviceEndpoints", nilIfEmpty(eps))
			delegations(c.a, p)
			return nil, nil
		}}

	assoc := func(field, attr string) *mapping {
		return &mapping{id: mergeID("subnet_id"),
			merge: func(c *mctx, set *arm.Set) error {
				sid := c.a.str("subnet_id")
				p := subnetProps(set, sid)
				if p == nil {
					return notInSet("subnet_id", sid)
				}
				p[field] = ref(c.a.str(attr))
				return nil
			}}
	}
	mappings["azurerm_subnet_network_security_group_association"] = assoc("networkSecurityGroup", "network_security_group_id")
	mappings["azurerm_subnet_route_table_association"] = assoc("routeTable", "route_table_id")
	mappings["azurerm_subnet_nat_gateway_association"] = assoc("natGateway", "nat_gateway_id")

	mappings["azurerm_virtual_network_peering"] = &mapping{arm: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", api: apiNetwork,
		id: childOf("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "virtual_network_name"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["remoteVirtualNetwork"] = ref(c.a.str("remote_virtual_network_id"))
			p["allowVirtualNetworkAccess"] = c.a.boolOr(true, "allow_virtual_network_access")
			p["allowForwardedTraffic"] = c.a.boolOr(false, "allow_forwarded_traffic")
			p["allowGatewayTransit"] = c.a.boolOr(false, "allow_gateway_transit")
			p["useRemoteGateways"] = c.a.boolOr(false, "use_remote_gateways")
			return nil, nil
		}}

	mappings["azurerm_virtual_network_dns_servers"] = &mapping{id: mergeID("virtual_network_id"),
		merge: func(c *mctx, set *arm.Set) error {
			v := resourceByID(set, c.a.str("virtual_network_id"))
			if v == nil {
				return notInSet("virtual_network_id", c.a.str("virtual_network_id"))
			}
			v.Properties["dhcpOptions"] = map[string]any{"dnsServers": orEmpty(c.a.list("dns_servers"))}
			return nil
		}}

	mappings["azurerm_network_security_group"] = &mapping{arm: "Microsoft.Network/networkSecurityGroups", api: apiNetwork,
		id: simple("Microsoft.Network/networkSecurityGroups"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			var rules []any
			for _, s := range c.a.blocks("security_rule") {
				rules = append(rules, securityRule(s))
			}
			res.Properties["securityRules"] = orEmptyList(rules)
			return nil, nil
		}}
	mappings["azurerm_network_security_rule"] = &mapping{id: childOf("Microsoft.Network/networkSecurityGroups/securityRules", "network_security_group_name"),
		merge: func(c *mctx, set *arm.Set) error {
			nsgID := parentOf(c.in.id)
			n := set.Get(nsgID)
			if n == nil {
				return notInSet("network security group", string(nsgID))
			}
			l, _ := n.Properties["securityRules"].([]any)
			n.Properties["securityRules"] = append(l, securityRule(c.a))
			return nil
		}}

	mappings["azurerm_route_table"] = &mapping{arm: "Microsoft.Network/routeTables", api: apiNetwork,
		id: simple("Microsoft.Network/routeTables"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			var routes []any
			for _, r := range c.a.blocks("route") {
				routes = append(routes, map[string]any{"name": r.str("name"), "properties": routeProps(r)})
			}
			res.Properties["routes"] = orEmptyList(routes)
			if b, ok := c.a.bool("bgp_route_propagation_enabled").(bool); ok {
				res.Properties["disableBgpRoutePropagation"] = !b
			} else if b, ok := c.a.legacy(kBool, "disable_bgp_route_propagation").(bool); ok {
				res.Properties["disableBgpRoutePropagation"] = b
			} else {
				res.Properties["disableBgpRoutePropagation"] = false
			}
			return nil, nil
		}}
	mappings["azurerm_route"] = &mapping{arm: "Microsoft.Network/routeTables/routes", api: apiNetwork,
		id: childOf("Microsoft.Network/routeTables/routes", "route_table_name"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Properties = routeProps(c.a)
			return nil, nil
		}}

	mappings["azurerm_public_ip"] = &mapping{arm: "Microsoft.Network/publicIPAddresses", api: apiNetwork,
		id:      simple("Microsoft.Network/publicIPAddresses"),
		unknown: map[string]string{"ip_address": "ipAddress", "fqdn": "dnsSettings.fqdn"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.SKU = map[string]any{"name": c.a.strOr("Standard", "sku"), "tier": c.a.strOr("Regional", "sku_tier")}
			res.Properties["publicIPAllocationMethod"] = c.a.str("allocation_method")
			res.Properties["publicIPAddressVersion"] = c.a.strOr("IPv4", "ip_version")
			if z := c.a.list("zones"); z != nil {
				res.Zones = z
			}
			return nil, nil
		}}

	mappings["azurerm_nat_gateway"] = &mapping{arm: "Microsoft.Network/natGateways", api: apiNetwork,
		id: simple("Microsoft.Network/natGateways"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.SKU = map[string]any{"name": c.a.strOr("Standard", "sku_name")}
			res.Properties["idleTimeoutInMinutes"] = c.a.num("idle_timeout_in_minutes")
			if res.Properties["idleTimeoutInMinutes"] == nil {
				res.Properties["idleTimeoutInMinutes"] = float64(4)
			}
			if z := c.a.list("zones"); z != nil {
				res.Zones = z
			}
			return nil, nil
		}}
	mappings["azurerm_nat_gateway_public_ip_association"] = &mapping{id: mergeID("nat_gateway_id"),
		merge: func(c *mctx, set *arm.Set) error {
			g := resourceByID(set, c.a.str("nat_gateway_id"))
			if g == nil {
				return notInSet("nat_gateway_id", c.a.str("nat_gateway_id"))
			}
			l, _ := g.Properties["publicIpAddresses"].([]any)
			g.Properties["publicIpAddresses"] = append(l, ref(c.a.str("public_ip_address_id")))
			return nil
		}}

	mappings["azurerm_network_interface"] = &mapping{arm: "Microsoft.Network/networkInterfaces", api: apiNetwork,
		id:      simple("Microsoft.Network/networkInterfaces"),
		unknown: map[string]string{"private_ip_address": "ipConfigurations.0.properties.privateIPAddress"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			var ics []any
			for i, ic := range c.a.blocks("ip_configuration") {
				ip := map[string]any{}
				put(ip, "subnet", ref(ic.str("subnet_id")))
				put(ip, "privateIPAllocationMethod", ic.str("private_ip_address_allocation"))
				put(ip, "privateIPAddress", ic.str("private_ip_address"))
				put(ip, "publicIPAddress", ref(ic.str("public_ip_address_id")))
				put(ip, "primary", ic.boolOr(i == 0, "primary"))
				ics = append(ics, map[string]any{"name": ic.str("name"), "properties": ip})
			}
			p["ipConfigurations"] = orEmptyList(ics)
			p["enableIPForwarding"] = c.a.boolOr(false, "ip_forwarding_enabled", "enable_ip_forwarding")
			p["enableAcceleratedNetworking"] = c.a.boolOr(false, "accelerated_networking_enabled", "enable_accelerated_networking")
			if dns := c.a.list("dns_servers"); dns != nil && len(strs(dns)) > 0 {
				p["dnsSettings"] = map[string]any{"dnsServers": dns}
			}
			return nil, nil
		}}
	mappings["azurerm_network_interface_security_group_association"] = &mapping{id: mergeID("network_interface_id"),
		merge: func(c *mctx, set *arm.Set) error {
			n := resourceByID(set, c.a.str("network_interface_id"))
			if n == nil {
				return notInSet("network_interface_id", c.a.str("network_interface_id"))
			}
			n.Properties["networkSecurityGroup"] = ref(c.a.str("network_security_group_id"))
			return nil
		}}

	mappings["azurerm_bastion_host"] = &mapping{arm: "Microsoft.Network/bastionHosts", api: apiNetwork,
		id: simple("Microsoft.Network/bastionHosts"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.SKU = map[string]any{"name": c.a.strOr("Basic", "sku")}
			var ics []any
			for _, ic := range c.a.blocks("ip_configuration") {
				ip := map[string]any{}
				put(ip, "subnet", ref(ic.str("subnet_id")))
				put(ip, "publicIPAddress", ref(ic.str("public_ip_address_id")))
				ics = append(ics, map[string]any{"name": ic.str("name"), "properties": ip})
			}
			res.Properties["ipConfigurations"] = orEmptyList(ics)
			put(res.Properties, "enableTunneling", c.a.bool("tunneling_enabled"))
			put(res.Properties, "enableIpConnect", c.a.bool("ip_connect_enabled"))
			put(res.Properties, "enableShareableLink", c.a.bool("shareable_link_enabled"))
			return nil, nil
		}}
}

func prefixProps(p map[string]any, pfx any) {
	l := strs(pfx)
	if len(l) == 1 {
		p["addressPrefix"] = l[0]
	} else if len(l) > 1 {
		p["addressPrefixes"] = l
	}
}

func delegations(a attrs, p map[string]any) {
	var ds []any
	for _, d := range a.blocks("delegation") {
		sd, _ := d.block("service_delegation")
		props := map[string]any{"serviceName": sd.str("name")}
		put(props, "actions", sd.list("actions"))
		ds = append(ds, map[string]any{"name": d.str("name"), "properties": props})
	}
	if ds != nil {
		p["delegations"] = ds
	}
}

func securityRule(s attrs) map[string]any {
	p := map[string]any{}
	put(p, "priority", s.num("priority"))
	put(p, "direction", s.str("direction"))
	put(p, "access", s.str("access"))
	put(p, "protocol", s.str("protocol"))
	put(p, "description", s.str("description"))
	for _, f := range []struct{ one, many, armOne, armMany string }{
		{"source_port_range", "source_port_ranges", "sourcePortRange", "sourcePortRanges"},
		{"destination_port_range", "destination_port_ranges", "destinationPortRange", "destinationPortRanges"},
		{"source_address_prefix", "source_address_prefixes", "sourceAddressPrefix", "sourceAddressPrefixes"},
		{"destination_address_prefix", "destination_address_prefixes", "destinationAddressPrefix", "destinationAddressPrefixes"},
	} {
		if v := s.str(f.one); v != nil && v != "" {
			p[f.armOne] = v
		}
		if v := s.list(f.many); len(strs(v)) > 0 {
			p[f.armMany] = v
		}
	}
	var asg []any
	for _, id := range strs(s.list("source_application_security_group_ids")) {
		asg = append(asg, ref(id))
	}
	put(p, "sourceApplicationSecurityGroups", nilIfEmpty(asg))
	asg = nil
	for _, id := range strs(s.list("destination_application_security_group_ids")) {
		asg = append(asg, ref(id))
	}
	put(p, "destinationApplicationSecurityGroups", nilIfEmpty(asg))
	return map[string]any{"name": s.str("name"), "properties": p}
}

func routeProps(r attrs) map[string]any {
	p := map[string]any{}
	put(p, "addressPrefix", r.str("address_prefix"))
	put(p, "nextHopType", r.str("next_hop_type"))
	put(p, "nextHopIpAddress", r.str("next_hop_in_ip_address"))
	return p
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

func orEmptyList(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

func nilIfEmpty(l []any) any {
	if len(l) == 0 {
		return nil
	}
	return l
}

// parentOf drops the last type/name pair of an ID.
func parentOf(id arm.ResourceID) arm.ResourceID {
	s := string(id)
	for range 2 {
		if i := strings.LastIndex(s, "/"); i >= 0 {
			s = s[:i]
		}
	}
	return arm.ResourceID(s)
}

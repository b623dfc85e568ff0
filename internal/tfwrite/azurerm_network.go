package tfwrite

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// Writers of the network: a VNet and its subnets (each an azurerm_subnet
// with its NSG, route table and NAT gateway associations), NAT gateways,
// NICs, route tables and private endpoints (with their DNS zone group).

// subnetProps are the subnet properties azurerm_subnet and its
// associations carry.
var subnetProps = []string{"addressPrefix", "addressPrefixes", "networkSecurityGroup", "routeTable", "natGateway",
	"defaultOutboundAccess", "privateEndpointNetworkPolicies", "privateLinkServiceNetworkPolicies", "delegations",
	"serviceEndpoints"}

// onlyKeys reports whether m has no key outside keys (case-insensitive).
func onlyKeys(m map[string]any, keys ...string) bool {
	for k := range m {
		if !containsFold(keys, k) {
			return false
		}
	}
	return true
}

// isRef reports whether v is an ARM reference object {"id": string}.
func isRef(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m["id"].(string)
	return ok
}

// objList returns v's elements when v is a list of objects.
func objList(v any) ([]map[string]any, bool) {
	if v == nil {
		return nil, true
	}
	l, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]map[string]any, 0, len(l))
	for _, x := range l {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// named is an ARM sub-resource {"name": …, "properties": {…}}.
func named(m map[string]any) (string, map[string]any, bool) {
	n, ok := m["name"].(string)
	if !ok || n == "" || !onlyKeys(m, "name", "properties") {
		return "", nil, false
	}
	p, _ := m["properties"].(map[string]any)
	if p == nil && m["properties"] != nil {
		return "", nil, false
	}
	if p == nil {
		p = map[string]any{}
	}
	return n, p, true
}

func subnetFits(m map[string]any) bool {
	_, p, ok := named(m)
	if !ok || !onlyKeys(p, subnetProps...) {
		return false
	}
	// The reader gives one prefix as addressPrefix, several as
	// addressPrefixes.
	if _, one := p["addressPrefix"].(string); one == (p["addressPrefixes"] != nil) {
		return false
	}
	if l, ok := p["addressPrefixes"].([]any); ok && len(l) < 2 {
		return false
	}
	for _, k := range []string{"networkSecurityGroup", "routeTable", "natGateway"} {
		if p[k] != nil && !isRef(p[k]) {
			return false
		}
	}
	// Explicit only: azurerm (and the reader) default it to true, ARM's
	// default depends on the API version (private subnets by default are
	// coming), and it decides whether the subnet reaches the Internet.
	if _, b := p["defaultOutboundAccess"].(bool); !b {
		return false
	}
	if v, ok := p["privateEndpointNetworkPolicies"]; ok {
		if _, s := v.(string); !s {
			return false
		}
	}
	switch p["privateLinkServiceNetworkPolicies"] {
	case nil, "Enabled", "Disabled":
	default:
		return false
	}
	eps, ok := objList(p["serviceEndpoints"])
	if !ok {
		return false
	}
	for _, e := range eps {
		if _, s := e["service"].(string); !s || len(e) != 1 {
			return false
		}
	}
	ds, ok := objList(p["delegations"])
	if !ok {
		return false
	}
	for _, d := range ds {
		_, dp, ok := named(d)
		if !ok || !onlyKeys(dp, "serviceName", "actions") {
			return false
		}
		if _, s := dp["serviceName"].(string); !s {
			return false
		}
	}
	return true
}

// vnetWriter writes a VNet as azurerm_virtual_network and each subnet as
// an azurerm_subnet (azurerm's inline subnet has no NAT gateway, and
// mixing inline subnets with associations fights over them).
type vnetWriter struct{ *simple }

// subnetName is the Terraform name of a VNet's subnet.
func subnetName(vnet *tres, subnet string) string {
	return vnet.name + "_" + strings.Trim(nonIdent().ReplaceAllString(strings.ToLower(subnet), "_"), "_")
}

func (v vnetWriter) aliases(t *tres) map[string]*tres {
	out := map[string]*tres{}
	for _, x := range asList(t.r.Prop("subnets")) {
		n, _ := x.(map[string]any)["name"].(string)
		out[arm.ResourceID(string(t.r.ID)+"/subnets/"+n).Key()] = &tres{typ: "azurerm_subnet", name: subnetName(t, n)}
	}
	return out
}

func registerAzurermNetwork(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.network/virtualnetworks"] = vnetWriter{&simple{tf: "azurerm_virtual_network",
		props: []string{"addressSpace", "dhcpOptions", "subnets"},
		check: func(r *arm.Resource) bool {
			as, ok := r.Prop("addressSpace").(map[string]any)
			if !ok || !onlyKeys(as, "addressPrefixes") || len(asList(as["addressPrefixes"])) == 0 {
				return false
			}
			if d := r.Prop("dhcpOptions"); d != nil {
				dm, ok := d.(map[string]any)
				if !ok || !onlyKeys(dm, "dnsServers") || dm["dnsServers"] == nil {
					return false
				}
			}
			subs, ok := objList(r.Prop("subnets"))
			if !ok {
				return false
			}
			for _, s := range subs {
				if !subnetFits(s) {
					return false
				}
			}
			return true
		},
		unknowns: map[string]string{"resourceguid": "guid"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if err := w.attr(t, b, "address_space", t.r.Prop("addressSpace.addressPrefixes")); err != nil {
				return err
			}
			if err := w.attr(t, b, "dns_servers", t.r.Prop("dhcpOptions.dnsServers")); err != nil {
				return err
			}
			if err := w.tags(t.r, b); err != nil {
				return err
			}
			for _, x := range asList(t.r.Prop("subnets")) {
				if err := w.subnet(t, x.(map[string]any)); err != nil {
					return err
				}
			}
			return nil
		}}}

	azurermWriters["microsoft.network/natgateways"] = &simple{tf: "azurerm_nat_gateway",
		props: []string{"idleTimeoutInMinutes", "publicIpAddresses"}, top: []string{"sku", "zones"},
		check: func(r *arm.Resource) bool {
			sku, ok := r.SKU.(map[string]any)
			if r.SKU != nil && (!ok || !onlyKeys(sku, "name")) {
				return false
			}
			for _, x := range asList(r.Prop("publicIpAddresses")) {
				if !isRef(x) {
					return false
				}
			}
			_, isList := r.Prop("publicIpAddresses").([]any)
			return r.Prop("publicIpAddresses") == nil || isList
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if sku, ok := t.r.SKU.(map[string]any); ok {
				if err := w.attr(t, b, "sku_name", sku["name"]); err != nil {
					return err
				}
			}
			if err := w.attr(t, b, "idle_timeout_in_minutes", t.r.Prop("idleTimeoutInMinutes")); err != nil {
				return err
			}
			if err := w.attr(t, b, "zones", t.r.Zones); err != nil {
				return err
			}
			if err := w.tags(t.r, b); err != nil {
				return err
			}
			for i, x := range asList(t.r.Prop("publicIpAddresses")) {
				name := t.name
				if i > 0 {
					name = fmt.Sprintf("%s_%d", t.name, i+1)
				}
				ab := w.block(t, "azurerm_nat_gateway_public_ip_association", name)
				ab.SetAttributeRaw("nat_gateway_id", traversal(t.typ, t.name, "id"))
				if err := w.attr(t, ab, "public_ip_address_id", ref(x)); err != nil {
					return err
				}
			}
			return nil
		}}

	azurermWriters["microsoft.network/networkinterfaces"] = &simple{tf: "azurerm_network_interface",
		props: []string{"ipConfigurations", "enableIPForwarding", "enableAcceleratedNetworking", "dnsSettings", "networkSecurityGroup"},
		check: func(r *arm.Resource) bool {
			ics, ok := objList(r.Prop("ipConfigurations"))
			if !ok || len(ics) == 0 {
				return false
			}
			for i, ic := range ics {
				_, p, ok := named(ic)
				if !ok || !onlyKeys(p, "subnet", "privateIPAllocationMethod", "privateIPAddress", "publicIPAddress", "primary") {
					return false
				}
				if _, s := p["privateIPAllocationMethod"].(string); !s || !isRef(p["subnet"]) {
					return false
				}
				if p["publicIPAddress"] != nil && !isRef(p["publicIPAddress"]) {
					return false
				}
				// The reader makes the first configuration primary.
				if _, b := p["primary"].(bool); i > 0 && !b {
					return false
				}
			}
			if d := r.Prop("dnsSettings"); d != nil {
				dm, ok := d.(map[string]any)
				if !ok || !onlyKeys(dm, "dnsServers") || len(asList(dm["dnsServers"])) == 0 {
					return false
				}
			}
			return r.Prop("networkSecurityGroup") == nil || isRef(r.Prop("networkSecurityGroup"))
		},
		unknowns: map[string]string{"ipconfigurations.0.properties.privateipaddress": "private_ip_address"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			for _, a := range []struct{ tf, arm string }{{"ip_forwarding_enabled", "enableIPForwarding"},
				{"accelerated_networking_enabled", "enableAcceleratedNetworking"}} {
				if err := w.attr(t, b, a.tf, p[a.arm]); err != nil {
					return err
				}
			}
			if err := w.attr(t, b, "dns_servers", t.r.Prop("dnsSettings.dnsServers")); err != nil {
				return err
			}
			for _, x := range asList(p["ipConfigurations"]) {
				m := x.(map[string]any)
				ip, _ := m["properties"].(map[string]any)
				ib := b.AppendNewBlock("ip_configuration", nil).Body()
				if err := w.attr(t, ib, "name", m["name"]); err != nil {
					return err
				}
				for _, a := range []struct {
					tf  string
					arm any
				}{{"subnet_id", ref(ip["subnet"])}, {"private_ip_address_allocation", ip["privateIPAllocationMethod"]},
					{"private_ip_address", ip["privateIPAddress"]}, {"public_ip_address_id", ref(ip["publicIPAddress"])},
					{"primary", ip["primary"]}} {
					if err := w.attr(t, ib, a.tf, a.arm); err != nil {
						return err
					}
				}
			}
			if err := w.tags(t.r, b); err != nil {
				return err
			}
			if nsg := ref(p["networkSecurityGroup"]); nsg != nil {
				ab := w.block(t, "azurerm_network_interface_security_group_association", t.name)
				ab.SetAttributeRaw("network_interface_id", traversal(t.typ, t.name, "id"))
				if err := w.attr(t, ab, "network_security_group_id", nsg); err != nil {
					return err
				}
			}
			return nil
		}}

	azurermWriters["microsoft.network/privateendpoints"] = &simple{tf: "azurerm_private_endpoint",
		props: []string{"subnet", "privateLinkServiceConnections", "manualPrivateLinkServiceConnections", "customNetworkInterfaceName"},
		check: func(r *arm.Resource) bool {
			if !isRef(r.Prop("subnet")) {
				return false
			}
			auto, ok1 := objList(r.Prop("privateLinkServiceConnections"))
			manual, ok2 := objList(r.Prop("manualPrivateLinkServiceConnections"))
			if !ok1 || !ok2 || len(auto)+len(manual) != 1 { // azurerm: exactly one connection
				return false
			}
			for _, c := range append(auto, manual...) {
				_, p, ok := named(c)
				if !ok || !onlyKeys(p, "privateLinkServiceId", "groupIds", "requestMessage") {
					return false
				}
				if _, s := p["privateLinkServiceId"].(string); !s {
					return false
				}
				if g, ok := p["groupIds"]; ok && len(asList(g)) == 0 {
					return false
				}
			}
			return true
		},
		unknowns: map[string]string{"customdnsconfigs.0.ipaddresses.0": "private_service_connection.0.private_ip_address",
			"networkinterfaces.0.id": "network_interface.0.id"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			if err := w.attr(t, b, "subnet_id", ref(p["subnet"])); err != nil {
				return err
			}
			if err := w.attr(t, b, "custom_network_interface_name", p["customNetworkInterfaceName"]); err != nil {
				return err
			}
			conns, manual := asList(p["privateLinkServiceConnections"]), false
			if len(conns) == 0 {
				conns, manual = asList(p["manualPrivateLinkServiceConnections"]), true
			}
			c := conns[0].(map[string]any)
			cp, _ := c["properties"].(map[string]any)
			cb := b.AppendNewBlock("private_service_connection", nil).Body()
			if err := w.attr(t, cb, "name", c["name"]); err != nil {
				return err
			}
			cb.SetAttributeValue("is_manual_connection", cty.BoolVal(manual))
			for _, a := range []struct {
				tf  string
				arm any
			}{{"private_connection_resource_id", cp["privateLinkServiceId"]}, {"subresource_names", cp["groupIds"]},
				{"request_message", cp["requestMessage"]}} {
				if err := w.attr(t, cb, a.tf, a.arm); err != nil {
					return err
				}
			}
			for _, zg := range t.absorbed {
				zb := b.AppendNewBlock("private_dns_zone_group", nil).Body()
				zb.SetAttributeValue("name", str(lastName(zg)))
				var ids []any
				for _, x := range asList(zg.Prop("privateDnsZoneConfigs")) {
					ids = append(ids, arm.Lookup(x, "properties.privateDnsZoneId"))
				}
				if err := w.attr(t, zb, "private_dns_zone_ids", ids); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}
}

// zoneGroupFits reports whether a private DNS zone group is what
// azurerm_private_endpoint's private_dns_zone_group writes: each
// configuration named after its zone, with nothing else.
func zoneGroupFits(r *arm.Resource) bool {
	if !onlyKeys(propsOf(r), "privateDnsZoneConfigs") || len(r.Extra) > 0 || r.SKU != nil || r.Identity != nil {
		return false
	}
	cfgs, ok := objList(r.Prop("privateDnsZoneConfigs"))
	if !ok || len(cfgs) == 0 {
		return false
	}
	for _, c := range cfgs {
		n, p, ok := named(c)
		id, _ := p["privateDnsZoneId"].(string)
		if !ok || !onlyKeys(p, "privateDnsZoneId") || id == "" || id[strings.LastIndex(id, "/")+1:] != n {
			return false
		}
	}
	return true
}

// subnet writes one subnet of a VNet as azurerm_subnet and its
// associations.
func (w *writer) subnet(vnet *tres, m map[string]any) error {
	name, p, _ := named(m)
	tn := subnetName(vnet, name)
	b := w.block(vnet, "azurerm_subnet", tn)
	b.SetAttributeValue("name", str(name))
	b.SetAttributeTraversal("resource_group_name", travs("azurerm_resource_group", "this", "name"))
	b.SetAttributeRaw("virtual_network_name", traversal(vnet.typ, vnet.name, "name"))
	pfx := p["addressPrefixes"]
	if s, ok := p["addressPrefix"].(string); ok {
		pfx = []any{s}
	}
	if err := w.attr(vnet, b, "address_prefixes", pfx); err != nil {
		return err
	}
	if err := w.attr(vnet, b, "default_outbound_access_enabled", p["defaultOutboundAccess"]); err != nil {
		return err
	}
	if err := w.attr(vnet, b, "private_endpoint_network_policies", p["privateEndpointNetworkPolicies"]); err != nil {
		return err
	}
	if v, ok := p["privateLinkServiceNetworkPolicies"].(string); ok {
		b.SetAttributeValue("private_link_service_network_policies_enabled", boolv(v == "Enabled"))
	}
	for _, x := range asList(p["serviceEndpoints"]) {
		eb := b.AppendNewBlock("service_endpoint", nil).Body()
		if err := w.attr(vnet, eb, "service", x.(map[string]any)["service"]); err != nil {
			return err
		}
	}
	for _, x := range asList(p["delegations"]) {
		dn, dp, _ := named(x.(map[string]any))
		db := b.AppendNewBlock("delegation", nil).Body()
		db.SetAttributeValue("name", str(dn))
		sb := db.AppendNewBlock("service_delegation", nil).Body()
		if err := w.attr(vnet, sb, "name", dp["serviceName"]); err != nil {
			return err
		}
		if err := w.attr(vnet, sb, "actions", dp["actions"]); err != nil {
			return err
		}
	}
	for _, a := range []struct{ arm, typ, attr string }{
		{"networkSecurityGroup", "azurerm_subnet_network_security_group_association", "network_security_group_id"},
		{"routeTable", "azurerm_subnet_route_table_association", "route_table_id"},
		{"natGateway", "azurerm_subnet_nat_gateway_association", "nat_gateway_id"},
	} {
		id := ref(p[a.arm])
		if id == nil {
			continue
		}
		ab := w.block(vnet, a.typ, tn)
		ab.SetAttributeRaw("subnet_id", traversal("azurerm_subnet", tn, "id"))
		if err := w.attr(vnet, ab, a.attr, id); err != nil {
			return err
		}
	}
	return nil
}

func registerAzurermRegistry(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.containerregistry/registries"] = &simple{tf: "azurerm_container_registry",
		props: []string{"adminUserEnabled", "anonymousPullEnabled", "dataEndpointEnabled", "networkRuleBypassOptions",
			"policies", "publicNetworkAccess", "zoneRedundancy"}, top: []string{"sku"},
		check: func(r *arm.Resource) bool {
			sku, ok := r.SKU.(map[string]any)
			if !ok || !onlyKeys(sku, "name") || sku["name"] == nil {
				return false
			}
			for _, k := range []string{"adminUserEnabled", "anonymousPullEnabled", "dataEndpointEnabled"} {
				if _, ok := r.Prop(k).(bool); !ok && r.Prop(k) != nil {
					return false
				}
			}
			for _, k := range []string{"publicNetworkAccess", "zoneRedundancy"} {
				switch r.Prop(k) {
				case nil, "Enabled", "Disabled":
				default:
					return false
				}
			}
			if pol := r.Prop("policies"); pol != nil {
				pm, ok := pol.(map[string]any)
				if !ok || !onlyKeys(pm, "retentionPolicy") {
					return false
				}
				rp, ok := pm["retentionPolicy"].(map[string]any)
				// azurerm's retention_policy_in_days > 0 is an enabled
				// policy of that many days; a disabled one is not written.
				if !ok || !onlyKeys(rp, "days", "status") || rp["status"] != "enabled" || num64(rp["days"]) <= 0 {
					return false
				}
			}
			return true
		},
		unknowns: map[string]string{"loginserver": "login_server"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			if err := w.attrs(t, b, pair{"sku", t.r.SKU.(map[string]any)["name"]}, pair{"admin_enabled", p["adminUserEnabled"]},
				pair{"anonymous_pull_enabled", p["anonymousPullEnabled"]}, pair{"data_endpoint_enabled", p["dataEndpointEnabled"]},
				pair{"network_rule_bypass_option", p["networkRuleBypassOptions"]},
				pair{"retention_policy_in_days", t.r.Prop("policies.retentionPolicy.days")}); err != nil {
				return err
			}
			for _, a := range []struct{ tf, arm string }{{"public_network_access_enabled", "publicNetworkAccess"},
				{"zone_redundancy_enabled", "zoneRedundancy"}} {
				if v, ok := p[a.arm].(string); ok {
					b.SetAttributeValue(a.tf, boolv(v == "Enabled"))
				}
			}
			return w.tags(t.r, b)
		}}
}

func registerAzurermDNSRecords(azurermWriters map[string]typeWriter) {
	// Private DNS records (azurerm 5.x names the zone by ID).
	record := func(tf string, props []string, check func(r *arm.Resource) bool, body func(w *writer, t *tres, b *hclwrite.Body) error) *simple {
		return &simple{tf: tf, props: append(props, "ttl"),
			check: func(r *arm.Resource) bool {
				return r.Location == "" && num64(r.Prop("ttl")) > 0 && check(r)
			},
			body: func(w *writer, t *tres, b *hclwrite.Body) error {
				b.SetAttributeValue("name", str(lastName(t.r)))
				if err := w.attrs(t, b, pair{"private_dns_zone_id", parentID(t.r)}, pair{"ttl", t.r.Prop("ttl")}); err != nil {
					return err
				}
				if err := body(w, t, b); err != nil {
					return err
				}
				return w.tags(t.r, b)
			}}
	}
	azurermWriters["microsoft.network/privatednszones/a"] = record("azurerm_private_dns_a_record", []string{"aRecords"},
		func(r *arm.Resource) bool {
			recs, ok := objList(r.Prop("aRecords"))
			for _, x := range recs {
				if _, s := x["ipv4Address"].(string); !s || len(x) != 1 {
					return false
				}
			}
			return ok && len(recs) > 0
		},
		func(w *writer, t *tres, b *hclwrite.Body) error {
			var ips []any
			for _, x := range asList(t.r.Prop("aRecords")) {
				ips = append(ips, x.(map[string]any)["ipv4Address"])
			}
			return w.attr(t, b, "records", ips)
		})
	azurermWriters["microsoft.network/privatednszones/cname"] = record("azurerm_private_dns_cname_record", []string{"cnameRecord"},
		func(r *arm.Resource) bool {
			c, ok := r.Prop("cnameRecord").(map[string]any)
			_, s := c["cname"].(string)
			return ok && len(c) == 1 && s
		},
		func(w *writer, t *tres, b *hclwrite.Body) error {
			return w.attr(t, b, "record", t.r.Prop("cnameRecord.cname"))
		})
}

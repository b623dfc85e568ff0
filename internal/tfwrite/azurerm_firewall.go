package tfwrite

import (
	"sort"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/privaks/privaks/internal/arm"
)

// Writers of the egress firewall: route tables, the firewall, its policy
// and the policy's rule collection groups.

// pair is one azurerm argument and the ARM value it carries.
type pair struct {
	tf  string
	arm any
}

func (w *writer) attrs(t *tres, b *hclwrite.Body, ps ...pair) error {
	for _, p := range ps {
		if err := w.attr(t, b, p.tf, p.arm); err != nil {
			return err
		}
	}
	return nil
}

// strList reports whether v is absent or a list of strings.
func strList(v any) bool {
	if v == nil {
		return true
	}
	l, ok := v.([]any)
	if !ok {
		return false
	}
	for _, x := range l {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}

// appRule and netRule are the ARM rule properties a policy rule
// collection group's rule blocks carry, with their azurerm arguments.
var (
	appRule = map[string]string{"name": "name", "sourceAddresses": "source_addresses", "sourceIpGroups": "source_ip_groups",
		"targetFqdns": "destination_fqdns", "fqdnTags": "destination_fqdn_tags", "targetUrls": "destination_urls"}
	netRule = map[string]string{"name": "name", "ipProtocols": "protocols", "sourceAddresses": "source_addresses",
		"sourceIpGroups": "source_ip_groups", "destinationAddresses": "destination_addresses",
		"destinationIpGroups": "destination_ip_groups", "destinationFqdns": "destination_fqdns", "destinationPorts": "destination_ports"}
)

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ruleKind is "application" or "network" for a filter rule collection
// whose rules are all of one kind and carried by azurerm, "" otherwise.
func ruleKind(c map[string]any) string {
	if c["ruleCollectionType"] != "FirewallPolicyFilterRuleCollection" ||
		!onlyKeys(c, "ruleCollectionType", "name", "priority", "action", "rules") {
		return ""
	}
	if _, ok := c["name"].(string); !ok {
		return ""
	}
	if _, ok := c["priority"].(float64); !ok {
		if _, ok := c["priority"].(int); !ok {
			return ""
		}
	}
	act, ok := c["action"].(map[string]any)
	if !ok || !onlyKeys(act, "type") || act["type"] == nil {
		return ""
	}
	rules, ok := objList(c["rules"])
	if !ok || len(rules) == 0 {
		return ""
	}
	kind := ""
	for _, r := range rules {
		var k string
		var allowed map[string]string
		switch r["ruleType"] {
		case "ApplicationRule":
			k, allowed = "application", appRule
		case "NetworkRule":
			k, allowed = "network", netRule
		default:
			return ""
		}
		if kind != "" && kind != k {
			return ""
		}
		kind = k
		for key, v := range r {
			if key == "ruleType" {
				continue
			}
			if key == "protocols" && k == "application" {
				ps, ok := objList(v)
				if !ok {
					return ""
				}
				for _, p := range ps {
					if !onlyKeys(p, "protocolType", "port") || p["protocolType"] == nil || p["port"] == nil {
						return ""
					}
				}
				continue
			}
			if _, ok := allowed[key]; !ok {
				return ""
			}
			if key != "name" && !strList(v) {
				return ""
			}
		}
		if _, ok := r["name"].(string); !ok {
			return ""
		}
		if k == "network" && (r["ipProtocols"] == nil || r["destinationPorts"] == nil) {
			return "" // required by azurerm
		}
	}
	return kind
}

func num64(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return 0
}

func registerAzurermFirewall(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.network/routetables"] = &simple{tf: "azurerm_route_table",
		props: []string{"routes", "disableBgpRoutePropagation"},
		check: func(r *arm.Resource) bool {
			if _, ok := r.Prop("disableBgpRoutePropagation").(bool); !ok && r.Prop("disableBgpRoutePropagation") != nil {
				return false
			}
			routes, ok := objList(r.Prop("routes"))
			if !ok {
				return false
			}
			for _, x := range routes {
				_, p, ok := named(x)
				if !ok || !onlyKeys(p, "addressPrefix", "nextHopType", "nextHopIpAddress") || p["addressPrefix"] == nil || p["nextHopType"] == nil {
					return false
				}
			}
			return true
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if d, ok := t.r.Prop("disableBgpRoutePropagation").(bool); ok {
				b.SetAttributeValue("bgp_route_propagation_enabled", boolv(!d))
			}
			for _, x := range asList(t.r.Prop("routes")) {
				n, p, _ := named(x.(map[string]any))
				rb := b.AppendNewBlock("route", nil).Body()
				rb.SetAttributeValue("name", str(n))
				if err := w.attrs(t, rb, pair{"address_prefix", p["addressPrefix"]}, pair{"next_hop_type", p["nextHopType"]},
					pair{"next_hop_in_ip_address", p["nextHopIpAddress"]}); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/azurefirewalls"] = &simple{tf: "azurerm_firewall",
		props: []string{"sku", "ipConfigurations", "firewallPolicy", "threatIntelMode"}, top: []string{"zones"},
		check: func(r *arm.Resource) bool {
			sku, ok := r.Prop("sku").(map[string]any)
			if !ok || !onlyKeys(sku, "name", "tier") || sku["name"] == nil || sku["tier"] == nil {
				return false
			}
			if sku["name"] != "AZFW_VNet" {
				return false // a virtual hub firewall has no ip_configuration
			}
			ics, ok := objList(r.Prop("ipConfigurations"))
			if !ok || len(ics) == 0 {
				return false
			}
			for _, ic := range ics {
				_, p, ok := named(ic)
				if !ok || !onlyKeys(p, "subnet", "publicIPAddress") {
					return false
				}
				for _, v := range p {
					if !isRef(v) {
						return false
					}
				}
			}
			return r.Prop("firewallPolicy") == nil || isRef(r.Prop("firewallPolicy"))
		},
		unknowns: map[string]string{"ipconfigurations.0.properties.privateipaddress": "ip_configuration.0.private_ip_address"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if err := w.attrs(t, b, pair{"sku_name", t.r.Prop("sku.name")}, pair{"sku_tier", t.r.Prop("sku.tier")},
				pair{"firewall_policy_id", ref(t.r.Prop("firewallPolicy"))}, pair{"threat_intel_mode", t.r.Prop("threatIntelMode")},
				pair{"zones", t.r.Zones}); err != nil {
				return err
			}
			for _, x := range asList(t.r.Prop("ipConfigurations")) {
				n, p, _ := named(x.(map[string]any))
				ib := b.AppendNewBlock("ip_configuration", nil).Body()
				ib.SetAttributeValue("name", str(n))
				if err := w.attrs(t, ib, pair{"subnet_id", ref(p["subnet"])}, pair{"public_ip_address_id", ref(p["publicIPAddress"])}); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/firewallpolicies"] = &simple{tf: "azurerm_firewall_policy",
		props: []string{"sku", "threatIntelMode", "basePolicy", "dnsSettings"},
		check: func(r *arm.Resource) bool {
			sku, ok := r.Prop("sku").(map[string]any)
			if !ok || !onlyKeys(sku, "tier") || sku["tier"] == nil {
				return false // the reader gives azurerm's default tier
			}
			if r.Prop("basePolicy") != nil && !isRef(r.Prop("basePolicy")) {
				return false
			}
			if d := r.Prop("dnsSettings"); d != nil {
				dm, ok := d.(map[string]any)
				if !ok || !onlyKeys(dm, "enableProxy", "servers") || !strList(dm["servers"]) {
					return false
				}
				if _, ok := dm["enableProxy"].(bool); !ok {
					return false
				}
			}
			return true
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if err := w.attrs(t, b, pair{"sku", t.r.Prop("sku.tier")}, pair{"threat_intelligence_mode", t.r.Prop("threatIntelMode")},
				pair{"base_policy_id", ref(t.r.Prop("basePolicy"))}); err != nil {
				return err
			}
			if d, ok := t.r.Prop("dnsSettings").(map[string]any); ok {
				db := b.AppendNewBlock("dns", nil).Body()
				if err := w.attrs(t, db, pair{"proxy_enabled", d["enableProxy"]}, pair{"servers", d["servers"]}); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/firewallpolicies/rulecollectiongroups"] = &simple{
		tf: "azurerm_firewall_policy_rule_collection_group", props: []string{"priority", "ruleCollections"},
		check: func(r *arm.Resource) bool {
			if r.Prop("priority") == nil {
				return false
			}
			cols, ok := objList(r.Prop("ruleCollections"))
			if !ok {
				return false
			}
			last := -1.0
			for _, c := range cols {
				if ruleKind(c) == "" {
					return false
				}
				// The reader orders collections by priority, as the
				// firewall processes them.
				if p := num64(c["priority"]); p < last {
					return false
				} else {
					last = p
				}
			}
			return true
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			b.SetAttributeValue("name", str(lastName(t.r)))
			if err := w.attrs(t, b, pair{"firewall_policy_id", parentID(t.r)}, pair{"priority", t.r.Prop("priority")}); err != nil {
				return err
			}
			for _, x := range asList(t.r.Prop("ruleCollections")) {
				c := x.(map[string]any)
				kind := ruleKind(c)
				cb := b.AppendNewBlock(kind+"_rule_collection", nil).Body()
				if err := w.attrs(t, cb, pair{"name", c["name"]}, pair{"priority", c["priority"]},
					pair{"action", arm.Lookup(c, "action.type")}); err != nil {
					return err
				}
				allowed := appRule
				if kind == "network" {
					allowed = netRule
				}
				for _, y := range asList(c["rules"]) {
					ru := y.(map[string]any)
					rb := cb.AppendNewBlock("rule", nil).Body()
					if err := w.attr(t, rb, "name", ru["name"]); err != nil {
						return err
					}
					for _, k := range sortedKeys(allowed) {
						if k == "name" {
							continue
						}
						if err := w.attr(t, rb, allowed[k], ru[k]); err != nil {
							return err
						}
					}
					for _, p := range asList(ru["protocols"]) {
						if kind != "application" {
							break
						}
						pm := p.(map[string]any)
						pb := rb.AppendNewBlock("protocols", nil).Body()
						if err := w.attrs(t, pb, pair{"type", pm["protocolType"]}, pair{"port", pm["port"]}); err != nil {
							return err
						}
					}
				}
			}
			return nil
		}}
}

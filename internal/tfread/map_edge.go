package tfread

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

func registerMapEdge(mappings map[string]*mapping) {
	mappings["azurerm_firewall"] = &mapping{arm: "Microsoft.Network/azureFirewalls", api: apiNetwork,
		id:      simple("Microsoft.Network/azureFirewalls"),
		unknown: map[string]string{"ip_configuration.0.private_ip_address": "ipConfigurations.0.properties.privateIPAddress"},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["sku"] = map[string]any{"name": c.a.str("sku_name"), "tier": c.a.str("sku_tier")}
			var ics []any
			for _, ic := range c.a.blocks("ip_configuration") {
				ip := map[string]any{}
				put(ip, "subnet", ref(ic.str("subnet_id")))
				put(ip, "publicIPAddress", ref(ic.str("public_ip_address_id")))
				ics = append(ics, map[string]any{"name": ic.str("name"), "properties": ip})
			}
			p["ipConfigurations"] = orEmptyList(ics)
			put(p, "firewallPolicy", ref(c.a.str("firewall_policy_id")))
			put(p, "threatIntelMode", c.a.str("threat_intel_mode"))
			add := map[string]any{}
			if b, ok := c.a.bool("dns_proxy_enabled").(bool); ok {
				add["Network.DNS.EnableProxy"] = fmt.Sprint(b)
			}
			if s := strs(c.a.list("dns_servers")); len(s) > 0 {
				var parts []string
				for _, x := range s {
					parts = append(parts, str(x))
				}
				add["Network.DNS.Servers"] = strings.Join(parts, ",")
			}
			if len(add) > 0 {
				p["additionalProperties"] = add
			}
			if z := c.a.list("zones"); z != nil {
				res.Zones = z
			}
			return nil, nil
		}}

	classic := func(field string, app bool) *mapping {
		return &mapping{id: childOf("Microsoft.Network/azureFirewalls/"+field, "azure_firewall_name"),
			merge: func(c *mctx, set *arm.Set) error {
				fwID := parentOf(c.in.id)
				fw := set.Get(fwID)
				if fw == nil {
					return notInSet("azure_firewall_name", string(fwID))
				}
				var rules []any
				for _, r := range c.a.blocks("rule") {
					m := map[string]any{"name": r.str("name")}
					put(m, "sourceAddresses", r.list("source_addresses"))
					if app {
						put(m, "targetFqdns", r.list("target_fqdns"))
						put(m, "fqdnTags", r.list("fqdn_tags"))
						var ps []any
						for _, pr := range r.blocks("protocol") {
							ps = append(ps, map[string]any{"protocolType": pr.str("type"), "port": pr.num("port")})
						}
						put(m, "protocols", nilIfEmpty(ps))
					} else {
						put(m, "destinationAddresses", r.list("destination_addresses"))
						put(m, "destinationPorts", r.list("destination_ports"))
						put(m, "destinationFqdns", r.list("destination_fqdns"))
						put(m, "protocols", r.list("protocols"))
					}
					rules = append(rules, m)
				}
				col := map[string]any{"name": c.a.str("name"), "properties": map[string]any{"priority": c.a.num("priority"),
					"action": map[string]any{"type": c.a.str("action")}, "rules": orEmptyList(rules)}}
				l, _ := fw.Properties[field].([]any)
				fw.Properties[field] = append(l, col)
				return nil
			}}
	}
	mappings["azurerm_firewall_network_rule_collection"] = classic("networkRuleCollections", false)
	mappings["azurerm_firewall_application_rule_collection"] = classic("applicationRuleCollections", true)

	mappings["azurerm_firewall_policy"] = &mapping{arm: "Microsoft.Network/firewallPolicies", api: apiNetwork,
		id: simple("Microsoft.Network/firewallPolicies"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			p := res.Properties
			p["sku"] = map[string]any{"tier": c.a.strOr("Standard", "sku")}
			put(p, "basePolicy", ref(c.a.str("base_policy_id")))
			put(p, "threatIntelMode", c.a.str("threat_intelligence_mode"))
			if d, ok := c.a.block("dns"); ok {
				ds := map[string]any{"enableProxy": d.boolOr(false, "proxy_enabled")}
				put(ds, "servers", d.list("servers"))
				p["dnsSettings"] = ds
			}
			return nil, nil
		}}
	mappings["azurerm_firewall_policy_rule_collection_group"] = &mapping{arm: "Microsoft.Network/firewallPolicies/ruleCollectionGroups", api: apiNetwork,
		id: under("firewall_policy_id", "ruleCollectionGroups"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = ""
			var cols []any
			for _, col := range c.a.blocks("application_rule_collection") {
				cols = append(cols, ruleCollection(col, "FirewallPolicyFilterRuleCollection", func(r attrs) map[string]any {
					m := map[string]any{"ruleType": "ApplicationRule", "name": r.str("name")}
					put(m, "sourceAddresses", r.list("source_addresses"))
					put(m, "sourceIpGroups", r.list("source_ip_groups"))
					put(m, "targetFqdns", r.list("destination_fqdns"))
					put(m, "fqdnTags", r.list("destination_fqdn_tags"))
					put(m, "targetUrls", r.list("destination_urls"))
					var ps []any
					for _, pr := range r.blocks("protocols") {
						ps = append(ps, map[string]any{"protocolType": pr.str("type"), "port": pr.num("port")})
					}
					put(m, "protocols", nilIfEmpty(ps))
					return m
				}))
			}
			for _, col := range c.a.blocks("network_rule_collection") {
				cols = append(cols, ruleCollection(col, "FirewallPolicyFilterRuleCollection", func(r attrs) map[string]any {
					m := map[string]any{"ruleType": "NetworkRule", "name": r.str("name")}
					put(m, "ipProtocols", r.list("protocols"))
					put(m, "sourceAddresses", r.list("source_addresses"))
					put(m, "sourceIpGroups", r.list("source_ip_groups"))
					put(m, "destinationAddresses", r.list("destination_addresses"))
					put(m, "destinationIpGroups", r.list("destination_ip_groups"))
					put(m, "destinationFqdns", r.list("destination_fqdns"))
					put(m, "destinationPorts", r.list("destination_ports"))
					return m
				}))
			}
			for _, col := range c.a.blocks("nat_rule_collection") {
				cols = append(cols, ruleCollection(col, "FirewallPolicyNatRuleCollection", func(r attrs) map[string]any {
					m := map[string]any{"ruleType": "NatRule", "name": r.str("name")}
					put(m, "ipProtocols", r.list("protocols"))
					put(m, "sourceAddresses", r.list("source_addresses"))
					put(m, "destinationAddresses", []any{r.str("destination_address")})
					put(m, "destinationPorts", r.list("destination_ports"))
					put(m, "translatedAddress", r.str("translated_address"))
					put(m, "translatedPort", r.num("translated_port"))
					return m
				}))
			}
			res.Properties["priority"] = c.a.num("priority")
			// Blocks of different types lose their relative order in HCL's
			// body; the firewall processes collections by priority, so the
			// group lists them in that order (stable for equal priorities).
			sort.SliceStable(cols, func(i, j int) bool {
				pi, _ := cols[i].(map[string]any)["priority"].(float64)
				pj, _ := cols[j].(map[string]any)["priority"].(float64)
				return pi < pj
			})
			res.Properties["ruleCollections"] = orEmptyList(cols)
			return nil, nil
		}}

	mappings["azurerm_application_gateway"] = &mapping{arm: "Microsoft.Network/applicationGateways", api: apiNetwork,
		id:    simple("Microsoft.Network/applicationGateways"),
		build: buildAppGateway}
	mappings["azurerm_web_application_firewall_policy"] = &mapping{arm: "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", api: apiNetwork,
		id: simple("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			if ps, ok := c.a.block("policy_settings"); ok {
				res.Properties["policySettings"] = map[string]any{"mode": ps.strOr("Prevention", "mode"),
					"state": enabled(ps.boolOr(true, "enabled")), "requestBodyCheck": ps.boolOr(true, "request_body_check")}
			}
			var sets []any
			if mr, ok := c.a.block("managed_rules"); ok {
				for _, s := range mr.blocks("managed_rule_set") {
					sets = append(sets, map[string]any{"ruleSetType": s.strOr("OWASP", "type"), "ruleSetVersion": s.str("version")})
				}
			}
			res.Properties["managedRules"] = map[string]any{"managedRuleSets": orEmptyList(sets)}
			return nil, nil
		}}

	mappings["azapi_resource"] = &mapping{id: azapiID, build: buildAzapi,
		unknown: map[string]string{"identity.0.principal_id": "identity.principalId"}}
}

func ruleCollection(col attrs, typ string, rule func(attrs) map[string]any) map[string]any {
	var rules []any
	for _, r := range col.blocks("rule") {
		rules = append(rules, rule(r))
	}
	return map[string]any{"ruleCollectionType": typ, "name": col.str("name"), "priority": col.num("priority"),
		"action": map[string]any{"type": col.str("action")}, "rules": orEmptyList(rules)}
}

func buildAppGateway(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
	a, p, id := c.a, res.Properties, string(res.ID)
	if s, ok := a.block("sku"); ok {
		sku := map[string]any{"name": s.str("name"), "tier": s.str("tier")}
		put(sku, "capacity", s.num("capacity"))
		p["sku"] = sku
	}
	if as, ok := a.block("autoscale_configuration"); ok {
		p["autoscaleConfiguration"] = map[string]any{"minCapacity": as.num("min_capacity"), "maxCapacity": as.num("max_capacity")}
	}
	sub := func(kind string, v any) any { return map[string]any{"id": id + "/" + kind + "/" + str(v)} }
	var l []any
	for _, g := range a.blocks("gateway_ip_configuration") {
		l = append(l, map[string]any{"name": g.str("name"), "properties": map[string]any{"subnet": ref(g.str("subnet_id"))}})
	}
	p["gatewayIPConfigurations"] = orEmptyList(l)
	l = nil
	for _, f := range a.blocks("frontend_ip_configuration") {
		fp := map[string]any{}
		put(fp, "publicIPAddress", ref(f.str("public_ip_address_id")))
		put(fp, "privateIPAddress", f.str("private_ip_address"))
		put(fp, "privateIPAllocationMethod", f.str("private_ip_address_allocation"))
		put(fp, "subnet", ref(f.str("subnet_id")))
		l = append(l, map[string]any{"name": f.str("name"), "properties": fp})
	}
	p["frontendIPConfigurations"] = orEmptyList(l)
	l = nil
	for _, f := range a.blocks("frontend_port") {
		l = append(l, map[string]any{"name": f.str("name"), "properties": map[string]any{"port": f.num("port")}})
	}
	p["frontendPorts"] = orEmptyList(l)
	l = nil
	for _, h := range a.blocks("http_listener") {
		hp := map[string]any{"frontendIPConfiguration": sub("frontendIPConfigurations", h.str("frontend_ip_configuration_name")),
			"frontendPort": sub("frontendPorts", h.str("frontend_port_name")), "protocol": h.str("protocol")}
		put(hp, "hostName", h.str("host_name"))
		if n := h.str("ssl_certificate_name"); n != nil {
			hp["sslCertificate"] = sub("sslCertificates", n)
		}
		l = append(l, map[string]any{"name": h.str("name"), "properties": hp})
	}
	p["httpListeners"] = orEmptyList(l)
	l = nil
	for _, b := range a.blocks("backend_address_pool") {
		var addrs []any
		for _, f := range strs(b.list("fqdns")) {
			addrs = append(addrs, map[string]any{"fqdn": f})
		}
		for _, ip := range strs(b.list("ip_addresses")) {
			addrs = append(addrs, map[string]any{"ipAddress": ip})
		}
		bp := map[string]any{}
		put(bp, "backendAddresses", nilIfEmpty(addrs))
		l = append(l, map[string]any{"name": b.str("name"), "properties": bp})
	}
	p["backendAddressPools"] = orEmptyList(l)
	l = nil
	for _, b := range a.blocks("backend_http_settings") {
		l = append(l, map[string]any{"name": b.str("name"), "properties": map[string]any{"port": b.num("port"), "protocol": b.str("protocol"),
			"cookieBasedAffinity": b.str("cookie_based_affinity"), "requestTimeout": b.num("request_timeout")}})
	}
	p["backendHttpSettingsCollection"] = orEmptyList(l)
	l = nil
	for _, r := range a.blocks("request_routing_rule") {
		rp := map[string]any{"ruleType": r.str("rule_type"), "httpListener": sub("httpListeners", r.str("http_listener_name"))}
		put(rp, "priority", r.num("priority"))
		if n := r.str("backend_address_pool_name"); n != nil {
			rp["backendAddressPool"] = sub("backendAddressPools", n)
		}
		if n := r.str("backend_http_settings_name"); n != nil {
			rp["backendHttpSettings"] = sub("backendHttpSettingsCollection", n)
		}
		if n := r.str("redirect_configuration_name"); n != nil {
			rp["redirectConfiguration"] = sub("redirectConfigurations", n)
		}
		l = append(l, map[string]any{"name": r.str("name"), "properties": rp})
	}
	p["requestRoutingRules"] = orEmptyList(l)
	l = nil
	for _, r := range a.blocks("redirect_configuration") {
		rp := map[string]any{"redirectType": r.str("redirect_type")}
		if n := r.str("target_listener_name"); n != nil {
			rp["targetListener"] = sub("httpListeners", n)
		}
		put(rp, "targetUrl", r.str("target_url"))
		put(rp, "includePath", r.bool("include_path"))
		put(rp, "includeQueryString", r.bool("include_query_string"))
		l = append(l, map[string]any{"name": r.str("name"), "properties": rp})
	}
	put(p, "redirectConfigurations", nilIfEmpty(l))
	l = nil
	// Certificates from Key Vault only: data and password are never copied.
	for _, c := range a.blocks("ssl_certificate") {
		cp := map[string]any{}
		put(cp, "keyVaultSecretId", c.str("key_vault_secret_id"))
		l = append(l, map[string]any{"name": c.str("name"), "properties": cp})
	}
	put(p, "sslCertificates", nilIfEmpty(l))
	if sp, ok := a.block("ssl_policy"); ok {
		m := map[string]any{}
		put(m, "policyType", sp.str("policy_type"))
		put(m, "policyName", sp.str("policy_name"))
		put(m, "minProtocolVersion", sp.str("min_protocol_version"))
		put(m, "cipherSuites", sp.list("cipher_suites"))
		p["sslPolicy"] = m
	}
	put(p, "firewallPolicy", ref(a.str("firewall_policy_id")))
	if w, ok := a.block("waf_configuration"); ok {
		p["webApplicationFirewallConfiguration"] = map[string]any{"enabled": w.bool("enabled"), "firewallMode": w.str("firewall_mode"),
			"ruleSetType": w.strOr("OWASP", "rule_set_type"), "ruleSetVersion": w.str("rule_set_version")}
	}
	if z := a.list("zones"); z != nil {
		res.Zones = z
	}
	res.Identity = identity(a)
	return nil, nil
}

// azapiType splits azapi's "Microsoft.X/y@2024-01-01".
func azapiType(c *mctx) (typ, api string, err error) {
	t, ok := c.a.str("type").(string)
	if !ok {
		return "", "", fmt.Errorf("type is not a known string")
	}
	typ, api, ok = strings.Cut(t, "@")
	if !ok || !strings.Contains(typ, "/") {
		return "", "", fmt.Errorf("type %q: want <namespace>/<type>@<api-version>", t)
	}
	return typ, api, nil
}

// azapiID builds an azapi_resource's ID from parent_id: a child type
// continues its parent's ID; any other type is a resource in the parent
// scope (resource group, subscription, or an extension of a resource).
func azapiID(c *mctx) (arm.ResourceID, error) {
	typ, _, err := azapiType(c)
	if err != nil {
		return "", err
	}
	name, err := seg(c.a.str("name"), "name")
	if err != nil {
		return "", err
	}
	parent, ok := c.a.str("parent_id").(string)
	if u, isU := c.a.str("parent_id").(arm.Unknown); isU {
		return "", fmt.Errorf("parent_id is %s, known only outside this configuration", u.Expr)
	}
	if !ok {
		if strings.EqualFold(typ, "Microsoft.Resources/resourceGroups") {
			parent = "/subscriptions/" + c.r.scope.Subscription
		} else {
			return "", fmt.Errorf("parent_id is not set")
		}
	}
	parent = strings.TrimSuffix(parent, "/")
	if strings.EqualFold(typ, "Microsoft.Resources/resourceGroups") {
		return arm.ResourceID(parent + "/resourceGroups/" + name), nil
	}
	segs := strings.Split(typ, "/")
	if pp, err := arm.ParseResourceID(parent); err == nil && pp.Namespace != "" && len(segs) > 2 &&
		strings.EqualFold(pp.Type(), strings.Join(segs[:len(segs)-1], "/")) {
		return arm.ResourceID(parent + "/" + segs[len(segs)-1] + "/" + name), nil
	}
	return arm.ResourceID(parent + "/providers/" + typ + "/" + name), nil
}

func buildAzapi(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
	typ, api, err := azapiType(c)
	if err != nil {
		return nil, err
	}
	res.Type, res.APIVersion = typ, api
	p, _ := arm.ParseResourceID(string(res.ID))
	res.Name = p.Name()
	if p.Extends != "" {
		res.Scope = string(p.Extends)
		res.Name = p.Last()
	}
	body := c.a.dyn("body")
	if s, ok := body.(string); ok { // azapi 1.x: jsonencode(...)
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return nil, fmt.Errorf("body: %v", err)
		}
		body = m
	}
	if u, ok := body.(arm.Unknown); ok {
		return nil, fmt.Errorf("body is known only after apply (it depends on %s)", u.Expr)
	}
	m, _ := body.(map[string]any)
	if u, ok := m["properties"].(arm.Unknown); ok {
		return nil, fmt.Errorf("body.properties is known only after apply (it depends on %s)", u.Expr)
	}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "properties":
			if pm, ok := v.(map[string]any); ok {
				res.Properties = pm
			}
		case "sku":
			res.SKU = v
		case "kind":
			res.Kind, _ = v.(string)
		case "identity":
			res.Identity = v
		case "zones":
			res.Zones = v
		case "location":
			res.Location = location(v)
		default:
			if res.Extra == nil {
				res.Extra = map[string]any{}
			}
			res.Extra[k] = v
		}
	}
	if id := identity(c.a); id != nil {
		res.Identity = id
	}
	return nil, nil
}

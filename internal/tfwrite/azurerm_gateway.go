package tfwrite

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/privaks/privaks/internal/arm"
)

// The Application Gateway as azurerm_application_gateway: its
// sub-resources are blocks that name one another (frontend_port_name,
// ssl_certificate_name, …) where ARM has IDs below the gateway.

// subName is the name a reference to one of the gateway's own
// sub-resources of kind has; ok is false for anything else.
func subName(gw *arm.Resource, kind string, v any) (string, bool) {
	id, ok := ref(v).(string)
	if !ok || !isRef(v) {
		return "", false
	}
	prefix := strings.ToLower(string(gw.ID) + "/" + kind + "/")
	if !strings.HasPrefix(strings.ToLower(id), prefix) || strings.Contains(id[len(prefix):], "/") {
		return "", false
	}
	return id[len(prefix):], true
}

// agwList checks a list of named sub-resources: each property key in
// allowed, the required ones present, and check (when given) true.
func agwList(v any, allowed, required []string, check func(p map[string]any) bool) bool {
	l, ok := objList(v)
	if !ok {
		return false
	}
	for _, x := range l {
		_, p, ok := named(x)
		if !ok || !onlyKeys(p, allowed...) {
			return false
		}
		for _, k := range required {
			if p[k] == nil {
				return false
			}
		}
		if check != nil && !check(p) {
			return false
		}
	}
	return true
}

func agwFits(r *arm.Resource) bool {
	if r.SKU != nil {
		return false
	}
	if id, ok := r.Identity.(map[string]any); r.Identity != nil && (!ok || !onlyKeys(id, "type", "userAssignedIdentities")) {
		return false
	}
	p := propsOf(r)
	sku, ok := p["sku"].(map[string]any)
	if !ok || !onlyKeys(sku, "name", "tier", "capacity") || sku["name"] == nil || sku["tier"] == nil {
		return false
	}
	if as := p["autoscaleConfiguration"]; as != nil {
		m, ok := as.(map[string]any)
		if !ok || len(m) != 2 || m["minCapacity"] == nil || m["maxCapacity"] == nil {
			return false
		}
	}
	sub := func(kind string) func(v any) bool {
		return func(v any) bool { _, ok := subName(r, kind, v); return v == nil || ok }
	}
	refOK := func(v any) bool { return v == nil || isRef(v) }
	ok = agwList(p["gatewayIPConfigurations"], []string{"subnet"}, []string{"subnet"}, func(q map[string]any) bool { return isRef(q["subnet"]) }) &&
		agwList(p["frontendIPConfigurations"], []string{"publicIPAddress", "privateIPAddress", "privateIPAllocationMethod", "subnet"}, nil,
			func(q map[string]any) bool { return refOK(q["publicIPAddress"]) && refOK(q["subnet"]) }) &&
		agwList(p["frontendPorts"], []string{"port"}, []string{"port"}, nil) &&
		agwList(p["httpListeners"], []string{"frontendIPConfiguration", "frontendPort", "protocol", "hostName", "sslCertificate"},
			[]string{"frontendIPConfiguration", "frontendPort", "protocol"}, func(q map[string]any) bool {
				return sub("frontendIPConfigurations")(q["frontendIPConfiguration"]) && sub("frontendPorts")(q["frontendPort"]) &&
					sub("sslCertificates")(q["sslCertificate"])
			}) &&
		agwList(p["backendAddressPools"], []string{"backendAddresses"}, nil, func(q map[string]any) bool {
			as, ok := objList(q["backendAddresses"])
			ip := false
			for _, a := range as {
				// The reader gives FQDNs first, then IP addresses.
				switch {
				case len(a) == 1 && a["fqdn"] != nil && !ip:
				case len(a) == 1 && a["ipAddress"] != nil:
					ip = true
				default:
					return false
				}
			}
			return ok && (q["backendAddresses"] == nil || len(as) > 0)
		}) &&
		agwList(p["backendHttpSettingsCollection"], []string{"port", "protocol", "cookieBasedAffinity", "requestTimeout"},
			[]string{"port", "protocol", "cookieBasedAffinity", "requestTimeout"}, nil) &&
		agwList(p["requestRoutingRules"], []string{"ruleType", "httpListener", "priority", "backendAddressPool", "backendHttpSettings",
			"redirectConfiguration"}, []string{"ruleType", "httpListener"}, func(q map[string]any) bool {
			return sub("httpListeners")(q["httpListener"]) && sub("backendAddressPools")(q["backendAddressPool"]) &&
				sub("backendHttpSettingsCollection")(q["backendHttpSettings"]) && sub("redirectConfigurations")(q["redirectConfiguration"])
		}) &&
		agwList(p["redirectConfigurations"], []string{"redirectType", "targetListener", "targetUrl", "includePath", "includeQueryString"},
			[]string{"redirectType"}, func(q map[string]any) bool { return sub("httpListeners")(q["targetListener"]) }) &&
		agwList(p["sslCertificates"], []string{"keyVaultSecretId"}, []string{"keyVaultSecretId"}, nil)
	if !ok {
		return false
	}
	// azurerm requires at least one of each of these.
	for _, k := range []string{"gatewayIPConfigurations", "frontendIPConfigurations", "frontendPorts", "backendAddressPools"} {
		if len(asList(p[k])) == 0 {
			return false
		}
	}
	if sp := p["sslPolicy"]; sp != nil {
		m, ok := sp.(map[string]any)
		if !ok || len(m) == 0 || !onlyKeys(m, "policyType", "policyName", "minProtocolVersion", "cipherSuites") || !strList(m["cipherSuites"]) {
			return false
		}
	}
	return refOK(p["firewallPolicy"])
}

// agicManaged are the gateway arguments the AKS ingress controller
// (AGIC) rewrites from the cluster's Ingress objects: Terraform leaves
// them to it after creating the gateway.
var agicManaged = []string{"backend_address_pool", "backend_http_settings", "frontend_port", "http_listener", "probe",
	"redirect_configuration", "request_routing_rule", "ssl_certificate", "tags", "url_path_map"}

// agicGateway reports whether a cluster of the set runs AGIC on gw.
func (w *writer) agicGateway(gw *arm.Resource) bool {
	for _, r := range w.set.Resources {
		if r.Is("Microsoft.ContainerService/managedClusters") {
			if id, ok := r.Prop("addonProfiles.ingressApplicationGateway.config.applicationGatewayId").(string); ok && gw.ID.Equal(arm.ResourceID(id)) {
				return true
			}
		}
	}
	return false
}

func registerAzurermGateway(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.network/applicationgateways"] = &simple{tf: "azurerm_application_gateway",
		props: []string{"sku", "autoscaleConfiguration", "gatewayIPConfigurations", "frontendIPConfigurations", "frontendPorts",
			"httpListeners", "backendAddressPools", "backendHttpSettingsCollection", "requestRoutingRules", "redirectConfigurations",
			"sslCertificates", "sslPolicy", "firewallPolicy"},
		top: []string{"identity", "zones"}, check: agwFits,
		body: writeAGW}
}

func writeAGW(w *writer, t *tres, b *hclwrite.Body) error {
	r := t.r
	p := propsOf(r)
	w.common(t, b, true)
	if err := w.attrs(t, b, pair{"firewall_policy_id", ref(p["firewallPolicy"])}, pair{"zones", r.Zones}); err != nil {
		return err
	}
	sku := p["sku"].(map[string]any)
	sb := b.AppendNewBlock("sku", nil).Body()
	if err := w.attrs(t, sb, pair{"name", sku["name"]}, pair{"tier", sku["tier"]}, pair{"capacity", sku["capacity"]}); err != nil {
		return err
	}
	if as, ok := p["autoscaleConfiguration"].(map[string]any); ok {
		ab := b.AppendNewBlock("autoscale_configuration", nil).Body()
		if err := w.attrs(t, ab, pair{"min_capacity", as["minCapacity"]}, pair{"max_capacity", as["maxCapacity"]}); err != nil {
			return err
		}
	}
	name := func(kind string, v any) any {
		if n, ok := subName(r, kind, v); ok {
			return n
		}
		return nil
	}
	each := func(list any, block string, f func(bb *hclwrite.Body, p map[string]any) error) error {
		for _, x := range asList(list) {
			n, q, _ := named(x.(map[string]any))
			bb := b.AppendNewBlock(block, nil).Body()
			bb.SetAttributeValue("name", str(n))
			if err := f(bb, q); err != nil {
				return err
			}
		}
		return nil
	}
	steps := []struct {
		list, block string
		f           func(bb *hclwrite.Body, q map[string]any) error
	}{
		{"gatewayIPConfigurations", "gateway_ip_configuration", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attr(t, bb, "subnet_id", ref(q["subnet"]))
		}},
		{"frontendIPConfigurations", "frontend_ip_configuration", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attrs(t, bb, pair{"public_ip_address_id", ref(q["publicIPAddress"])}, pair{"subnet_id", ref(q["subnet"])},
				pair{"private_ip_address", q["privateIPAddress"]}, pair{"private_ip_address_allocation", q["privateIPAllocationMethod"]})
		}},
		{"frontendPorts", "frontend_port", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attr(t, bb, "port", q["port"])
		}},
		{"sslCertificates", "ssl_certificate", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attr(t, bb, "key_vault_secret_id", q["keyVaultSecretId"])
		}},
		{"httpListeners", "http_listener", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attrs(t, bb, pair{"frontend_ip_configuration_name", name("frontendIPConfigurations", q["frontendIPConfiguration"])},
				pair{"frontend_port_name", name("frontendPorts", q["frontendPort"])}, pair{"protocol", q["protocol"]},
				pair{"host_name", q["hostName"]}, pair{"ssl_certificate_name", name("sslCertificates", q["sslCertificate"])})
		}},
		{"backendAddressPools", "backend_address_pool", func(bb *hclwrite.Body, q map[string]any) error {
			var fqdns, ips []any
			for _, a := range asList(q["backendAddresses"]) {
				m := a.(map[string]any)
				if m["fqdn"] != nil {
					fqdns = append(fqdns, m["fqdn"])
				} else {
					ips = append(ips, m["ipAddress"])
				}
			}
			var fv, iv any
			if fqdns != nil {
				fv = fqdns
			}
			if ips != nil {
				iv = ips
			}
			return w.attrs(t, bb, pair{"fqdns", fv}, pair{"ip_addresses", iv})
		}},
		{"backendHttpSettingsCollection", "backend_http_settings", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attrs(t, bb, pair{"port", q["port"]}, pair{"protocol", q["protocol"]},
				pair{"cookie_based_affinity", q["cookieBasedAffinity"]}, pair{"request_timeout", q["requestTimeout"]})
		}},
		{"redirectConfigurations", "redirect_configuration", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attrs(t, bb, pair{"redirect_type", q["redirectType"]}, pair{"target_listener_name", name("httpListeners", q["targetListener"])},
				pair{"target_url", q["targetUrl"]}, pair{"include_path", q["includePath"]}, pair{"include_query_string", q["includeQueryString"]})
		}},
		{"requestRoutingRules", "request_routing_rule", func(bb *hclwrite.Body, q map[string]any) error {
			return w.attrs(t, bb, pair{"rule_type", q["ruleType"]}, pair{"priority", q["priority"]},
				pair{"http_listener_name", name("httpListeners", q["httpListener"])},
				pair{"backend_address_pool_name", name("backendAddressPools", q["backendAddressPool"])},
				pair{"backend_http_settings_name", name("backendHttpSettingsCollection", q["backendHttpSettings"])},
				pair{"redirect_configuration_name", name("redirectConfigurations", q["redirectConfiguration"])})
		}},
	}
	for _, s := range steps {
		if err := each(p[s.list], s.block, s.f); err != nil {
			return err
		}
	}
	if sp, ok := p["sslPolicy"].(map[string]any); ok {
		pb := b.AppendNewBlock("ssl_policy", nil).Body()
		if err := w.attrs(t, pb, pair{"policy_type", sp["policyType"]}, pair{"policy_name", sp["policyName"]},
			pair{"min_protocol_version", sp["minProtocolVersion"]}, pair{"cipher_suites", sp["cipherSuites"]}); err != nil {
			return err
		}
	}
	if r.Identity != nil {
		if err := w.identityBlock(r.Identity, b); err != nil {
			return err
		}
	}
	if err := w.tags(r, b); err != nil {
		return err
	}
	if w.agicGateway(r) {
		var l []hclwrite.Tokens
		for _, a := range agicManaged {
			l = append(l, hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: a}}))
		}
		lb := b.AppendNewBlock("lifecycle", nil).Body()
		lb.SetAttributeRaw("ignore_changes", hclwrite.TokensForTuple(l))
	}
	return nil
}

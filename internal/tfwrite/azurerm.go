package tfwrite

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// typeWriter writes one ARM type as an azurerm resource.
type typeWriter interface {
	tfType(r *arm.Resource) string
	// fits reports whether every property of r has an azurerm argument;
	// a resource that does not fit is written with azapi.
	fits(r *arm.Resource) bool
	write(w *writer, t *tres, b *hclwrite.Body) error
	// unknownAttr is the attribute holding a value known after apply
	// (an ARM runtime path such as "principalId"), nil when none does.
	unknownAttr(path string) hcl.Traversal
}

// azurermWriters are the ARM types written with azurerm (lower-case type),
// registered on first use (not at start-up: only terraform writes need them).
func azurermWriters() map[string]typeWriter {
	azurermWritersOnce.Do(func() {
		m := map[string]typeWriter{}
		for _, register := range []func(map[string]typeWriter){registerAzurerm, registerAzurermAks, registerAzurermCompute,
			registerAzurermFirewall, registerAzurermGateway, registerAzurermNetwork, registerAzurermRegistry, registerAzurermDNSRecords} {
			register(m)
		}
		azurermWritersOnce.m = m
	})
	return azurermWritersOnce.m
}

var azurermWritersOnce struct {
	sync.Once
	m map[string]typeWriter
}

// writerFor returns the azurerm writer of a resource, nil for azapi.
func writerFor(r *arm.Resource) typeWriter {
	tw := azurermWriters()[strings.ToLower(r.Type)]
	if tw == nil || !tw.fits(r) {
		return nil
	}
	return tw
}

// simple is a typeWriter built from functions.
type simple struct {
	tf string
	// props are the property keys (top level of properties) the writer
	// carries; top are the other top-level fields it carries besides
	// name, location and tags ("sku", "zones", "identity").
	props, top []string
	check      func(r *arm.Resource) bool
	body       func(w *writer, t *tres, b *hclwrite.Body) error
	unknowns   map[string]string // ARM runtime path (lower case) → attribute
}

func (s *simple) tfType(*arm.Resource) string { return s.tf }

func (s *simple) fits(r *arm.Resource) bool {
	for k := range r.Properties {
		if !containsFold(s.props, k) {
			return false
		}
	}
	for k, v := range map[string]any{"sku": r.SKU, "zones": r.Zones, "identity": r.Identity, "kind": nilIfEmpty(r.Kind)} {
		if v != nil && !containsFold(s.top, k) {
			return false
		}
	}
	if len(r.Extra) > 0 {
		return false
	}
	return s.check == nil || s.check(r)
}

func (s *simple) write(w *writer, t *tres, b *hclwrite.Body) error { return s.body(w, t, b) }

func (s *simple) unknownAttr(path string) hcl.Traversal {
	a, ok := s.unknowns[strings.ToLower(path)]
	if !ok {
		return nil
	}
	var tr hcl.Traversal
	for _, p := range strings.Split(a, ".") {
		if p >= "0" && p <= "9" {
			tr = append(tr, hcl.TraverseIndex{Key: cty.NumberIntVal(int64(p[0] - '0'))})
		} else {
			tr = append(tr, hcl.TraverseAttr{Name: p})
		}
	}
	return tr
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// attr sets name = the set value v (references and unknowns converted);
// nothing when v is nil.
func (w *writer) attr(t *tres, b *hclwrite.Body, name string, v any) error {
	if v == nil {
		return nil
	}
	tok, err := w.valueSelf(v, name, t)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b.SetAttributeRaw(name, tok)
	return nil
}

// ref is the value of {"id": …} (ARM's reference objects).
func ref(v any) any {
	if m, ok := v.(map[string]any); ok {
		return m["id"]
	}
	return nil
}

// common writes name, resource_group_name and location.
func (w *writer) common(t *tres, b *hclwrite.Body, withLocation bool) {
	b.SetAttributeValue("name", str(lastName(t.r)))
	b.SetAttributeTraversal("resource_group_name", travs("azurerm_resource_group", "this", "name"))
	if withLocation {
		_ = w.location(t.r, b)
	}
}

func lastName(r *arm.Resource) string {
	p, err := arm.ParseResourceID(string(r.ID))
	if err == nil && p.Last() != "" {
		return p.Last()
	}
	if i := strings.LastIndex(r.Name, "/"); i >= 0 {
		return r.Name[i+1:]
	}
	return r.Name
}

// parentID is the ID of a child resource's parent.
func parentID(r *arm.Resource) string {
	id := string(r.ID)
	return id[:strings.LastIndex(id[:strings.LastIndex(id, "/")], "/")]
}

func propsOf(r *arm.Resource) map[string]any {
	if r.Properties == nil {
		return map[string]any{}
	}
	return r.Properties
}

func registerAzurerm(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.managedidentity/userassignedidentities"] = &simple{tf: "azurerm_user_assigned_identity",
		unknowns: map[string]string{"principalid": "principal_id", "clientid": "client_id", "tenantid": "tenant_id"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.managedidentity/userassignedidentities/federatedidentitycredentials"] = &simple{
		tf: "azurerm_federated_identity_credential", props: []string{"issuer", "subject", "audiences"},
		check: func(r *arm.Resource) bool { return r.Prop("issuer") != nil && r.Prop("subject") != nil },
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			b.SetAttributeValue("name", str(lastName(t.r)))
			if err := w.attr(t, b, "user_assigned_identity_id", parentID(t.r)); err != nil {
				return err
			}
			for _, a := range []struct {
				tf  string
				arm any
			}{{"issuer", p["issuer"]}, {"subject", p["subject"]}, {"audience", orEmpty(p["audiences"])}} {
				if err := w.attr(t, b, a.tf, a.arm); err != nil {
					return err
				}
			}
			return nil
		}}

	azurermWriters["microsoft.authorization/roleassignments"] = &simple{tf: "azurerm_role_assignment",
		props: []string{"roleDefinitionId", "principalId", "principalType", "description"},
		check: func(r *arm.Resource) bool {
			_, ok := r.Prop("roleDefinitionId").(string)
			return ok && r.Prop("principalId") != nil
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			b.SetAttributeValue("name", str(lastName(t.r)))
			scope := t.r.Scope
			if pid, err := arm.ParseResourceID(string(t.r.ID)); err == nil && pid.Extends != "" {
				scope = string(pid.Extends)
			}
			if scope == "" {
				scope = w.rgID
			}
			for _, a := range []struct {
				tf  string
				arm any
			}{{"scope", scope}, {"role_definition_id", p["roleDefinitionId"]}, {"principal_id", p["principalId"]},
				{"principal_type", p["principalType"]}, {"description", p["description"]}} {
				if err := w.attr(t, b, a.tf, a.arm); err != nil {
					return err
				}
			}
			return nil
		}}

	azurermWriters["microsoft.network/privatednszones"] = &simple{tf: "azurerm_private_dns_zone",
		check: func(r *arm.Resource) bool { return r.Location == "" || strings.EqualFold(r.Location, "global") },
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, false)
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/privatednszones/virtualnetworklinks"] = &simple{
		tf: "azurerm_private_dns_zone_virtual_network_link", props: []string{"virtualNetwork", "registrationEnabled", "resolutionPolicy"},
		check: func(r *arm.Resource) bool { return ref(r.Prop("virtualNetwork")) != nil },
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			b.SetAttributeValue("name", str(lastName(t.r)))
			if err := w.attr(t, b, "private_dns_zone_id", parentID(t.r)); err != nil {
				return err
			}
			if err := w.attr(t, b, "virtual_network_id", ref(p["virtualNetwork"])); err != nil {
				return err
			}
			b.SetAttributeValue("registration_enabled", boolv(p["registrationEnabled"] == true))
			if s, ok := p["resolutionPolicy"].(string); ok {
				b.SetAttributeValue("resolution_policy", str(s))
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/virtualnetworks/virtualnetworkpeerings"] = &simple{
		tf:    "azurerm_virtual_network_peering",
		props: []string{"remoteVirtualNetwork", "allowVirtualNetworkAccess", "allowForwardedTraffic", "allowGatewayTransit", "useRemoteGateways"},
		check: func(r *arm.Resource) bool { return ref(r.Prop("remoteVirtualNetwork")) != nil },
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			pid, _ := arm.ParseResourceID(string(t.r.ID))
			b.SetAttributeValue("name", str(pid.Last()))
			b.SetAttributeTraversal("resource_group_name", travs("azurerm_resource_group", "this", "name"))
			if vn := w.byKey[arm.ResourceID(parentID(t.r)).Key()]; vn != nil {
				b.SetAttributeRaw("virtual_network_name", traversal(vn.typ, vn.name, "name"))
			} else {
				b.SetAttributeValue("virtual_network_name", str(pid.Names[0]))
			}
			if err := w.attr(t, b, "remote_virtual_network_id", ref(p["remoteVirtualNetwork"])); err != nil {
				return err
			}
			for _, a := range []struct{ tf, arm string }{{"allow_virtual_network_access", "allowVirtualNetworkAccess"},
				{"allow_forwarded_traffic", "allowForwardedTraffic"}, {"allow_gateway_transit", "allowGatewayTransit"},
				{"use_remote_gateways", "useRemoteGateways"}} {
				if v, ok := p[a.arm].(bool); ok {
					b.SetAttributeValue(a.tf, boolv(v))
				}
			}
			return nil
		}}

	azurermWriters["microsoft.network/publicipaddresses"] = &simple{tf: "azurerm_public_ip",
		props: []string{"publicIPAllocationMethod", "publicIPAddressVersion"}, top: []string{"sku", "zones"},
		check: func(r *arm.Resource) bool {
			sku, _ := r.SKU.(map[string]any)
			for k := range sku {
				if !containsFold([]string{"name", "tier"}, k) {
					return false
				}
			}
			_, ok := r.Prop("publicIPAllocationMethod").(string)
			return ok
		},
		unknowns: map[string]string{"ipaddress": "ip_address", "dnssettings.fqdn": "fqdn"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			b.SetAttributeValue("allocation_method", str(p["publicIPAllocationMethod"].(string)))
			if v, ok := p["publicIPAddressVersion"].(string); ok {
				b.SetAttributeValue("ip_version", str(v))
			}
			sku, _ := t.r.SKU.(map[string]any)
			if v, ok := sku["name"].(string); ok {
				b.SetAttributeValue("sku", str(v))
			}
			if v, ok := sku["tier"].(string); ok {
				b.SetAttributeValue("sku_tier", str(v))
			}
			if err := w.attr(t, b, "zones", t.r.Zones); err != nil {
				return err
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.operationalinsights/workspaces"] = &simple{tf: "azurerm_log_analytics_workspace",
		props: []string{"sku", "retentionInDays"},
		check: func(r *arm.Resource) bool {
			sku, ok := r.Prop("sku").(map[string]any)
			return ok && len(sku) == 1 && sku["name"] != nil
		},
		unknowns: map[string]string{"customerid": "workspace_id"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if err := w.attr(t, b, "sku", t.r.Prop("sku.name")); err != nil {
				return err
			}
			if err := w.attr(t, b, "retention_in_days", t.r.Prop("retentionInDays")); err != nil {
				return err
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/networksecuritygroups"] = &simple{tf: "azurerm_network_security_group",
		props: []string{"securityRules"},
		check: func(r *arm.Resource) bool {
			for _, x := range asList(r.Prop("securityRules")) {
				m, _ := x.(map[string]any)
				p, _ := m["properties"].(map[string]any)
				for k := range p {
					if _, ok := ruleAttrs[strings.ToLower(k)]; !ok {
						return false
					}
				}
			}
			return true
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			for _, x := range asList(t.r.Prop("securityRules")) {
				m, _ := x.(map[string]any)
				p, _ := m["properties"].(map[string]any)
				rb := b.AppendNewBlock("security_rule", nil).Body()
				if err := w.attr(t, rb, "name", m["name"]); err != nil {
					return err
				}
				keys := make([]string, 0, len(p))
				for k := range p {
					keys = append(keys, k)
				}
				sort.Slice(keys, func(i, j int) bool { return ruleAttrs[strings.ToLower(keys[i])] < ruleAttrs[strings.ToLower(keys[j])] })
				for _, k := range keys {
					if err := w.attr(t, rb, ruleAttrs[strings.ToLower(k)], p[k]); err != nil {
						return err
					}
				}
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.keyvault/vaults"] = &simple{tf: "azurerm_key_vault",
		props: []string{"tenantId", "sku", "enableRbacAuthorization", "publicNetworkAccess", "enablePurgeProtection",
			"enableSoftDelete", "softDeleteRetentionInDays", "enabledForDeployment", "enabledForDiskEncryption",
			"enabledForTemplateDeployment", "networkAcls", "accessPolicies"},
		check: func(r *arm.Resource) bool {
			// What the reader fixes (soft delete is always on; family A)
			// and what azurerm has no argument for must be ARM's value.
			if v, ok := r.Prop("enableSoftDelete").(bool); ok && !v {
				return false
			}
			if f, ok := r.Prop("sku.family").(string); ok && f != "A" {
				return false
			}
			if _, ok := r.Prop("sku.name").(string); !ok || r.Prop("tenantId") == nil {
				return false
			}
			if len(asList(r.Prop("accessPolicies"))) > 0 {
				return false // azapi keeps them whole
			}
			if acl, ok := r.Prop("networkAcls").(map[string]any); ok {
				for k := range acl {
					if !containsFold([]string{"bypass", "defaultAction", "ipRules", "virtualNetworkRules"}, k) {
						return false
					}
				}
				for _, x := range asList(acl["ipRules"]) {
					if m, _ := x.(map[string]any); len(m) != 1 || m["value"] == nil {
						return false
					}
				}
				for _, x := range asList(acl["virtualNetworkRules"]) {
					if m, _ := x.(map[string]any); len(m) != 1 || m["id"] == nil {
						return false
					}
				}
			}
			switch r.Prop("publicNetworkAccess") {
			case nil, "Enabled", "Disabled":
			default:
				return false
			}
			return true
		},
		unknowns: map[string]string{"vaulturi": "vault_uri"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			if err := w.attr(t, b, "tenant_id", p["tenantId"]); err != nil {
				return err
			}
			b.SetAttributeValue("sku_name", str(t.r.Prop("sku.name").(string)))
			b.SetAttributeValue("rbac_authorization_enabled", boolv(p["enableRbacAuthorization"] == true))
			b.SetAttributeValue("public_network_access_enabled", boolv(p["publicNetworkAccess"] != "Disabled"))
			for _, a := range []struct{ tf, arm string }{{"purge_protection_enabled", "enablePurgeProtection"},
				{"enabled_for_deployment", "enabledForDeployment"}, {"enabled_for_disk_encryption", "enabledForDiskEncryption"},
				{"enabled_for_template_deployment", "enabledForTemplateDeployment"}, {"soft_delete_retention_days", "softDeleteRetentionInDays"}} {
				if err := w.attr(t, b, a.tf, p[a.arm]); err != nil {
					return err
				}
			}
			if acl, ok := p["networkAcls"].(map[string]any); ok {
				nb := b.AppendNewBlock("network_acls", nil).Body()
				if err := w.attr(t, nb, "bypass", acl["bypass"]); err != nil {
					return err
				}
				if err := w.attr(t, nb, "default_action", acl["defaultAction"]); err != nil {
					return err
				}
				ips, subnets := []any{}, []any{}
				for _, x := range asList(acl["ipRules"]) {
					ips = append(ips, x.(map[string]any)["value"])
				}
				for _, x := range asList(acl["virtualNetworkRules"]) {
					subnets = append(subnets, x.(map[string]any)["id"])
				}
				if err := w.attr(t, nb, "ip_rules", ips); err != nil {
					return err
				}
				if err := w.attr(t, nb, "virtual_network_subnet_ids", subnets); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/bastionhosts"] = &simple{tf: "azurerm_bastion_host",
		props: []string{"ipConfigurations", "enableTunneling", "enableIpConnect", "enableShareableLink"}, top: []string{"sku"},
		check: func(r *arm.Resource) bool {
			sku, _ := r.SKU.(map[string]any)
			if len(sku) != 1 || sku["name"] == nil {
				return false
			}
			ics := asList(r.Prop("ipConfigurations"))
			if len(ics) != 1 {
				return false
			}
			m, _ := ics[0].(map[string]any)
			p, _ := m["properties"].(map[string]any)
			for k := range p {
				if !containsFold([]string{"subnet", "publicIPAddress"}, k) {
					return false
				}
			}
			return len(m) == 2 && ref(p["subnet"]) != nil
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			p := propsOf(t.r)
			w.common(t, b, true)
			b.SetAttributeValue("sku", str(t.r.SKU.(map[string]any)["name"].(string)))
			for _, a := range []struct{ tf, arm string }{{"tunneling_enabled", "enableTunneling"},
				{"ip_connect_enabled", "enableIpConnect"}, {"shareable_link_enabled", "enableShareableLink"}} {
				if err := w.attr(t, b, a.tf, p[a.arm]); err != nil {
					return err
				}
			}
			ic := asList(p["ipConfigurations"])[0].(map[string]any)
			ip := ic["properties"].(map[string]any)
			ib := b.AppendNewBlock("ip_configuration", nil).Body()
			if err := w.attr(t, ib, "name", ic["name"]); err != nil {
				return err
			}
			if err := w.attr(t, ib, "subnet_id", ref(ip["subnet"])); err != nil {
				return err
			}
			if err := w.attr(t, ib, "public_ip_address_id", ref(ip["publicIPAddress"])); err != nil {
				return err
			}
			return w.tags(t.r, b)
		}}

	azurermWriters["microsoft.network/applicationgatewaywebapplicationfirewallpolicies"] = &simple{
		tf: "azurerm_web_application_firewall_policy", props: []string{"policySettings", "managedRules"},
		check: func(r *arm.Resource) bool {
			ps, _ := r.Prop("policySettings").(map[string]any)
			for k := range ps {
				if !containsFold([]string{"mode", "state", "requestBodyCheck"}, k) {
					return false
				}
			}
			if ps != nil && (ps["mode"] == nil || ps["state"] == nil || ps["requestBodyCheck"] == nil) {
				return false // the reader fills in azurerm's defaults
			}
			mr, _ := r.Prop("managedRules").(map[string]any)
			if len(mr) != 1 || len(asList(mr["managedRuleSets"])) == 0 {
				return false
			}
			for _, x := range asList(mr["managedRuleSets"]) {
				if m, _ := x.(map[string]any); len(m) != 2 || m["ruleSetType"] == nil || m["ruleSetVersion"] == nil {
					return false
				}
			}
			return true
		},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			w.common(t, b, true)
			if ps, ok := t.r.Prop("policySettings").(map[string]any); ok {
				pb := b.AppendNewBlock("policy_settings", nil).Body()
				pb.SetAttributeValue("enabled", boolv(ps["state"] == "Enabled"))
				if err := w.attr(t, pb, "mode", ps["mode"]); err != nil {
					return err
				}
				if err := w.attr(t, pb, "request_body_check", ps["requestBodyCheck"]); err != nil {
					return err
				}
			}
			mb := b.AppendNewBlock("managed_rules", nil).Body()
			for _, x := range asList(t.r.Prop("managedRules.managedRuleSets")) {
				m := x.(map[string]any)
				sb := mb.AppendNewBlock("managed_rule_set", nil).Body()
				if err := w.attr(t, sb, "type", m["ruleSetType"]); err != nil {
					return err
				}
				if err := w.attr(t, sb, "version", m["ruleSetVersion"]); err != nil {
					return err
				}
			}
			return w.tags(t.r, b)
		}}
}

// ruleAttrs maps a security rule's ARM property (lower case) to its
// azurerm argument; the order of the map's values is the order written.
var ruleAttrs = map[string]string{
	"priority": "priority", "direction": "direction", "access": "access", "protocol": "protocol",
	"sourceportrange": "source_port_range", "sourceportranges": "source_port_ranges",
	"destinationportrange": "destination_port_range", "destinationportranges": "destination_port_ranges",
	"sourceaddressprefix": "source_address_prefix", "sourceaddressprefixes": "source_address_prefixes",
	"destinationaddressprefix": "destination_address_prefix", "destinationaddressprefixes": "destination_address_prefixes",
	"description": "description",
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

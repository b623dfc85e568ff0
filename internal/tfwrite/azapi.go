package tfwrite

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// azapi writes a resource as an azapi_resource: type@apiVersion, name,
// parent_id and its ARM body, so a type no azurerm writer covers is
// exported whole.
func (w *writer) azapi(t *tres, b *hclwrite.Body) error {
	r := t.r
	b.SetAttributeValue("type", str(r.Type+"@"+r.APIVersion))
	p, err := arm.ParseResourceID(string(r.ID))
	if err != nil {
		return err
	}
	b.SetAttributeValue("name", str(p.Last()))
	b.SetAttributeRaw("parent_id", w.parentRef(r, t))
	if err := w.location(r, b); err != nil {
		return err
	}
	if r.Identity != nil {
		if err := w.identityBlock(r.Identity, b); err != nil {
			return err
		}
	}
	body := map[string]any{}
	secret := r.Is("Microsoft.KeyVault/vaults/secrets") && r.Prop("value") != nil
	if r.Properties != nil {
		props := r.Properties
		if r.Is("Microsoft.Compute/virtualMachines") || secret {
			props = deepCopy(props).(map[string]any)
		}
		if secret {
			delete(props, "value")
		}
		body["properties"] = props
	}
	for k, v := range map[string]any{"sku": r.SKU, "identity": nil, "zones": r.Zones} {
		if v != nil {
			body[k] = v
		}
	}
	if r.Kind != "" {
		body["kind"] = r.Kind
	}
	for k, v := range r.Extra {
		body[k] = v
	}
	tok, err := w.bodyValue(t, body)
	if err != nil {
		return err
	}
	b.SetAttributeRaw("body", tok)
	if secret {
		w.secretValue(t, b)
	}
	return w.tags(r, b)
}

// secretValue writes a Key Vault secret's value as an ephemeral,
// sensitive variable passed through azapi's write-only sensitive_body: it
// reaches neither a file, the plan nor the state. The secret goes through
// the control plane (Microsoft.KeyVault, as the ARM template's does), so
// it is written although the vault has no public access; azurerm's
// azurerm_key_vault_secret writes through the vault's data plane, which a
// runner outside the VNet cannot reach.
func (w *writer) secretValue(t *tres, b *hclwrite.Body) {
	name := lastName(t.r)
	n := strings.Trim(nonIdent().ReplaceAllString(strings.ToLower(name), "_"), "_")
	w.vars[n] = &variable{name: n, typ: "string", sensitive: true, ephemeral: true,
		desc: fmt.Sprintf("Value of the Key Vault secret %s (never stored in a file, the plan or the state)", name)}
	vv := n + "_version"
	w.vars[vv] = &variable{name: vv, typ: "string", dflt: ptr("1"),
		desc: fmt.Sprintf("Change to send a new value of %s (a write-only value is sent when its version changes)", name)}
	b.SetAttributeRaw("sensitive_body", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{{
		Name: hclwrite.TokensForIdentifier("properties"),
		Value: hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{{
			Name: hclwrite.TokensForIdentifier("value"), Value: traversal("var", n)}}),
	}}))
	b.SetAttributeRaw("sensitive_body_version", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{{
		Name: hclwrite.TokensForValue(cty.StringVal("properties.value")), Value: traversal("var", vv)}}))
}

// bodyValue converts an azapi body, with a VM's customData read from the
// file beside the module.
func (w *writer) bodyValue(t *tres, body map[string]any) (hclwrite.Tokens, error) {
	if t.r.Is("Microsoft.Compute/virtualMachines") {
		if cd, ok := t.r.Prop("osProfile.customData").(string); ok && cd != "" {
			tok, err := w.cloudInit(t.r.Name, cd)
			if err != nil {
				return nil, err
			}
			props := body["properties"].(map[string]any)
			os := props["osProfile"].(map[string]any)
			os["customData"] = rawTokens(tok)
		}
	}
	return w.valueSelf(body, "", t)
}

// rawTokens is an expression already written.
type rawTokens hclwrite.Tokens

// valueSelf is value for a resource's own body: an ID below the resource
// itself is written with the resource group's ID, not a reference to the
// resource (that would be a cycle).
func (w *writer) valueSelf(v any, key string, self *tres) (hclwrite.Tokens, error) {
	switch t := v.(type) {
	case rawTokens:
		return hclwrite.Tokens(t), nil
	case string:
		if strings.EqualFold(key, "tenantId") || key == "tenant_id" {
			return w.stringValue(t, "tenantId"), nil
		}
		if tok, ok := w.idRef(t, self); ok {
			return tok, nil
		}
		if strings.EqualFold(key, "keyData") {
			return w.sshKey(t), nil
		}
		return w.stringValue(t, key), nil
	case []any:
		elems := make([]hclwrite.Tokens, 0, len(t))
		for _, e := range t {
			et, err := w.valueSelf(e, key, self)
			if err != nil {
				return nil, err
			}
			elems = append(elems, et)
		}
		return hclwrite.TokensForTuple(elems), nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		attrs := make([]hclwrite.ObjectAttrTokens, 0, len(keys))
		for _, k := range keys {
			vt, err := w.valueSelf(t[k], k, self)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: keyTokens(k), Value: vt})
		}
		return hclwrite.TokensForObject(attrs), nil
	}
	return w.value(v, key)
}

// parentRef is an azapi parent_id: the resource an extension resource
// applies to, a child's parent, or the resource group.
func (w *writer) parentRef(r *arm.Resource, self *tres) hclwrite.Tokens {
	id := string(r.ID)
	p, _ := arm.ParseResourceID(id)
	var parent string
	switch {
	case p.Extends != "":
		parent = string(p.Extends)
	case len(p.Types) > 1:
		parent = id[:strings.LastIndex(id[:strings.LastIndex(id, "/")], "/")]
	default:
		parent = w.rgID
	}
	if tok, ok := w.idRef(parent, self); ok {
		return tok
	}
	return hclwrite.TokensForValue(cty.StringVal(parent))
}

func (w *writer) location(r *arm.Resource, b *hclwrite.Body) error {
	switch {
	case r.Location == "":
	case strings.EqualFold(r.Location, w.set.Scope.Location):
		b.SetAttributeTraversal("location", travs("var", "location"))
	default:
		b.SetAttributeValue("location", str(r.Location))
	}
	return nil
}

func (w *writer) tags(r *arm.Resource, b *hclwrite.Body) error {
	if r.Tags == nil {
		return nil
	}
	tok, err := w.value(r.Tags, "tags")
	if err != nil {
		return err
	}
	b.SetAttributeRaw("tags", tok)
	return nil
}

// identityBlock writes ARM's identity object as an identity block.
func (w *writer) identityBlock(id any, b *hclwrite.Body) error {
	m, ok := id.(map[string]any)
	if !ok {
		return fmt.Errorf("identity is not an object")
	}
	typ, _ := arm.Lookup(m, "type").(string)
	ib := b.AppendNewBlock("identity", nil).Body()
	ib.SetAttributeValue("type", str(typ))
	if ua, ok := arm.Lookup(m, "userAssignedIdentities").(map[string]any); ok && len(ua) > 0 {
		ids := make([]string, 0, len(ua))
		for k := range ua {
			ids = append(ids, k)
		}
		sort.Strings(ids)
		var l []any
		for _, k := range ids {
			l = append(l, k)
		}
		tok, err := w.value(l, "")
		if err != nil {
			return err
		}
		ib.SetAttributeRaw("identity_ids", tok)
	}
	return nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}

// sshKey is an SSH public key: the variable admin_ssh_public_key, whose
// default is the key the set holds.
func (w *writer) sshKey(s string) hclwrite.Tokens {
	if tok, ok := w.param(s); ok {
		return tok
	}
	const n = "admin_ssh_public_key"
	if v := w.vars[n]; v == nil {
		w.vars[n] = &variable{name: n, typ: "string", desc: "OpenSSH public key of the VMs' admin user", dflt: ptr(s)}
	} else if v.dflt == nil || *v.dflt != s {
		return hclwrite.TokensForValue(cty.StringVal(s))
	}
	return traversal("var", n)
}

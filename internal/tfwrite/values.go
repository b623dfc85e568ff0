package tfwrite

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

func str(s string) cty.Value { return cty.StringVal(s) }
func boolv(b bool) cty.Value { return cty.BoolVal(b) }
func travs(names ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: names[0]}}
	for _, n := range names[1:] {
		t = append(t, hcl.TraverseAttr{Name: n})
	}
	return t
}

// traversal is TYPE.NAME.id (or further attributes).
func traversal(names ...string) hclwrite.Tokens {
	return hclwrite.TokensForTraversal(travs(names...))
}

// tpart is a piece of a string template: a literal or an interpolated
// traversal.
type tpart struct {
	lit string
	ref hcl.Traversal
}

func templ(parts []tpart) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	for _, p := range parts {
		if p.ref != nil {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
			toks = append(toks, hclwrite.TokensForTraversal(p.ref)...)
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
			continue
		}
		// The literal as TokensForValue escapes it, without its quotes.
		lt := hclwrite.TokensForValue(cty.StringVal(p.lit))
		toks = append(toks, lt[1:len(lt)-1]...)
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
}

var identRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`) })

func keyTokens(k string) hclwrite.Tokens {
	if identRe().MatchString(k) && k != "null" && k != "true" && k != "false" {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

// value converts a set value to an HCL expression: resource IDs become
// references, unknowns the attributes that produce them. key is the
// property name the value is under (tenantId values become the tenant
// the module is applied in).
func (w *writer) value(v any, key string) (hclwrite.Tokens, error) {
	switch t := v.(type) {
	case nil:
		return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(t)), nil
	case float64:
		return hclwrite.TokensForValue(num(t)), nil
	case int:
		return hclwrite.TokensForValue(cty.NumberIntVal(int64(t))), nil
	case int64:
		return hclwrite.TokensForValue(cty.NumberIntVal(t)), nil
	case json.Number:
		n, err := cty.ParseNumberVal(t.String())
		if err != nil {
			return nil, err
		}
		return hclwrite.TokensForValue(n), nil
	case string:
		return w.stringValue(t, key), nil
	case arm.Unknown:
		tok, err := w.unknown(t)
		if err != nil {
			return w.unknownVar(t, key), nil
		}
		return tok, nil
	case []any:
		elems := make([]hclwrite.Tokens, 0, len(t))
		for _, e := range t {
			et, err := w.value(e, key)
			if err != nil {
				return nil, err
			}
			elems = append(elems, et)
		}
		return hclwrite.TokensForTuple(elems), nil
	case []string:
		l := make([]any, len(t))
		for i, s := range t {
			l[i] = s
		}
		return w.value(l, key)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		attrs := make([]hclwrite.ObjectAttrTokens, 0, len(keys))
		for _, k := range keys {
			vt, err := w.value(t[k], k)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: keyTokens(k), Value: vt})
		}
		return hclwrite.TokensForObject(attrs), nil
	}
	return nil, fmt.Errorf("value of Go type %T", v)
}

func num(f float64) cty.Value {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return cty.NumberIntVal(int64(f))
	}
	return cty.NumberFloatVal(f)
}

func (w *writer) stringValue(s, key string) hclwrite.Tokens {
	if strings.EqualFold(key, "tenantId") && s == w.set.Scope.TenantID && s != "" {
		w.client = true
		return traversal("data", "azurerm_client_config", "current", "tenant_id")
	}
	if tok, ok := w.idRef(s, nil); ok {
		return tok
	}
	if tok, ok := w.param(s); ok {
		return tok
	}
	return hclwrite.TokensForValue(cty.StringVal(s))
}

var paramRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\[parameters\('([A-Za-z0-9_]+)'\)\]$`) })

// param turns a template parameter the set was evaluated without
// ("[parameters('adminSshPublicKey')]") into a variable the user gives.
func (w *writer) param(s string) (hclwrite.Tokens, bool) {
	m := paramRe().FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	n := snake(m[1])
	if w.vars[n] == nil {
		desc := "Value of the template parameter " + m[1]
		if n == "admin_ssh_public_key" {
			desc = "OpenSSH public key of the VMs' admin user (template parameter " + m[1] + ")"
		}
		w.vars[n] = &variable{name: n, typ: "string", desc: desc}
	}
	return traversal("var", n), true
}

// snake turns camelCase into snake_case.
func snake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// idRef turns a resource ID into a reference: the resource's id when it
// is in the set, that resource's id and a suffix for a sub-resource, the
// resource group's id or the subscription of the module otherwise. self is
// the resource being written (a reference to itself would be a cycle).
func (w *writer) idRef(s string, self *tres) (hclwrite.Tokens, bool) {
	if !strings.HasPrefix(s, "/subscriptions/") || strings.ContainsAny(s, " \n") {
		return nil, false
	}
	if _, err := arm.ParseResourceID(s); err != nil {
		return nil, false
	}
	key := arm.ResourceID(s).Key()
	if t := w.byKey[key]; t != nil && t != self {
		return traversal(t.typ, t.name, "id"), true
	}
	// The longest set resource whose ID is a prefix: walk up the ID.
	for k := key; ; {
		i := strings.LastIndex(k, "/")
		if i <= 0 {
			break
		}
		k = k[:i]
		if t := w.byKey[k]; t != nil && t != self {
			return templ([]tpart{{ref: travs(t.typ, t.name, "id")}, {lit: s[len(k):]}}), true
		}
	}
	rg := strings.ToLower(w.rgID)
	switch {
	case key == rg:
		return traversal("azurerm_resource_group", "this", "id"), true
	case strings.HasPrefix(key, rg+"/"):
		return templ([]tpart{{ref: travs("azurerm_resource_group", "this", "id")}, {lit: s[len(rg):]}}), true
	}
	sub := "/subscriptions/" + strings.ToLower(w.set.Scope.Subscription)
	if key == sub || strings.HasPrefix(key, sub+"/") {
		w.client = true
		return templ([]tpart{{lit: "/subscriptions/"}, {ref: travs("data", "azurerm_client_config", "current", "subscription_id")},
			{lit: s[len(sub):]}}), true
	}
	return nil, false
}

// unknown is the attribute of a set resource an arm.Unknown stands for.
func (w *writer) unknown(u arm.Unknown) (hclwrite.Tokens, error) {
	if tok, ok := w.param(u.String()); ok {
		return tok, nil
	}
	t := w.byKey[u.Ref.Key()]
	if t == nil || u.Path == "" {
		return nil, fmt.Errorf("%s is known only after apply and not a property of a resource of the set", u.String())
	}
	if t.writer != nil {
		if attr := t.writer.unknownAttr(u.Path); attr != nil {
			return hclwrite.TokensForTraversal(append(travs(t.typ, t.name), attr...)), nil
		}
		return nil, fmt.Errorf("%s: %s has no attribute for %s", u.String(), t.typ, u.Path)
	}
	// azapi: the identity block's attributes, else the exported body.
	switch strings.ToLower(u.Path) {
	case "identity.principalid":
		return traversal2(t, hcl.TraverseAttr{Name: "identity"}, hcl.TraverseIndex{Key: cty.NumberIntVal(0)}, hcl.TraverseAttr{Name: "principal_id"}), nil
	case "identity.tenantid":
		return traversal2(t, hcl.TraverseAttr{Name: "identity"}, hcl.TraverseIndex{Key: cty.NumberIntVal(0)}, hcl.TraverseAttr{Name: "tenant_id"}), nil
	}
	path := "properties." + u.Path
	if strings.HasPrefix(strings.ToLower(u.Path), "identity.") {
		path = u.Path
	}
	t.exports = appendUnique(t.exports, path)
	tr := travs(t.typ, t.name, "output")
	for _, s := range strings.Split(path, ".") {
		tr = append(tr, hcl.TraverseAttr{Name: s})
	}
	return hclwrite.TokensForTraversal(tr), nil
}

func traversal2(t *tres, steps ...hcl.Traverser) hclwrite.Tokens {
	return hclwrite.TokensForTraversal(append(travs(t.typ, t.name), steps...))
}

func appendUnique(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

var secretKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(key|password|secret|token|connectionstring)`) })

// unknownVar is a variable standing for a value the set knows only as an
// ARM expression no resource of the set produces (a parameter-derived ID,
// listKeys()): the user gives it. A value under a secret-looking key is
// sensitive and ephemeral-free (azapi bodies cannot take ephemeral values).
func (w *writer) unknownVar(u arm.Unknown, key string) hclwrite.Tokens {
	base := "input"
	if w.cur != nil {
		base = w.cur.name
	}
	if key != "" {
		base += "_" + strings.Trim(nonIdent().ReplaceAllString(snake(key), "_"), "_")
	}
	n := base
	for i := 2; w.vars[n] != nil && w.vars[n].desc != unknownDesc(u); i++ {
		n = fmt.Sprintf("%s_%d", base, i)
	}
	if w.vars[n] == nil {
		w.vars[n] = &variable{name: n, typ: "any", desc: unknownDesc(u), sensitive: secretKey().MatchString(key)}
		w.inputs = append(w.inputs, n)
	}
	return traversal("var", n)
}

func unknownDesc(u arm.Unknown) string {
	return "Value the ARM template computes at deployment: " + u.String()
}

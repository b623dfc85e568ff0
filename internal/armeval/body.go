package armeval

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// evaluate evaluates the instance's body into an arm.Resource in the Set;
// for an inline nested deployment it then evaluates the nested template.
func (in *instance) evaluate() {
	if in.state != 0 {
		return
	}
	in.state = 1
	defer func() { in.state = 2 }()
	r, err := in.body()
	if err != nil {
		in.t.fail(in.raw, err)
		return
	}
	if in.isDeployment() {
		if err := in.nested(r); err != nil {
			in.t.fail(in.raw, err)
		}
	}
	in.t.ev.set.Add(r)
}

func (in *instance) body() (*arm.Resource, error) {
	f, raw := in.f, in.raw
	r := &arm.Resource{ID: in.id, Type: in.outType, Name: in.outName, Scope: in.scope}
	if in.cond != nil {
		r.Condition = in.cond
	}
	var err error
	strField := func(key, s string, dst *string) {
		if err != nil || s == "" {
			return
		}
		var v any
		if v, err = f.evalString(s); err != nil {
			err = fmt.Errorf("evaluate %s: %w", key, err)
			return
		}
		switch t := v.(type) {
		case string:
			*dst = t
		case nil:
		case float64, bool:
			*dst = toText(t)
		default: // Unknowns and structures are kept as values, not strings
			setExtra(r, key, t)
		}
	}
	strField("apiVersion", raw.APIVersion, &r.APIVersion)
	strField("location", raw.Location, &r.Location)
	strField("kind", raw.Kind, &r.Kind)
	anyField := func(key string, v any, dst *any) {
		if err != nil || v == nil {
			return
		}
		if *dst, err = f.evalValue(v); err != nil {
			err = fmt.Errorf("evaluate %s: %w", key, err)
		}
	}
	anyField("tags", raw.Tags, &r.Tags)
	anyField("sku", raw.SKU, &r.SKU)
	anyField("identity", raw.Identity, &r.Identity)
	anyField("zones", raw.Zones, &r.Zones)
	if err != nil {
		return nil, err
	}
	if raw.Properties != nil {
		props := raw.Properties
		if in.isDeployment() {
			props = withoutKey(props, "template")
		}
		v, err := f.evalValue(props)
		if err != nil {
			return nil, fmt.Errorf("evaluate properties: %w", err)
		}
		switch p := v.(type) {
		case map[string]any:
			r.Properties = p
		default:
			setExtra(r, "properties", p)
		}
	}
	for k, v := range raw.Extra {
		if strings.EqualFold(k, "resources") {
			continue
		}
		x, err := f.evalValue(v)
		if err != nil {
			return nil, fmt.Errorf("evaluate %s: %w", k, err)
		}
		setExtra(r, k, x)
	}
	deps, err := in.dependsOn()
	if err != nil {
		return nil, err
	}
	r.DependsOn = deps
	return r, nil
}

func setExtra(r *arm.Resource, key string, v any) {
	if r.Extra == nil {
		r.Extra = map[string]any{}
	}
	r.Extra[key] = v
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !strings.EqualFold(k, key) {
			out[k] = v
		}
	}
	return out
}

// dependsOn evaluates dependsOn entries to resource IDs: IDs stay, names,
// "type/name" and copy loop names are resolved in the template; entries
// naming resources whose condition is false are dropped, as ARM drops them.
// A child resource depends on its parent.
func (in *instance) dependsOn() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if k := arm.ResourceID(id).Key(); !seen[k] && !in.t.dropped[k] {
			seen[k] = true
			out = append(out, id)
		}
	}
	if in.parentID != "" {
		add(string(in.parentID))
	}
	for _, d := range in.raw.DependsOn {
		v, err := in.f.evalString(d)
		if err != nil {
			return nil, fmt.Errorf("evaluate dependsOn: %w", err)
		}
		s, ok := v.(string)
		if !ok {
			continue // an Unknown: nothing to order against offline
		}
		if strings.HasPrefix(s, "/") {
			add(s)
			continue
		}
		key := strings.ToLower(s)
		ids, found := in.t.byLoop[key]
		if !found {
			ids, found = in.t.byTypeName[key]
		}
		if !found {
			ids, found = in.t.byName[key]
		}
		if !found && !in.t.dropped[key] {
			add(s)
		}
		for _, id := range ids {
			add(string(id))
		}
	}
	return out, nil
}

// nested evaluates an inline nested deployment's template into the Set and
// records its outputs in the deployment resource's properties, where
// reference() reads them. Linked templates (templateLink) are not fetched.
//
// As documented in "ARM template functions in deployment scopes" (function
// resolution in scopes): with the default "outer" scope the nested
// template's expressions are evaluated in the parent's context, so
// resourceGroup(), subscription() and resourceId() resolve to the parent's
// resource group; with "inner" they resolve to the nested deployment's.
// Either way the nested resources are deployed to the deployment's
// resourceGroup/subscriptionId. The location of another resource group is
// not known offline; resourceGroup().location keeps the parent's.
func (in *instance) nested(r *arm.Resource) error {
	rawTmpl, ok := lookupFold(in.raw.Properties, "template")
	if !ok {
		return nil
	}
	inner, err := toTemplate(rawTmpl)
	if err != nil {
		return fmt.Errorf("read nested template: %w", err)
	}
	scope, _ := arm.Lookup(r.Properties, "expressionEvaluationOptions.scope").(string)
	parent := in.t
	var x *tmpl
	if strings.EqualFold(scope, "inner") {
		given := map[string]any{}
		params, _ := lookupFold(r.Properties, "parameters")
		pm, _ := params.(map[string]any)
		for name, p := range pm {
			m, _ := p.(map[string]any)
			if ref, ok := lookupFold(m, "reference"); ok {
				given[name] = keyVaultUnknown(name, ref)
			} else if v, ok := lookupFold(m, "value"); ok {
				given[name] = v
			}
		}
		es := in.target
		es.Location = parent.exprScope.Location
		x = parent.ev.newTemplate(inner, given, es, in.target, in.outName, nil)
	} else {
		x = parent.ev.newTemplate(inner, nil, parent.exprScope, in.target, parent.deployName, parent)
		x.baseLoops = in.f.loops
	}
	outputs, err := x.run()
	if err != nil {
		return err
	}
	typed := map[string]any{}
	for name, v := range outputs {
		typed[name] = map[string]any{"type": inner.Outputs[name].Type, "value": v}
	}
	if r.Properties == nil {
		r.Properties = map[string]any{}
	}
	r.Properties["outputs"] = typed
	in.t.ev.states[in.id.Key()] = map[string]any{"outputs": typed}
	return nil
}

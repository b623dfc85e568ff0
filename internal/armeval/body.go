package armeval

import (
	"errors"
	"fmt"
	"path/filepath"
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
	label := in.outType + " " + in.outName
	r, err := in.body()
	if err != nil {
		in.t.leave(in.raw, label, err, true)
		return
	}
	in.res = r
	if in.isDeployment() {
		if err := in.nested(r); err != nil {
			// The deployment resource is modelled; what its template
			// deploys is not.
			in.t.leave(in.raw, "template of "+label, err, true)
		}
	}
	set := in.t.ev.set
	set.Add(r)
	// set.SetPos(r.ID, pos), with the key the instance has
	if pos := parsePos(in.t.file, in.raw.Extra[posKey]); pos.Line != 0 {
		if set.Positions == nil {
			set.Positions = make(map[string]arm.Pos, in.t.ev.sizeHint)
		}
		k := in.key
		if k == "" {
			k = r.ID.Key()
		}
		set.Positions[k] = pos
	}
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
	if pe, ok := raw.Extra[propsKey]; ok && raw.Properties == nil {
		v, err := f.evalValue(pe)
		if err != nil {
			return nil, fmt.Errorf("evaluate properties: %w", err)
		}
		switch p := v.(type) {
		case map[string]any:
			r.Properties = p
		case nil:
		default:
			setExtra(r, "properties", p)
		}
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
		if isPrivateKey(k) || strings.EqualFold(k, "resources") || strings.EqualFold(k, "existing") {
			continue
		}
		if in.isDeployment() && (strings.EqualFold(k, "subscriptionId") || strings.EqualFold(k, "resourceGroup")) {
			if x, err := f.evalValue(v); err == nil {
				setExtra(r, k, x)
			}
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
		ids, found := in.t.bySym[key]
		if !found {
			ids, found = in.t.byLoop[key]
		}
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

// nested evaluates a nested deployment's template into the Set and records
// its outputs in the deployment resource's properties, where reference()
// reads them. The template is inline (properties.template) or linked by
// templateLink.relativePath, read from the directory WithLinkedTemplates
// gives; a templateLink.uri is never fetched.
//
// As documented in "ARM template functions in deployment scopes" (function
// resolution in scopes): with the default "outer" scope the nested
// template's expressions are evaluated in the parent's context, so
// resourceGroup(), subscription() and resourceId() resolve to the parent's
// resource group; with "inner" they resolve to the nested deployment's.
// Either way the nested resources are deployed to the deployment's
// scope, subscriptionId and resourceGroup. resourceGroup().location of a
// resource group the same evaluation creates is that group's location;
// of any other it is not known offline and keeps the parent's.
func (in *instance) nested(r *arm.Resource) error {
	parent := in.t
	if parent.depth+1 > MaxDeploymentDepth {
		return parent.ev.breach(&LimitError{Limit: fmt.Sprintf("nested deployment depth %d", MaxDeploymentDepth),
			Pos: parsePos(parent.file, in.raw.Extra[posKey]), Place: in.outName})
	}
	rawTmpl, hasInline := lookupFold(in.raw.Properties, "template")
	file := parent.file
	if !hasInline {
		link, ok := lookupFold(r.Properties, "templateLink")
		if !ok {
			return nil
		}
		var err error
		if rawTmpl, file, err = parent.ev.linked(link, parent.file); err != nil {
			return err
		}
	}
	if ts, ok := rawTmpl.(string); ok && hasInline {
		// The whole template given as one expression.
		v, err := in.f.evalString(ts)
		if err != nil {
			return fmt.Errorf("evaluate template: %w", err)
		}
		rawTmpl = v
	}
	scope, _ := arm.Lookup(r.Properties, "expressionEvaluationOptions.scope").(string)
	if parent.outer != nil && hasInline && strings.EqualFold(scope, "inner") {
		// This deployment's template is itself part of an outer-scope
		// nested template, which ARM evaluates whole in its parent's
		// context first: a "[[" escape there becomes the "[" of an
		// expression this inner scope evaluates (Enterprise-Scale's
		// vnetPeering.json names the hub-side peering so).
		rawTmpl = unescapeOnce(rawTmpl)
	}
	inner, err := toTemplate(rawTmpl)
	if err != nil {
		return fmt.Errorf("read nested template: %w", err)
	}
	var x *tmpl
	loc := in.location
	if loc == "" {
		loc = parent.deployLocation()
	}
	if strings.EqualFold(scope, "inner") || !hasInline {
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
		if es.lv == atResourceGroup {
			if l, ok := parent.ev.groupLocation(es); ok {
				es.Location = l
			}
		}
		x = parent.ev.newTemplate(inner, given, es, in.target, in.outName, nil)
	} else {
		x = parent.ev.newTemplate(inner, nil, parent.exprScope, in.target, parent.deployName, parent)
		x.baseLoops = in.f.loops
	}
	x.file, x.depth, x.location, x.nestedIn = file, parent.depth+1, loc, in.outName
	outputs := x.run()
	set := parent.ev.set
	for _, k := range x.keys { // every resource registered by name
		if set.DeployedBy == nil {
			set.DeployedBy = make(map[string]arm.ResourceID, parent.ev.sizeHint)
		}
		set.DeployedBy[k] = in.id
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

// unescapeOnce returns v with every string value's leading "[[" escape
// turned into "[" (maps and lists copied, v unchanged). Expressions with a
// single "[" are left for the inner scope: evaluating them in the outer
// one is what ARM does, but no template seen relies on it.
func unescapeOnce(v any) any {
	switch t := v.(type) {
	case string:
		return unescapeLiteral(t)
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = unescapeOnce(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = unescapeOnce(x)
		}
		return l
	}
	return v
}

// groupLocation returns the location of a resource group this evaluation
// creates (a Microsoft.Resources/resourceGroups resource), evaluating it
// first if needed.
func (ev *evaluator) groupLocation(s dscope) (string, bool) {
	id := arm.ResourceID("/subscriptions/" + s.Subscription + "/resourceGroups/" + s.ResourceGroup)
	in, ok := ev.instances[id.Key()]
	if !ok {
		return "", false
	}
	in.evaluate()
	if in.res == nil || in.res.Location == "" {
		return "", false
	}
	return in.res.Location, true
}

// linked reads a linked template: templateLink.relativePath beside the
// template that links it. A uri (or id, a template spec) is not fetched.
func (ev *evaluator) linked(link any, from string) (any, string, error) {
	m, _ := link.(map[string]any)
	if rel, ok := lookupFold(m, "relativePath"); ok {
		p, isStr := rel.(string)
		if !isStr {
			return nil, "", fmt.Errorf("templateLink.relativePath is %s, not a string", typeName(rel))
		}
		if ev.readFile == nil {
			return nil, "", &missingError{what: "templateLink.relativePath without the template's directory",
				msg: fmt.Sprintf("linked template %q: the evaluation was not given the directory to read it from", p)}
		}
		dir := ev.dir
		if from != "" && from != ev.set.Source {
			dir = filepath.Dir(from)
		}
		path := filepath.Join(dir, filepath.FromSlash(p))
		data, err := ev.readFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("linked template %q: %w", p, err)
		}
		v, err := readJSONC("template", data, MaxTemplateBytes)
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				le.Pos.File = path
				return nil, "", ev.breach(le)
			}
			return nil, "", fmt.Errorf("linked template %s: %w", path, err)
		}
		return v, path, nil
	}
	what := "templateLink.uri (remote templates are never fetched)"
	if _, ok := lookupFold(m, "id"); ok {
		what = "templateLink.id (template specs are never fetched)"
	}
	u, _ := lookupFold(m, "uri")
	return nil, "", &missingError{what: what, msg: fmt.Sprintf("linked template %v is not read: privaks never fetches templates", u)}
}

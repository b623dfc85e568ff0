package armeval

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// instance is one resource after copy and condition expansion: its type,
// name and ID are known; its body is evaluated later (evaluate).
type instance struct {
	t        *tmpl
	raw      *arm.Resource
	f        *frame
	typ      string // full type as written, e.g. Microsoft.KeyVault/vaults/providers/roleAssignments
	name     string // full name
	outType  string // type in the Set (legacy extension types normalised)
	outName  string
	id       arm.ResourceID
	scope    string    // scope resource ID of an extension resource
	target   arm.Scope // deployments: where their template deploys
	cond     any       // nil, or the Unknown the condition evaluated to
	parentID arm.ResourceID
	state    int // 0 pending, 1 evaluating, 2 done
}

func (in *instance) isDeployment() bool {
	return strings.EqualFold(in.outType, "Microsoft.Resources/deployments")
}

func (t *tmpl) fail(r *arm.Resource, err error) {
	t.ev.errs = append(t.ev.errs, fmt.Errorf("evaluate resource %q name %q: %w", r.Type, r.Name, err))
}

// expand expands copy loops and conditions of resources (children of parent
// when parent is not nil) into instances, depth first, children after their
// parent.
func (t *tmpl) expand(resources []arm.Resource, f *frame, parent *instance) {
	for i := range resources {
		r := &resources[i]
		if r.Copy == nil {
			t.expandOne(r, f, parent, "")
			continue
		}
		name, _ := lookupFold(r.Copy, "name")
		loopName, _ := name.(string)
		count, _ := lookupFold(r.Copy, "count")
		n, err := f.evalCount(count)
		if err != nil {
			t.fail(r, fmt.Errorf("evaluate copy %q: %w", loopName, err))
			continue
		}
		if _, ok := n.(arm.Unknown); ok {
			t.fail(r, fmt.Errorf("copy %q count is only known at deployment time", loopName))
			continue
		}
		if _, seen := t.byLoop[strings.ToLower(loopName)]; !seen {
			t.byLoop[strings.ToLower(loopName)] = []arm.ResourceID{}
		}
		for idx := 0; idx < n.(int); idx++ {
			t.expandOne(r, f.withLoop(loopName, idx, true), parent, loopName)
		}
	}
}

func (t *tmpl) expandOne(r *arm.Resource, f *frame, parent *instance, loopName string) {
	in := &instance{t: t, raw: r, f: f, target: t.target}
	if parent != nil {
		in.parentID = parent.id
	}
	if r.Condition != nil {
		c, err := f.evalValue(r.Condition)
		if err != nil {
			t.fail(r, fmt.Errorf("evaluate condition: %w", err))
			return
		}
		switch v := c.(type) {
		case bool:
			if !v {
				t.markDropped(r, f, parent)
				return
			}
		case arm.Unknown:
			in.cond = v
		default:
			t.fail(r, fmt.Errorf("condition is %s, not bool", typeName(c)))
			return
		}
	}
	typ, name, err := evalTypeName(r, f, parent)
	if err != nil {
		t.fail(r, err)
		return
	}
	in.typ, in.name = typ, name
	if strings.EqualFold(typ, "Microsoft.Resources/deployments") {
		if in.target, err = deploymentTarget(r, f, t.target); err != nil {
			t.fail(r, err)
			return
		}
	}
	scope := ""
	if r.Scope != "" {
		v, err := f.evalString(r.Scope)
		if err != nil {
			t.fail(r, fmt.Errorf("evaluate scope: %w", err))
			return
		}
		s, ok := v.(string)
		if !ok {
			t.fail(r, fmt.Errorf("scope is %s, not a resource ID", typeName(v)))
			return
		}
		scope = s
	}
	if err := in.buildID(scope); err != nil {
		t.fail(r, err)
		return
	}
	t.insts = append(t.insts, in)
	t.ev.instances[in.id.Key()] = in
	t.byName[strings.ToLower(name)] = append(t.byName[strings.ToLower(name)], in.id)
	t.byTypeName[strings.ToLower(typ+"/"+name)] = append(t.byTypeName[strings.ToLower(typ+"/"+name)], in.id)
	if loopName != "" {
		t.byLoop[strings.ToLower(loopName)] = append(t.byLoop[strings.ToLower(loopName)], in.id)
	}
	if kids, ok := lookupFold(r.Extra, "resources"); ok {
		children, err := toResources(kids)
		if err != nil {
			t.fail(r, fmt.Errorf("read child resources: %w", err))
			return
		}
		t.expand(children, f, in)
	}
}

// markDropped records the name of a resource whose condition is false, so
// that dependsOn entries naming it are dropped as ARM drops them.
func (t *tmpl) markDropped(r *arm.Resource, f *frame, parent *instance) {
	typ, name, err := evalTypeName(r, f, parent)
	if err != nil {
		return
	}
	t.dropped[strings.ToLower(name)] = true
	t.dropped[strings.ToLower(typ+"/"+name)] = true
	in := &instance{t: t, typ: typ, name: name, target: t.target}
	if in.buildID("") == nil {
		t.dropped[in.id.Key()] = true
	}
}

// evalTypeName evaluates a resource's type and name, prefixing a child's
// with its parent's when the child's type is relative.
func evalTypeName(r *arm.Resource, f *frame, parent *instance) (string, string, error) {
	tv, err := f.evalString(r.Type)
	if err != nil {
		return "", "", fmt.Errorf("evaluate type: %w", err)
	}
	nv, err := f.evalString(r.Name)
	if err != nil {
		return "", "", fmt.Errorf("evaluate name: %w", err)
	}
	typ, ok := tv.(string)
	if !ok {
		return "", "", fmt.Errorf("type is %s, not a string", typeName(tv))
	}
	var name string
	switch v := nv.(type) {
	case string:
		name = v
	case arm.Unknown:
		return "", "", fmt.Errorf("name is only known at deployment time: %s", v)
	case float64:
		name = formatNumber(v)
	default:
		return "", "", fmt.Errorf("name is %s, not a string", typeName(v))
	}
	if parent != nil && (!strings.Contains(typ, "/") || strings.HasPrefix(strings.ToLower(typ), "providers/")) {
		typ = parent.typ + "/" + typ
		name = parent.name + "/" + name
	}
	return typ, name, nil
}

// deploymentTarget evaluates a nested deployment's resourceGroup and
// subscriptionId properties.
func deploymentTarget(r *arm.Resource, f *frame, target arm.Scope) (arm.Scope, error) {
	get := func(key string) (string, bool, error) {
		raw, ok := lookupFold(r.Extra, key)
		if !ok {
			return "", false, nil
		}
		v, err := f.evalValue(raw)
		if err != nil {
			return "", false, fmt.Errorf("evaluate %s: %w", key, err)
		}
		s, ok := v.(string)
		if !ok {
			return "", false, fmt.Errorf("%s is %s, not a string", key, typeName(v))
		}
		return s, true, nil
	}
	sub, hasSub, err := get("subscriptionId")
	if err != nil {
		return target, err
	}
	rg, hasRG, err := get("resourceGroup")
	if err != nil {
		return target, err
	}
	if hasSub {
		target.Subscription = sub
		if !hasRG {
			target.ResourceGroup = ""
		}
	}
	if hasRG {
		target.ResourceGroup = rg
	}
	return target, nil
}

// buildID sets the instance's ID, output type and name. Legacy extension
// types ("<type>/providers/<extension type>", name "<name>/<namespace>/<ext
// name>") and resources with a scope become extension resources whose Scope
// is the extended resource's ID.
func (in *instance) buildID(scope string) error {
	prefix := "/subscriptions/" + in.target.Subscription
	if in.target.ResourceGroup != "" {
		prefix += "/resourceGroups/" + in.target.ResourceGroup
	}
	names := strings.Split(in.name, "/")
	in.outType, in.outName = in.typ, in.name
	if base, ext, ok := cutFold(in.typ, "/providers/"); ok {
		nBase := strings.Count(base, "/")
		extTypes := strings.Split(ext, "/")
		if len(names) != nBase+1+len(extTypes) {
			return fmt.Errorf("name %q does not fit type %q (<name>/<namespace>/<extension name>)", in.name, in.typ)
		}
		in.scope = prefix + providerPath(base, names[:nBase])
		in.outType = names[nBase] + "/" + ext
		in.outName = strings.Join(names[nBase+1:], "/")
		in.id = arm.ResourceID(in.scope + providerPath(in.outType, names[nBase+1:]))
		return nil
	}
	if want := strings.Count(in.typ, "/"); want != len(names) || want == 0 {
		return fmt.Errorf("name %q has %d segments, type %q needs %d", in.name, len(names), in.typ, want)
	}
	switch {
	case scope != "":
		if strings.HasPrefix(scope, "/") {
			in.scope = strings.TrimSuffix(scope, "/")
		} else {
			in.scope = prefix + "/providers/" + strings.Trim(scope, "/")
		}
		in.id = arm.ResourceID(in.scope + providerPath(in.typ, names))
	case strings.EqualFold(in.typ, "Microsoft.Resources/resourceGroups"):
		in.id = arm.ResourceID("/subscriptions/" + in.target.Subscription + "/resourceGroups/" + in.name)
	default:
		in.id = arm.ResourceID(prefix + providerPath(in.typ, names))
	}
	return nil
}

func cutFold(s, sep string) (before, after string, ok bool) {
	i := strings.Index(strings.ToLower(s), strings.ToLower(sep))
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func toResources(v any) ([]arm.Resource, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var rs []arm.Resource
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, err
	}
	return rs, nil
}

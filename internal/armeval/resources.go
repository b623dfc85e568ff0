package armeval

import (
	"errors"
	"fmt"
	"strconv"
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
	key      string // id.Key(), once registered
	scope    string // scope resource ID of an extension resource
	target   dscope // deployments: where their template deploys
	location string // deployments: their "location" (deployment().location inside)
	cond     any    // nil, or the Unknown the condition evaluated to
	parentID arm.ResourceID
	existing bool // a languageVersion 2.0 "existing" resource: named, not deployed
	state    int  // 0 pending, 1 evaluating, 2 done
	res      *arm.Resource
}

func (in *instance) isDeployment() bool {
	return strings.EqualFold(in.outType, "Microsoft.Resources/deployments")
}

func isExisting(r *arm.Resource) bool {
	v, _ := lookupFold(r.Extra, "existing")
	return v == true
}

// leave records a resource left out of the Set: in Coverage, with its
// place, the expression that failed and the function or form missing, and
// in the joined error Evaluate returns. counted says whether the resource
// was already counted as declared. Nothing is recorded once a limit has
// ended the evaluation.
func (t *tmpl) leave(r *arm.Resource, label string, err error, counted bool) {
	if t.ev.fatal != nil {
		return
	}
	if !counted && !isExisting(r) {
		t.ev.declared++
	}
	if label == "" {
		label = r.Type + " " + r.Name
	}
	lo := arm.LeftOut{Pos: parsePos(t.file, r.Extra[posKey]), Resource: label, Type: r.Type, Reason: err.Error()}
	if lo.Type != "" && isExpression(lo.Type) {
		lo.Type = ""
	}
	var ee *exprError
	if errors.As(err, &ee) {
		lo.Expr = ee.expr
	}
	var me *missingError
	if errors.As(err, &me) {
		lo.Missing = me.what
	}
	t.ev.leftOut = append(t.ev.leftOut, lo)
	msg := fmt.Errorf("evaluate resource %q name %q: %w", r.Type, r.Name, err)
	if p := lo.Pos.String(); p != "" {
		msg = fmt.Errorf("%s: %w", p, msg)
	}
	t.ev.errs = append(t.ev.errs, msg)
}

// expand expands copy loops and conditions of resources (children of parent
// when parent is not nil) into instances, depth first, children after their
// parent.
func (t *tmpl) expand(resources []arm.Resource, f *frame, parent *instance) {
	for i := range resources {
		if t.ev.fatal != nil {
			return
		}
		r := &resources[i]
		if r.Copy == nil {
			t.expandOne(r, f, parent, "", 0)
			continue
		}
		name, _ := lookupFold(r.Copy, "name")
		loopName, _ := name.(string)
		count, _ := lookupFold(r.Copy, "count")
		n, err := f.evalCount(count)
		if err != nil {
			t.leave(r, "", fmt.Errorf("evaluate copy %q: %w", loopName, err), false)
			continue
		}
		if _, ok := n.(arm.Unknown); ok {
			t.leave(r, "", fmt.Errorf("copy %q count is only known at deployment time", loopName), false)
			continue
		}
		if n.(int) > MaxCopyCount {
			t.ev.breach(&LimitError{Limit: fmt.Sprintf("copy count %d (ARM limit)", MaxCopyCount),
				Pos: parsePos(t.file, r.Extra[posKey]), Place: "copy " + quote(loopName), Detail: fmt.Sprintf("count %d", n.(int))})
			return
		}
		if _, seen := t.byLoop[strings.ToLower(loopName)]; !seen {
			t.byLoop[strings.ToLower(loopName)] = []arm.ResourceID{}
		}
		for idx := 0; idx < n.(int); idx++ {
			t.expandOne(r, f.withLoop(loopName, idx, true), parent, loopName, idx)
		}
	}
}

func (t *tmpl) expandOne(r *arm.Resource, f *frame, parent *instance, loopName string, idx int) {
	in := &instance{t: t, raw: r, f: f, target: t.target, existing: isExisting(r)}
	if parent != nil {
		in.parentID = parent.id
	}
	if r.Condition != nil {
		c, err := f.evalValue(r.Condition)
		if err != nil {
			t.leave(r, "", fmt.Errorf("evaluate condition: %w", err), false)
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
			t.leave(r, "", fmt.Errorf("condition is %s, not bool", typeName(c)), false)
			return
		}
	}
	typ, name, err := evalTypeName(r, f, parent)
	if err != nil {
		t.leave(r, "", err, false)
		return
	}
	in.typ, in.name = typ, name
	label := typ + " " + name
	if in.existing {
		// An existing resource may live in another resource group or
		// subscription (languageVersion 2.0 "resourceGroup",
		// "subscriptionId").
		_, hasRG := lookupFold(r.Extra, "resourceGroup")
		_, hasSub := lookupFold(r.Extra, "subscriptionId")
		if hasRG || hasSub {
			save := r.Scope
			r.Scope = ""
			in.target, _, err = deploymentTarget(r, f, t.target)
			r.Scope = save
			if err != nil {
				t.leave(r, label, err, true)
				return
			}
		}
	}
	if strings.EqualFold(typ, "Microsoft.Resources/deployments") {
		if in.target, in.location, err = deploymentTarget(r, f, t.target); err != nil {
			t.leave(r, label, err, false)
			return
		}
	}
	scope := ""
	if r.Scope != "" && !strings.EqualFold(typ, "Microsoft.Resources/deployments") {
		v, err := f.evalString(r.Scope)
		if err != nil {
			t.leave(r, label, fmt.Errorf("evaluate scope: %w", err), false)
			return
		}
		s, ok := v.(string)
		if !ok {
			t.leave(r, label, fmt.Errorf("scope is %s, not a resource ID", typeName(v)), false)
			return
		}
		scope = s
	}
	if err := in.buildID(scope); err != nil {
		t.leave(r, label, err, false)
		return
	}
	t.register(in, r, loopName, idx)
	if in.existing {
		return
	}
	t.ev.declared++
	if len(t.insts)+1 > MaxResources {
		t.ev.breach(&LimitError{Limit: fmt.Sprintf("%d resources in one template, including copies (ARM limit)", MaxResources),
			Pos: parsePos(t.file, r.Extra[posKey]), Place: label,
			Detail: t.describe() + " declares more; a nested deployment's template has a limit of its own"})
		return
	}
	if t.ev.declared > t.ev.maxResources {
		t.ev.breach(&LimitError{Limit: fmt.Sprintf("%d resources in one deployment, nested deployments included", t.ev.maxResources),
			Pos: parsePos(t.file, r.Extra[posKey]), Place: label})
		return
	}
	t.insts = append(t.insts, in)
	t.ev.instances[in.key] = in
	if kids, ok := lookupFold(r.Extra, "resources"); ok {
		children, err := toResources(kids)
		if err != nil {
			t.leave(r, label, fmt.Errorf("read child resources: %w", err), true)
			return
		}
		t.expand(children, f, in)
	}
}

// register makes the instance known by name, type/name, copy loop and
// symbolic name, for dependsOn and reference().
func (t *tmpl) register(in *instance, r *arm.Resource, loopName string, idx int) {
	in.key = in.id.Key()
	t.keys = append(t.keys, in.key)
	name := strings.ToLower(in.name)
	t.byName[name] = append(t.byName[name], in.id)
	tn := strings.ToLower(in.typ + "/" + in.name)
	t.byTypeName[tn] = append(t.byTypeName[tn], in.id)
	if loopName != "" {
		t.byLoop[strings.ToLower(loopName)] = append(t.byLoop[strings.ToLower(loopName)], in.id)
	}
	if sym, ok := r.Extra[symKey].(string); ok {
		s := strings.ToLower(sym)
		t.bySym[s] = append(t.bySym[s], in.id)
		info := map[string]any{"id": string(in.id), "name": in.outName, "type": in.outType, "apiVersion": r.APIVersion}
		if _, seen := t.symInfo[s]; !seen {
			t.symInfo[s] = info
		}
		if loopName != "" {
			t.bySym[s+"["+strconv.Itoa(idx)+"]"] = []arm.ResourceID{in.id}
			t.symInfo[s+"["+strconv.Itoa(idx)+"]"] = info
		}
	}
}

// markDropped records the name of a resource whose condition is false, so
// that dependsOn entries naming it are dropped as ARM drops them.
func (t *tmpl) markDropped(r *arm.Resource, f *frame, parent *instance) {
	if sym, ok := r.Extra[symKey].(string); ok {
		t.dropped[strings.ToLower(sym)] = true
	}
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

// describe names the template for a message: its file, or the nested
// deployment whose inline or linked template it is.
func (t *tmpl) describe() string {
	if t.nestedIn == "" {
		if t.file == "" {
			return "the template"
		}
		return "template " + t.file
	}
	return "the template of nested deployment " + t.nestedIn
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
		return "", "", &exprError{expr: r.Name, err: fmt.Errorf("name is only known at deployment time: %s", v)}
	case float64:
		name = formatNumber(v)
	default:
		return "", "", fmt.Errorf("name is %s, not a string", typeName(v))
	}
	if parent == nil {
		return typ, name, nil
	}
	// ARM counts a child's type and name segments without empty ones:
	// mspnp/aks-baseline-multi-region's cluster stamp declares an
	// Application Gateway's diagnostic settings "name":
	// "/Microsoft.Insights/default" and an AKS cluster's "type":
	// "/providers/diagnosticSettings", and deploys. So a slash at either
	// end of a child's type or name separates nothing.
	ct, cn := strings.Trim(typ, "/"), strings.Trim(name, "/")
	if !strings.Contains(ct, "/") || strings.HasPrefix(strings.ToLower(ct), "providers/") {
		typ = parent.typ + "/" + ct
		name = parent.name + "/" + cn
	}
	return typ, name, nil
}

// deploymentTarget evaluates where a nested deployment deploys: its
// scope (a management group, "/" for the tenant, a subscription or
// resource group ID), subscriptionId and resourceGroup properties, and
// its location.
func deploymentTarget(r *arm.Resource, f *frame, base dscope) (dscope, string, error) {
	get := func(key string, raw any, ok bool) (string, bool, error) {
		if !ok || raw == nil {
			return "", false, nil
		}
		v, err := f.evalValue(raw)
		if err != nil {
			return "", false, fmt.Errorf("evaluate %s: %w", key, err)
		}
		if v == nil {
			return "", false, nil
		}
		s, ok := v.(string)
		if !ok {
			if u, isU := v.(arm.Unknown); isU {
				return "", false, &exprError{expr: fmt.Sprint(raw), err: fmt.Errorf("%s is only known at deployment time: %s", key, u)}
			}
			return "", false, fmt.Errorf("%s is %s, not a string", key, typeName(v))
		}
		return s, true, nil
	}
	field := func(key string) (string, bool, error) {
		raw, ok := lookupFold(r.Extra, key)
		return get(key, raw, ok)
	}
	target := base
	sc, hasScope, err := get("scope", r.Scope, r.Scope != "")
	if err != nil {
		return target, "", err
	}
	if hasScope {
		t, ok := scopeFromID(sc, base)
		if !ok {
			return target, "", fmt.Errorf("scope %q is not a tenant, management group, subscription or resource group", sc)
		}
		target = t
	}
	sub, hasSub, err := field("subscriptionId")
	if err != nil {
		return target, "", err
	}
	rg, hasRG, err := field("resourceGroup")
	if err != nil {
		return target, "", err
	}
	loc, _, err := get("location", r.Location, r.Location != "")
	if err != nil {
		return target, "", err
	}
	if hasSub {
		target.Subscription = sub
		if !hasRG {
			target = newScope(atSubscription, target.Scope, "")
		}
	}
	if hasRG {
		if target.Subscription == "" {
			return target, "", fmt.Errorf("resourceGroup %q without a subscription (deploying from %s level)", rg, base.lv)
		}
		target.Scope.ResourceGroup = rg
		target = newScope(atResourceGroup, target.Scope, "")
	}
	return target, loc, nil
}

// buildID sets the instance's ID, output type and name. Legacy extension
// types ("<type>/providers/<extension type>", name "<name>/<namespace>/<ext
// name>") and resources with a scope become extension resources whose Scope
// is the extended resource's ID.
func (in *instance) buildID(scope string) error {
	prefix := in.target.prefix()
	names := strings.Split(in.name, "/")
	in.outType, in.outName = in.typ, in.name
	if base, ext, ok := cutFold(in.typ, "/providers/"); ok {
		nBase := strings.Count(base, "/")
		extTypes := strings.Split(ext, "/")
		if len(names) != nBase+1+len(extTypes) {
			return fmt.Errorf("name %q does not fit type %q (<name>/<namespace>/<extension name>)", in.name, in.typ)
		}
		in.scope = providerPath(base, names[:nBase], prefix)
		in.outType = names[nBase] + "/" + ext
		in.outName = strings.Join(names[nBase+1:], "/")
		in.id = arm.ResourceID(providerPath(in.outType, names[nBase+1:], in.scope))
		return nil
	}
	if want := strings.Count(in.typ, "/"); want != len(names) || want == 0 {
		return fmt.Errorf("name %q has %d segments, type %q needs %d", in.name, len(names), in.typ, want)
	}
	lt := strings.ToLower(in.typ)
	switch {
	case scope != "":
		if strings.HasPrefix(scope, "/") {
			in.scope = strings.TrimSuffix(scope, "/")
		} else {
			in.scope = prefix + "/providers/" + strings.Trim(scope, "/")
		}
		in.id = arm.ResourceID(providerPath(in.typ, names, in.scope))
	case lt == "microsoft.resources/resourcegroups":
		if in.target.Subscription == "" {
			return fmt.Errorf("resource group %q outside a subscription (deploying at %s level)", in.name, in.target.lv)
		}
		in.id = arm.ResourceID("/subscriptions/" + in.target.Subscription + "/resourceGroups/" + in.name)
	case lt == "microsoft.management/managementgroups", lt == "microsoft.subscription/aliases",
		in.target.lv == atTenant:
		in.id = arm.ResourceID(providerPath(in.typ, names))
	default:
		in.id = arm.ResourceID(providerPath(in.typ, names, prefix))
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
	t, err := toTemplate(map[string]any{"resources": v})
	if err != nil {
		return nil, err
	}
	return t.Resources, nil
}

package armschema

import (
	"fmt"
	"strconv"
	"strings"
)

// baseKeys are the top-level keys the deployment template allows on every
// resource (2019-04-01/deploymentTemplate.json: ARMResourceBase and
// resourceBase), with the schema each is checked against when the resource
// definition does not declare the key itself.
var baseKeys = map[string]string{
	"name":       "#/definitions/ARMResourceBase/properties/name",
	"type":       "#/definitions/ARMResourceBase/properties/type",
	"apiVersion": "#/definitions/ARMResourceBase/properties/apiVersion",
	"condition":  "#/definitions/ARMResourceBase/properties/condition",
	"dependsOn":  "#/definitions/ARMResourceBase/properties/dependsOn",
	"location":   "#/definitions/resourceBase/allOf/1/properties/location",
	"tags":       "#/definitions/resourceBase/allOf/1/properties/tags",
	"copy":       "#/definitions/resourceBase/allOf/1/properties/copy",
	"scope":      "#/definitions/resourceBase/allOf/1/properties/scope",
	"comments":   "#/definitions/resourceBase/allOf/1/properties/comments",
}

// templateKeys are further top-level resource keys this package handles
// itself: nested child resources (validated as resources of their own) and
// languageVersion 2.0's "existing" references (only the type and apiVersion
// of which are checked).
var templateKeys = map[string]bool{"resources": true, "existing": true}

// topLevelExtra is baseKeys ∪ templateKeys, the names the strict walk
// accepts at the top of a resource besides the definition's own.
var topLevelExtra = func() map[string]bool {
	m := map[string]bool{}
	for k := range baseKeys {
		m[k] = true
	}
	for k := range templateKeys {
		m[k] = true
	}
	return m
}()

// ValidateResource validates one resource in template form (values may be
// ARM expressions) against the schema for its type and apiVersion. The type
// is matched case-insensitively. Nested child resources in "resources" are
// validated too, their problems located below $.resources[i].
func (v *Validator) ValidateResource(res map[string]any) []Problem {
	var out []Problem
	v.tree(res, "", "", "$", func(p Problem) { out = append(out, p) },
		func(_, base string, i int, _ map[string]any, _ string) (string, string) {
			return "", base + ".resources[" + strconv.Itoa(i) + "]"
		})
	return out
}

// locateChild returns the Resource locator and base path for nested child i
// of the resource at loc/base whose full type is childType.
type locateChild func(loc, base string, i int, child map[string]any, childType string) (string, string)

// tree validates res and its nested children. loc is the Resource locator
// of res's problems, base their path prefix.
func (v *Validator) tree(res map[string]any, parentType, loc, base string, emit func(Problem), locate locateChild) {
	typ := fullType(res, parentType)
	for _, p := range v.resource(res, typ, base, parentType != "") {
		p.Resource = loc
		emit(p)
	}
	if strings.EqualFold(typ, "Microsoft.Resources/deployments") {
		props, _ := res["properties"].(map[string]any)
		if inner, ok := props["template"].(map[string]any); ok && loc != "" {
			// An inline nested template: its resources are validated like
			// the outer template's (only within ValidateTemplate, where
			// locators exist).
			for _, p := range v.template(inner, loc, base+".properties.template") {
				emit(p)
			}
		}
	}
	c, present := res["resources"]
	if !present || IsExpression(c) {
		return
	}
	children, ok := c.([]any)
	if !ok {
		emit(Problem{Resource: loc, Path: base + ".resources", Message: fmt.Sprintf("wrong type: got %s, want array of child resources", jsonType(c))})
		return
	}
	for i, c := range children {
		child, ok := c.(map[string]any)
		cloc, cbase := locate(loc, base, i, child, fullType(child, typ))
		if !ok {
			emit(Problem{Resource: cloc, Path: cbase, Message: fmt.Sprintf("wrong type: got %s, want a child resource object", jsonType(c))})
			continue
		}
		v.tree(child, typ, cloc, cbase, emit, locate)
	}
}

// fullType returns res's full type, prefixing a nested child's short type
// ("subnets") with its parent's ("Microsoft.Network/virtualNetworks").
func fullType(res map[string]any, parentType string) string {
	t, _ := res["type"].(string)
	if parentType != "" && t != "" && !strings.Contains(t, "/") && !IsExpression(t) {
		return parentType + "/" + t
	}
	return t
}

// resource validates one resource (not its children) of full type typ,
// nested inside its parent's "resources" or not.
func (v *Validator) resource(res map[string]any, typ, base string, nested bool) []Problem {
	prob := func(path, format string, args ...any) []Problem {
		return []Problem{{Path: path, Message: fmt.Sprintf(format, args...)}}
	}
	apiVersion, _ := res["apiVersion"].(string)
	switch {
	case res["type"] == nil:
		return prob(base, "missing required property \"type\"")
	case typ == "" || IsExpression(typ):
		return prob(base+".type", "type must be a literal resource type, got %v", res["type"])
	case !strings.Contains(typ, "/"):
		return prob(base+".type", "resource type %q has no namespace (want e.g. Microsoft.Network/virtualNetworks)", typ)
	case res["apiVersion"] == nil:
		return prob(base, "missing required property \"apiVersion\" (%s)", typ)
	case apiVersion == "" || IsExpression(apiVersion):
		return prob(base+".apiVersion", "apiVersion must be a literal API version, got %v", res["apiVersion"])
	}
	def, err := v.findDef(typ, apiVersion)
	if err != nil {
		return prob(base, "%v", err)
	}
	if def == nil {
		return prob(base+".apiVersion", "%s", v.unknownMessage(typ, apiVersion))
	}
	if res["existing"] == true {
		return nil
	}
	sch, err := v.compile(def.url())
	if err != nil {
		return prob(base, "%v", err)
	}
	// Value validation sees the resource without its children (validated on
	// their own) and with the canonical type spelling, since ARM types are
	// case-insensitive but the schema's type enum is not.
	inst := make(map[string]any, len(res))
	for k, val := range res {
		if !templateKeys[k] {
			inst[k] = val
		}
	}
	inst["type"] = def.typ
	var out, loopProbs []Problem
	var rws []rewrite
	if props, ok := inst["properties"]; ok {
		inst["properties"] = expandCopies(props, base+".properties", base+".properties", &rws, &loopProbs)
	}
	// A child type's definition constrains the child's own name: a
	// top-level child resource is named parent/child, so only the last
	// segment is checked, after checking the segment count.
	if name, ok := res["name"].(string); ok && !nested && !IsExpression(name) {
		want := strings.Count(def.typ, "/")
		if segs := strings.Split(name, "/"); len(segs) != want {
			out = append(out, Problem{Path: base + ".name", Message: fmt.Sprintf(
				"name %q has %d segment(s) but type %s needs %d (each parent's name, then the resource's own, separated by /)",
				name, len(segs), def.typ, want)})
		} else {
			inst["name"] = segs[len(segs)-1]
		}
	}
	out = append(out, validateValues(sch, inst, base)...)

	// Base keys the definition does not declare itself are checked against
	// the deployment template's schema for them.
	declared, _ := def.node["properties"].(map[string]any)
	w := &walker{v: v}
	for k, ptr := range baseKeys {
		val, present := res[k]
		if _, own := declared[k]; own || !present {
			continue
		}
		url := SchemaBaseURL + templateSchema + ptr
		bsch, err := v.compile(url)
		if err != nil {
			out = append(out, Problem{Path: base, Message: err.Error()})
			continue
		}
		out = append(out, validateValues(bsch, val, base+member(k))...)
		if r, ok := v.templateRef(ptr); ok {
			w.walk(val, []sref{r}, base+member(k), nil)
		}
	}
	extra := topLevelExtra
	if strings.EqualFold(def.typ, "Microsoft.Resources/deployments") {
		extra = deploymentExtra
		for _, k := range []string{"resourceGroup", "subscriptionId"} {
			if x, ok := res[k]; ok && jsonType(x) != "string" {
				out = append(out, Problem{Path: base + member(k), Message: fmt.Sprintf("wrong type: got %s, want string", jsonType(x))})
			}
		}
	}
	w.walk(inst, []sref{{doc: def.doc, ptr: def.ptr, node: def.node}}, base, extra)
	out = append(out, w.problems...)
	for i := range out {
		out[i].Path = rewritePath(out[i].Path, rws)
	}
	return append(out, loopProbs...)
}

// deploymentExtra adds the keys a nested deployment (and only it) may use
// to target another subscription or resource group.
var deploymentExtra = func() map[string]bool {
	m := map[string]bool{"resourceGroup": true, "subscriptionId": true}
	for k := range topLevelExtra {
		m[k] = true
	}
	return m
}()

// templateRef returns the position ptr ("#/...") in the deployment template schema.
func (v *Validator) templateRef(ptr string) (sref, bool) {
	v.mu.Lock()
	d, err := v.docLocked(templateSchema)
	v.mu.Unlock()
	if err != nil {
		return sref{}, false
	}
	r := sref{doc: d, node: d.root}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "#/"), "/") {
		r = r.child(tok)
	}
	return r, r.node != nil
}

// unknownMessage explains a type/apiVersion pair with no schema.
func (v *Validator) unknownMessage(typ, apiVersion string) string {
	ns, _, _ := strings.Cut(typ, "/")
	vers := v.versionsOf(typ)
	if len(vers) > 0 {
		return fmt.Sprintf("no schema for %s at apiVersion %s; versions in the schema folder: %s (newest %s)",
			typ, apiVersion, strings.Join(vers, ", "), vers[len(vers)-1])
	}
	for _, ver := range v.versions {
		if len(v.providerFiles(ver, ns)) > 0 {
			return fmt.Sprintf("unknown resource type %s: no API version of the %s schemas in the folder defines it", typ, ns)
		}
	}
	return fmt.Sprintf("unknown resource type %s: the schema folder has no files for namespace %s", typ, ns)
}

package armschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// envelopeKeys are the top-level template keys: those of
// 2019-04-01/deploymentTemplate.json (which sets additionalProperties:false)
// plus languageVersion 2.0's languageVersion and definitions.
var envelopeKeys = map[string]string{
	"$schema":         "",
	"contentVersion":  "",
	"apiProfile":      "",
	"metadata":        "",
	"parameters":      "#/definitions/parameter",
	"variables":       "",
	"functions":       "",
	"resources":       "",
	"outputs":         "#/definitions/output",
	"languageVersion": "",
	"definitions":     "",
}

var contentVersionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)

// ValidateTemplate validates a deployment template: the envelope ($schema,
// contentVersion, parameters, outputs...) by hand and against the
// deployment template schema's parameter and output definitions, then every
// resource, nested child resources included. A resource's problems carry
// Resource "resources[i] (type name)"; a nested child's
// "resources[i].resources[j] (type name)"; envelope problems have none.
// Resources may be an array (languageVersion 1.0) or an object keyed by
// symbolic name (2.0).
func (v *Validator) ValidateTemplate(tmpl []byte) []Problem {
	dec := json.NewDecoder(bytes.NewReader(tmpl))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return []Problem{{Path: "$", Message: fmt.Sprintf("parse template: %v", err)}}
	}
	if dec.More() {
		return []Problem{{Path: "$", Message: "parse template: data after the top-level value"}}
	}
	t, ok := doc.(map[string]any)
	if !ok {
		return []Problem{{Path: "$", Message: fmt.Sprintf("template must be a JSON object, got %s", jsonType(doc))}}
	}
	return v.template(t, "", "$")
}

// template validates a parsed template. For a nested deployment's inline
// template, outer is the deployment's Resource locator and base the
// template's path in it ($.properties.template); both are empty/"$" at the
// top.
func (v *Validator) template(t map[string]any, outer, base string) []Problem {
	var out []Problem
	add := func(path, format string, args ...any) {
		out = append(out, Problem{Resource: outer, Path: path, Message: fmt.Sprintf(format, args...)})
	}
	prefix := ""
	if outer != "" {
		prefix = locIndex(outer) + ".properties.template."
	}
	for _, k := range sortedKeys(t) {
		if _, ok := envelopeKeys[k]; !ok {
			names := make([]string, 0, len(envelopeKeys))
			for n := range envelopeKeys {
				names = append(names, n)
			}
			add(base+member(k), "unknown template property %q: %s", k, hint(k, names))
		}
	}
	for _, k := range []string{"$schema", "contentVersion", "resources"} {
		if _, ok := t[k]; !ok && (outer == "" || k != "$schema") {
			add(base, "missing required property %q", k)
		}
	}
	if s, ok := t["$schema"]; ok {
		if str, _ := s.(string); !strings.Contains(str, "deploymentTemplate.json") {
			add(base+"['$schema']", "want a deploymentTemplate.json schema URL, got %v", s)
		}
	}
	if cv, ok := t["contentVersion"]; ok {
		if s, _ := cv.(string); !contentVersionRE.MatchString(s) {
			add(base+".contentVersion", "want a version like 1.0.0.0, got %v", cv)
		}
	}
	for _, k := range []string{"metadata", "variables", "definitions"} {
		if x, ok := t[k]; ok {
			if _, isObj := x.(map[string]any); !isObj {
				add(base+"."+k, "wrong type: got %s, want object", jsonType(x))
			}
		}
	}
	for _, k := range []string{"parameters", "outputs"} {
		for _, p := range v.envelopeMap(t, k, base) {
			p.Resource = outer
			out = append(out, p)
		}
	}

	locate := func(loc, _ string, i int, child map[string]any, childType string) (string, string) {
		return fmt.Sprintf("%s.resources[%d] (%s)", locIndex(loc), i, describe(child, childType)), "$"
	}
	emit := func(p Problem) { out = append(out, p) }
	switch rs := t["resources"].(type) {
	case nil:
	case []any:
		for i, r := range rs {
			res, ok := r.(map[string]any)
			loc := fmt.Sprintf("%sresources[%d] (%s)", prefix, i, describe(res, fullType(res, "")))
			if !ok {
				emit(Problem{Resource: loc, Path: "$", Message: fmt.Sprintf("wrong type: got %s, want a resource object", jsonType(r))})
				continue
			}
			v.tree(res, "", loc, "$", emit, locate)
		}
	case map[string]any:
		for _, name := range sortedKeys(rs) {
			res, ok := rs[name].(map[string]any)
			loc := fmt.Sprintf("%sresources[%s] (%s)", prefix, strconv.Quote(name), describe(res, fullType(res, "")))
			if !ok {
				emit(Problem{Resource: loc, Path: "$", Message: fmt.Sprintf("wrong type: got %s, want a resource object", jsonType(rs[name]))})
				continue
			}
			v.tree(res, "", loc, "$", emit, locate)
		}
	default:
		add(base+".resources", "wrong type: got %s, want array (or object keyed by symbolic name)", jsonType(rs))
	}
	return out
}

// envelopeMap checks the template's parameters or outputs map entry by entry
// against the deployment template schema.
func (v *Validator) envelopeMap(t map[string]any, key, base string) []Problem {
	x, ok := t[key]
	if !ok {
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok {
		return []Problem{{Path: base + "." + key, Message: fmt.Sprintf("wrong type: got %s, want object", jsonType(x))}}
	}
	sch, err := v.compile(SchemaBaseURL + templateSchema + envelopeKeys[key])
	if err != nil {
		return []Problem{{Path: base + "." + key, Message: err.Error()}}
	}
	var out []Problem
	for _, name := range sortedKeys(m) {
		out = append(out, validateValues(sch, m[name], base+"."+key+member(name))...)
	}
	return out
}

// locIndex strips the " (type name)" description from a Resource locator.
func locIndex(loc string) string {
	if j := strings.Index(loc, " ("); j >= 0 {
		return loc[:j]
	}
	return loc
}

// describe renders "type name" for a resource locator.
func describe(res map[string]any, typ string) string {
	if typ == "" {
		typ = "?"
	}
	name, ok := res["name"].(string)
	if !ok {
		return typ
	}
	return typ + " " + name
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

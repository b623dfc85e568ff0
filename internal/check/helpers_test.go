package check_test

import (
	"encoding/json"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	designs "github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
)

func reference(t testing.TB) *arm.Template { return designs.Reference(t) }

func build(t testing.TB, tmpl *arm.Template) *twin.Twin { return designs.Model(t, tmpl) }

func find(t testing.TB, tmpl *arm.Template, typ, name string) *arm.Resource {
	return designs.Find(t, tmpl, typ, name)
}

func first(t testing.TB, tmpl *arm.Template, typ string) *arm.Resource {
	return designs.First(t, tmpl, typ)
}

// set writes v at a dotted path below r's properties, creating maps.
func set(r *arm.Resource, path string, v any) {
	if r.Properties == nil {
		r.Properties = map[string]any{}
	}
	m := r.Properties
	keys := splitPath(path)
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	if v == nil {
		delete(m, keys[len(keys)-1])
		return
	}
	m[keys[len(keys)-1]] = v
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

// addJSON appends resources written as a JSON array literal.
func addJSON(t testing.TB, tmpl *arm.Template, js string) {
	t.Helper()
	var rs []arm.Resource
	if err := json.Unmarshal([]byte(js), &rs); err != nil {
		t.Fatalf("fixture JSON: %v", err)
	}
	tmpl.Resources = append(tmpl.Resources, rs...)
}

// remove drops the template resources for which drop returns true.
func remove(tmpl *arm.Template, drop func(*arm.Resource) bool) {
	var out []arm.Resource
	for i := range tmpl.Resources {
		if !drop(&tmpl.Resources[i]) {
			out = append(out, tmpl.Resources[i])
		}
	}
	tmpl.Resources = out
}

// subnet returns the properties map of a VNet's inline subnet.
func subnet(t testing.TB, tmpl *arm.Template, vnet, name string) map[string]any {
	t.Helper()
	for _, s := range find(t, tmpl, "Microsoft.Network/virtualNetworks", vnet).Properties["subnets"].([]any) {
		if s.(map[string]any)["name"] == name {
			return s.(map[string]any)["properties"].(map[string]any)
		}
	}
	t.Fatalf("no subnet %s in %s", name, vnet)
	return nil
}

// pool returns an agent pool profile of the cluster.
func pool(t testing.TB, tmpl *arm.Template, name string) map[string]any {
	t.Helper()
	for _, p := range first(t, tmpl, "Microsoft.ContainerService/managedClusters").Properties["agentPoolProfiles"].([]any) {
		if p.(map[string]any)["name"] == name {
			return p.(map[string]any)
		}
	}
	t.Fatalf("no pool %s", name)
	return nil
}

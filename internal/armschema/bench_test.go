package armschema

import (
	"fmt"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/testenv"
)

// fortyResourceTemplate builds a 40-resource template from the fixtures
// (cycled, renamed so names stay distinct).
func fortyResourceTemplate(t testing.TB) []byte {
	t.Helper()
	fx := allFixtures()
	var resources []any
	for i := 0; len(resources) < 40; i++ {
		f := fx[i%len(fx)]
		res := parseJSON(t, f.json)
		if name, ok := res["name"].(string); ok && !IsExpression(name) && i >= len(fx) {
			res["name"] = fmt.Sprintf("%s%d", name, i)
		}
		resources = append(resources, res)
	}
	return mustJSON(t, map[string]any{
		"$schema":        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		"contentVersion": "1.0.0.0",
		"parameters":     map[string]any{"location": map[string]any{"type": "string"}},
		"resources":      resources,
	})
}

// TestTimings validates the 40-resource template with a fresh Validator,
// cold then warm, and logs where the time goes. The second run must read
// no schema file and compile nothing new.
func TestTimings(t *testing.T) {
	tmpl := fortyResourceTemplate(t)
	start := time.Now()
	v, err := Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	loadTime := time.Since(start)
	start = time.Now()
	if ps := v.ValidateTemplate(tmpl); len(ps) != 0 {
		t.Fatalf("40-resource template has problems: %v", ps)
	}
	cold := time.Since(start)
	before := v.Stats()
	start = time.Now()
	if ps := v.ValidateTemplate(tmpl); len(ps) != 0 {
		t.Fatalf("40-resource template has problems on the second run: %v", ps)
	}
	warm := time.Since(start)
	after := v.Stats()
	if after.FilesLoaded != before.FilesLoaded || after.Compiles != before.Compiles {
		t.Errorf("warm run loaded %d files and compiled %d schemas, want none",
			after.FilesLoaded-before.FilesLoaded, after.Compiles-before.Compiles)
	}
	t.Logf("Load %v; cold ValidateTemplate %v (files %d read in %v, %d compiles in %v); warm %v",
		loadTime, cold, before.FilesLoaded, before.LoadTime, before.Compiles, before.CompileTime, warm)
}

// BenchmarkValidateTemplate40 measures a warm Validator on a 40-resource
// template (the steady state of a CLI run that validates several designs,
// and of tests sharing a Validator).
func BenchmarkValidateTemplate40(b *testing.B) {
	v := testValidator(b)
	tmpl := fortyResourceTemplate(b)
	if ps := v.ValidateTemplate(tmpl); len(ps) != 0 { // warm-up
		b.Fatalf("problems: %v", ps)
	}
	b.ReportAllocs()
	for b.Loop() {
		v.ValidateTemplate(tmpl)
	}
}

// BenchmarkColdVirtualNetwork measures the first validation with a fresh
// Validator: reading the 1 MB Network schema and compiling one definition.
func BenchmarkColdVirtualNetwork(b *testing.B) {
	dir := testenv.Testdata(b, "arm-schemas")
	res := parseJSON(b, networkFixtures[0].json)
	for b.Loop() {
		v, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if ps := v.ValidateResource(res); len(ps) != 0 {
			b.Fatalf("problems: %v", ps)
		}
	}
}

package compile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armschema"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func reference(t testing.TB) *spec.Design {
	t.Helper()
	d, _, err := spec.Default()
	if err != nil {
		t.Fatalf("reference design: %v", err)
	}
	return d
}

func artifacts(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := Artifacts(reference(t))
	if err != nil {
		t.Fatalf("Artifacts: %v", err)
	}
	return files
}

func TestGolden(t *testing.T) {
	for name, got := range artifacts(t) {
		golden := filepath.Join("testdata", "reference", strings.TrimSuffix(name, ".json")+".golden.json")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/compile -update)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from %s (-want +got); run with -update if intended:\n%s", name, golden, diff)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := artifacts(t)
	for range 3 {
		b := artifacts(t)
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Fatalf("%s differs between two compilations of the same design", name)
			}
		}
	}
	// Round trip through the YAML the user edits gives the same bytes.
	d, _, err := spec.Parse("init.yaml", spec.ReferenceYAML())
	if err != nil {
		t.Fatal(err)
	}
	c, err := Artifacts(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a["azuredeploy.json"], c["azuredeploy.json"]) {
		t.Errorf("template from `privaks init` output differs from the embedded design's")
	}
}

// TestSchemaValid validates every generated resource against the official
// schema of its type and API version, with unknown property names as errors.
func TestSchemaValid(t *testing.T) {
	v, err := armschema.Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	files := artifacts(t)
	for _, p := range v.ValidateTemplate(files["azuredeploy.json"]) {
		t.Errorf("schema: %s", p)
	}
}

// TestSchemaCatchesMisspelling proves the schema test above could fail: a
// misspelled property deep in the cluster is rejected.
func TestSchemaCatchesMisspelling(t *testing.T) {
	v, err := armschema.Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Compile(reference(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range tmpl.Resources {
		r := &tmpl.Resources[i]
		if r.Is(tAKS) {
			api := r.Properties["apiServerAccessProfile"].(map[string]any)
			api["enablePrivateClusterPublicFqdn"] = api["enablePrivateClusterPublicFQDN"] // wrong case is still known
			api["privateDnsZoneTypo"] = "x"
		}
	}
	b, _ := arm.Marshal(tmpl)
	probs := v.ValidateTemplate(b)
	found := false
	for _, p := range probs {
		if strings.Contains(p.String(), "privateDnsZoneTypo") {
			found = true
		}
	}
	if !found {
		t.Errorf("misspelled property not reported; problems: %v", probs)
	}
}

func TestNoSecretInArtifacts(t *testing.T) {
	for name, b := range artifacts(t) {
		s := string(b)
		for _, bad := range []string{"BEGIN RSA", "BEGIN OPENSSH PRIVATE", "password\":", "adminPassword"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	tmpl, _ := Compile(reference(t))
	p := tmpl.Parameters[ParamAgentToken]
	if p.Type != "securestring" || p.DefaultValue != "" {
		t.Errorf("agent token parameter must be a securestring without a value, got %+v", p)
	}
}

func BenchmarkCompileReference(b *testing.B) {
	d := reference(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Artifacts(d); err != nil {
			b.Fatal(err)
		}
	}
}

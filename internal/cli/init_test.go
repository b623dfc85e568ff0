package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// init writes the spec with a yaml-language-server line and the schema it
// names; the schema on disk accepts the spec on disk (what an editor does).
func TestInitWritesSchemaEditorsUse(t *testing.T) {
	for _, extra := range [][]string{nil, {"--on-prem", "10.0.0.0/16"}} {
		dir := t.TempDir()
		specPath := filepath.Join(dir, "lz.yaml")
		args := append([]string{"init", "-f", specPath}, extra...)
		if code, _, e := run(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		doc, err := os.ReadFile(specPath)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(doc), "\n")
		if first != "# yaml-language-server: $schema=./"+SchemaFile {
			t.Errorf("first line %q", first)
		}
		raw, err := os.ReadFile(filepath.Join(dir, SchemaFile))
		if err != nil {
			t.Fatalf("schema not written beside the spec: %v", err)
		}
		sdoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("file:///privaks.schema.json", sdoc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("file:///privaks.schema.json")
		if err != nil {
			t.Fatal(err)
		}
		j, err := yaml.YAMLToJSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%v: the schema init wrote rejects the spec init wrote:\n%v", args, err)
		}
		// And the spec still plans.
		if code, _, e := run(t, "plan", "-f", specPath, "--out", filepath.Join(dir, "out")); code != 0 {
			t.Errorf("plan of the written spec: exit %d: %s", code, e)
		}
	}
}

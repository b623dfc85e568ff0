// Package spectest checks spec files against the JSON Schema that
// `privaks schema` prints, with santhosh-tekuri/jsonschema (draft 2020-12,
// formats asserted). Test support: fixture runs every variant spec the
// tests compile through it, so the schema can never reject a spec the
// loader accepts without a test failing.
package spectest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/privaks/privaks/internal/spec"
)

var (
	once     sync.Once
	compiled *jsonschema.Schema
	errOnce  error
)

// Schema returns the compiled spec schema.
func Schema() (*jsonschema.Schema, error) {
	once.Do(func() {
		b, err := spec.JSONSchema()
		if err != nil {
			errOnce = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			errOnce = fmt.Errorf("schema is not JSON: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(spec.SchemaID, doc); err != nil {
			errOnce = err
			return
		}
		compiled, errOnce = c.Compile(spec.SchemaID)
	})
	return compiled, errOnce
}

// ValidateYAML validates one spec document against the schema.
func ValidateYAML(data []byte) error {
	s, err := Schema()
	if err != nil {
		return err
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return fmt.Errorf("YAML as JSON: %w", err)
	}
	return s.Validate(inst)
}

// Parse loads a spec a test needs, failing the test if the loader refuses
// it or if the schema rejects what the loader accepts.
func Parse(tb testing.TB, name string, data []byte) *spec.Design {
	tb.Helper()
	d, _, err := spec.Parse(name, data)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if err := ValidateYAML(data); err != nil {
		tb.Fatalf("%s is valid but `privaks schema` rejects it:\n%v", name, err)
	}
	return d
}

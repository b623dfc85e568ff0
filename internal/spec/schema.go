package spec

import (
	"encoding/json"

	"github.com/invopop/jsonschema"
)

// JSONSchema returns the JSON Schema of the spec file, generated from the Go
// types (their yaml names, enums, patterns and descriptions), for editors
// such as VS Code's YAML extension.
func JSONSchema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true, // nothing is required: defaults fill every field
		DoNotReference:             false,
	}
	s := r.Reflect(&File{})
	s.ID = "https://privaks.dev/schemas/v1alpha1/landingzone.json"
	s.Title = "privaks landing zone"
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

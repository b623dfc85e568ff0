package arm

import (
	"bytes"
	"encoding/json"
)

// SchemaResourceGroup is the $schema of a resource-group-scope template.
const SchemaResourceGroup = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

// SchemaParameters is the $schema of a parameters file.
const SchemaParameters = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"

// Template is an ARM deployment template (language version 1.0).
type Template struct {
	Schema         string `json:"$schema"`
	ContentVersion string `json:"contentVersion"`
	// LanguageVersion is "2.0" for templates with symbolic resource names.
	LanguageVersion string `json:"languageVersion,omitempty"`
	// Definitions are user-defined types, referred to by "$ref".
	Definitions map[string]any       `json:"definitions,omitempty"`
	Metadata    map[string]any       `json:"metadata,omitempty"`
	Parameters  map[string]Parameter `json:"parameters,omitempty"`
	Variables   map[string]any       `json:"variables,omitempty"`
	Functions   []any                `json:"functions,omitempty"`
	Resources   []Resource           `json:"resources"`
	Outputs     map[string]Output    `json:"outputs,omitempty"`
}

// Parameter declares a template parameter.
type Parameter struct {
	Type string `json:"type"`
	// Ref names a user-defined type ("#/definitions/x") instead of Type.
	Ref string `json:"$ref,omitempty"`
	// Nullable parameters without a value are null, not required.
	Nullable      bool           `json:"nullable,omitempty"`
	DefaultValue  any            `json:"defaultValue,omitempty"`
	AllowedValues []any          `json:"allowedValues,omitempty"`
	MinLength     *int           `json:"minLength,omitempty"`
	MaxLength     *int           `json:"maxLength,omitempty"`
	MinValue      *int           `json:"minValue,omitempty"`
	MaxValue      *int           `json:"maxValue,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
	// Line and Column are where the declaration starts in its template
	// (0 when not read from a file): a missing required value is reported
	// there.
	Line, Column int `json:"-"`
}

// Output declares a template output.
type Output struct {
	Type      string `json:"type"`
	Value     any    `json:"value,omitempty"`
	Condition any    `json:"condition,omitempty"`
	// Copy is an output loop: {"count", "input"}.
	Copy any `json:"copy,omitempty"`
}

// ParametersFile is an azuredeploy.parameters.json document.
type ParametersFile struct {
	Schema         string                    `json:"$schema"`
	ContentVersion string                    `json:"contentVersion"`
	Parameters     map[string]ParameterValue `json:"parameters"`
}

// ParameterValue is one entry of a parameters file: a value or a Key Vault
// reference.
type ParameterValue struct {
	Value     any            `json:"value,omitempty"`
	Reference map[string]any `json:"reference,omitempty"`
}

// Marshal writes v as indented JSON with a trailing newline and without HTML
// escaping, so that ARM expressions such as "[concat('a', 'b')]" and
// "&&" in scripts stay readable. Map keys are sorted by encoding/json, so the
// output is deterministic.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

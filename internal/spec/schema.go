package spec

import _ "embed"

// SchemaID is the schema's $id; `privaks schema` prints it and `privaks
// init` points the YAML language server at a copy of it.
const SchemaID = "https://privaks.dev/schemas/" + "v1alpha1" + "/landingzone.json"

// schemaJSON is generated from the Go types and the constraints table
// (schemagen_test.go; TestSchemaFileIsGenerated fails when it is stale),
// not reflected at run time: invopop/jsonschema and what it links
// (go/parser, an ordered map, a YAML library) would be initialised by
// every command.
//
//go:embed landingzone.schema.json
var schemaJSON []byte

// JSONSchema returns the JSON Schema (draft 2020-12) of the spec file, for
// editors such as VS Code's YAML extension.
func JSONSchema() ([]byte, error) {
	return append([]byte(nil), schemaJSON...), nil
}

// Package armschema validates ARM template resources against the official
// Azure Resource Manager JSON schemas (github.com/Azure/azure-resource-manager-schemas),
// kept locally as <apiVersion>/<provider>.json files.
//
// Validation is two passes over each resource:
//
//  1. Value validation: the resource is validated with
//     github.com/santhosh-tekuri/jsonschema/v6 against the resourceDefinitions
//     entry for its type and apiVersion (draft-04). References to
//     https://schema.management.azure.com/schemas/... resolve to the local
//     folder; any other URL is refused, so validation never touches the
//     network. The library's error tree is reduced to readable leaf problems:
//     oneOf/anyOf failures report the branch the value was evidently meant
//     for, never the ARM "expression" alternative, and any error located at an
//     ARM expression string ("[...]") is dropped, since an expression
//     satisfies any schema at its position.
//
//  2. Strict names: the schemas never say additionalProperties:false, so a
//     misspelled property passes value validation. This package walks the
//     schema alongside the value (its own code: no JSON Schema library does
//     this) and reports every property name the schema does not declare, the
//     way Bicep's BCP037 does. See strict.go for the rules.
//
// Schema files are read at most once and compiled lazily, one resource
// definition at a time, so validating a handful of types touches a handful of
// files. A Validator is safe for concurrent use.
package armschema

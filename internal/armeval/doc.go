// Package armeval reads ARM deployment templates (JSON with comments, as ARM
// accepts them) and evaluates them into an arm.Set of concrete resources.
//
// Evaluation follows Azure Resource Manager's own rules as far as they can be
// known offline: parameters (with parameter files whose values are always
// literals, checked against the declared types with WithParams), nullable
// parameters and user-defined types (definitions, $ref), variables,
// user-defined functions, lambdas, conditions, copy loops (resource,
// property, variable and output), child resources nested in a parent's
// "resources" array, legacy "<type>/providers/<extension>" resources,
// extension resources with "scope", languageVersion 2.0 templates (symbolic
// names, existing resources), every deployment scope ($schema: resource
// group, subscription, management group, tenant), and nested deployments
// (inline, or linked by templateLink.relativePath and read from disk; inner
// and outer expression scope; other resource groups, subscriptions and
// management groups, including resource groups the template creates).
// Values that only exist at deployment time (reference(), list*(),
// utcNow(), newGuid(), parameters without a value) become arm.Unknown
// values, never guessed strings.
//
// Set.Coverage counts the resources declared after conditions and copy
// loops and lists each one left out with its file:line:column, the
// expression that failed and the function or form missing. Every input is
// bounded: ARM's documented limits (template and parameters file size,
// parameters, variables, outputs, expression length, copy count) and
// privaks's own bounds on JSON and expression depth, call depth,
// deployment nesting and evaluation work (limits.go) end the evaluation
// with a *LimitError, which is bad input.
//
// The evaluated Set follows these conventions:
//
//   - Every resource's ID is concrete. A resource whose name is only known
//     at deployment time is reported as an error and left out.
//   - Extension resources, whether written with "scope" or in the legacy
//     "<type>/providers/<extension type>" form, get the extension's own
//     type and name (Microsoft.Authorization/roleAssignments, "<guid>"),
//     the ID "<scope ID>/providers/<type>/<name>" and Scope = the extended
//     resource's ID.
//   - A value that is only known at deployment time in a string field
//     (Location, Kind, APIVersion) is left empty there and kept, as the
//     arm.Unknown, in Extra under the field's JSON name.
//   - A resource whose condition is unknown is kept, with the Unknown in
//     Condition; one whose condition is false is dropped, and dependsOn
//     entries naming it are dropped too.
//   - An inline nested deployment (Microsoft.Resources/deployments with
//     properties.template) is kept without its "template"; its resources
//     are in the Set and its evaluated outputs are in properties.outputs
//     ({"name": {"type", "value"}}), where reference() reads them. Linked
//     templates by relativePath are read with WithLinkedTemplates; by URI
//     (templateLink.uri, .id) they are never fetched.
package armeval

// Package armeval reads ARM deployment templates (JSON with comments, as ARM
// accepts them) and evaluates them into an arm.Set of concrete resources.
//
// Evaluation follows Azure Resource Manager's own rules as far as they can be
// known offline: parameters (with parameter files whose values are always
// literals), variables, conditions, copy loops (resource, property and
// variable), child resources nested in a parent's "resources" array, legacy
// "<type>/providers/<extension>" resources, extension resources with "scope",
// and inline nested deployments (inner and outer expression scope, other
// resource groups and subscriptions). Values that only exist at deployment
// time (reference(), list*(), utcNow(), newGuid(), missing required
// parameters) become arm.Unknown values, never guessed strings.
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
//     templates (templateLink) are not fetched.
package armeval

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
package armeval

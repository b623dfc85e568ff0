// Package arm is privaks' one vocabulary: Azure Resource Manager resources,
// resource IDs and deployment templates.
//
// Everything downstream of the spec compiler (checks, verifier, deploy,
// renderers) reads a Set of Resources, never the spec, so the same analyses
// run on a privaks-compiled design, a third-party template or a live
// subscription read back through ARM.
//
// A Resource is kept in template form: values may be ARM expressions
// ("[resourceId(...)]"). Package armeval evaluates a Template into a Set of
// concrete resources in which unknowable values (reference() results) are
// kept as named Unknowns rather than guessed.
package arm

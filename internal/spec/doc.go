// Package spec reads the privaks landing-zone file (privaks.yaml): strict
// YAML decoding with line:column errors, defaults applied in one place
// (defaults.go), validation that reports every problem with its location,
// and the embedded reference design.
package spec

// Package tfread reads a Terraform root module statically — no provider,
// no credentials, no network — and produces the same arm.Set the ARM
// evaluator produces for the same design, so the twin, checks and
// verifier never know the source.
//
// The configuration is parsed with hashicorp/hcl/v2 and evaluated with
// go-cty: variables (defaults, -var, -var-file, terraform.tfvars,
// *.auto.tfvars), locals, local modules and those `terraform init` placed
// under .terraform/modules, count, for_each, dynamic blocks, conditionals,
// splats, depends_on and Terraform's built-in functions. A value known
// only after apply (a managed identity's principal_id, a cluster's OIDC
// issuer URL) is a cty unknown carrying a mark that names it; it becomes an
// arm.Unknown naming the ARM resource and property, exactly as armeval's
// reference() unknowns do. References between resources stay symbolic: an
// azurerm_subnet's id is that subnet's ARM resource ID.
//
// Each azurerm (3.x and 4.x attribute names) or azapi resource type the
// twin models has a mapping (map_*.go) to its ARM type and properties;
// every other resource, a module not on disk, and a data source without
// given values is recorded in the set's Coverage as left out, with its
// place and reason. ReadPlan reads `terraform show -json` output and
// overlays its planned values.
package tfread

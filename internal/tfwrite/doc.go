// Package tfwrite writes a Terraform root module from an arm.Set — the
// same set the twin and the verifier read — so any design privaks holds,
// the reference design or a third-party template, can be deployed with
// Terraform and read back through internal/tfread to the same set.
//
// The module pins the azurerm provider of the major the shared provider
// schema describes (5.x) and azapi 2.x. Each ARM type with an azurerm
// writer (azurerm*.go) becomes that azurerm resource; every other type,
// and every resource whose properties an azurerm writer cannot carry,
// becomes an azapi_resource with type@apiVersion and its ARM body, so no
// resource of any set is dropped. References between resources are
// Terraform references (azurerm_subnet.x.id), values known only after
// apply (arm.Unknown) are the attributes that produce them, the VMs'
// customData is a file beside the module read with filebase64, and the
// only values a user gives are variables: the SSH public key and, for a
// Key Vault secret's value, a sensitive, ephemeral variable passed
// through azapi's write-only sensitive_body so it reaches neither a file,
// the plan nor the state.
//
// The HCL is produced with hashicorp/hcl/v2/hclwrite and is deterministic:
// files, blocks and attributes are written in a fixed order.
package tfwrite

// Package conventions holds the names privaks writes into a resource set and
// reads back from it: the tags that carry a workload's intent on its
// identity, the Application Gateway frontend ports, the Workload ID
// audience. The compiler writes them; the verifier and the renderer read
// them from any copy of the set (template or live), never from the spec.
package conventions

// Tags on a workload's user-assigned identity.
const (
	TagWorkload       = "privaks-workload"
	TagNamespace      = "privaks-namespace"
	TagServiceAccount = "privaks-service-account"
	TagSecrets        = "privaks-secrets" // comma-separated Key Vault secret names
	TagExposure       = "privaks-exposure"
	TagImage          = "privaks-image"
	TagKeyVault       = "privaks-keyvault" // optional: the vault, when a set has several
)

// Frontend ports of the Application Gateway. Public and private listeners
// must not share a port (AGIC issues #948/#672, prior-art §5J), so private
// ingresses use 8080 (AGIC annotation override-frontend-port).
const (
	PublicFrontendPort  = 80
	PrivateFrontendPort = 8080
)

// FederatedAudience is the audience Microsoft Entra Workload ID tokens carry.
const FederatedAudience = "api://AzureADTokenExchange"

// WorkloadIdentityName is the user-assigned identity of a workload.
func WorkloadIdentityName(workload string) string { return "id-wl-" + workload }

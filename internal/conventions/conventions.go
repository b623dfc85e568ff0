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

// Frontend ports of the Application Gateway: every exposed workload has an
// HTTPS listener on 443 and an HTTP listener on 80 that redirects to it, on
// the public or the private frontend. Application Gateway v2 accepts the
// same port on both frontends (learn.microsoft.com "Application Gateway
// frontend IP address configuration"; the AGIC issues #948/#672 date from
// before), so private ingresses need no port override.
const (
	HTTPSPort = 443
	HTTPPort  = 80
)

// TagHost is the identity tag carrying a workload's host name (the
// listeners' hostName and the Ingress host).
const TagHost = "privaks-host"

// FederatedAudience is the audience Microsoft Entra Workload ID tokens carry.
const FederatedAudience = "api://AzureADTokenExchange"

// WorkloadIdentityName is the user-assigned identity of a workload.
func WorkloadIdentityName(workload string) string { return "id-wl-" + workload }

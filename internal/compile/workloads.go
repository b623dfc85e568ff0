package compile

import (
	"strings"

	"github.com/privaks/privaks/internal/conventions"

	"github.com/privaks/privaks/internal/arm"
)

// Tags privaks puts on a workload identity (package conventions).
const (
	TagWorkload       = conventions.TagWorkload
	TagNamespace      = conventions.TagNamespace
	TagServiceAccount = conventions.TagServiceAccount
	TagSecrets        = conventions.TagSecrets
	TagExposure       = conventions.TagExposure
	TagImage          = conventions.TagImage
	TagHost           = conventions.TagHost
)

// WorkloadIdentityName is the user-assigned identity of a workload.
func WorkloadIdentityName(workload string) string { return "id-wl-" + workload }

// FederatedAudience is the audience Microsoft Entra Workload ID tokens carry.
const FederatedAudience = "api://AzureADTokenExchange"

// workloads writes, for each workload, its identity, a federated credential
// trusting exactly its service account on this cluster's OIDC issuer, and
// Key Vault Secrets User on the vault. Credentials on one identity are
// chained so ARM never writes two concurrently (azure-rules.md §5, [S45]).
func (b *builder) workloads() {
	d := b.d
	for _, w := range d.Workloads {
		id := WorkloadIdentityName(w.Name)
		uami := b.resource(tUAMI, apiIdentity, id, map[string]any{})
		// Tags carry the workload's intent in the resource set itself, so
		// the verifier derives "this identity must read these secrets"
		// from any copy of the set (template or live), not from the spec.
		tags := map[string]any{
			TagWorkload:       w.Name,
			TagNamespace:      w.Namespace,
			TagServiceAccount: w.ServiceAccount,
			TagSecrets:        strings.Join(w.Secrets, ","),
			TagExposure:       w.Exposure,
			TagImage:          w.Image,
		}
		if w.Host != "" {
			tags[TagHost] = w.Host
		}
		uami.Tags = tags
		var prev *arm.Resource
		for _, subject := range []string{"system:serviceaccount:" + w.Namespace + ":" + w.ServiceAccount} {
			fic := b.add(&arm.Resource{Type: tFIC, APIVersion: apiIdentity, Name: id + "/fic-" + w.Name,
				Properties: map[string]any{
					"issuer":    ref(tAKS, apiAKS, "oidcIssuerProfile.issuerURL", d.AKSName),
					"subject":   subject,
					"audiences": []any{FederatedAudience},
				}})
			if prev != nil {
				b.dependOn(fic, prev)
			}
			prev = fic
		}
		b.roleAssignment(tVault, []string{d.KeyVaultName}, roleKeyVaultSecretsUser, uamiPrincipal(id),
			"Workload "+w.Name+" reads its secrets with Workload ID")
	}
}

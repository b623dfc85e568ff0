package check

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
	"github.com/privaks/privaks/internal/twin"
)

var ruleSecretScope = Rule{
	ID: "PVK111", Slug: "secret-reader-on-whole-vault", Severity: Info,
	Title:     "Workload identities read only their own secrets",
	Rationale: "A role that reads secrets (Key Vault Secrets User) granted on the vault, its resource group or subscription lets the identity read every secret in the vault, not only the ones its workload declares. Granting it on each secret limits a compromised pod to its own secrets; that needs the secrets to exist when the role is assigned, which is why privaks' reference design grants it on the vault (it never writes application secret values) and reports it here.",
	Fix:       "Assign Key Vault Secrets User on each secret (scope …/vaults/<vault>/secrets/<name>) once the secrets exist, or give each workload its own vault.",
	Doc:       docKVRBAC,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, id := range c.Twin.Identities {
			wl := id.Tags[conventions.TagWorkload]
			if wl == "" {
				continue
			}
			for _, ra := range c.Twin.RolesOf(id.Key) {
				if !isSecretReader(ra.Role) || strings.Contains(strings.ToLower(string(ra.Scope)), "/secrets/") {
					continue
				}
				out = append(out, at(id.Resource, "workload %s's identity %s holds %s on %s: it can read every secret there, not only %s",
					wl, id.Name, twin.RoleName(ra.Role), scopeName(ra.Scope), id.Tags[conventions.TagSecrets]))
			}
		}
		return out
	},
}

func isSecretReader(role string) bool {
	for _, r := range twin.SecretReaderRoles {
		if r == role {
			return true
		}
	}
	return false
}

func scopeName(id arm.ResourceID) string {
	if p, err := arm.ParseResourceID(string(id)); err == nil && p.Namespace != "" {
		return p.Type() + " " + p.Name()
	}
	return string(id)
}

package verify

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
	"github.com/privaks/privaks/internal/twin"
)

// FederatedAudience is the audience Workload ID tokens carry.
const FederatedAudience = conventions.FederatedAudience

// workloadIntents derives, for each identity that declares a workload
// (tags privaks writes), one intent per secret: the pods' DNS and packets
// reach the vault, the federated credential trusts exactly the workload's
// service account on this cluster's issuer, and the identity holds a role
// that reads secrets on the vault (in RBAC mode).
func workloadIntents(t *twin.Twin) []Intent {
	var out []Intent
	for _, id := range t.Identities {
		wl := id.Tags[tagWorkload]
		if wl == "" {
			continue
		}
		ns, sa := id.Tags[tagNamespace], id.Tags[tagSA]
		for _, secret := range splitList(id.Tags[tagSecrets]) {
			id, secret := id, secret
			out = append(out, Intent{
				Name: fmt.Sprintf("workload %s → secret %s", wl, secret),
				From: fmt.Sprintf("%s/%s (identity %s)", ns, sa, id.Name),
				To:   secret,
				Check: func(t *twin.Twin, r *Result) {
					checkWorkload(t, id, ns, sa, secret, r)
				},
			})
		}
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func checkWorkload(t *twin.Twin, id *twin.Identity, ns, sa, secret string, r *Result) {
	v := workloadVault(t, id)
	if v == nil {
		r.fail("identity", "no key vault for workload identity %s (tag %s or a single vault in the set)", id.Name, tagVault)
		return
	}
	c, fic := workloadCluster(t, id, ns, sa, r)
	if c == nil {
		return
	}
	r.ok("identity", "federated credential %s: issuer is %s's OIDC issuer, subject system:serviceaccount:%s:%s, audience %s", fic.Name, c.Name, ns, sa, FederatedAudience)
	// Pods run on the cluster's user pools (or any pool): take the first
	// pool that is not tainted for system use.
	pool := c.Pools[len(c.Pools)-1]
	for _, p := range c.Pools {
		if !strings.EqualFold(p.Mode, "System") {
			pool = p
			break
		}
	}
	if !vaultPath(t, v, pool.Client(), r) {
		return
	}
	secretID := arm.ResourceID(string(v.ID) + "/secrets/" + secret)
	if !v.RBAC {
		if id.PrincipalID != "" && v.AccessPolicies[id.PrincipalID] {
			r.ok("identity", "access policy of %s lets %s get secrets", v.Name, id.Name)
			return
		}
		r.fail("identity", "key vault %s is in access-policy mode and no policy lets %s get secrets (Key Vault Secrets User works only with enableRbacAuthorization)", v.Name, id.Name)
		return
	}
	ra, ok := t.HasRole(id.Key, twin.SecretReaderRoles, secretID)
	if !ok {
		r.fail("identity", "identity %s holds no role that reads secrets (e.g. Key Vault Secrets User) on %s or above", id.Name, v.Name)
		return
	}
	scope := "the vault"
	if strings.EqualFold(string(ra.Scope), string(secretID)) {
		scope = "the secret"
	} else if !strings.EqualFold(string(ra.Scope), string(v.ID)) {
		scope = string(ra.Scope)
	}
	r.ok("identity", "%s holds %s on %s", id.Name, twin.RoleName(ra.Role), scope)
}

// workloadVault is the vault named by the identity's tag, or the only one.
func workloadVault(t *twin.Twin, id *twin.Identity) *twin.Vault {
	if name := id.Tags[tagVault]; name != "" {
		for _, v := range t.Vaults {
			if strings.EqualFold(v.Name, name) {
				return v
			}
		}
		return nil
	}
	if len(t.Vaults) == 1 {
		return t.Vaults[0]
	}
	return nil
}

// workloadCluster finds the cluster whose issuer one of the identity's
// federated credentials trusts for exactly ns/sa.
func workloadCluster(t *twin.Twin, id *twin.Identity, ns, sa string, r *Result) (*twin.Cluster, *twin.FederatedCredential) {
	if len(id.Credentials) == 0 {
		r.fail("identity", "identity %s has no federated credential: pods cannot exchange their service account token for it", id.Name)
		return nil, nil
	}
	subject := "system:serviceaccount:" + ns + ":" + sa
	var why []string
	for _, f := range id.Credentials {
		c := issuerCluster(t, f.Issuer)
		switch {
		case c == nil:
			why = append(why, fmt.Sprintf("credential %s trusts issuer %s, which is no cluster's in this design", f.Name, describeIssuer(f.Issuer)))
		case !c.OIDC || !c.WorkloadIdentity:
			why = append(why, fmt.Sprintf("cluster %s has OIDC issuer %v and workload identity %v: both must be on", c.Name, c.OIDC, c.WorkloadIdentity))
		case f.Subject != subject:
			why = append(why, fmt.Sprintf("credential %s has subject %q, the workload's service account is %q (AADSTS70021)", f.Name, f.Subject, subject))
		case !contains(f.Audiences, FederatedAudience):
			why = append(why, fmt.Sprintf("credential %s has audiences %v, want %s", f.Name, f.Audiences, FederatedAudience))
		default:
			return c, f
		}
	}
	r.fail("identity", "%s", strings.Join(why, "; "))
	return nil, nil
}

func issuerCluster(t *twin.Twin, issuer any) *twin.Cluster { return t.IssuerCluster(issuer) }

func describeIssuer(v any) string {
	if u, ok := v.(arm.Unknown); ok {
		return u.String()
	}
	return fmt.Sprint(v)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

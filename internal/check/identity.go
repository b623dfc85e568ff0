package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Identity and role rules (azure-rules.md §3).

const (
	roleOwner          = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	roleContributor    = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	roleNetworkContrib = "4d97b98b-1d4f-4787-a291-c67834d212e7"
	rolePrivateDNS     = "b12aa53e-6015-4669-85d0-8515ebb3ae7f"
	roleMIOperator     = "f1a07417-d97a-45cb-824c-7a7467783830"
)

// controlPlane returns the principal keys of a cluster's control-plane
// identity and whether it is user-assigned.
func controlPlane(cl *twin.Cluster) ([]string, bool) {
	if len(cl.ControlPlaneUAMIs) > 0 {
		var keys []string
		for _, u := range cl.ControlPlaneUAMIs {
			keys = append(keys, "uami:"+u.Key())
		}
		return keys, true
	}
	return []string{"system:" + cl.ID.Key()}, false
}

func hasAny(t *twin.Twin, keys []string, roles []string, target arm.ResourceID) bool {
	for _, k := range keys {
		if _, ok := t.HasRole(k, roles, target); ok {
			return true
		}
	}
	return false
}

var rulePrivateDNSContributor = Rule{
	ID: "PVK100", Slug: "aks-private-dns-zone-contributor", Severity: Error,
	Absent:    []string{"Microsoft.Authorization/roleAssignments"},
	Title:     "The control-plane identity holds Private DNS Zone Contributor on a custom zone",
	Rationale: "With a custom private zone AKS writes the API server record itself, as the control-plane identity; templates (unlike the CLI) must grant Private DNS Zone Contributor on the zone explicitly, or creation fails with customPrivateDNSZoneMissingPermission.",
	Fix:       "Add a role assignment of Private DNS Zone Contributor (b12aa53e-6015-4669-85d0-8515ebb3ae7f) on the zone to the control-plane identity, with principalType ServicePrincipal.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.DNSMode != "custom" || isUnknown(string(cl.PrivateZoneID)) {
				continue
			}
			keys, _ := controlPlane(cl)
			if hasAny(c.Twin, keys, []string{rolePrivateDNS, roleContributor, roleOwner}, cl.PrivateZoneID) {
				continue
			}
			if c.res(cl.PrivateZoneID) == nil {
				out = append(out, Finding{Resource: string(cl.ID), Severity: Info, Message: "zone " + lastSegment(cl.PrivateZoneID) + " is outside this resource set: cannot check the control-plane identity's Private DNS Zone Contributor role"})
				continue
			}
			out = append(out, at(cl.ID, "control-plane identity of %s has no Private DNS Zone Contributor on %s", cl.Name, lastSegment(cl.PrivateZoneID)))
		}
		return out
	},
}

var ruleNetworkContributor = Rule{
	ID: "PVK101", Slug: "aks-network-contributor", Severity: Error,
	Absent:    []string{"Microsoft.Authorization/roleAssignments"},
	Title:     "The control-plane identity holds Network Contributor on a BYO node subnet",
	Rationale: "With a bring-your-own VNet the cluster identity joins the node subnet, creates internal load balancers and (with system or custom zones) links the private zone to the VNet; it needs Network Contributor on the subnet or VNet. The CLI assigns it, templates must. A system-assigned identity cannot be granted the role before the cluster exists.",
	Fix:       "Use a user-assigned control-plane identity and grant it Network Contributor (4d97b98b-1d4f-4787-a291-c67834d212e7) on the VNet before the cluster.",
	Doc:       docMI,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			keys, user := controlPlane(cl)
			seen := map[*twin.Subnet]bool{}
			for _, p := range cl.Pools {
				if p.Subnet == nil || seen[p.Subnet] {
					continue
				}
				seen[p.Subnet] = true
				if hasAny(c.Twin, keys, []string{roleNetworkContrib, roleContributor, roleOwner}, p.Subnet.ID) {
					continue
				}
				f := at(cl.ID, "control-plane identity of %s has no Network Contributor on subnet %s", cl.Name, p.Subnet.Name)
				if !user {
					f.Severity = Warning
					f.Message += " (system-assigned: the role can only be granted after the cluster exists)"
				}
				out = append(out, f)
			}
		}
		return out
	},
}

var ruleAcrPull = Rule{
	ID: "PVK102", Slug: "kubelet-acrpull", Severity: Warning,
	Absent:    []string{"Microsoft.Authorization/roleAssignments"},
	Title:     "The kubelet identity can pull from the registry",
	Rationale: "Nodes pull images as the kubelet identity, which needs AcrPull on the registry (Container Registry Repository Reader in ABAC mode); templates must assign it explicitly, or pods stay in ImagePullBackOff.",
	Fix:       "Assign AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d) on the registry to the kubelet identity.",
	Doc:       docACRInteg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			k := c.Twin.KubeletKey(cl)
			for _, g := range c.Twin.Registries {
				if _, ok := c.Twin.HasRole(k, twin.PullRoles, g.ID); !ok {
					out = append(out, at(cl.ID, "kubelet identity of %s has no pull role on registry %s", cl.Name, g.Name))
				}
			}
		}
		return out
	},
}

var ruleSecretsUserRBAC = Rule{
	ID: "PVK103", Slug: "keyvault-role-needs-rbac", Severity: Error,
	Title:     "Key Vault data roles are assigned only on RBAC-mode vaults",
	Rationale: "Key Vault Secrets User (and the other data-plane roles) work only when enableRbacAuthorization is true; on an access-policy vault the assignment is silently ignored and the workload gets 403.",
	Fix:       "Set enableRbacAuthorization: true on the vault (default from API 2026-02-01), or grant an access policy instead.",
	Doc:       docKVRBAC,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.Vaults {
			r := c.res(v.ID)
			if v.RBAC || prop(r, "enableRbacAuthorization").unknown {
				continue
			}
			if !prop(r, "enableRbacAuthorization").set() && r.APIVersion >= "2026-02-01" {
				continue // RBAC is the default from 2026-02-01
			}
			for _, ra := range c.Twin.Roles {
				sk, vk := ra.Scope.Key(), v.ID.Key()
				if (sk == vk || strings.HasPrefix(sk, vk+"/")) && slices.Contains(twin.SecretReaderRoles, ra.Role) {
					out = append(out, at(ra.ID, "%s is assigned on vault %s, which uses access policies (enableRbacAuthorization is not true)", twin.RoleName(ra.Role), v.Name))
				}
			}
		}
		return out
	},
}

var ruleFICConcurrent = Rule{
	ID: "PVK104", Slug: "federated-credentials-concurrent", Severity: Error,
	Title:     "Federated credentials on one identity are written one after another",
	Rationale: "Azure rejects concurrent writes of federated identity credentials on the same managed identity (ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity); ARM writes resources without a dependsOn path between them in parallel.",
	Fix:       "Chain the credentials with dependsOn (each on the previous one) or use @batchSize(1) in Bicep.",
	Doc:       docWIDeploy,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, id := range c.Twin.Identities {
			fics := id.Credentials
			for i, a := range fics {
				ra := c.res(a.ID)
				for _, b := range fics[i+1:] {
					rb := c.res(b.ID)
					if ra == nil || rb == nil {
						continue
					}
					if !c.Twin.DeployedBefore(ra.ID)[b.ID.Key()] && !c.Twin.DeployedBefore(rb.ID)[a.ID.Key()] {
						out = append(out, at(b.ID, "federated credentials %s and %s on identity %s can be written concurrently", a.Name, b.Name, id.Name))
					}
				}
			}
		}
		return out
	},
}

var rulePodIdentity = Rule{
	ID: "PVK105", Slug: "pod-identity-unsupported", Severity: Error,
	Title:     "The cluster does not use pod-managed identity",
	Rationale: "Microsoft Entra pod-managed identity (podIdentityProfile) was a preview add-on supported only until September 2025; the open-source project is archived. Workloads must move to Microsoft Entra Workload ID.",
	Fix:       "Migrate to Workload ID: enable oidcIssuerProfile and securityProfile.workloadIdentity, create a federated credential per service account, label pods azure.workload.identity/use: \"true\", then turn podIdentityProfile off.",
	Doc:       docPodIdentity,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.PodIdentity {
				out = append(out, at(cl.ID, "cluster %s enables podIdentityProfile (unsupported since September 2025)", cl.Name))
			}
		}
		return out
	},
}

var ruleMIOperator = Rule{
	ID: "PVK106", Slug: "kubelet-identity-operator", Severity: Error,
	Absent:    []string{"Microsoft.Authorization/roleAssignments"},
	Title:     "The control-plane identity can assign a BYO kubelet identity",
	Rationale: "A bring-your-own kubelet identity is attached to the node scale sets by the control-plane identity, which needs Managed Identity Operator on it; templates must grant it before the cluster.",
	Fix:       "Assign Managed Identity Operator (f1a07417-d97a-45cb-824c-7a7467783830) on the kubelet identity to the control-plane identity.",
	Doc:       docMI,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.Kubelet == "" || isUnknown(string(cl.Kubelet)) {
				continue
			}
			keys, _ := controlPlane(cl)
			if !hasAny(c.Twin, keys, []string{roleMIOperator, roleOwner, roleContributor}, cl.Kubelet) {
				out = append(out, at(cl.ID, "control-plane identity of %s has no Managed Identity Operator on kubelet identity %s", cl.Name, lastSegment(cl.Kubelet)))
			}
		}
		return out
	},
}

var ruleWorkloadOIDC = Rule{
	ID: "PVK107", Slug: "workload-identity-needs-oidc", Severity: Error,
	Title:     "Workload identity comes with the OIDC issuer",
	Rationale: "Microsoft Entra Workload ID exchanges service account tokens signed by the cluster's OIDC issuer; securityProfile.workloadIdentity without oidcIssuerProfile is rejected, and a federated credential naming a cluster without an issuer never matches.",
	Fix:       "Set oidcIssuerProfile.enabled and securityProfile.workloadIdentity.enabled to true.",
	Doc:       docWIDeploy,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.WorkloadIdentity && !cl.OIDC {
				out = append(out, at(cl.ID, "cluster %s enables workload identity without the OIDC issuer", cl.Name))
			}
		}
		for _, f := range c.Twin.Credentials {
			u, ok := f.Issuer.(arm.Unknown)
			if !ok {
				continue
			}
			if cl, ok := c.Twin.Lookup(u.Ref).(*twin.Cluster); ok && !cl.OIDC {
				out = append(out, at(f.ID, "federated credential %s uses the issuer of %s, which has no OIDC issuer enabled", f.Name, cl.Name))
			}
		}
		return out
	},
}

var reSubject = lazyRegexp(`^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

var ruleFICFields = Rule{
	ID: "PVK108", Slug: "federated-credential-fields", Severity: Error,
	Title:     "Federated credentials name a service account and the token exchange audience",
	Rationale: "For AKS workloads the credential's subject must be system:serviceaccount:<namespace>:<name> and its audiences exactly api://AzureADTokenExchange; anything else fails the token exchange (AADSTS70021/700211).",
	Fix:       "Set subject to system:serviceaccount:<namespace>:<service account> and audiences to [\"api://AzureADTokenExchange\"].",
	Doc:       docWIOverview,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, f := range c.Twin.Credentials {
			r := c.res(f.ID)
			if prop(r, "subject").unknown || prop(r, "audiences").unknown {
				continue
			}
			if _, fromCluster := f.Issuer.(arm.Unknown); !fromCluster && !strings.Contains(fmt.Sprint(f.Issuer), "azure.com") {
				continue // not an AKS issuer (e.g. GitHub Actions)
			}
			if !reSubject().MatchString(f.Subject) {
				out = append(out, at(f.ID, "subject %q is not system:serviceaccount:<namespace>:<name>", f.Subject))
			}
			if !slices.Equal(f.Audiences, []string{"api://AzureADTokenExchange"}) {
				out = append(out, at(f.ID, "audiences %v are not [api://AzureADTokenExchange]", f.Audiences))
			}
		}
		return out
	},
}

var ruleFICLimit = Rule{
	ID: "PVK109", Slug: "federated-credential-limit", Severity: Error,
	Title:     "An identity has at most 20 federated credentials",
	Rationale: "A managed identity accepts at most 20 federated identity credentials; the 21st is rejected.",
	Fix:       "Spread workloads over more identities.",
	Doc:       docWIOverview,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, id := range c.Twin.Identities {
			if n := len(id.Credentials); n > 20 {
				out = append(out, at(id.Resource, "identity %s has %d federated credentials (at most 20)", id.Name, n))
			}
		}
		return out
	},
}

var rulePrincipalType = Rule{
	ID: "PVK110", Slug: "role-assignment-principal-type", Severity: Warning,
	Title:     "Role assignments to identities created in the same deployment set principalType",
	Rationale: "A managed identity created moments earlier may not have replicated through Microsoft Entra ID yet; a role assignment without principalType ServicePrincipal then fails with PrincipalNotFound.",
	Fix:       "Set principalType: ServicePrincipal on the role assignment.",
	Doc:       docMI,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, ra := range c.Twin.Roles {
			if !strings.HasPrefix(ra.Principal, "uami:") && !strings.HasPrefix(ra.Principal, "system:") {
				continue
			}
			r := c.res(ra.ID)
			if pt := prop(r, "principalType"); !pt.unknown && pt.str() == "" {
				out = append(out, at(ra.ID, "role assignment of %s to %s has no principalType", twin.RoleName(ra.Role), ra.PrincipalExpr))
			}
		}
		return out
	},
}

package twin

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Identity is a principal that can hold roles: a user-assigned identity,
// a resource's system-assigned identity, or an identity AKS creates.
type Identity struct {
	// Key identifies the principal across the model: "uami:<id>",
	// "system:<resource id>", "agic:<cluster id>", "object:<guid>".
	Key  string
	Name string
	// Resource is the UAMI, or the resource owning a system identity.
	Resource arm.ResourceID
	// PrincipalID is the literal object ID when the set has it (live).
	PrincipalID string
	Tags        map[string]string
	Credentials []*FederatedCredential
}

// FederatedCredential lets tokens from an issuer/subject act as an identity.
type FederatedCredential struct {
	ID        arm.ResourceID
	Name      string
	Identity  *Identity
	Issuer    any // string or arm.Unknown
	Subject   string
	Audiences []string
	DependsOn []arm.ResourceID
}

// RoleAssignment grants Role (a role definition GUID, lower case) to a
// principal at Scope.
type RoleAssignment struct {
	ID        arm.ResourceID
	Scope     arm.ResourceID
	Role      string
	Principal string // an Identity Key
	// PrincipalExpr is how the set names the principal, for messages.
	PrincipalExpr string
}

func (t *Twin) identity(key, name string, res arm.ResourceID) *Identity {
	if id := t.identities[key]; id != nil {
		return id
	}
	id := &Identity{Key: key, Name: name, Resource: res}
	t.identities[key] = id
	t.Identities = append(t.Identities, id)
	return id
}

func uamiKey(id arm.ResourceID) string   { return "uami:" + id.Key() }
func systemKey(id arm.ResourceID) string { return "system:" + id.Key() }

func (t *Twin) buildIdentities(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities") {
		id := t.identity(uamiKey(r.ID), r.Name, r.ID)
		id.PrincipalID = strings.ToLower(str(r.Prop("principalId")))
		id.Tags = map[string]string{}
		for k, v := range obj(r.Tags) {
			id.Tags[k] = str(v)
		}
	}
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials") {
		owner := parentID(r.ID)
		id := t.identity(uamiKey(owner), lastName(owner), owner)
		f := &FederatedCredential{ID: r.ID, Name: lastName(r.ID), Identity: id, Issuer: r.Prop("issuer"),
			Subject: str(r.Prop("subject")), Audiences: strs(r.Prop("audiences"))}
		for _, d := range r.DependsOn {
			f.DependsOn = append(f.DependsOn, arm.ResourceID(d))
		}
		id.Credentials = append(id.Credentials, f)
		t.Credentials = append(t.Credentials, f)
	}
	for _, vm := range t.VMs {
		if vm.SystemIdentity {
			id := t.identity(systemKey(vm.ID), vm.Name+" (system-assigned)", vm.ID)
			if r := set.Get(vm.ID); r != nil {
				id.PrincipalID = strings.ToLower(str(get(r.Identity, "principalId")))
			}
		}
	}
	// A cluster read back from Azure names the identities AKS created.
	for _, c := range t.Clusters {
		r := set.Get(c.ID)
		if r == nil {
			continue
		}
		if oid := str(r.Prop("addonProfiles.ingressApplicationGateway.identity.objectId")); oid != "" {
			t.identity("agic:"+c.ID.Key(), "AGIC add-on identity of "+c.Name, c.ID).PrincipalID = strings.ToLower(oid)
		}
		if c.Kubelet == "" {
			if oid := str(r.Prop("identityProfile.kubeletidentity.objectId")); oid != "" {
				t.identity("kubelet:"+c.ID.Key(), "kubelet identity of "+c.Name, c.ID).PrincipalID = strings.ToLower(oid)
			}
		}
	}
	for _, r := range set.OfType("Microsoft.Authorization/roleAssignments") {
		ra := &RoleAssignment{ID: r.ID, Role: roleGUID(str(r.Prop("roleDefinitionId")))}
		ra.Scope = scopeOf(r, t.Scope)
		ra.Principal, ra.PrincipalExpr = t.principalOf(r.Prop("principalId"))
		t.Roles = append(t.Roles, ra)
	}
}

// scopeOf returns the scope a role assignment applies to: its scope
// property, else the resource group (IDs of extension resources end in
// /providers/Microsoft.Authorization/roleAssignments/<name>).
func scopeOf(r *arm.Resource, sc arm.Scope) arm.ResourceID {
	if r.Scope != "" && strings.HasPrefix(r.Scope, "/") {
		return arm.ResourceID(r.Scope)
	}
	s := string(r.ID)
	if i := strings.LastIndex(strings.ToLower(s), "/providers/microsoft.authorization/roleassignments/"); i > 0 {
		return arm.ResourceID(s[:i])
	}
	return sc.ResourceGroupID()
}

func roleGUID(defID string) string {
	return strings.ToLower(defID[strings.LastIndex(defID, "/")+1:])
}

// principalOf maps a role assignment's principalId value to an identity
// key. In a template the value is a reference() Unknown naming the identity
// and the property read; in a live set it is an object ID.
func (t *Twin) principalOf(v any) (key, expr string) {
	switch p := v.(type) {
	case arm.Unknown:
		path := strings.ToLower(p.Path)
		target := t.Lookup(p.Ref)
		switch {
		case path == "principalid" && strings.Contains(strings.ToLower(string(p.Ref)), "/userassignedidentities/"):
			return uamiKey(p.Ref), p.String()
		case path == "identity.principalid":
			return systemKey(p.Ref), p.String()
		case strings.HasPrefix(path, "addonprofiles.ingressapplicationgateway.identity."):
			t.identity("agic:"+p.Ref.Key(), "AGIC add-on identity of "+lastName(p.Ref), p.Ref)
			return "agic:" + p.Ref.Key(), p.String()
		case strings.HasPrefix(path, "identityprofile.kubeletidentity."):
			if c, ok := target.(*Cluster); ok && c.Kubelet != "" {
				return uamiKey(c.Kubelet), p.String()
			}
			t.identity("kubelet:"+p.Ref.Key(), "kubelet identity of "+lastName(p.Ref), p.Ref)
			return "kubelet:" + p.Ref.Key(), p.String()
		}
		return "unknown:" + p.Expr, p.String()
	case string:
		guid := strings.ToLower(p)
		for _, id := range t.Identities {
			if id.PrincipalID != "" && id.PrincipalID == guid {
				return id.Key, p
			}
		}
		return "object:" + guid, p
	}
	return "unknown", describe(v)
}

// Built-in roles that grant the data actions privaks checks.
var (
	// Managed Identity Operator, Contributor, Owner: they include
	// Microsoft.ManagedIdentity/userAssignedIdentities/assign/action.
	IdentityAssignRoles = []string{"f1a07417-d97a-45cb-824c-7a7467783830", "b24988ac-6180-42a0-ab88-20f7382dd24c", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
	// Key Vault Secrets User, Secrets Officer, Administrator.
	SecretReaderRoles = []string{"4633458b-17de-408a-b874-0445c86b69e6", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "00482a5a-887f-4fb3-b363-3b7fe8e74483"}
	// AcrPull, AcrPush, Owner, Contributor, Reader (registries in
	// LegacyRegistryPermissions mode let these pull).
	PullRoles = []string{"7f951dda-4ed3-4680-a7ca-43fe172d538d", "8311e382-0749-4cb8-b61a-304f252e45ec", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "acdd72a7-3385-48ef-bd42-f606fba81ae7"}
)

// RoleNames maps well-known role GUIDs to names, for messages.
var RoleNames = map[string]string{
	"4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
	"b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
	"00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
	"7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
	"8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
	"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
	"b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
	"acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
	"4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
	"b12aa53e-6015-4669-85d0-8515ebb3ae7f": "Private DNS Zone Contributor",
	"f1a07417-d97a-45cb-824c-7a7467783830": "Managed Identity Operator",
	"4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "Azure Kubernetes Service Cluster User Role",
	"a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb": "Azure Kubernetes Service RBAC Writer",
	"b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
}

// RoleName returns a role's display name, or its GUID.
func RoleName(guid string) string {
	if n, ok := RoleNames[strings.ToLower(guid)]; ok {
		return n
	}
	return guid
}

// HasRole returns the first assignment giving principal one of roles at
// target or at a scope above it (resource group, subscription).
func (t *Twin) HasRole(principal string, roles []string, target arm.ResourceID) (*RoleAssignment, bool) {
	tk := target.Key()
	for _, x := range t.rolesOf(principal) {
		ra, sk := x.ra, x.scopeKey
		if tk != sk && !strings.HasPrefix(tk, sk+"/") {
			continue
		}
		for _, r := range roles {
			if ra.Role == r {
				return ra, true
			}
		}
	}
	return nil, false
}

// RolesOf lists the assignments of a principal, in the order of Roles.
func (t *Twin) RolesOf(principal string) []*RoleAssignment {
	var out []*RoleAssignment
	for _, x := range t.rolesOf(principal) {
		out = append(out, x.ra)
	}
	return out
}

// principalRole is an assignment with its scope's ID key, computed once.
type principalRole struct {
	ra       *RoleAssignment
	scopeKey string
}

// rolesOf returns the assignments of principal, in the order of Roles,
// from an index by principal built on first use: HasRole and RolesOf
// walked every assignment for every question, and verify and check ask
// about every cluster and identity (quadratic in an estate whose
// identities and assignments grow with it). The index is valid while
// Roles keeps its length; code that appends to Roles after Build gets a
// fresh index, never a stale answer.
func (t *Twin) rolesOf(principal string) []principalRole {
	if t.rolesByPrincipal == nil || t.rolesIndexed != len(t.Roles) {
		m := make(map[string][]principalRole)
		for _, ra := range t.Roles {
			m[ra.Principal] = append(m[ra.Principal], principalRole{ra, ra.Scope.Key()})
		}
		t.rolesByPrincipal, t.rolesIndexed = m, len(t.Roles)
	}
	return t.rolesByPrincipal[principal]
}

// IdentityByKey returns the identity with the key, or nil.
func (t *Twin) IdentityByKey(key string) *Identity { return t.identities[key] }

// AGICKey returns the principal key of a cluster's AGIC add-on identity.
func AGICKey(c *Cluster) string { return "agic:" + c.ID.Key() }

// KubeletKey returns the principal key of a cluster's kubelet identity: the
// BYO user-assigned identity, or the one AKS creates.
func (t *Twin) KubeletKey(c *Cluster) string {
	if c.Kubelet != "" {
		return uamiKey(c.Kubelet)
	}
	return "kubelet:" + c.ID.Key()
}

package compile

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// principal is who a role assignment is for: an expression yielding the
// principal's object ID, and a stable key naming it in the assignment's
// deterministic GUID name.
type principal struct {
	key string // e.g. "id-aks-control"
	id  string // e.g. "[reference(resourceId(...), '2024-11-30').principalId]"
}

func uamiPrincipal(name string) principal {
	return principal{key: name, id: ref(tUAMI, apiIdentity, "principalId", name)}
}

// roleAssignment writes an extension role assignment of role on the scope
// resource (type and name segments). The name is
// guid(resourceGroup().id, scope, principal, role): stable across
// redeploys, unique per resource group.
func (b *builder) roleAssignment(scopeType string, scopeNames []string, role string, p principal, desc string) *arm.Resource {
	scope := relativeScope(scopeType, scopeNames)
	r := &arm.Resource{
		Type:       tRole,
		APIVersion: apiRoles,
		Name:       fmt.Sprintf("[guid(resourceGroup().id, '%s', '%s', '%s')]", scope, p.key, role),
		Properties: map[string]any{
			"roleDefinitionId": fmt.Sprintf("[subscriptionResourceId('%s', '%s')]", tRoleDef, role),
			"principalId":      p.id,
			"principalType":    "ServicePrincipal",
			"description":      desc,
		},
	}
	if scopeType != "" {
		r.Scope = scope
	}
	return b.add(r)
}

// relativeScope writes a scope the way Bicep does for extension resources:
// Microsoft.KeyVault/vaults/kv or Microsoft.Network/virtualNetworks/v/subnets/s.
// An empty type means the resource group itself.
func relativeScope(typ string, names []string) string {
	if typ == "" {
		return "resourceGroup"
	}
	segs := strings.Split(typ, "/")
	out := segs[0]
	for i, t := range segs[1:] {
		out += "/" + t + "/" + names[i]
	}
	return out
}

package tfread

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

const apiIdentity = "2024-11-30"

// builtinRoles maps built-in role names to their definition GUIDs (Azure
// built-in roles reference) for role_definition_name.
var builtinRoles = map[string]string{
	"owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
	"reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "user access administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
	"key vault secrets user": "4633458b-17de-408a-b874-0445c86b69e6", "key vault secrets officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
	"key vault administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483", "key vault reader": "21090545-7ca7-4776-b22c-e363652d74d2",
	"key vault crypto user": "12338af0-0e69-4776-bea7-57ae8d297424", "key vault certificates officer": "a4417e6f-fecd-4de8-b567-7b0420556985",
	"acrpull": "7f951dda-4ed3-4680-a7ca-43fe172d538d", "acrpush": "8311e382-0749-4cb8-b61a-304f252e45ec",
	"network contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7", "private dns zone contributor": "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
	"managed identity operator": "f1a07417-d97a-45cb-824c-7a7467783830", "virtual machine contributor": "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
	"azure kubernetes service cluster user role":  "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
	"azure kubernetes service cluster admin role": "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8",
	"azure kubernetes service rbac writer":        "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
	"azure kubernetes service rbac reader":        "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
	"azure kubernetes service rbac admin":         "3498e952-d568-435e-9b2c-8d77e338d7f7",
	"azure kubernetes service rbac cluster admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
	"storage blob data reader":                    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
	"storage blob data contributor":               "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
	"monitoring metrics publisher":                "3913510d-42f4-4e42-8a64-420c390055eb",
	"log analytics contributor":                   "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
}

func registerMapIdentity(mappings map[string]*mapping) {
	mappings["azurerm_user_assigned_identity"] = &mapping{arm: "Microsoft.ManagedIdentity/userAssignedIdentities", api: apiIdentity,
		id:      simple("Microsoft.ManagedIdentity/userAssignedIdentities"),
		unknown: map[string]string{"principal_id": "principalId", "client_id": "clientId", "tenant_id": "tenantId"},
		build:   func(*mctx, *arm.Resource) ([]*arm.Resource, error) { return nil, nil }}

	mappings["azurerm_federated_identity_credential"] = &mapping{arm: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", api: apiIdentity,
		id: func(c *mctx) (arm.ResourceID, error) {
			if c.a.str("user_assigned_identity_id") == nil {
				// azurerm 3.x and 4.x: parent_id.
				p, ok := c.a.legacy(kString, "parent_id").(string)
				if !ok {
					return "", fmt.Errorf("user_assigned_identity_id (parent_id in azurerm 3.x and 4.x) is not a known ID")
				}
				n, err := seg(c.a.str("name"), "name")
				return arm.ResourceID(strings.TrimSuffix(p, "/") + "/federatedIdentityCredentials/" + n), err
			}
			return under("user_assigned_identity_id", "federatedIdentityCredentials")(c)
		},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = ""
			res.Properties["issuer"] = c.a.str("issuer")
			res.Properties["subject"] = c.a.str("subject")
			res.Properties["audiences"] = orEmpty(c.a.list("audience"))
			return nil, nil
		}}

	mappings["azurerm_role_assignment"] = &mapping{arm: "Microsoft.Authorization/roleAssignments", api: "2022-04-01",
		id: func(c *mctx) (arm.ResourceID, error) {
			scope, err := c.scope()
			if err != nil {
				return "", err
			}
			name, _ := c.a.str("name").(string)
			if name == "" {
				name = guid(scope, fmt.Sprint(c.a.str("role_definition_id")), fmt.Sprint(c.a.str("role_definition_name")), describeVal(c.a.str("principal_id")))
			}
			return arm.ResourceID(strings.TrimSuffix(scope, "/") + "/providers/Microsoft.Authorization/roleAssignments/" + name), nil
		},
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			scope, _ := c.scope()
			res.Scope = scope
			res.Location = ""
			def := c.a.str("role_definition_id")
			if def == nil {
				name, ok := c.a.str("role_definition_name").(string)
				g := builtinRoles[strings.ToLower(name)]
				if !ok || g == "" {
					return nil, fmt.Errorf("role_definition_name %v is not a built-in role privaks knows; use role_definition_id", c.a.str("role_definition_name"))
				}
				def = "/subscriptions/" + c.r.scope.Subscription + "/providers/Microsoft.Authorization/roleDefinitions/" + g
			}
			res.Properties["roleDefinitionId"] = def
			res.Properties["principalId"] = c.a.str("principal_id")
			put(res.Properties, "principalType", c.a.str("principal_type"))
			put(res.Properties, "description", c.a.str("description"))
			return nil, nil
		}}
}

// scope reads a role assignment's scope: a resource, group or
// subscription ID that must be known.
func (c *mctx) scope() (string, error) {
	switch t := c.a.str("scope").(type) {
	case string:
		if !strings.HasPrefix(strings.ToLower(t), "/subscriptions/") && !strings.HasPrefix(strings.ToLower(t), "/providers/") {
			return "", fmt.Errorf("scope %q is not a resource ID", t)
		}
		return t, nil
	case arm.Unknown:
		return "", fmt.Errorf("scope is %s, known only outside this configuration (give the data source's values with --terraform-data)", t.Expr)
	}
	return "", fmt.Errorf("scope is not set")
}

func describeVal(v any) string {
	if u, ok := v.(arm.Unknown); ok {
		return u.Expr
	}
	return fmt.Sprint(v)
}

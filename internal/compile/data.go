package compile

import "github.com/privaks/privaks/internal/arm"

// Private DNS zone names in Azure public cloud (azure-rules.md §1.7).
const (
	zoneVault = "privatelink.vaultcore.azure.net"
	zoneACR   = "privatelink.azurecr.io"
)

// zoneAKS is the hub-linked zone given to the cluster as privateDNSZone.
func (b *builder) zoneAKS() string { return "privatelink." + b.d.Region + ".azmk8s.io" }

// zones returns the private DNS zones of the design, in a fixed order.
func (b *builder) zones() []string { return []string{b.zoneAKS(), zoneACR, zoneVault} }

// privateZones writes the zones and one resolution link each to the hub,
// where the forwarder asks 168.63.129.16. The spoke resolves through the
// forwarder, so it needs no link (AKS adds its own link for its zone).
func (b *builder) privateZones() {
	for _, z := range b.zones() {
		b.add(&arm.Resource{Type: tZone, APIVersion: apiPrivateDNS, Name: z, Location: "global",
			Properties: map[string]any{}})
		b.add(&arm.Resource{Type: tZoneLink, APIVersion: apiPrivateDNS, Name: z + "/link-" + nHub, Location: "global",
			Properties: map[string]any{
				"virtualNetwork":      idOf(tVNet, nHub),
				"registrationEnabled": false,
				"resolutionPolicy":    "Default",
			}})
	}
}

// registry writes ACR Premium (required for private endpoints) with admin
// user, anonymous pull and public network access off, and its private
// endpoint in the hub with a zone group that creates both the registry and
// the regional data endpoint records (azure-rules.md §1.6).
func (b *builder) registry() {
	acr := b.resource(tACR, apiACR, b.d.RegistryName, map[string]any{
		"adminUserEnabled":         false,
		"anonymousPullEnabled":     false,
		"publicNetworkAccess":      "Disabled",
		"networkRuleBypassOptions": "AzureServices",
		"dataEndpointEnabled":      false,
		"zoneRedundancy":           "Disabled",
		"policies": map[string]any{
			"retentionPolicy": map[string]any{"status": "enabled", "days": 30},
		},
	})
	acr.SKU = map[string]any{"name": "Premium"}
	b.privateEndpoint(nPEACR, tACR, b.d.RegistryName, "registry", zoneACR)
}

// vault writes Key Vault in RBAC mode with public network access off, a
// default-deny firewall, soft delete and purge protection, and its private
// endpoint with a zone group.
func (b *builder) vault() {
	b.resource(tVault, apiKeyVault, b.d.KeyVaultName, map[string]any{
		"tenantId":                     "[subscription().tenantId]",
		"sku":                          map[string]any{"family": "A", "name": "standard"},
		"enableRbacAuthorization":      true,
		"enableSoftDelete":             true,
		"softDeleteRetentionInDays":    90,
		"enablePurgeProtection":        true,
		"publicNetworkAccess":          "Disabled",
		"enabledForDeployment":         false,
		"enabledForTemplateDeployment": false,
		"enabledForDiskEncryption":     false,
		"networkAcls": map[string]any{
			"defaultAction": "Deny", "bypass": "AzureServices",
			"ipRules": []any{}, "virtualNetworkRules": []any{},
		},
	})
	b.privateEndpoint(nPEKV, tVault, b.d.KeyVaultName, "vault", zoneVault)
}

func (b *builder) privateEndpoint(name, targetType, target, group, zone string) {
	b.resource(tPE, apiNetwork, name, map[string]any{
		"subnet": idOf(tSubnet, nHub, nPESub),
		"privateLinkServiceConnections": []any{map[string]any{
			"name": name,
			"properties": map[string]any{
				"privateLinkServiceId": rid(targetType, target),
				"groupIds":             []any{group},
			},
		}},
	})
	b.add(&arm.Resource{Type: tZoneGroup, APIVersion: apiNetwork, Name: name + "/" + nZoneGroup,
		Properties: map[string]any{
			"privateDnsZoneConfigs": []any{map[string]any{
				"name":       zone,
				"properties": map[string]any{"privateDnsZoneId": rid(tZone, zone)},
			}},
		}})
}

// workspace is the Log Analytics workspace the cluster's monitoring add-on
// writes to.
func (b *builder) workspace() string {
	name := "log-" + b.d.Name
	b.resource(tWorkspace, apiLogAnalytic, name, map[string]any{
		"sku":             map[string]any{"name": "PerGB2018"},
		"retentionInDays": 30,
	})
	return name
}

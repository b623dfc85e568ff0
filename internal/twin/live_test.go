package twin

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

const sub = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/"

// liveSet is shaped like resources read back from Azure: literal IDs,
// real addresses, object IDs instead of reference() expressions.
func liveSet(t *testing.T) *arm.Set {
	t.Helper()
	raw := `[
 {"id": "` + sub + `Microsoft.Network/virtualNetworks/hub", "type": "Microsoft.Network/virtualNetworks", "name": "hub", "apiVersion": "2025-07-01",
  "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
   "subnets": [{"name": "vms", "properties": {"addressPrefix": "10.0.1.0/24"}}, {"name": "pe", "properties": {"addressPrefix": "10.0.2.0/24"}}, {"name": "nodes", "properties": {"addressPrefix": "10.0.8.0/22"}}]}},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net", "type": "Microsoft.Network/privateDnsZones", "name": "privatelink.vaultcore.azure.net"},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/virtualNetworkLinks/hub", "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "name": "privatelink.vaultcore.azure.net/hub",
  "properties": {"virtualNetwork": {"id": "` + sub + `Microsoft.Network/virtualNetworks/hub"}}},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/A/kv1", "type": "Microsoft.Network/privateDnsZones/A", "name": "privatelink.vaultcore.azure.net/kv1",
  "properties": {"aRecords": [{"ipv4Address": "10.0.2.9"}]}},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io", "type": "Microsoft.Network/privateDnsZones", "name": "privatelink.eastus.azmk8s.io"},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io/virtualNetworkLinks/hub", "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "name": "privatelink.eastus.azmk8s.io/hub",
  "properties": {"virtualNetwork": {"id": "` + sub + `Microsoft.Network/virtualNetworks/hub"}}},
 {"id": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io/A/aks-abc.f00", "type": "Microsoft.Network/privateDnsZones/A", "name": "privatelink.eastus.azmk8s.io/aks-abc.f00",
  "properties": {"aRecords": [{"ipv4Address": "10.0.8.77"}]}},
 {"id": "` + sub + `Microsoft.KeyVault/vaults/kv1", "type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"enableRbacAuthorization": true, "publicNetworkAccess": "Disabled"}},
 {"id": "` + sub + `Microsoft.Network/privateEndpoints/pe-kv", "type": "Microsoft.Network/privateEndpoints", "name": "pe-kv",
  "properties": {"subnet": {"id": "` + sub + `Microsoft.Network/virtualNetworks/hub/subnets/pe"},
   "privateLinkServiceConnections": [{"properties": {"privateLinkServiceId": "` + sub + `Microsoft.KeyVault/vaults/kv1", "groupIds": ["vault"]}}],
   "customDnsConfigs": [{"fqdn": "kv1.vault.azure.net", "ipAddresses": ["10.0.2.9"]}]}},
 {"id": "` + sub + `Microsoft.ManagedIdentity/userAssignedIdentities/id-app", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "name": "id-app",
  "properties": {"principalId": "AAAAAAAA-0000-0000-0000-000000000001"}},
 {"id": "` + sub + `Microsoft.KeyVault/vaults/kv1/providers/Microsoft.Authorization/roleAssignments/r1", "type": "Microsoft.Authorization/roleAssignments", "name": "r1",
  "scope": "` + sub + `Microsoft.KeyVault/vaults/kv1",
  "properties": {"roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6", "principalId": "aaaaaaaa-0000-0000-0000-000000000001"}},
 {"id": "` + sub + `Microsoft.ContainerService/managedClusters/aks", "type": "Microsoft.ContainerService/managedClusters", "name": "aks", "location": "eastus",
  "properties": {"dnsPrefix": "aks", "privateFQDN": "aks-abc.f00.privatelink.eastus.azmk8s.io",
   "apiServerAccessProfile": {"enablePrivateCluster": true, "privateDNSZone": "` + sub + `Microsoft.Network/privateDnsZones/privatelink.eastus.azmk8s.io"},
   "agentPoolProfiles": [{"name": "sys", "vnetSubnetID": "` + sub + `Microsoft.Network/virtualNetworks/hub/subnets/nodes", "count": 3}]}}
]`
	var rs []*arm.Resource
	if err := json.Unmarshal([]byte(raw), &rs); err != nil {
		t.Fatal(err)
	}
	var ids []struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(raw), &ids)
	set := &arm.Set{Scope: arm.Scope{Subscription: "11111111-1111-1111-1111-111111111111", ResourceGroup: "rg", Location: "eastus"}}
	for i, r := range rs {
		r.ID = arm.ResourceID(ids[i].ID)
		set.Add(r)
	}
	return set
}

func TestLiveSet(t *testing.T) {
	tw := Build(liveSet(t))
	vm := Client{Name: "probe", Subnet: tw.VNets[0].Subnets[0], Addr: netip.MustParseAddr("10.0.1.4")}
	res := tw.Resolve(vm, "kv1.vault.azure.net")
	if !res.OK() || res.Addrs[0] != netip.MustParseAddr("10.0.2.9") || res.Public {
		t.Errorf("vault resolves to %v (public %v): %v", res.Addrs, res.Public, res.Steps)
	}
	c := tw.Clusters[0]
	if c.APIFQDN != "aks-abc.f00.privatelink.eastus.azmk8s.io" || c.APIEndpoint.NICs[0].IP != netip.MustParseAddr("10.0.8.77") || c.APIEndpoint.NICs[0].Predicted {
		t.Errorf("live API server: %s %v", c.APIFQDN, c.APIEndpoint.NICs[0])
	}
	res = tw.Resolve(vm, c.APIFQDN)
	if !res.OK() || res.Addrs[0] != netip.MustParseAddr("10.0.8.77") {
		t.Errorf("API server resolves to %v: %v", res.Addrs, res.Steps)
	}
	id := tw.IdentityByKey("uami:" + arm.ResourceID(sub+"Microsoft.ManagedIdentity/userAssignedIdentities/id-app").Key())
	if id == nil {
		t.Fatal("identity not modelled")
	}
	if _, ok := tw.HasRole(id.Key, SecretReaderRoles, arm.ResourceID(sub+"Microsoft.KeyVault/vaults/kv1/secrets/s")); !ok {
		t.Errorf("role assignment by object ID not matched to the identity: %+v", tw.Roles)
	}
	if tw.Endpoints[0].NICs[0].Predicted {
		t.Errorf("endpoint address from customDnsConfigs must not be predicted")
	}
}

func TestPercentSurge(t *testing.T) {
	set := liveSet(t)
	for _, r := range set.Resources {
		if r.Is("Microsoft.ContainerService/managedClusters") {
			pool := r.Properties["agentPoolProfiles"].([]any)[0].(map[string]any)
			pool["enableAutoScaling"] = true
			pool["minCount"] = 3.0
			pool["maxCount"] = 10.0
			pool["upgradeSettings"] = map[string]any{"maxSurge": "33%"}
			pool["nodeTaints"] = []any{"CriticalAddonsOnly=true:NoSchedule"}
		}
	}
	p := Build(set).Clusters[0].Pools[0]
	if p.MaxSurge != 4 || p.MaxCount != 10 || len(p.Taints) != 1 {
		t.Errorf("pool %+v: want surge 4 (33%% of 10, rounded up)", p)
	}
}

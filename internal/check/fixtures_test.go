package check_test

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/cloudinit"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/spec/spectest"
	"github.com/privaks/privaks/internal/twin"
)

// fixture is a rule's pair of examples: bad makes the rule fire, good
// (nil: the reference design as compiled) keeps it silent. Both are
// mutations of the compiled reference design; opts are passed to Run.
type fixture struct {
	bad, good func(t testing.TB, tm *arm.Template)
	opts      []check.Option
	goodOpts  []check.Option
}

const (
	typVNet    = "Microsoft.Network/virtualNetworks"
	typCluster = "Microsoft.ContainerService/managedClusters"
	typVault   = "Microsoft.KeyVault/vaults"
	typACR     = "Microsoft.ContainerRegistry/registries"
	typVM      = "Microsoft.Compute/virtualMachines"
	typNIC     = "Microsoft.Network/networkInterfaces"
	typNSG     = "Microsoft.Network/networkSecurityGroups"
	typAGW     = "Microsoft.Network/applicationGateways"
	typRole    = "Microsoft.Authorization/roleAssignments"
	typFIC     = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"
	subnetRef  = "[resourceId('Microsoft.Network/virtualNetworks/subnets', '%s', '%s')]"
)

func cluster(t testing.TB, tm *arm.Template) *arm.Resource { return first(t, tm, typCluster) }

func clusterSet(path string, v any) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) { set(cluster(t, tm), path, v) }
}

func resSet(typ, name, path string, v any) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		r := first(t, tm, typ)
		if name != "" {
			r = find(t, tm, typ, name)
		}
		set(r, path, v)
	}
}

func subnetSet(vnet, name, key string, v any) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		p := subnet(t, tm, vnet, name)
		if v == nil {
			delete(p, key)
		} else {
			p[key] = v
		}
	}
}

func nicSubnet(nic, vnet, sn string) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		ic := find(t, tm, typNIC, nic).Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
		ic["subnet"] = map[string]any{"id": fmt.Sprintf(subnetRef, vnet, sn)}
		ic["privateIPAllocationMethod"] = "Dynamic"
		delete(ic, "privateIPAddress")
	}
}

func dropRoles(guid string) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		remove(tm, func(r *arm.Resource) bool {
			d, _ := r.Properties["roleDefinitionId"].(string)
			return r.Is(typRole) && strings.Contains(d, guid)
		})
	}
}

func both(fs ...func(testing.TB, *arm.Template)) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		for _, f := range fs {
			f(t, tm)
		}
	}
}

// forwarder rewrites the DNS VM's BIND configuration.
func forwarder(f func(*bind.Config)) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		os := find(t, tm, typVM, "vm-dns").Properties["osProfile"].(map[string]any)
		doc, err := base64.StdEncoding.DecodeString(os["customData"].(string))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := cloudinit.ParseDNSForwarder(doc)
		if err != nil {
			t.Fatal(err)
		}
		f(&cfg)
		out, err := cloudinit.DNSForwarder(cfg)
		if err != nil {
			t.Fatal(err)
		}
		os["customData"] = base64.StdEncoding.EncodeToString(out)
	}
}

func add(js string) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) { addJSON(t, tm, js) }
}

func addHubSubnet(name, prefix string, props map[string]any) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		v := find(t, tm, typVNet, "vnet-hub")
		p := map[string]any{"addressPrefix": prefix}
		for k, x := range props {
			p[k] = x
		}
		v.Properties["subnets"] = append(v.Properties["subnets"].([]any), map[string]any{"name": name, "properties": p})
	}
}

func resolverIn(sn string) string {
	return `[{"type":"Microsoft.Network/dnsResolvers","apiVersion":"2025-05-01","name":"dnspr-hub","location":"canadacentral","properties":{"virtualNetwork":{"id":"[resourceId('Microsoft.Network/virtualNetworks','vnet-hub')]"}}},
	{"type":"Microsoft.Network/dnsResolvers/inboundEndpoints","apiVersion":"2025-05-01","name":"dnspr-hub/in","location":"canadacentral","properties":{"ipConfigurations":[{"privateIpAllocationMethod":"Dynamic","subnet":{"id":"[resourceId('Microsoft.Network/virtualNetworks/subnets','vnet-hub','` + sn + `')]"}}]}}]`
}

func fic(name string, deps ...string) string {
	d := `["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','id-wl-orders')]"`
	for _, x := range deps {
		d += `,"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials','id-wl-orders','` + x + `')]"`
	}
	return `[{"type":"` + typFIC + `","apiVersion":"2024-11-30","name":"id-wl-orders/` + name + `","properties":{"audiences":["api://AzureADTokenExchange"],
	"issuer":"[reference(resourceId('Microsoft.ContainerService/managedClusters','aks-privaks'),'2026-05-01').oidcIssuerProfile.issuerURL]","subject":"system:serviceaccount:orders:` + name + `"},"dependsOn":` + d + `]}]`
}

const storage = `[{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2025-01-01","name":"stprivaks","location":"canadacentral","sku":{"name":"Standard_LRS"},"kind":"StorageV2","properties":{%s}}]`

func flowLog(vnet string) string {
	return `{"type":"Microsoft.Network/networkWatchers/flowLogs","apiVersion":"2025-07-01","name":"nw/fl-` + vnet + `","location":"canadacentral","properties":{"targetResourceId":"[resourceId('Microsoft.Network/virtualNetworks','` + vnet + `')]"}}`
}

// fixtures holds a bad and (optionally) a good example for every rule.
var fixtures = map[string]fixture{
	"PVK001": {bad: func(t testing.TB, tm *arm.Template) { first(t, tm, typACR).Name = "acr-privaks" }},
	"PVK002": {bad: func(t testing.TB, tm *arm.Template) { first(t, tm, typVault).Name = "kv--privaks" }},
	"PVK003": {bad: func(t testing.TB, tm *arm.Template) { cluster(t, tm).Name = "-aks" }},
	"PVK004": {bad: clusterSet("dnsPrefix", "aks.privaks")},
	"PVK005": {bad: func(t testing.TB, tm *arm.Template) { pool(t, tm, "user")["name"] = "UserPool1" }},
	"PVK006": {bad: func(t testing.TB, tm *arm.Template) { cluster(t, tm).Name = strings.Repeat("a", 63) }},
	"PVK007": {bad: resSet(typVM, "vm-agent", "osProfile.computerName", strings.Repeat("x", 70))},
	"PVK008": {bad: add(`[{"type":"Microsoft.Network/privateDnsZones","apiVersion":"2024-06-01","name":"corp.local","location":"global"}]`),
		good: add(`[{"type":"Microsoft.Network/privateDnsZones","apiVersion":"2024-06-01","name":"corp.internal","location":"global"}]`)},
	"PVK020": {bad: resSet(typVNet, "vnet-aks", "addressSpace.addressPrefixes", []any{"10.0.0.0/16"})},
	"PVK021": {bad: add(`[{"type":"Microsoft.Network/virtualNetworks","apiVersion":"2025-07-01","name":"vnet-other","location":"canadacentral","properties":{"addressSpace":{"addressPrefixes":["10.1.128.0/20"]}}}]`),
		good: add(`[{"type":"Microsoft.Network/virtualNetworks","apiVersion":"2025-07-01","name":"vnet-other","location":"canadacentral","properties":{"addressSpace":{"addressPrefixes":["10.2.0.0/20"]}}}]`)},
	"PVK022": {bad: func(testing.TB, *arm.Template) {}, opts: []check.Option{check.WithOnPremises(netip.MustParsePrefix("10.0.0.0/8"))},
		goodOpts: []check.Option{check.WithOnPremises(netip.MustParsePrefix("192.168.0.0/16"))}},
	"PVK023": {bad: both(clusterSet("networkProfile.serviceCidr", "10.1.0.0/16"), clusterSet("networkProfile.dnsServiceIP", "10.1.0.10"))},
	"PVK024": {bad: both(clusterSet("networkProfile.networkPluginMode", "overlay"), clusterSet("networkProfile.podCidr", "10.0.0.0/16")),
		good: both(clusterSet("networkProfile.networkPluginMode", "overlay"), clusterSet("networkProfile.podCidr", "10.244.0.0/16"))},
	"PVK025": {bad: both(clusterSet("networkProfile.serviceCidr", "172.30.0.0/16"), clusterSet("networkProfile.dnsServiceIP", "172.30.0.10"))},
	"PVK026": {bad: clusterSet("networkProfile.dnsServiceIP", "172.17.0.10")},
	"PVK027": {bad: both(clusterSet("networkProfile.serviceCidr", "172.0.0.0/11"), clusterSet("networkProfile.dnsServiceIP", "172.0.0.10"))},
	"PVK028": {bad: subnetSet("vnet-hub", "snet-pe", "addressPrefix", "10.9.0.0/24")},
	"PVK029": {bad: subnetSet("vnet-hub", "snet-agents", "addressPrefix", "10.0.0.64/26")},
	"PVK040": {bad: func(t testing.TB, tm *arm.Template) {
		for _, n := range []string{"system", "user"} {
			pool(t, tm, n)["maxPods"] = 250
			pool(t, tm, n)["maxCount"] = 20
		}
	}},
	"PVK041": {bad: func(t testing.TB, tm *arm.Template) { pool(t, tm, "user")["maxPods"] = 5 }},
	"PVK042": {bad: subnetSet("vnet-hub", "AzureBastionSubnet", "addressPrefix", "10.0.0.0/27")},
	"PVK043": {bad: subnetSet("vnet-aks", "snet-appgw", "addressPrefix", "10.1.4.240/28")},
	"PVK044": {bad: add(resolverIn("snet-pe")),
		good: both(addHubSubnet("snet-resolver-in", "10.0.2.0/28", map[string]any{"delegations": []any{map[string]any{"name": "d", "properties": map[string]any{"serviceName": "Microsoft.Network/dnsResolvers"}}}}), add(resolverIn("snet-resolver-in")))},
	"PVK045": {bad: subnetSet("vnet-hub", "snet-pe", "addressPrefix", "10.0.1.0/30")},
	"PVK050": {bad: func(t testing.TB, tm *arm.Template) {
		ic := first(t, tm, "Microsoft.Network/bastionHosts").Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
		ic["subnet"] = map[string]any{"id": fmt.Sprintf(subnetRef, "vnet-hub", "snet-agents")}
	}},
	"PVK051": {bad: nicSubnet("nic-vm-agent", "vnet-hub", "AzureBastionSubnet")},
	"PVK052": {bad: nicSubnet("nic-vm-agent", "vnet-aks", "snet-appgw")},
	"PVK053": {bad: func(t testing.TB, tm *arm.Template) { first(t, tm, typACR).SKU = map[string]any{"name": "Standard"} }},
	"PVK054": {bad: func(t testing.TB, tm *arm.Template) {
		find(t, tm, "Microsoft.Network/publicIPAddresses", "pip-bastion").SKU = map[string]any{"name": "Basic"}
	}},
	"PVK055": {bad: both(resSet(typAGW, "", "sku", map[string]any{"name": "Standard_v2", "tier": "Standard_v2"}), resSet(typAGW, "", "firewallPolicy", nil))},
	"PVK056": {bad: resSet(typNSG, "nsg-AzureBastionSubnet", "securityRules", []any{})},
	"PVK057": {bad: resSet(typNSG, "nsg-snet-appgw", "securityRules", []any{})},
	"PVK058": {bad: subnetSet("vnet-aks", "snet-nodes", "delegations", []any{map[string]any{"name": "d", "properties": map[string]any{"serviceName": "Microsoft.Web/serverFarms"}}})},
	"PVK059": {bad: subnetSet("vnet-hub", "snet-agents", "natGateway", nil)},
	"PVK070": {bad: func(t testing.TB, tm *arm.Template) {
		zg := find(t, tm, "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "pe-kv/default")
		cfg := zg.Properties["privateDnsZoneConfigs"].([]any)[0].(map[string]any)["properties"].(map[string]any)
		cfg["privateDnsZoneId"] = "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]"
	}},
	"PVK071": {bad: clusterSet("apiServerAccessProfile.privateDNSZone", "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.eastus.azmk8s.io')]")},
	"PVK072": {bad: func(t testing.TB, tm *arm.Template) {
		cluster(t, tm).Identity = map[string]any{"type": "SystemAssigned"}
	}},
	"PVK073": {bad: clusterSet("apiServerAccessProfile.privateDNSZone", "[resourceId('Microsoft.Network/privateDnsZones', '"+strings.Repeat("s", 33)+".privatelink.canadacentral.azmk8s.io')]"),
		good: clusterSet("apiServerAccessProfile.privateDNSZone", "[resourceId('Microsoft.Network/privateDnsZones', '"+strings.Repeat("s", 32)+".privatelink.canadacentral.azmk8s.io')]")},
	"PVK074": {bad: clusterSet("apiServerAccessProfile.privateDNSZone", "none"),
		good: both(clusterSet("apiServerAccessProfile.privateDNSZone", "none"), clusterSet("apiServerAccessProfile.enablePrivateClusterPublicFQDN", true))},
	"PVK075": {bad: add(`[{"type":"Microsoft.Network/privateDnsZones","apiVersion":"2024-06-01","name":"vaultcore.azure.net","location":"global"},
		{"type":"Microsoft.Network/privateDnsZones/virtualNetworkLinks","apiVersion":"2024-06-01","name":"vaultcore.azure.net/link-vnet-hub","location":"global","properties":{"registrationEnabled":false,"virtualNetwork":{"id":"[resourceId('Microsoft.Network/virtualNetworks','vnet-hub')]"}}}]`)},
	"PVK076": {bad: resSet(typVNet, "vnet-aks", "dhcpOptions.dnsServers", []any{"8.8.8.8"})},
	"PVK077": {bad: forwarder(func(c *bind.Config) {
		c.Forwarders = []netip.Addr{netip.MustParseAddr("1.1.1.1")}
		var zs []bind.ForwardZone
		for _, z := range c.Zones {
			if !strings.Contains(z.Name, "vaultcore") {
				zs = append(zs, z)
			}
		}
		c.Zones = zs
	})},
	"PVK078": {bad: func(t testing.TB, tm *arm.Template) {
		cl := cluster(t, tm)
		var deps []string
		for _, d := range cl.DependsOn {
			if !strings.Contains(d, "dns-ready") {
				deps = append(deps, d)
			}
		}
		cl.DependsOn = deps
	}},
	"PVK079": {bad: add(`[{"type":"Microsoft.Network/privateDnsZones","apiVersion":"2024-06-01","name":"contoso.internal","location":"global"}]`)},
	"PVK080": {bad: func(t testing.TB, tm *arm.Template) {
		set(find(t, tm, "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "privatelink.azurecr.io/link-vnet-hub"), "registrationEnabled", true)
		set(find(t, tm, "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "privatelink.vaultcore.azure.net/link-vnet-hub"), "registrationEnabled", true)
	}},
	"PVK081": {bad: forwarder(func(c *bind.Config) { c.MaxNCacheTTL = 0 })},
	"PVK082": {bad: resSet(typNIC, "nic-vm-dns", "dnsSettings", nil)},
	"PVK083": {bad: func(t testing.TB, tm *arm.Template) {
		remove(tm, func(r *arm.Resource) bool { return r.Name == "pe-kv/default" })
	}},
	"PVK084": {bad: resSet(typVNet, "vnet-aks", "dhcpOptions.dnsServers", []any{"[reference(resourceId('Microsoft.Network/networkInterfaces', 'nic-in-another-template'), '2025-07-01').ipConfigurations[0].properties.privateIPAddress]"})},
	"PVK100": {bad: dropRoles("b12aa53e-6015-4669-85d0-8515ebb3ae7f")},
	"PVK101": {bad: dropRoles("4d97b98b-1d4f-4787-a291-c67834d212e7")},
	"PVK102": {bad: dropRoles("7f951dda-4ed3-4680-a7ca-43fe172d538d")},
	"PVK103": {bad: resSet(typVault, "", "enableRbacAuthorization", false)},
	"PVK104": {bad: add(fic("fic-second")), good: add(fic("fic-second", "fic-orders"))},
	"PVK105": {bad: clusterSet("podIdentityProfile.enabled", true)},
	"PVK106": {bad: dropRoles("f1a07417-d97a-45cb-824c-7a7467783830")},
	"PVK107": {bad: clusterSet("oidcIssuerProfile.enabled", false)},
	"PVK108": {bad: resSet(typFIC, "", "subject", "orders")},
	"PVK109": {bad: func(t testing.TB, tm *arm.Template) {
		prev := "fic-orders"
		for i := range 20 {
			n := fmt.Sprintf("fic-%d", i)
			addJSON(t, tm, fic(n, prev))
			prev = n
		}
	}},
	"PVK110": {bad: func(t testing.TB, tm *arm.Template) {
		for i := range tm.Resources {
			if tm.Resources[i].Is(typRole) {
				delete(tm.Resources[i].Properties, "principalType")
				return
			}
		}
	}},
	"PVK120": {bad: both(resSet(typVault, "", "publicNetworkAccess", "Enabled"), resSet(typVault, "", "networkAcls.defaultAction", "Allow"))},
	"PVK121": {bad: resSet(typACR, "", "publicNetworkAccess", "Enabled"),
		good: both(resSet(typACR, "", "publicNetworkAccess", "Enabled"), resSet(typACR, "", "networkRuleSet", map[string]any{"defaultAction": "Deny"}))},
	"PVK122": {bad: add(fmt.Sprintf(storage, `"minimumTlsVersion":"TLS1_2"`)), good: add(fmt.Sprintf(storage, `"publicNetworkAccess":"Disabled"`))},
	"PVK123": {bad: resSet(typACR, "", "adminUserEnabled", true)},
	"PVK124": {bad: resSet(typACR, "", "anonymousPullEnabled", true)},
	"PVK125": {bad: clusterSet("disableLocalAccounts", false)},
	"PVK126": {bad: clusterSet("apiServerAccessProfile.enablePrivateCluster", false),
		good: both(clusterSet("apiServerAccessProfile.enablePrivateCluster", false), clusterSet("apiServerAccessProfile.authorizedIPRanges", []any{"203.0.113.0/24"}))},
	"PVK127": {bad: clusterSet("apiServerAccessProfile.enablePrivateCluster", false)},
	"PVK128": {bad: func(t testing.TB, tm *arm.Template) {
		ic := find(t, tm, typNIC, "nic-vm-agent").Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
		ic["publicIPAddress"] = map[string]any{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-bastion')]"}
	}},
	"PVK129": {bad: func(t testing.TB, tm *arm.Template) {
		n := find(t, tm, typNSG, "nsg-snet-agents")
		n.Properties["securityRules"] = append([]any{map[string]any{"name": "AllowSshInternet", "properties": map[string]any{
			"access": "Allow", "direction": "Inbound", "priority": 90, "protocol": "Tcp", "sourceAddressPrefix": "*",
			"sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}}, n.Properties["securityRules"].([]any)...)
	}},
	"PVK132": {bad: add(`[{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2023-05-01","name":"stprivaks","location":"canadacentral","kind":"StorageV2","sku":{"name":"Standard_LRS"},"properties":{"publicNetworkAccess":"Disabled","allowSharedKeyAccess":false,"allowBlobPublicAccess":true}}]`), good: add(`[{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2023-05-01","name":"stprivaks","location":"canadacentral","kind":"StorageV2","sku":{"name":"Standard_LRS"},"properties":{"publicNetworkAccess":"Disabled","allowSharedKeyAccess":false,"allowBlobPublicAccess":false}}]`)},
	"PVK133": {bad: add(`[{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2023-05-01","name":"stprivaks","location":"canadacentral","kind":"StorageV2","sku":{"name":"Standard_LRS"},"properties":{"publicNetworkAccess":"Disabled","allowBlobPublicAccess":false}}]`), good: add(`[{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2023-05-01","name":"stprivaks","location":"canadacentral","kind":"StorageV2","sku":{"name":"Standard_LRS"},"properties":{"publicNetworkAccess":"Disabled","allowSharedKeyAccess":false,"allowBlobPublicAccess":false}}]`)},
	"PVK130": {bad: func(t testing.TB, tm *arm.Template) {
		// A private listener shares 443 with the public one, and the
		// Internet rule is narrowed to the private frontend's address.
		g := first(t, tm, typAGW)
		ls := g.Properties["httpListeners"].([]any)
		g.Properties["httpListeners"] = append(ls, map[string]any{"name": "https-internal", "properties": map[string]any{
			"frontendIPConfiguration": map[string]any{"id": "[resourceId('Microsoft.Network/applicationGateways/frontendIPConfigurations', 'agw-aks', 'fe-private')]"},
			"frontendPort":            map[string]any{"id": "[resourceId('Microsoft.Network/applicationGateways/frontendPorts', 'agw-aks', 'port-443')]"},
			"protocol":                "Https", "hostName": "internal.contoso.com",
		}})
		for i := range tm.Resources {
			if r := &tm.Resources[i]; r.Is("Microsoft.Network/networkSecurityGroups") && r.Name == "nsg-snet-appgw" {
				for _, x := range r.Properties["securityRules"].([]any) {
					if x.(map[string]any)["name"] == "AllowInternetToPublicListeners" {
						x.(map[string]any)["properties"].(map[string]any)["destinationAddressPrefix"] = "10.1.255.254"
					}
				}
			}
		}
	}},
	"PVK131": {bad: resSet(typNIC, "nic-vm-agent", "enableIPForwarding", true)},
	"PVK140": {bad: clusterSet("networkProfile.networkPolicy", nil)},
	"PVK141": {bad: clusterSet("addonProfiles.azurepolicy.enabled", false)},
	"PVK142": {bad: clusterSet("addonProfiles.omsagent.enabled", false)},
	"PVK143": {bad: clusterSet("autoUpgradeProfile", nil)},
	"PVK144": {bad: clusterSet("enableRBAC", false)},
	"PVK145": {bad: clusterSet("aadProfile", nil)},
	"PVK146": {bad: resSet(typVault, "", "enablePurgeProtection", false)},
	"PVK147": {bad: resSet(typVM, "vm-agent", "osProfile.linuxConfiguration.disablePasswordAuthentication", false)},
	"PVK148": {bad: resSet("Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", "", "policySettings.mode", "Detection")},
	"PVK149": {bad: resSet(typAGW, "", "sslPolicy.policyName", "AppGwSslPolicy20150501")},
	"PVK150": {bad: func(testing.TB, *arm.Template) {},
		good: clusterSet("diskEncryptionSetID", "[resourceId('Microsoft.Compute/diskEncryptionSets', 'des-privaks')]")},
	"PVK151": {bad: func(testing.TB, *arm.Template) {},
		good: both(resSet(typVM, "vm-agent", "securityProfile.encryptionAtHost", true), resSet(typVM, "vm-dns", "securityProfile.encryptionAtHost", true))},
	"PVK152": {bad: func(t testing.TB, tm *arm.Template) { delete(pool(t, tm, "system"), "nodeTaints") }},
	"PVK153": {bad: func(testing.TB, *arm.Template) {},
		good: clusterSet("securityProfile.defender.securityMonitoring.enabled", true)},
	"PVK154": {bad: func(testing.TB, *arm.Template) {},
		good: add("[" + flowLog("vnet-hub") + "," + flowLog("vnet-aks") + "]")},
	"PVK155": {bad: add(`[{"type":"Microsoft.KeyVault/vaults/secrets","apiVersion":"2026-02-01","name":"kv-privaks-0e1a84/plain","properties":{"value":"x"}}]`)},
	"PVK160": {bad: clusterSet("networkProfile.networkPlugin", "kubenet")},
	"PVK161": {bad: clusterSet("networkProfile.dockerBridgeCidr", "172.17.0.1/16")},
	"PVK162": {bad: func(t testing.TB, tm *arm.Template) { first(t, tm, typVault).APIVersion = "2023-07-01" }},
	"PVK163": {bad: func(t testing.TB, tm *arm.Template) { first(t, tm, typVault).APIVersion = "2026-03-01-preview" }},
	"PVK060": {bad: both(firewallDesign, removeFirewallRule("aks-required")), good: firewallDesign},
	"PVK061": {bad: both(firewallDesign, subnetSet("vnet-aks", "snet-nodes", "routeTable", nil)), good: firewallDesign},
	"PVK062": {bad: clusterSet("networkProfile.outboundType", "userDefinedRouting"), opts: []check.Option{check.WithPrevious(referenceModel())},
		goodOpts: []check.Option{check.WithPrevious(referenceModel())}},
	"PVK085": {bad: func(t testing.TB, tm *arm.Template) {
		vm := find(t, tm, typVM, "vm-agent")
		var keep []string
		for _, d := range vm.DependsOn {
			if !strings.Contains(d, "dns-ready") {
				keep = append(keep, d)
			}
		}
		vm.DependsOn = keep
	}},
	"PVK111": {bad: func(t testing.TB, tm *arm.Template) {}, good: func(t testing.TB, tm *arm.Template) {
		// Scope the workload's role to its secret: the least privilege.
		for i := range tm.Resources {
			r := &tm.Resources[i]
			if d, _ := r.Prop("description").(string); r.Is(typRole) && strings.HasPrefix(d, "Workload orders") {
				r.Scope = r.Scope + "/secrets/orders-db-password"
			}
		}
	}},
	"PVK164": {bad: both(subnetSet("vnet-hub", "snet-agents", "natGateway", nil), subnetSet("vnet-hub", "snet-agents", "defaultOutboundAccess", true))},
}

func TestEveryRuleFiresOnBadAndNotOnGood(t *testing.T) {
	for _, r := range check.All() {
		t.Run(r.ID+"-"+r.Slug, func(t *testing.T) {
			fx, ok := fixtures[r.ID]
			if !ok || fx.bad == nil {
				t.Fatalf("rule %s has no bad fixture", r.ID)
			}
			bad := reference(t)
			fx.bad(t, bad)
			got := check.Run(build(t, bad), append(fx.opts, check.WithOnly(r.ID))...)
			if len(got) == 0 {
				t.Errorf("%s does not fire on its bad fixture", r.ID)
			}
			for _, f := range got {
				t.Logf("%s %s", f.Severity, f.Message)
				if f.Rule != r.ID || f.Fix != r.Fix || f.Doc != r.Doc || f.Message == "" || f.Resource == "" {
					t.Errorf("malformed finding %+v", f)
				}
				if r.Severity != check.Info && f.Severity == check.Info {
					t.Errorf("%s fires only as undecided on its bad fixture: %s", r.ID, f.Message)
				}
			}
			good := reference(t)
			if fx.good != nil {
				fx.good(t, good)
			}
			for _, f := range check.Run(build(t, good), append(fx.goodOpts, check.WithOnly(r.ID))...) {
				t.Errorf("%s fires on its good fixture: %s %s", r.ID, f.Resource, f.Message)
			}
		})
	}
	for id := range fixtures {
		if _, ok := check.Lookup(id); !ok {
			t.Errorf("fixture for unknown rule %s", id)
		}
	}
}

// firewallDesign replaces the template with the reference design compiled
// with egress through Azure Firewall.
func firewallDesign(t testing.TB, tm *arm.Template) {
	src := string(spec.ReferenceYAML()) + "\n"
	src = strings.Replace(src, "  mode: natGateway", "  mode: firewall", 1)
	src = strings.Replace(src, "  aksOutboundType: loadBalancer", "  aksOutboundType: userDefinedRouting", 1)
	d := spectest.Parse(t, "firewall.yaml", []byte(src))
	fw, err := compile.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	*tm = *fw
}

// removeFirewallRule drops one rule from the firewall policy.
func removeFirewallRule(name string) func(testing.TB, *arm.Template) {
	return func(t testing.TB, tm *arm.Template) {
		g := first(t, tm, "Microsoft.Network/firewallPolicies/ruleCollectionGroups")
		for _, c := range g.Properties["ruleCollections"].([]any) {
			cm := c.(map[string]any)
			var keep []any
			for _, r := range cm["rules"].([]any) {
				if r.(map[string]any)["name"] != name {
					keep = append(keep, r)
				}
			}
			cm["rules"] = keep
		}
	}
}

// referenceModel is the reference design as deployed: the "previous" state
// for rules about changes.
func referenceModel() *twin.Twin {
	d, _, err := spec.Default()
	if err != nil {
		panic(err)
	}
	tm, err := compile.Compile(d)
	if err != nil {
		panic(err)
	}
	set, err := armeval.Evaluate(tm)
	if err != nil {
		panic(err)
	}
	return twin.Build(set)
}

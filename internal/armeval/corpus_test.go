package armeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/testenv"
)

// Corpus file names (see testdata/arm/README.md at the repository root).
const (
	a1       = "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.json"
	a1Params = "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.parameters.json"
	a3       = "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json"
	a8       = "Azure-Samples__aks-agic__templates__azuredeploy.json"
	b1Hub    = "mspnp__aks-baseline__networking__hub-regionA.json"
	b1Spoke  = "mspnp__aks-baseline__networking__spoke-BU0001A0008.json"
	b1Acr    = "mspnp__aks-baseline__acr-stamp.json"
	b1Stamp  = "mspnp__aks-baseline__cluster-stamp.json"
	b1Params = "mspnp__aks-baseline__azuredeploy.parameters.prod.json"
)

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.Testdata(t, "arm", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// evalCorpus reads and evaluates a corpus template with the parameters of
// paramsFile (if not empty) overlaid with extra, and fails on any error.
func evalCorpus(t testing.TB, name, paramsFile string, extra map[string]any) *arm.Set {
	t.Helper()
	tp, err := ReadTemplate(readCorpus(t, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	params := map[string]any{}
	if paramsFile != "" {
		if params, err = ReadParameters(readCorpus(t, paramsFile)); err != nil {
			t.Fatalf("read %s: %v", paramsFile, err)
		}
	}
	for k, v := range extra {
		params[k] = v
	}
	s, err := Evaluate(tp, WithParameters(params), WithSource(name))
	if err != nil {
		t.Fatalf("evaluate %s: %v", name, err)
	}
	for _, r := range s.Resources {
		checkID(t, name, r)
	}
	return s
}

// checkID checks that r's ID is concrete and consistent with its type,
// name and scope. arm.ParseResourceID reads an extension resource's ID as
// one long type, so extension IDs are checked through their scope.
func checkID(t testing.TB, name string, r *arm.Resource) {
	t.Helper()
	id := string(r.ID)
	if r.Scope != "" {
		segs := strings.Split(r.Name, "/")
		if want := r.Scope + providerPath(r.Type, segs); id != want {
			t.Errorf("%s: extension ID %s, want %s", name, id, want)
		}
		id = r.Scope
		if !strings.Contains(id, "/providers/") {
			return // a resource group or subscription scope
		}
	}
	p, err := arm.ParseResourceID(id)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if r.Scope == "" && (!strings.EqualFold(p.Type(), r.Type) || p.Name() != r.Name) {
		t.Errorf("%s: ID %s does not match type %q name %q", name, r.ID, r.Type, r.Name)
	}
}

// one returns the only resource of typ whose name ends with suffix.
func one(t *testing.T, s *arm.Set, typ, suffix string) *arm.Resource {
	t.Helper()
	var found []*arm.Resource
	for _, r := range s.OfType(typ) {
		if strings.HasSuffix(strings.ToLower(r.Name), strings.ToLower(suffix)) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d resources of type %s named *%s, want 1", len(found), typ, suffix)
	}
	return found[0]
}

func TestCorpusAllEvaluate(t *testing.T) {
	entries, err := os.ReadDir(testenv.Testdata(t, "arm"))
	if err != nil {
		t.Fatal(err)
	}
	// Values for parameters the templates require (no default and no
	// parameters file), as their READMEs have people supply them.
	required := map[string]map[string]any{
		a3:      {"workspaceName": "la-kv-pe"},
		b1Spoke: {"hubVnetResourceId": "/subscriptions/" + sub + "/resourceGroups/rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub", "location": "eastus2"},
		b1Acr:   {"targetVnetResourceId": "/subscriptions/" + sub + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00"},
		// Added for issue 11 (testdata/arm/README.md R1, F1). F1's
		// _artifactsLocation defaults to deployment().properties.templateLink.uri,
		// which a local deployment does not have: it is given, as its README says.
		"Azure__azure-quickstart-templates__quickstarts__microsoft.network__azure-dns-private-resolver__azuredeploy.json": {"location": "canadacentral"},
		"Azure__azure-quickstart-templates__quickstarts__microsoft.network__azure-firewall-dns-proxy__azuredeploy.json": {
			"adminUsername": "azureuser", "adminPasswordOrKey": "NotAReal-Secret-1", "_artifactsLocation": "https://example.invalid/azure-firewall-dns-proxy/"},
	}
	paramFiles := map[string]string{a1: a1Params, b1Stamp: b1Params}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if strings.Contains(name, ".parameters.") || filepath.Ext(name) != ".json" || !strings.Contains(name, "__") {
			continue // parameters, and the templates added for issue 10 (corpus10_test.go)
		}
		if strings.HasPrefix(name, "mspnp__aks-baseline-multi-region__") || strings.HasPrefix(name, "mspnp__aks-fabrikam-dronedelivery__") ||
			strings.HasPrefix(name, "mspnp__aks-baseline-regulated__") || strings.HasPrefix(name, "aks-lza__") {
			// Issue 11's multi-template sets (README M1 to M4) read only as
			// estates, each file's parameters naming the others'
			// resources, and leave some resources out by design: the
			// internal/cli estate tests assert their verdicts, left-outs
			// included.
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			s := evalCorpus(t, name, paramFiles[name], required[name])
			if len(s.Resources) < 5 {
				t.Errorf("only %d resources", len(s.Resources))
			}
		})
	}
	if n != 9 {
		t.Errorf("%d corpus templates, want 9", n)
	}
}

func TestCorpusA1PrivateAKS(t *testing.T) {
	s := evalCorpus(t, a1, a1Params, nil)
	aks := one(t, s, "Microsoft.ContainerService/managedClusters", "")
	if got := aks.Prop("apiServerAccessProfile.enablePrivateCluster"); got != true {
		t.Errorf("enablePrivateCluster = %v, want true", got)
	}
	if got := aks.Prop("apiServerAccessProfile.privateDNSZone"); got != nil {
		t.Errorf("privateDNSZone = %v, want unset (system zone)", got)
	}
	if got := len(aks.Prop("agentPoolProfiles").([]any)); got != 2 {
		t.Errorf("%d node pools, want 2", got)
	}
	// ACR and its private endpoint, zone and link exist because acrSku
	// defaults to Premium; the PE sits in the AKS subnet.
	acr := one(t, s, "Microsoft.ContainerRegistry/registries", "")
	if acr.Prop("publicNetworkAccess") != nil || acr.Prop("networkRuleSet") != nil {
		t.Errorf("ACR publicNetworkAccess/networkRuleSet set: %v", acr.Properties)
	}
	one(t, s, "Microsoft.Network/privateDnsZones", "privatelink.azurecr.io")
	pe := one(t, s, "Microsoft.Network/privateEndpoints", "AcrPrivateEndpoint")
	if id, _ := pe.Prop("subnet.id").(string); !strings.HasSuffix(id, "/subnets/AksSubnet") {
		t.Errorf("ACR PE subnet = %v, want the AKS subnet", pe.Prop("subnet.id"))
	}
	nic := one(t, s, "Microsoft.Network/networkInterfaces", "")
	if got := nic.Prop("ipConfigurations.0.properties.publicIPAddress"); got != nil {
		t.Errorf("jumpbox NIC has public IP %v", got)
	}
	vnet := one(t, s, "Microsoft.Network/virtualNetworks", "")
	if diff := cmp.Diff(vnet.Prop("dhcpOptions.dnsServers"), any([]any{})); diff != "" {
		t.Errorf("dnsServers (-got +want):\n%s", diff)
	}
	if got := vnet.Prop("addressSpace.addressPrefixes.0"); got != "10.0.0.0/8" {
		t.Errorf("VNet prefix %v", got)
	}
	st := one(t, s, "Microsoft.Storage/storageAccounts", "")
	if st.Prop("networkAcls") != nil {
		t.Errorf("storage networkAcls = %v, want none", st.Prop("networkAcls"))
	}
	if n := len(s.OfType("Microsoft.Authorization/roleAssignments")); n != 2 {
		t.Errorf("%d role assignments, want 2 (Contributor, AcrPull)", n)
	}
	// The parameters file's placeholder stays a literal.
	if got := aks.Prop("linuxProfile.ssh.publicKeys.0.keyData"); got != "<YOUR-SSH-KEY>" {
		t.Errorf("ssh key = %v", got)
	}

	// With a Standard ACR the resources conditional on Premium (the ACR PE,
	// zone, link, zone group and AcrPull assignment) disappear; the
	// registry itself is unconditional in this template.
	std := evalCorpus(t, a1, a1Params, map[string]any{"acrSku": "Standard"})
	if n := len(std.OfType("Microsoft.ContainerRegistry/registries")); n != 1 {
		t.Errorf("acrSku=Standard: %d registries, want 1", n)
	}
	for _, r := range std.Resources {
		if strings.Contains(strings.ToLower(string(r.ID)), "azurecr.io") || strings.HasSuffix(r.Name, "AcrPrivateEndpoint") {
			t.Errorf("acrSku=Standard: %s still present", r.ID)
		}
	}
	if n := len(std.OfType("Microsoft.Authorization/roleAssignments")); n != 1 {
		t.Errorf("acrSku=Standard: %d role assignments, want 1 (no AcrPull)", n)
	}
}

func TestCorpusA8AGIC(t *testing.T) {
	s := evalCorpus(t, a8, "", nil)
	acr := one(t, s, "Microsoft.ContainerRegistry/registries", "")
	if got := acr.Prop("publicNetworkAccess"); got != "Enabled" {
		t.Errorf("ACR publicNetworkAccess = %v, want Enabled", got)
	}
	if got := acr.Prop("networkRuleSet.defaultAction"); got != "Deny" {
		t.Errorf("ACR networkRuleSet.defaultAction = %v, want Deny", got)
	}
	kv := one(t, s, "Microsoft.KeyVault/vaults", "")
	if got := kv.Prop("networkAcls.defaultAction"); got != "Deny" {
		t.Errorf("KV networkAcls.defaultAction = %v, want Deny", got)
	}
	aks := one(t, s, "Microsoft.ContainerService/managedClusters", "")
	if got := aks.Prop("apiServerAccessProfile.enablePrivateCluster"); got != true {
		t.Errorf("enablePrivateCluster = %v", got)
	}
	if got := aks.Prop("addonProfiles.ingressApplicationGateway.enabled"); got != true {
		t.Errorf("AGIC addon enabled = %v", got)
	}
	agw := one(t, s, "Microsoft.Network/applicationGateways", "")
	pip, _ := agw.Prop("frontendIPConfigurations.0.properties.publicIPAddress.id").(string)
	if !strings.Contains(pip, "/publicIPAddresses/") {
		t.Errorf("App Gateway frontend public IP = %q (key written PublicIPAddress)", pip)
	}
	if got := agw.Prop("sku.tier"); got != "WAF_v2" {
		t.Errorf("App Gateway tier = %v", got)
	}
	if n := len(s.OfType("Microsoft.ManagedIdentity/userAssignedIdentities")); n != 3 {
		t.Errorf("%d user-assigned identities, want 3", n)
	}
	if n := len(s.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks")); n != 3 {
		t.Errorf("%d zone links, want 3", n)
	}
	// The kubelet identity's object ID is read from the cluster at deploy time.
	var found bool
	for _, ra := range s.OfType("Microsoft.Authorization/roleAssignments") {
		if u, ok := ra.Prop("principalId").(arm.Unknown); ok && u.Ref.Equal(aks.ID) && u.Path == "identityProfile.kubeletidentity.objectId" {
			found = true
		}
	}
	if !found {
		t.Errorf("no role assignment for the kubelet identity (Unknown with Ref = cluster)")
	}
}

func TestCorpusA3KeyVaultPE(t *testing.T) {
	s := evalCorpus(t, a3, "", map[string]any{"workspaceName": "la-kv-pe"})
	nsg := one(t, s, "Microsoft.Network/networkSecurityGroups", "")
	var ssh bool
	for _, r := range nsg.Prop("securityRules").([]any) {
		if arm.Lookup(r, "properties.destinationPortRange") == "22" && arm.Lookup(r, "properties.sourceAddressPrefix") == "*" &&
			arm.Lookup(r, "properties.access") == "Allow" && arm.Lookup(r, "properties.direction") == "Inbound" {
			ssh = true
		}
	}
	if !ssh {
		t.Errorf("no NSG rule allowing 22 from *: %v", nsg.Prop("securityRules"))
	}
	kv := one(t, s, "Microsoft.KeyVault/vaults", "")
	if kv.Prop("networkAcls") != nil || kv.Prop("publicNetworkAccess") != nil {
		t.Errorf("KV networkAcls %v publicNetworkAccess %v, want neither", kv.Prop("networkAcls"), kv.Prop("publicNetworkAccess"))
	}
	nic := one(t, s, "Microsoft.Network/networkInterfaces", "")
	if id, _ := nic.Prop("ipConfigurations.0.properties.publicIPAddress.id").(string); !strings.Contains(id, "/publicIPAddresses/") {
		t.Errorf("VM NIC public IP = %v, want one", nic.Prop("ipConfigurations.0.properties.publicIPAddress"))
	}
	if n := len(s.OfType("Microsoft.KeyVault/vaults/secrets")); n != 3 {
		t.Errorf("%d secrets from the copy loop, want 3", n)
	}
	zone := one(t, s, "Microsoft.Network/privateDnsZones", "privatelink.vaultcore.azure.net")
	if n := len(s.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks")); n != 2 {
		t.Errorf("%d zone links, want 2 (vault and blob)", n)
	}
	if zone.Location != "global" {
		t.Errorf("zone location %q", zone.Location)
	}
	// The access policy's object ID is the VM's system identity, read at deploy time.
	u, ok := kv.Prop("accessPolicies.0.objectId").(arm.Unknown)
	if !ok || u.Path != "identity.principalId" || !strings.HasSuffix(string(u.Ref), "/virtualMachines/TestVm") {
		t.Errorf("access policy objectId = %#v", kv.Prop("accessPolicies.0.objectId"))
	}
}

func TestCorpusB1Baseline(t *testing.T) {
	hub := evalCorpus(t, b1Hub, "", nil)
	hubVnet := one(t, hub, "Microsoft.Network/virtualNetworks", "")
	if got := hubVnet.Prop("addressSpace.addressPrefixes.0"); got != "10.200.0.0/24" {
		t.Errorf("hub prefix %v", got)
	}
	var proxy bool
	for _, p := range hub.OfType("Microsoft.Network/firewallPolicies") {
		if p.Prop("dnsSettings.enableProxy") == true {
			proxy = true
		}
	}
	if !proxy {
		t.Errorf("no firewall policy with dnsSettings.enableProxy true")
	}
	if n := len(hub.OfType("Microsoft.Network/bastionHosts")); n != 0 {
		t.Errorf("%d Bastion hosts in the hub, want 0", n)
	}
	if n := len(hub.OfType("Microsoft.Network/publicIPAddresses")); n != 3 {
		t.Errorf("%d firewall public IPs (copy loop), want 3", n)
	}

	hubID := hub.Outputs["hubVnetId"].(string)
	spoke := evalCorpus(t, b1Spoke, "", map[string]any{"hubVnetResourceId": hubID, "location": "eastus2"})
	vnet := one(t, spoke, "Microsoft.Network/virtualNetworks", "")
	if got := vnet.Prop("dhcpOptions.dnsServers"); got != nil {
		t.Errorf("spoke dnsServers = %v, want none (Azure DNS)", got)
	}
	if got := vnet.Prop("addressSpace.addressPrefixes.0"); got != "10.240.0.0/16" {
		t.Errorf("spoke prefix %v", got)
	}
	// The hub-to-spoke peering is deployed into the hub's resource group by a
	// nested deployment, and points back at the spoke VNet.
	peer := one(t, spoke, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "hub-to-"+vnet.Name)
	if p, _ := arm.ParseResourceID(string(peer.ID)); p.ResourceGroup != "rg-enterprise-networking-hubs" && !strings.Contains(hubID, p.ResourceGroup) {
		t.Errorf("hub peering in resource group %q", p.ResourceGroup)
	}
	if got := peer.Prop("remoteVirtualNetwork.id"); got != string(vnet.ID) {
		t.Errorf("hub peering remote = %v, want %s", got, vnet.ID)
	}
	rt := one(t, spoke, "Microsoft.Network/routeTables", "")
	if u, ok := rt.Prop("routes.0.properties.nextHopIpAddress").(arm.Unknown); !ok || !strings.HasSuffix(string(u.Ref), "/azureFirewalls/fw-eastus2") {
		t.Errorf("UDR next hop = %#v, want Unknown read from the hub firewall", rt.Prop("routes.0.properties.nextHopIpAddress"))
	}
	spokeID := spoke.Outputs["clusterVnetResourceId"].(string)

	acrSet := evalCorpus(t, b1Acr, "", map[string]any{"targetVnetResourceId": spokeID})
	acr := one(t, acrSet, "Microsoft.ContainerRegistry/registries", "")
	if got := acr.Prop("publicNetworkAccess"); got != "Disabled" {
		t.Errorf("ACR publicNetworkAccess %v", got)
	}
	link := one(t, acrSet, "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "")
	if got := link.Prop("virtualNetwork.id"); !strings.EqualFold(got.(string), spokeID) {
		t.Errorf("ACR zone linked to %v, want the spoke %s", got, spokeID)
	}
	pe := one(t, acrSet, "Microsoft.Network/privateEndpoints", "")
	if id, _ := pe.Prop("subnet.id").(string); !strings.HasSuffix(id, "/subnets/snet-clusternodes") {
		t.Errorf("ACR PE subnet %v", pe.Prop("subnet.id"))
	}

	stamp := evalCorpus(t, b1Stamp, b1Params, nil)
	aks := one(t, stamp, "Microsoft.ContainerService/managedClusters", "")
	if got := aks.Prop("apiServerAccessProfile.enablePrivateCluster"); got != false {
		t.Errorf("enablePrivateCluster = %v, want false", got)
	}
	// The parameters file gives a string where an array is expected: kept as written.
	if got, _ := aks.Prop("apiServerAccessProfile.authorizedIPRanges").(string); !strings.HasPrefix(got, "[array of IP ranges") {
		t.Errorf("authorizedIPRanges = %#v, want the parameters file's literal string", aks.Prop("apiServerAccessProfile.authorizedIPRanges"))
	}
	if got := aks.Prop("networkProfile.outboundType"); got != "userDefinedRouting" {
		t.Errorf("outboundType %v", got)
	}
	kv := one(t, stamp, "Microsoft.KeyVault/vaults", "")
	if got := kv.Prop("networkAcls.defaultAction"); got != "Deny" {
		t.Errorf("KV default action %v", got)
	}
	// The placeholders stay literals: the tenant placeholder differs from the
	// subscription's tenant, so Azure RBAC is off, the admin group goes into
	// the AAD profile and the RBAC-only role assignments are dropped.
	if diff := cmp.Diff(aks.Prop("aadProfile"), any(map[string]any{
		"managed": true, "enableAzureRBAC": false,
		"adminGroupObjectIDs": []any{"[guid--security-group-objectid-that-will-become-cluster-admin]"},
		"tenantID":            "[guid--your-cluster-APIs-authorization-tenant-ID]",
	})); diff != "" {
		t.Errorf("aadProfile (-got +want):\n%s", diff)
	}
	for _, ra := range stamp.OfType("Microsoft.Authorization/roleAssignments") {
		if ra.Prop("principalType") == "Group" {
			t.Errorf("RBAC-only group role assignment %s present", ra.ID)
		}
	}
	// Role assignments deployed by nested deployments into the spoke resource group.
	var inSpokeRG int
	for _, ra := range stamp.OfType("Microsoft.Authorization/roleAssignments") {
		if strings.Contains(string(ra.ID), "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/") {
			inSpokeRG++
		}
	}
	if inSpokeRG != 2 {
		t.Errorf("%d subnet role assignments in the spoke resource group, want 2", inSpokeRG)
	}
}

func BenchmarkEvaluateLargest(b *testing.B) {
	data := readCorpus(b, b1Stamp)
	params, err := ReadParameters(readCorpus(b, b1Params))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tp, err := ReadTemplate(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Evaluate(tp, WithParameters(params)); err != nil {
			b.Fatal(err)
		}
	}
}

// mspnp/aks-baseline-multi-region's cluster stamp (testdata/arm/README.md
// M1) gives its Application Gateway's diagnostic settings the name
// "/Microsoft.Insights/default" and its cluster's the type
// "/providers/diagnosticSettings": both are the parent's extension
// resources, {parent}/providers/Microsoft.Insights/diagnosticSettings/default.
func TestCorpusM1ChildSlashes(t *testing.T) {
	const m1 = "mspnp__aks-baseline-multi-region__"
	rgs := "/subscriptions/" + sub + "/resourceGroups/"
	spoke := rgs + "rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-hub-spoke-BU0001A0042-03"
	s := evalCorpus(t, m1+"cluster-stamp.json", m1+"azuredeploy.parameters.eastus2.json", map[string]any{
		"targetVnetResourceId":                 spoke,
		"containerRegistryId":                  rgs + "rg-bu0001a0042-shared/providers/Microsoft.ContainerRegistry/registries/acraks03",
		"logAnalyticsWorkspaceId":              rgs + "rg-bu0001a0042-shared/providers/Microsoft.OperationalInsights/workspaces/la-aks",
		"clusterAdminEntraGroupObjectId":       "11111111-1111-1111-1111-111111111111",
		"k8sControlPlaneAuthorizationTenantId": "22222222-2222-2222-2222-222222222222",
	})
	for _, l := range s.Coverage.LeftOut {
		if strings.Contains(strings.ToLower(l.String()), "diagnosticsettings") {
			t.Errorf("left out: %s", l)
		}
	}
	for _, parent := range []string{"Microsoft.Network/applicationGateways", "Microsoft.ContainerService/managedClusters"} {
		p := one(t, s, parent, "")
		want := arm.ResourceID(string(p.ID) + "/providers/Microsoft.Insights/diagnosticSettings/default")
		if s.Get(want) == nil {
			t.Errorf("no %s", want)
		}
	}
	for _, r := range s.Resources {
		if strings.Contains(string(r.ID), "//") {
			t.Errorf("empty segment in %s", r.ID)
		}
	}
}

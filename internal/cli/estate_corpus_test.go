package cli

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
)

// Multi-template sets of issue 11 beyond aks-baseline (testdata/arm/README.md
// M3 onwards): each test asserts the conclusions the README wrote before
// privaks ran, then single faults and benign changes on the real files.

// mutated writes a copy of the corpus file name (or of the file at an
// absolute path) into dir with the first occurrence of old after the first
// occurrence of anchor replaced by new, and returns its path. The test
// fails if anchor or old is not found.
func mutated(t *testing.T, dir, name, anchor, old, new string) string {
	t.Helper()
	src := name
	if !filepath.IsAbs(name) {
		src = testenv.Testdata(t, "arm", name)
	}
	name = filepath.Base(name)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	at := strings.Index(s, anchor)
	if at < 0 {
		t.Fatalf("%s: no %q", name, anchor)
	}
	i := strings.Index(s[at:], old)
	if i < 0 {
		t.Fatalf("%s: no %q after %q", name, old, anchor)
	}
	i += at
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(s[:i]+new+s[i+len(old):]), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// regulatedArgs read mspnp/aks-baseline-regulated (README M3 / F2) as one
// estate: hub v2, both spokes and the cluster, each in the resource group
// its deployment guide names. files maps a corpus file name to a mutated
// copy.
func regulatedArgs(t *testing.T, files map[string]string) []string {
	dir := testenv.Testdata(t, "arm")
	path := func(name string) string {
		if p, ok := files[name]; ok {
			return p
		}
		return filepath.Join(dir, name)
	}
	const m = "mspnp__aks-baseline-regulated__"
	rg := "/subscriptions/" + estateSubID + "/resourceGroups/"
	spokes := rg + "rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/"
	s01 := spokes + "vnet-spoke-BU0001A0005-01"
	hub := rg + "rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub"
	return []string{
		"--template", path(m+"networking__hub-region.v2.json") + ",resource-group=rg-enterprise-networking-hubs,param=location=eastus2" +
			`,param=nodepoolSubnetResourceIds=["` + s01 + `/subnets/snet-cluster-systemnodepool","` + s01 + `/subnets/snet-cluster-inscopenodepools","` + s01 + `/subnets/snet-cluster-outofscopenodepools"]` +
			",param=aksImageBuilderSubnetResourceId=" + spokes + "vnet-spoke-BU0001A0005-00/subnets/snet-imagebuilder,param=aksJumpboxSubnetResourceId=" + s01 + "/subnets/snet-management-ops",
		"--template", path(m+"networking__spoke-BU0001A0005-00.json") + ",resource-group=rg-enterprise-networking-spokes,param=location=eastus2,param=hubVnetResourceId=" + hub,
		"--template", path(m+"networking__spoke-BU0001A0005-01.json") + ",resource-group=rg-enterprise-networking-spokes,param=location=eastus2,param=hubVnetResourceId=" + hub,
		"--template", path(m+"cluster-stamp.json") + ",resource-group=rg-bu0001a0005,parameters=" + filepath.Join(dir, m+"azuredeploy.parameters.prod.json") +
			",param=targetVnetResourceId=" + s01 + ",param=clusterAdminAadGroupObjectId=11111111-1111-1111-1111-111111111111,param=k8sControlPlaneAuthorizationTenantId=22222222-2222-2222-2222-222222222222" +
			",param=appGatewayListenerCertificate=Y2VydA==,param=aksIngressControllerCertificate=Y2VydA==,param=jumpBoxCloudInitAsBase64=I2Nsb3VkLWNvbmZpZw==" +
			",param=jumpBoxImageResourceId=" + rg + "rg-bu0001a0005/providers/Microsoft.Compute/images/img-aksopsjb",
	}
}

func TestVerifyEstateRegulated(t *testing.T) {
	const (
		hubFile   = "mspnp__aks-baseline-regulated__networking__hub-region.v2.json"
		spokeFile = "mspnp__aks-baseline-regulated__networking__spoke-BU0001A0005-01.json"
		pools     = "npsystem npinscope01 npooscope01"
	)
	verify := func(t *testing.T, files map[string]string) (int, string) {
		code, out, _ := run(t, append([]string{"verify"}, regulatedArgs(t, files)...)...)
		return code, out
	}
	want := func(t *testing.T, out string, lines ...string) {
		t.Helper()
		for _, w := range lines {
			if !strings.Contains(out, w) {
				t.Errorf("no %q in\n%s", w, out)
			}
		}
	}
	t.Run("as published", func(t *testing.T) {
		code, out := verify(t, nil)
		if code != ExitFailed {
			t.Errorf("exit %d, want %d", code, ExitFailed)
		}
		for _, p := range strings.Fields(pools) {
			pc := "node pool aks-3r2sklf45xzxm/" + p
			want(t, out, "✓ "+pc+" → API server of aks-3r2sklf45xzxm", "✓ "+pc+" → registry acraks3r2sklf45xzxm",
				"✓ "+pc+" → key vault kv-aks-3r2sklf45xzxm", "✓ "+pc+" → AKS required endpoints")
		}
		want(t, out,
			// The jumpbox subnet's NSG lets only 443 out: DNS to the
			// firewall's proxy is denied.
			"✗ vmss-jumpboxes → API server of aks-3r2sklf45xzxm", "✗ vmss-jumpboxes → key vault kv-aks-3r2sklf45xzxm",
			"DNS server 10.200.0.4 (fw-eastus2, firewall-proxy) unreachable on UDP 53: NSG nsg-vnet-spoke-BU0001A0005-01-management-ops on subnet snet-management-ops denies 10.240.1.4 → 10.200.0.4 Udp 53 by rule DenyAllOutBound",
			// SSH from the hub's Bastion subnet, read through reference().
			"✓ ab-eastus2 → vmss-jumpboxes:22",
			"✗ Internet ↛ key vault kv-aks-3r2sklf45xzxm", "networkAcls.defaultAction is Allow",
			"✓ Internet ↛ registry acraks3r2sklf45xzxm", "✓ Internet ↛ API server of aks-3r2sklf45xzxm", "✓ Internet ↛ vmss-jumpboxes",
			"✓ Internet → apw-aks-3r2sklf45xzxm public frontend",
			"21 intents, 18 pass, 3 fail")
	})
	t.Run("check: role assignments ordered through their deployment", func(t *testing.T) {
		_, out, _ := run(t, append([]string{"check"}, regulatedArgs(t, nil)...)...)
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "PVK078") && (strings.Contains(line, "Private DNS Zone Contributor") || strings.Contains(line, "Network Contributor")) {
				t.Errorf("the cluster depends on the deployment of these role assignments: %s", line)
			}
		}
		want(t, out, "PVK042", "PVK120")
	})
	t.Run("classic proxy off", func(t *testing.T) {
		hub := mutated(t, t.TempDir(), hubFile, `"Network.DNS.EnableProxy"`, `"true"`, `"false"`)
		_, out := verify(t, map[string]string{hubFile: hub})
		want(t, out, "✗ node pool aks-3r2sklf45xzxm/npsystem → registry acraks3r2sklf45xzxm",
			"Azure Firewall fw-eastus2 does not proxy DNS", `additionalProperties["Network.DNS.EnableProxy"] of fw-eastus2`)
	})
	t.Run("azmk8s zone not linked to the hub", func(t *testing.T) {
		// The link moves to spoke 00, which has no client: the proxy
		// resolves in the hub's context, where the zone is then unseen.
		spoke := mutated(t, t.TempDir(), spokeFile, "used by azure firewall's dns proxy.\",\n                    \"dependsOn\": [\n                        \"[resourceId('Microsoft.Network/privateDnsZones', variables('aksPrivateDnsZonesName'))]\"",
			"[parameters('hubVnetResourceId')]", "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-spoke-BU0001A0005-00')]")
		_, out := verify(t, map[string]string{spokeFile: spoke})
		want(t, out, "✗ node pool aks-3r2sklf45xzxm/npsystem → API server of aks-3r2sklf45xzxm", "✓ node pool aks-3r2sklf45xzxm/npsystem → registry acraks3r2sklf45xzxm")
	})
	t.Run("benign: the spoke's DNS server written literally", func(t *testing.T) {
		spoke := mutated(t, t.TempDir(), spokeFile, `"dnsServers": [`,
			`"[reference(variables('hubFwResourceId'), '2020-05-01').ipConfigurations[0].properties.privateIpAddress]"`, `"10.200.0.4"`)
		code, out := verify(t, map[string]string{spokeFile: spoke})
		if code != ExitFailed {
			t.Errorf("exit %d, want %d", code, ExitFailed)
		}
		want(t, out, "✓ node pool aks-3r2sklf45xzxm/npsystem → registry acraks3r2sklf45xzxm", "21 intents, 18 pass, 3 fail")
	})
	t.Run("benign: a network rule for NTP added", func(t *testing.T) {
		hub := mutated(t, t.TempDir(), hubFile, `"natRuleCollections": [],`, `"networkRuleCollections": [`, `"networkRuleCollections": [
                    {"name": "allow-ntp-nodes", "properties": {"action": {"type": "Allow"}, "priority": 110, "rules": [{"name": "ntp",
                        "sourceIpGroups": ["[resourceId('Microsoft.Network/ipGroups', variables('aksIpGroupName'))]"],
                        "protocols": ["UDP"], "destinationPorts": ["123"], "destinationFqdns": ["ntp.ubuntu.com"]}]}},`)
		_, out := verify(t, map[string]string{hubFile: hub})
		want(t, out, "✓ node pool aks-3r2sklf45xzxm/npsystem → AKS required endpoints", "21 intents, 18 pass, 3 fail")
	})
}

// A param whose value is a JSON array or object keeps its commas: the
// regulated hub takes three node pool subnet IDs in one parameter.
func TestTemplateSpecJSONParam(t *testing.T) {
	p, err := parseTemplateSpec(`hub.json,param=ids=["a","b,c"],param=o={"k":[1,2]},resource-group=rg,param=s="x,y",param=n=1`)
	if err != nil {
		t.Fatal(err)
	}
	text := func(name string) string {
		v, _ := p.Param[name].(armeval.Param)
		s, _ := v.Value.(string)
		return s
	}
	if text("ids") != `["a","b,c"]` || text("o") != `{"k":[1,2]}` || text("s") != `"x,y"` || text("n") != "1" || p.ResourceGroup != "rg" {
		t.Errorf("parsed %+v", p)
	}
	// A bracket in the path is no JSON.
	if p, err := parseTemplateSpec(`dir[1/hub.json,resource-group=rg`); err != nil || p.Path != "dir[1/hub.json" || p.ResourceGroup != "rg" {
		t.Errorf("bracket in the path: %+v, %v", p, err)
	}
}

// lzaArgs read the AKS Landing Zone Accelerator's private-cluster ARM
// templates (README M4) as one estate, all in the resource group
// aks-eslz-arm as its guide deploys them. files maps a file name to a
// mutated copy; a template named in skip is not given.
func lzaArgs(t *testing.T, files map[string]string, skip ...string) []string {
	dir := testenv.Testdata(t, "arm")
	path := func(name string) string {
		if p, ok := files[name]; ok {
			return p
		}
		return filepath.Join(dir, name)
	}
	subnets := "/subscriptions/" + estateSubID + "/resourceGroups/aks-eslz-arm/providers/Microsoft.Network/virtualNetworks/vnet_spoke_arm/subnets/"
	var args []string
	for _, p := range [][2]string{
		{"la", "parameters"}, {"hub", "parameters"}, {"firewall", "parameters"}, {"bastion", "parameters"},
		// Its parameters file holds a password: the same values, given here.
		{"virtualmachine", "param=adminUsername=isadmin,param=adminPassword=NotAReal-Secret-1,param=OSVersion=18.04-LTS,param=vmSize=Standard_D2s_v3,param=vmName=JumpBox,param=hubVNetName=vnet_hub_arm,param=managementSubnet=AzureManagementSubnet"},
		{"spoke", "parameters"}, {"vnet-peering", ""}, {"publicip", "parameters"}, {"applicationgateway", "parameters"}, {"keyvault", "parameters"},
		{"containerregistry", "parameters,param=acrPESubnetId=" + subnets + "privateEndpointSubnet"},
		{"aks", "parameters,param=vnetSubnetID=" + subnets + "aksClusterSubnet"},
	} {
		if slices.Contains(skip, p[0]) {
			continue
		}
		v := path("aks-lza__aks-eslz-"+p[0]+".template.json") + ",resource-group=aks-eslz-arm"
		opts := p[1]
		if rest, ok := strings.CutPrefix(opts, "parameters"); ok {
			v += ",parameters=" + filepath.Join(dir, "aks-lza__aks-eslz-"+p[0]+".parameters.json")
			opts = strings.TrimPrefix(rest, ",")
		}
		if opts != "" {
			v += "," + opts
		}
		args = append(args, "--template", v)
	}
	return args
}

func TestVerifyEstateLandingZoneAccelerator(t *testing.T) {
	const (
		kvFile = "aks-lza__aks-eslz-keyvault.template.json"
		fwFile = "aks-lza__aks-eslz-firewall.template.json"
		pools  = "systempool userpool"
	)
	verify := func(t *testing.T, files map[string]string, skip ...string) (int, string) {
		code, out, _ := run(t, append([]string{"verify"}, lzaArgs(t, files, skip...)...)...)
		return code, out
	}
	want := func(t *testing.T, out string, lines ...string) {
		t.Helper()
		for _, w := range lines {
			if !strings.Contains(out, w) {
				t.Errorf("no %q in\n%s", w, out)
			}
		}
	}
	// The vault's A record is written twice: by its zone group and by a
	// nested deployment whose address is reference() of the endpoint's
	// NIC, named by reference(endpoint).networkInterfaces[0].id.
	aRecord := func(t *testing.T, dir, old, new string) string {
		return mutated(t, dir, kvFile, `"type": "Microsoft.Network/privateDnsZones/A"`, old, new)
	}
	t.Run("as published", func(t *testing.T) {
		code, out := verify(t, nil)
		if code != ExitFailed {
			t.Errorf("exit %d, want %d", code, ExitFailed)
		}
		for _, p := range strings.Fields(pools) {
			pc := "node pool aks-eslz1/" + p
			want(t, out, "✓ "+pc+" → API server of aks-eslz1", "✓ "+pc+" → AKS required endpoints",
				"? "+pc+" → registry acreslz1", "✓ "+pc+" → key vault keyvaulteslz1")
		}
		want(t, out,
			// The registry's endpoint comes from linked templates, never
			// fetched: every intent they could change is undecided.
			"? JumpBox → API server of aks-eslz1", "? JumpBox → key vault keyvaulteslz1",
			"linked template https://containerregistry.hosting.portal.azure.net/",
			"✓ aks-bastion → JumpBox:22", "✓ Internet → app_gateway public frontend", "✓ Internet ↛ JumpBox",
			"✓ Internet ↛ API server of aks-eslz1", "✓ Internet ↛ registry acreslz1",
			"✗ Internet ↛ key vault keyvaulteslz1", "✗ Internet ↛ storage account bootdiag",
			"17 intents, 11 pass, 2 fail, 4 unknown")
	})
	t.Run("without the registry's template", func(t *testing.T) {
		code, out := verify(t, nil, "containerregistry")
		if code != ExitFailed {
			t.Errorf("exit %d, want %d", code, ExitFailed)
		}
		// What the guide says: the hub's jumpbox cannot resolve the
		// private cluster (it has users edit /etc/hosts).
		want(t, out, "✗ JumpBox → API server of aks-eslz1", "JumpBox gets NXDOMAIN for aks-eslz2-dns-",
			"✗ JumpBox → key vault keyvaulteslz1", "resolves keyvaulteslz1.vault.azure.net to a public address",
			"14 intents, 10 pass, 4 fail")
	})
	t.Run("nested A record with a stale address", func(t *testing.T) {
		kv := aRecord(t, t.TempDir(), `"[reference(parameters('keyvault_NetworkInterfaceId'), '2020-05-01', 'Full').properties.ipConfigurations[0].properties.privateIPAddress]"`, `"10.240.4.9"`)
		_, out := verify(t, map[string]string{kvFile: kv}, "containerregistry")
		want(t, out, "✗ node pool aks-eslz1/systempool → key vault keyvaulteslz1", "to 10.240.4.9, not the private endpoint 10.240.4.4")
	})
	t.Run("nested A record's address only known at deployment", func(t *testing.T) {
		// The NIC named by a parameter the model cannot follow.
		kv := aRecord(t, t.TempDir(), `"[reference(parameters('keyvault_NetworkInterfaceId'), '2020-05-01', 'Full')`, `"[reference(parameters('keyVault_name'), '2020-05-01', 'Full')`)
		_, out := verify(t, map[string]string{kvFile: kv}, "containerregistry")
		want(t, out, "? node pool aks-eslz1/systempool → key vault keyvaulteslz1", "holds an address only known at deployment time")
	})
	t.Run("benign: nested A record renamed", func(t *testing.T) {
		kv := aRecord(t, t.TempDir(), `"[concat('privatelink.vaultcore.azure.net','/',parameters('keyvault_name'))]"`, `"[concat('privatelink.vaultcore.azure.net','/','unused')]"`)
		_, out := verify(t, map[string]string{kvFile: kv}, "containerregistry")
		want(t, out, "✓ node pool aks-eslz1/systempool → key vault keyvaulteslz1", "14 intents, 10 pass, 4 fail")
	})
	t.Run("vault zone linked to the hub instead of the spoke", func(t *testing.T) {
		kv := mutated(t, t.TempDir(), kvFile, `"name": "[concat(variables('privateKeyVaultDnsZone'), '/aksvnetlink')]"`,
			`parameters('spokeVnetName')`, `'vnet_hub_arm'`)
		_, out := verify(t, map[string]string{kvFile: kv}, "containerregistry")
		want(t, out, "✗ node pool aks-eslz1/systempool → key vault keyvaulteslz1", "✓ JumpBox → key vault keyvaulteslz1")
	})
	t.Run("anyHTTPS narrowed to the hub", func(t *testing.T) {
		// The application rules name the nodes by an IP group the
		// parameters leave empty: only anyHTTPS let them out.
		fw := mutated(t, t.TempDir(), fwFile, `"name": "anyHTTPS"`, `"*"`, `"10.200.0.0/24"`)
		_, out := verify(t, map[string]string{fwFile: fw}, "containerregistry")
		want(t, out, "✗ node pool aks-eslz1/systempool → AKS required endpoints")
	})
	t.Run("benign: anyHTTPS narrowed to the spoke", func(t *testing.T) {
		fw := mutated(t, t.TempDir(), fwFile, `"name": "anyHTTPS"`, `"*"`, `"10.240.0.0/16"`)
		_, out := verify(t, map[string]string{fwFile: fw}, "containerregistry")
		want(t, out, "✓ node pool aks-eslz1/systempool → AKS required endpoints", "14 intents, 10 pass, 4 fail")
	})
}

// Enterprise-Scale's hub-and-spoke connectivity (README M5 / F3 / R2).
const (
	eslzHubRG = "rg-vnet-hub-prod-eastus2"
	eslzHub   = "/subscriptions/" + estateSubID + "/resourceGroups/" + eslzHubRG + "/providers/Microsoft.Network/virtualNetworks/vnet-hub-contoso-prod-eastus2"
	eslzFW    = "/subscriptions/" + estateSubID + "/resourceGroups/" + eslzHubRG + "/providers/Microsoft.Network/azureFirewalls/afw-contoso-prod-eastus2"
	eslzCorp  = "/subscriptions/" + estateSubID + "/resourceGroups/rg-corp/providers/Microsoft.Network/virtualNetworks/vnet-corp"
)

// eslzArgs are the --template values eslzArm.json's wiring gives the four
// files: proxy is enableAzFwDnsProxy, spokeDNS the corp VNet's DNS
// parameters (azureFirewallResourceId or dnsServers), zoneVNet the VNet
// the blob zone is linked to.
func eslzArgs(t *testing.T, proxy, spokeDNS, zoneVNet string) []string {
	dir := testenv.Testdata(t, "arm")
	f := func(n string) string { return filepath.Join(dir, n) }
	return []string{
		"--template", f("eslz-hubspoke-connectivity.json") + ",subscription=" + estateSubID + ",param=topLevelManagementGroupPrefix=contoso,param=addressPrefix=10.100.0.0/16" +
			",param=location=eastus2,param=enableHub=vhub,param=enableAzFw=Yes,param=enableAzFwDnsProxy=" + proxy + ",param=connectivitySubscriptionId=" + estateSubID + ",param=subnetMaskForAzFw=10.100.0.0/24",
		"--template", f("eslz-privateDnsResolver.json") + ",subscription=" + estateSubID + ",param=topLevelManagementGroupPrefix=contoso,param=dnsResolverName=dnspr-contoso-eastus2" +
			",param=location=eastus2,param=resolverVnetName=vnet-hub-contoso-prod-eastus2,param=vnetRg=" + eslzHubRG,
		"--template", f("eslz-vnetPeering.json") + ",subscription=" + estateSubID + ",param=vNetRgName=rg-corp,param=vNetName=vnet-corp,param=vNetLocation=eastus2" +
			",param=vNetCidrRange=10.110.0.0/24,param=hubResourceId=" + eslzHub + "," + spokeDNS,
		"--template", f("eslz-privateDnsZones.json") + ",resource-group=rg-privatedns,param=privateDnsZoneName=privatelink.blob.core.windows.net,param=connectivityHubResourceId=" + zoneVNet,
	}
}

// eslzTwin reads the estate and adds the scaffolding README M5 names: a
// client subnet in the corp VNet and a blob record as a storage account's
// zone group would write it. It returns the twin and the client.
func eslzTwin(t *testing.T, args []string, mutate func(*arm.Set)) (*twin.Twin, twin.Client) {
	t.Helper()
	f := &sourceFlags{}
	for i := 1; i < len(args); i += 2 {
		if err := (templateList{f}).Set(args[i]); err != nil {
			t.Fatal(err)
		}
	}
	set, err := f.loadEstate()
	if err != nil {
		t.Fatal(err)
	}
	set.Add(&arm.Resource{ID: arm.ResourceID(eslzCorp + "/subnets/workload"), Type: "Microsoft.Network/virtualNetworks/subnets", Name: "vnet-corp/workload",
		Properties: map[string]any{"addressPrefix": "10.110.0.0/26"}})
	zone := "/subscriptions/" + estateSubID + "/resourceGroups/rg-privatedns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
	set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/A/st1"), Type: "Microsoft.Network/privateDnsZones/A", Name: "privatelink.blob.core.windows.net/st1",
		Properties: map[string]any{"aRecords": []any{map[string]any{"ipv4Address": "10.100.2.4"}}}})
	if mutate != nil {
		mutate(set)
	}
	tw := twin.Build(set)
	sn, _ := tw.Lookup(arm.ResourceID(eslzCorp + "/subnets/workload")).(*twin.Subnet)
	if sn == nil {
		t.Fatal("no corp subnet in the model")
	}
	return tw, twin.Client{Name: "corp client", Subnet: sn, Addr: netip.MustParseAddr("10.110.0.4")}
}

func TestEstateEnterpriseScaleDNS(t *testing.T) {
	const blob = "st1.privatelink.blob.core.windows.net"
	viaFW := "param=azureFirewallResourceId=" + eslzFW
	viaInbound := `param=dnsServers=["10.100.9.4"]`
	resolve := func(t *testing.T, args []string, mutate func(*arm.Set)) (*twin.Twin, twin.Resolution) {
		tw, c := eslzTwin(t, args, mutate)
		return tw, tw.Resolve(c, blob)
	}
	private := func(t *testing.T, res twin.Resolution) {
		t.Helper()
		if !res.OK() || res.Addrs[0].String() != "10.100.2.4" || res.Public {
			t.Errorf("%s: %+v, want 10.100.2.4 from the private zone", blob, res)
		}
	}
	public := func(t *testing.T, res twin.Resolution) {
		t.Helper()
		if !res.OK() || !res.Public {
			t.Errorf("%s: %+v, want a public answer", blob, res)
		}
	}
	t.Run("no client, no service: nothing verified", func(t *testing.T) {
		code, out, _ := run(t, append([]string{"verify"}, eslzArgs(t, "Yes", viaFW, eslzHub)...)...)
		if code != ExitIncomplete || !strings.Contains(out, "nothing was verified") || !strings.Contains(out, "0 left out") {
			t.Errorf("exit %d, want %d (nothing verified, nothing left out):\n%s", code, ExitIncomplete, out)
		}
	})
	t.Run("F3: firewall policy DNS proxy", func(t *testing.T) {
		tw, res := resolve(t, eslzArgs(t, "Yes", viaFW, eslzHub), nil)
		if s := tw.Server(netip.MustParseAddr("10.100.0.4")); s.Kind != twin.ServerFirewall {
			t.Errorf("10.100.0.4 is %s, want the firewall's DNS proxy", s)
		}
		private(t, res)
	})
	t.Run("F3 fault: proxy off, the spoke still sends DNS to the firewall", func(t *testing.T) {
		_, res := resolve(t, eslzArgs(t, "No", viaFW, eslzHub), nil)
		if res.OK() || !strings.Contains(res.Err, "does not proxy DNS") {
			t.Errorf("%+v, want a failure: the firewall does not proxy DNS", res)
		}
	})
	t.Run("F3 fault: proxy off as eslzArm wires it (the spoke on Azure DNS)", func(t *testing.T) {
		_, res := resolve(t, eslzArgs(t, "No", "param=azureFirewallResourceId=", eslzHub), nil)
		public(t, res)
	})
	t.Run("F3 fault: zone linked to the spoke instead of the hub", func(t *testing.T) {
		_, res := resolve(t, eslzArgs(t, "Yes", viaFW, eslzCorp), nil)
		public(t, res)
	})
	t.Run("R2: the spoke on the resolver's inbound endpoint", func(t *testing.T) {
		tw, res := resolve(t, eslzArgs(t, "No", viaInbound, eslzHub), nil)
		if s := tw.Server(netip.MustParseAddr("10.100.9.4")); s.Kind != twin.ServerInbound {
			t.Errorf("10.100.9.4 is %s, want the inbound endpoint", s)
		}
		// The inbound subnet's NSG, copied from a Bastion NSG, denies 53.
		if res.OK() || !strings.Contains(res.Err, "unreachable on UDP 53") || !strings.Contains(res.Err, "DenyAllInBound (priority 1000") {
			t.Errorf("%+v, want DNS to the inbound endpoint denied by its subnet's NSG", res)
		}
	})
	t.Run("R2 fault fixed: the inbound NSG admits 53 from the VNet", func(t *testing.T) {
		_, res := resolve(t, eslzArgs(t, "No", viaInbound, eslzHub), func(set *arm.Set) {
			for _, n := range set.OfType("Microsoft.Network/networkSecurityGroups") {
				if strings.HasSuffix(n.Name, "-inbound-nsg") {
					rules, _ := n.Properties["securityRules"].([]any)
					n.Properties["securityRules"] = append([]any{map[string]any{"name": "AllowDns", "properties": map[string]any{
						"priority": 900, "direction": "Inbound", "access": "Allow", "protocol": "*", "sourceAddressPrefix": "VirtualNetwork",
						"sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "53"}}}, rules...)
				}
			}
		})
		private(t, res)
	})
	t.Run("benign: the zone linked to the hub and the spoke", func(t *testing.T) {
		_, res := resolve(t, eslzArgs(t, "Yes", viaFW, eslzHub), func(set *arm.Set) {
			zone := "/subscriptions/" + estateSubID + "/resourceGroups/rg-privatedns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
			set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/virtualNetworkLinks/corp"), Type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
				Name: "privatelink.blob.core.windows.net/corp", Properties: map[string]any{"virtualNetwork": map[string]any{"id": eslzCorp}}})
		})
		private(t, res)
	})
}

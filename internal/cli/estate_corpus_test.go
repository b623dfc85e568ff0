package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/testenv"
)

// Multi-template sets of issue 11 beyond aks-baseline (testdata/arm/README.md
// M3 onwards): each test asserts the conclusions the README wrote before
// privaks ran, then single faults and benign changes on the real files.

// mutated writes a copy of the corpus file name into dir with the first
// occurrence of old after the first occurrence of anchor replaced by new,
// and returns its path. The test fails if anchor or old is not found.
func mutated(t *testing.T, dir, name, anchor, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(testenv.Testdata(t, "arm", name))
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
}

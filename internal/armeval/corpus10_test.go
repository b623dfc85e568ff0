package armeval

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/testenv"
)

// The templates added for issue 10 (testdata/arm/README.md, "Added for
// issue 10"), with the parameter values a user would supply.
var corpus10 = []struct {
	file   string
	params map[string]any
	// remote counts the nested deployments linked by templateLink.uri,
	// which are left out by design (never fetched).
	remote int
}{
	{"avm-ptn-app-service-lza-hosting-environment.json", map[string]any{
		"logAnalyticsWorkspaceResourceId": "/subscriptions/" + sub + "/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"}, 0},
	{"avm-ptn-azd-aks.json", map[string]any{"name": "aks1", "containerRegistryName": "acr1", "keyVaultName": "kv-aks1",
		"principalId":                   "11111111-1111-1111-1111-111111111111",
		"monitoringWorkspaceResourceId": "/subscriptions/" + sub + "/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"}, 0},
	{"avm-ptn-data-private-analytical-workspace.json", map[string]any{"name": "paw1"}, 0},
	{"avm-ptn-lz-sub-vending.json", nil, 0},
	{"avm-ptn-network-hub-networking.json", nil, 0},
	{"avm-ptn-network-private-link-private-dns-zones.json", nil, 0},
	{"avm-res-container-registry.json", map[string]any{"name": "acr1"}, 0},
	{"avm-res-key-vault.json", map[string]any{"name": "kv1"}, 0},
	{"avm-res-managed-cluster.json", map[string]any{"name": "aks1", "primaryAgentPoolProfiles": []any{
		map[string]any{"name": "system", "count": 3.0, "vmSize": "Standard_D4ds_v5", "mode": "System"}}}, 0},
	{"avm-res-private-dns-zone.json", map[string]any{"name": "privatelink.vaultcore.azure.net"}, 0},
	{"avm-res-private-endpoint.json", map[string]any{"name": "pe-kv1",
		"subnetResourceId": "/subscriptions/" + sub + "/resourceGroups/rg-privaks/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"}, 0},
	{"avm-res-resource-group.json", map[string]any{"name": "rg-app"}, 0},
	{"avm-res-virtual-network.json", map[string]any{"name": "vnet-spoke", "addressPrefixes": []any{"10.1.0.0/16"}}, 0},
	{"eslz-corp-vnet-peering.json", map[string]any{"topLevelManagementGroupPrefix": "contoso", "connectivitySubscriptionId": "22222222-2222-2222-2222-222222222222"}, 0},
	{"eslz-eslzArm.json", map[string]any{"enterpriseScaleCompanyPrefix": "contoso", "currentDateTimeUtcNow": "20260101T000000Z"}, 9},
	{"eslz-mgmtGroups.json", map[string]any{"topLevelManagementGroupPrefix": "contoso"}, 0},
	{"eslz-privateDnsResolver.json", map[string]any{"topLevelManagementGroupPrefix": "contoso", "dnsResolverName": "dnspr", "location": "eastus2"}, 0},
}

func evalCorpus10(t testing.TB, file string, params map[string]any) *arm.Set {
	t.Helper()
	path := testenv.Testdata(t, "arm", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := ReadTemplate(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	set, err := Evaluate(tp, WithParameters(params), WithSource(file))
	if set == nil {
		t.Fatalf("%s: %v", file, err)
	}
	return set
}

// TestCorpus10NothingMissing: no template added for issue 10 has a
// resource left out for a function or form the evaluator lacks; every
// entry left out is for a value only known at deployment time.
func TestCorpus10NothingMissing(t *testing.T) {
	for _, c := range corpus10 {
		t.Run(c.file, func(t *testing.T) {
			set := evalCorpus10(t, c.file, c.params)
			remote := 0
			for _, lo := range set.Coverage.LeftOut {
				switch {
				case strings.HasPrefix(lo.Missing, "templateLink.uri"):
					remote++
				case lo.Missing != "":
					t.Errorf("left out for a missing %s: %s", lo.Missing, lo)
				}
				if lo.Pos.File != c.file || lo.Pos.Line == 0 {
					t.Errorf("left-out entry without its place: %s", lo)
				}
			}
			if remote != c.remote {
				t.Errorf("%d remote templates left out, want %d", remote, c.remote)
			}
			if set.Coverage.Declared != len(set.Resources)+countNotTemplate(set.Coverage.LeftOut) {
				t.Errorf("declared %d, modelled %d, left out %d", set.Coverage.Declared, len(set.Resources), len(set.Coverage.LeftOut))
			}
			byType := map[string]int{}
			for _, r := range set.Resources {
				byType[r.Type]++
			}
			var lines []string
			for k, v := range byType {
				lines = append(lines, k+"="+itoa(v))
			}
			sort.Strings(lines)
			t.Logf("%d declared, %d modelled, %d left out; %s", set.Coverage.Declared, len(set.Resources), len(set.Coverage.LeftOut), strings.Join(lines, " "))
			for _, lo := range set.Coverage.LeftOut {
				t.Logf("  %s", lo)
			}
		})
	}
}

func countNotTemplate(los []arm.LeftOut) int {
	n := 0
	for _, lo := range los {
		if !strings.HasPrefix(lo.Resource, "template of ") {
			n++
		}
	}
	return n
}

func itoa(n int) string { return formatNumber(float64(n)) }

// Expected conclusions about evaluation (testdata/arm/README.md, "Added
// for issue 10"), written from reading the templates.
func TestCorpus10Conclusions(t *testing.T) {
	count := func(s *arm.Set, typ string) int {
		n := 0
		for _, r := range s.Resources {
			if r.Is(typ) {
				n++
			}
		}
		return n
	}
	// The private link DNS zones pattern: one zone per private link
	// service, each in its own module deployment (82 zones in this
	// version), all global.
	s := evalCorpus10(t, "avm-ptn-network-private-link-private-dns-zones.json", nil)
	if got := count(s, "Microsoft.Network/privateDnsZones"); got != 82 {
		t.Errorf("%d private DNS zones, want 82", got)
	}
	for _, r := range s.Resources {
		if r.Is("Microsoft.Network/privateDnsZones") && (r.Location != "global" || !strings.HasPrefix(r.Name, "privatelink")) {
			t.Errorf("zone %s at %q", r.Name, r.Location)
			break
		}
	}
	// The key vault module: RBAC, soft delete and purge protection on by
	// default; one vault named as given.
	s = evalCorpus10(t, "avm-res-key-vault.json", map[string]any{"name": "kv1"})
	kv := s.Resources[len(s.Resources)-1]
	for _, r := range s.Resources {
		if r.Is("Microsoft.KeyVault/vaults") {
			kv = r
		}
	}
	if kv.Name != "kv1" || kv.Prop("enableRbacAuthorization") != true || kv.Prop("enablePurgeProtection") != true || kv.Prop("enableSoftDelete") != true {
		t.Errorf("key vault %s: %v", kv.Name, kv.Properties)
	}
	// The resource group module at subscription scope creates the group
	// at deployment().location.
	s = evalCorpus10(t, "avm-res-resource-group.json", map[string]any{"name": "rg-app"})
	rg := s.Get(arm.ResourceID("/subscriptions/" + sub + "/resourceGroups/rg-app"))
	if rg == nil || rg.Location != arm.DefaultScope.Location {
		t.Errorf("resource group %+v", rg)
	}
	// The App Service landing zone accelerator (2.7 MB, subscription
	// scope): its spoke network, private endpoints and web app are all
	// modelled in resource groups it creates.
	s = evalCorpus10(t, "avm-ptn-app-service-lza-hosting-environment.json", corpus10[0].params)
	for _, typ := range []string{"Microsoft.Resources/resourceGroups", "Microsoft.Network/virtualNetworks", "Microsoft.Network/privateEndpoints", "Microsoft.Web/sites", "Microsoft.KeyVault/vaults"} {
		if count(s, typ) == 0 {
			t.Errorf("no %s modelled", typ)
		}
	}
	if n := count(s, "Microsoft.Resources/deployments"); n < 50 {
		t.Errorf("%d nested deployments, want the pattern's modules (more than 50)", n)
	}
	// Enterprise-Scale management groups: the top group and its children,
	// at tenant scope.
	s = evalCorpus10(t, "eslz-mgmtGroups.json", map[string]any{"topLevelManagementGroupPrefix": "contoso"})
	if got := count(s, "Microsoft.Management/managementGroups"); got != 12 {
		t.Errorf("%d management groups, want 12", got)
	}
	if s.Get("/providers/Microsoft.Management/managementGroups/contoso") == nil {
		t.Errorf("no top-level management group contoso")
	}
}

// TestBicepBaselines: every compiled template of Bicep's own baselines
// (testdata/arm/bicep-baselines) evaluates with nothing left out for a
// missing function or form, bar template specs, which are never fetched.
func TestBicepBaselines(t *testing.T) {
	dir := testenv.Testdata(t, "arm", "bicep-baselines")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		n++
		data, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		tp, err := ReadTemplate(data)
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		set, err := Evaluate(tp, WithSource(e.Name()))
		if set == nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		for _, lo := range set.Coverage.LeftOut {
			if lo.Missing != "" && !strings.HasPrefix(lo.Missing, "templateLink.id") {
				t.Errorf("left out for a missing %s: %s", lo.Missing, lo)
			}
		}
	}
	if n != 79 {
		t.Errorf("%d baselines, want 79", n)
	}
}

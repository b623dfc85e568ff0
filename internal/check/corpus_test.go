package check_test

import (
	"os"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
)

const corpusSub = "00000000-0000-0000-0000-000000000000"

func corpus(t testing.TB, name, paramsFile string, extra map[string]any) *twin.Twin {
	t.Helper()
	read := func(n string) []byte {
		b, err := os.ReadFile(testenv.Testdata(t, "arm", n))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tp, err := armeval.ReadTemplate(read(name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	params := map[string]any{}
	if paramsFile != "" {
		if params, err = armeval.ReadParameters(read(paramsFile)); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range extra {
		params[k] = v
	}
	set, err := armeval.Evaluate(tp, armeval.WithParameters(params), armeval.WithSource(name))
	if set == nil {
		t.Fatalf("evaluate %s: %v", name, err)
	}
	return twin.Build(set)
}

// has reports whether a finding of rule id names a resource whose ID
// contains resource and whose message contains text.
func has(fs []check.Finding, id, resource, text string) bool {
	for _, f := range fs {
		if f.Rule == id && strings.Contains(strings.ToLower(f.Resource), strings.ToLower(resource)) && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}

func TestCorpusExpectedFindings(t *testing.T) {
	type want struct {
		rule, resource, text string
		present              bool
	}
	cases := []struct {
		name  string
		twin  func(t *testing.T) *twin.Twin
		wants []want
	}{
		{"A1 private-aks-cluster", func(t *testing.T) *twin.Twin {
			return corpus(t, "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.json",
				"Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.parameters.json", nil)
		}, []want{
			{"PVK121", "Microsoft.ContainerRegistry/registries/", "despite its private endpoint", true},
			{"PVK122", "Microsoft.Storage/storageAccounts/", "reachable from the Internet", true},
			{"PVK126", "managedClusters", "", false},
			{"PVK127", "managedClusters", "", false},
		}},
		{"A3 key-vault-private-endpoint", func(t *testing.T) *twin.Twin {
			return corpus(t, "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json", "", map[string]any{"workspaceName": "la-kv-pe"})
		}, []want{
			{"PVK120", "Microsoft.KeyVault/vaults/", "reachable from the Internet", true},
			{"PVK122", "Microsoft.Storage/storageAccounts/", "reachable from the Internet", true},
			{"PVK129", "networkSecurityGroups", "TCP 22 from the Internet", true},
			{"PVK128", "virtualMachines", "public IP", true},
		}},
		{"A8 aks-agic", func(t *testing.T) *twin.Twin {
			return corpus(t, "Azure-Samples__aks-agic__templates__azuredeploy.json", "", nil)
		}, []want{
			{"PVK121", "registries", "", false},
			{"PVK120", "vaults", "", false},
			{"PVK122", "Microsoft.Storage/storageAccounts/", "reachable from the Internet", true},
			{"PVK055", "applicationGateways", "", false},
			{"PVK126", "managedClusters", "", false},
		}},
		{"B1 aks-baseline cluster-stamp", func(t *testing.T) *twin.Twin {
			return corpus(t, "mspnp__aks-baseline__cluster-stamp.json", "mspnp__aks-baseline__azuredeploy.parameters.prod.json", nil)
		}, []want{
			{"PVK126", "managedClusters", "open to any IP address", true},
			{"PVK127", "managedClusters", "public API server", true},
			{"PVK120", "vaults", "", false},
		}},
		{"B1 aks-baseline acr-stamp", func(t *testing.T) *twin.Twin {
			return corpus(t, "mspnp__aks-baseline__acr-stamp.json", "", map[string]any{
				"targetVnetResourceId": "/subscriptions/" + corpusSub + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00"})
		}, []want{
			{"PVK121", "registries", "", false},
			{"PVK053", "registries", "", false},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := check.Run(tc.twin(t))
			for _, w := range tc.wants {
				if got := has(fs, w.rule, w.resource, w.text); got != w.present {
					t.Errorf("%s on %s (%q): present %v, want %v", w.rule, w.resource, w.text, got, w.present)
				}
			}
			for _, f := range fs {
				t.Logf("%s %s %s: %s", f.Rule, f.Severity, lastTwo(f.Resource), f.Message)
			}
		})
	}
}

func lastTwo(id string) string {
	p, err := arm.ParseResourceID(id)
	if err != nil {
		return id
	}
	return p.Type() + "/" + p.Name()
}

// TestCorpusFalseAlarms (issue 11 §4): findings the public templates drew
// that Azure does not bear out are re-scoped, each on the template that
// showed it.
func TestCorpusFalseAlarms(t *testing.T) {
	agic := func(t *testing.T) *twin.Twin {
		return corpus(t, "Azure-Samples__aks-agic__templates__azuredeploy.json", "", nil)
	}
	a1 := func(t *testing.T) *twin.Twin {
		return corpus(t, "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.json",
			"Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.parameters.json", nil)
	}
	a3 := func(t *testing.T) *twin.Twin {
		return corpus(t, "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json", "", map[string]any{"workspaceName": "la-kv-pe"})
	}
	cases := []struct {
		name, rule, text string
		twin             func(t *testing.T) *twin.Twin
		severity         check.Severity // "" = the rule must not fire
	}{
		// Service CIDR 10.3.0.0/16 inside VNet 10.0.0.0/8 whose subnets are
		// elsewhere: AKS accepts it (it rejects overlap with subnets).
		{"A8 service CIDR inside the address space", "PVK023", "no subnet overlaps it", agic, check.Warning},
		{"A1 service CIDR inside the address space", "PVK023", "no subnet overlaps it", a1, check.Warning},
		// The jumpbox in VmSubnet has no public IP.
		{"A8 SSH rule where nothing has a public IP", "PVK129", "nothing there has a public IP", agic, check.Warning},
		// A3's VM has a public IP: the rule stays an error.
		{"A3 SSH rule on a VM with a public IP", "PVK129", "has a public IP", a3, check.Error},
		// F1: both storage accounts allow anonymous blob access (parameter default).
		{"F1 anonymous blob access", "PVK132", "sets allowBlobPublicAccess true", func(t *testing.T) *twin.Twin {
			return corpus(t, "Azure__azure-quickstart-templates__quickstarts__microsoft.network__azure-firewall-dns-proxy__azuredeploy.json", "",
				map[string]any{"adminUsername": "azureuser", "adminPasswordOrKey": "NotAReal-Secret-1"})
		}, check.Error},
		// Registry and vault zone links are not needed to provision nodes.
		{"A8 zone link ordering", "PVK078", "", agic, ""},
		{"A1 zone link ordering", "PVK078", "", a1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []check.Finding
			for _, f := range check.Run(c.twin(t)) {
				if f.Rule == c.rule {
					got = append(got, f)
				}
			}
			if c.severity == "" {
				for _, f := range got {
					t.Errorf("%s fires: %s", c.rule, f.Message)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("%s does not fire", c.rule)
			}
			for _, f := range got {
				if f.Severity != c.severity || !strings.Contains(f.Message, c.text) {
					t.Errorf("%s %s: %s; want %s with %q", c.rule, f.Severity, f.Message, c.severity, c.text)
				}
			}
		})
	}
}

package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCorpus10Verdicts asserts the conclusions testdata/arm/README.md
// ("Added for issue 10") expects from verify and check on the templates
// compiled from Bicep and Azure Verified Modules, run as a user would
// (--template with --param): the verdict and exit code, no resource left
// out for a missing function or form, the intents that fail and the error
// findings, and what makes an analysis incomplete.
func TestCorpus10Verdicts(t *testing.T) {
	const sub = "/subscriptions/00000000-0000-0000-0000-000000000000"
	const law = sub + "/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"
	cases := []struct {
		file          string
		params        []string
		verify, check string
		declared      int      // 0: not pinned
		leftOutTypes  []string // types that must be among the left out
		failing       []string // intent name prefixes that fail
		errors        []string // error rules found (sorted, unique)
		warnings      map[string]int
	}{
		{file: "avm-ptn-app-service-lza-hosting-environment.json", params: []string{"logAnalyticsWorkspaceResourceId=" + law},
			verify: "incomplete", check: "incomplete", declared: 100,
			leftOutTypes: []string{"Microsoft.Web/sites", "Microsoft.Cdn/profiles", "Microsoft.Resources/deploymentScripts"}},
		{file: "avm-ptn-azd-aks.json", params: []string{"name=aks1", "containerRegistryName=acr1", "keyVaultName=kv-aks1",
			"principalId=11111111-1111-1111-1111-111111111111", "monitoringWorkspaceResourceId=" + law},
			verify: "fail", check: "fail",
			failing: []string{"Internet ↛ API server of aks1", "Internet ↛ key vault kv-aks1", "Internet ↛ registry acr1"},
			errors:  []string{"PVK001", "PVK120", "PVK121", "PVK126"}},
		{file: "avm-ptn-data-private-analytical-workspace.json", params: []string{"name=paw1"},
			verify: "pass", check: "pass", declared: 28},
		{file: "avm-ptn-network-hub-networking.json", verify: "incomplete", check: "pass", declared: 1},
		{file: "avm-ptn-network-private-link-private-dns-zones.json", verify: "incomplete", check: "pass", declared: 165,
			warnings: map[string]int{"PVK079": 82}},
		{file: "avm-res-managed-cluster.json", params: []string{"name=aks1",
			`primaryAgentPoolProfiles=[{"name":"system","count":3,"vmSize":"Standard_D4ds_v5","mode":"System"}]`},
			verify: "fail", check: "fail", failing: []string{"Internet ↛ API server of aks1"}, errors: []string{"PVK126"}},
		{file: "avm-res-key-vault.json", params: []string{"name=kv1"}, verify: "fail", check: "fail",
			failing: []string{"Internet ↛ key vault kv1"}, errors: []string{"PVK120"}},
		{file: "avm-res-container-registry.json", params: []string{"name=acr1"}, verify: "fail", check: "fail",
			failing: []string{"Internet ↛ registry acr1"}, errors: []string{"PVK001", "PVK121"}},
		{file: "avm-res-private-dns-zone.json", params: []string{"name=privatelink.vaultcore.azure.net"},
			verify: "incomplete", check: "pass", declared: 2, warnings: map[string]int{"PVK079": 1}},
		{file: "avm-res-private-endpoint.json", params: []string{"name=pe-kv1", "subnetResourceId=" + sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"},
			verify: "incomplete", check: "pass", declared: 2},
		{file: "avm-res-virtual-network.json", params: []string{"name=vnet-spoke", `addressPrefixes=["10.1.0.0/16"]`},
			verify: "incomplete", check: "pass", declared: 2},
		{file: "avm-res-resource-group.json", params: []string{"name=rg-app"}, verify: "incomplete", check: "pass", declared: 2},
		{file: "avm-ptn-lz-sub-vending.json", verify: "incomplete", check: "incomplete",
			leftOutTypes: []string{"Microsoft.Resources/deployments"}},
		{file: "eslz-eslzArm.json", params: []string{"enterpriseScaleCompanyPrefix=contoso", "currentDateTimeUtcNow=20260101T000000Z"},
			verify: "incomplete", check: "incomplete", leftOutTypes: []string{"Microsoft.Resources/deployments"}},
		{file: "eslz-mgmtGroups.json", params: []string{"topLevelManagementGroupPrefix=contoso"},
			verify: "incomplete", check: "pass", declared: 12},
		{file: "eslz-privateDnsResolver.json", params: []string{"topLevelManagementGroupPrefix=contoso", "dnsResolverName=dnspr", "location=eastus2"},
			// resolver and ruleset modelled; its subnets are in a hub VNet outside the template: no intent
			verify: "incomplete", check: "pass", declared: 12},
		{file: "eslz-corp-vnet-peering.json", params: []string{"topLevelManagementGroupPrefix=contoso", "connectivitySubscriptionId=22222222-2222-2222-2222-222222222222",
			"location=eastus2", "addresses=10.100.0.0/24"},
			verify: "incomplete", check: "incomplete", leftOutTypes: []string{"Microsoft.Resources/deployments"}},
	}
	codes := map[string]int{"pass": ExitOK, "fail": ExitFailed, "incomplete": ExitIncomplete}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			args := []string{"--template", corpus(t, c.file), "-o", "json"}
			for _, p := range c.params {
				args = append(args, "--param", p)
			}
			for _, cmd := range []string{"verify", "check"} {
				code, out, errOut := run(t, append([]string{cmd}, args...)...)
				var doc struct {
					Verdict  string
					Coverage struct {
						Declared int
						LeftOut  []struct{ Type, Missing, Reason string }
					}
					Intents  []struct{ Name, Status string }
					Findings []struct{ Rule, Severity, Status, Suppressed string }
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("%s: exit %d: %v\n%s", cmd, code, err, errOut)
				}
				want := map[string]string{"verify": c.verify, "check": c.check}[cmd]
				if doc.Verdict != want || code != codes[want] {
					t.Errorf("%s: verdict %q exit %d, want %q exit %d\n%s", cmd, doc.Verdict, code, want, codes[want], errOut)
				}
				if c.declared != 0 && doc.Coverage.Declared != c.declared {
					t.Errorf("%s: %d resources declared, want %d", cmd, doc.Coverage.Declared, c.declared)
				}
				var types []string
				for _, l := range doc.Coverage.LeftOut {
					types = append(types, l.Type)
					if l.Missing != "" && !strings.Contains(l.Missing, "remote templates are never fetched") {
						t.Errorf("%s: left out for a missing function or form: %+v", cmd, l)
					}
				}
				for _, typ := range c.leftOutTypes {
					if !slices.Contains(types, typ) {
						t.Errorf("%s: nothing of type %s left out (left out: %v)", cmd, typ, types)
					}
				}
				if cmd == "verify" {
					var failing []string
					for _, in := range doc.Intents {
						if in.Status == "fail" {
							failing = append(failing, in.Name)
						}
					}
					if len(failing) != len(c.failing) {
						t.Errorf("verify: failing %v, want %v", failing, c.failing)
					}
					for _, p := range c.failing {
						if !slices.ContainsFunc(failing, func(n string) bool { return strings.HasPrefix(n, p) }) {
							t.Errorf("verify: %q does not fail (failing: %v)", p, failing)
						}
					}
					continue
				}
				var errs []string
				warns := map[string]int{}
				for _, f := range doc.Findings {
					if f.Status != "fail" || f.Suppressed != "" {
						continue
					}
					switch f.Severity {
					case "error":
						errs = append(errs, f.Rule)
					case "warning":
						warns[f.Rule]++
					}
				}
				slices.Sort(errs)
				errs = slices.Compact(errs)
				if !slices.Equal(errs, c.errors) {
					t.Errorf("check: error findings %v, want %v", errs, c.errors)
				}
				for rule, n := range c.warnings {
					if warns[rule] != n {
						t.Errorf("check: %d %s warnings, want %d", warns[rule], rule, n)
					}
				}
			}
		})
	}
}

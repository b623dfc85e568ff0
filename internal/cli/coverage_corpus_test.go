package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCorpusCoverage pins what the public templates under testdata/arm
// declare, what is modelled, ignored and left out (by type), and the
// verdicts of verify and check (testdata/arm/README.md gives the expected
// conclusions: A1's public registry, A3's public vault and SSH, the
// baseline cluster's public API server all fail; the baseline's
// ACR stamp, hub and spoke are incomplete).
func TestCorpusCoverage(t *testing.T) {
	const a1 = "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy"
	sub := "/subscriptions/" + estateSubID
	spoke := sub + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00"
	hub := sub + "/resourceGroups/rg-enterprise-networking-hubs/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub"
	// Each template alone, with every required parameter given (ARM
	// refuses a deployment without one, and so does privaks): what lies in
	// the other files of a set is outside the analysis.
	cases := []struct {
		file, params                string
		param                       []string // --param values
		declared, modelled, ignored int
		leftOut                     []string // types, sorted
		ignoredLeftOut              int
		verify, check               string
		undecided                   []string // check rules, sorted
	}{
		{file: a1 + ".json", params: a1 + ".parameters.json", declared: 29, modelled: 23, ignored: 6,
			verify: "fail", check: "fail"},
		// The log analytics workspace and what hangs on it (solutions,
		// data sources) bear on no intent or rule: ignored.
		{file: "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json",
			param: []string{"adminUsername=azureuser", "workspaceName=ws"}, declared: 33, modelled: 21, ignored: 12,
			verify: "fail", check: "fail"},
		// The boot-diagnostics storage account has no network rules: the
		// corpus README's "Storage has no ACLs → finding", now an intent.
		{file: "Azure-Samples__aks-agic__templates__azuredeploy.json",
			param:    []string{"aksClusterSshPublicKey=" + testSSHKey, "vmAdminUsername=azureuser"},
			declared: 46, modelled: 36, ignored: 10, verify: "fail", check: "fail"},
		// Given the spoke's VNet, every resource is evaluated; the one
		// intent (Internet ↛ registry) holds.
		{file: "mspnp__aks-baseline__acr-stamp.json", param: []string{"targetVnetResourceId=" + spoke},
			declared: 8, modelled: 6, ignored: 2, verify: "pass", check: "pass"},
		// Flux (Kubernetes configuration) is not modelled; the public API
		// server open to all fails.
		{file: "mspnp__aks-baseline__cluster-stamp.json", params: "mspnp__aks-baseline__azuredeploy.parameters.prod.json",
			param:    []string{"targetVnetResourceId=" + spoke, "domainName=contoso.com", "clusterAuthorizedIPRanges=[]"},
			declared: 58, modelled: 27, ignored: 29,
			leftOut: []string{"Microsoft.KubernetesConfiguration/extensions", "Microsoft.KubernetesConfiguration/fluxConfigurations"},
			verify:  "fail", check: "fail"},
		// The spoke's clients are in another file: verify's intents are
		// unknown.
		{file: "mspnp__aks-baseline__networking__hub-regionA.json",
			param:    []string{"location=eastus2", `nodepoolSubnetResourceIds=["` + spoke + `/subnets/snet-clusternodes"]`},
			declared: 17, modelled: 13, ignored: 4, verify: "incomplete", check: "fail"},
		{file: "mspnp__aks-baseline__networking__spoke-BU0001A0008.json", param: []string{"location=eastus2", "hubVnetResourceId=" + hub},
			declared: 13, modelled: 9, ignored: 4, verify: "incomplete", check: "pass"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			args := []string{"--template", corpus(t, c.file), "-o", "json"}
			if c.params != "" {
				args = append(args, "--parameters", corpus(t, c.params))
			}
			for _, p := range c.param {
				args = append(args, "--param", p)
			}
			for _, cmd := range []string{"verify", "check"} {
				code, out, errOut := run(t, append([]string{cmd}, args...)...)
				var doc struct {
					Verdict  string
					Coverage struct {
						Declared, Modelled, Ignored int
						LeftOut                     []struct {
							Pos            struct{ File string }
							Resource, Type string
							Reason         string
						}
						IgnoredLeftOut []struct{ Type string }
					}
					Findings []struct{ Rule, Status string }
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("%s: %v\n%s\n%s", cmd, err, out, errOut)
				}
				cov := doc.Coverage
				var types []string
				for _, l := range cov.LeftOut {
					types = append(types, l.Type)
					if l.Pos.File == "" || l.Reason == "" || l.Resource == "" {
						t.Errorf("%s: left-out entry without place, resource or reason: %+v", cmd, l)
					}
				}
				slices.Sort(types)
				if cov.Declared != c.declared || cov.Modelled != c.modelled || cov.Ignored != c.ignored ||
					!slices.Equal(types, c.leftOut) || len(cov.IgnoredLeftOut) != c.ignoredLeftOut {
					t.Errorf("%s: coverage declared %d modelled %d ignored %d left out %v (ignored left out %d); want %d %d %d %v (%d)",
						cmd, cov.Declared, cov.Modelled, cov.Ignored, types, len(cov.IgnoredLeftOut), c.declared, c.modelled, c.ignored, c.leftOut, c.ignoredLeftOut)
				}
				if cov.Declared != cov.Modelled+cov.Ignored+len(cov.LeftOut) {
					t.Errorf("%s: declared %d ≠ modelled + ignored + left out", cmd, cov.Declared)
				}
				want := map[string]string{"verify": c.verify, "check": c.check}[cmd]
				wantCode := map[string]int{"pass": ExitOK, "fail": ExitFailed, "incomplete": ExitIncomplete}[want]
				if doc.Verdict != want || code != wantCode {
					t.Errorf("%s: verdict %q exit %d, want %q exit %d\n%s", cmd, doc.Verdict, code, want, wantCode, errOut)
				}
				if cmd == "check" {
					var und []string
					for _, f := range doc.Findings {
						if f.Status == "undecided" {
							und = append(und, f.Rule)
						}
					}
					slices.Sort(und)
					if !slices.Equal(und, c.undecided) {
						t.Errorf("check: undecided %v, want %v", und, c.undecided)
					}
				}
				if strings.Contains(errOut, "panic") {
					t.Errorf("%s: %s", cmd, errOut)
				}
			}
		})
	}
}

package verify_test

import (
	"os"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// TestCorpusConclusions runs the verifier on third-party templates and
// checks the conclusions testdata/arm/README.md expects.
func TestCorpusConclusions(t *testing.T) {
	cases := []struct {
		file, params string
		fail, pass   []string // intent name prefixes
		cause        map[string]string
	}{
		{file: "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.json",
			params: "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.parameters.json",
			fail:   []string{"Internet ↛ registry"},
			pass:   []string{"TestVm → API server", "node pool", "Internet ↛ API server", "Internet ↛ TestVm"},
			cause:  map[string]string{"Internet ↛ registry": "publicNetworkAccess is unset"}},
		{file: "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json",
			fail:  []string{"Internet ↛ key vault", "Internet ↛ TestVm"},
			pass:  []string{"TestVm → key vault"},
			cause: map[string]string{"Internet ↛ TestVm": "port 22"}},
		{file: "Azure-Samples__aks-agic__templates__azuredeploy.json",
			pass: []string{"TestVm → API server", "node pool", "Internet ↛ registry", "Internet ↛ key vault", "Internet → appgw"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(testenv.Testdata(t, "arm", c.file))
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := armeval.ReadTemplate(data)
			if err != nil {
				t.Fatal(err)
			}
			var params map[string]any
			if c.params != "" {
				pb, _ := os.ReadFile(testenv.Testdata(t, "arm", c.params))
				if params, err = armeval.ReadParameters(pb); err != nil {
					t.Fatal(err)
				}
			}
			params = withDefaults(params, "workspaceName", "ws")
			set, _ := armeval.Evaluate(tmpl, armeval.WithParameters(params))
			if set == nil {
				t.Fatal("template not evaluated")
			}
			tw := twin.Build(set)
			rs := verify.Run(tw, verify.Derive(tw))
			status := func(prefix string) (string, string, bool) {
				st, cause, found := verify.Pass, "", false
				for _, r := range rs {
					if strings.HasPrefix(r.Name, prefix) {
						found = true
						if r.Status == verify.Fail {
							st, cause = verify.Fail, r.Cause
						}
					}
				}
				return st, cause, found
			}
			for _, p := range c.fail {
				st, cause, found := status(p)
				if !found || st != verify.Fail {
					t.Errorf("%q: found %v, status %s; want a failure", p, found, st)
				}
				if want := c.cause[p]; want != "" && !strings.Contains(cause, want) {
					t.Errorf("%q: cause %q lacks %q", p, cause, want)
				}
			}
			for _, p := range c.pass {
				if st, cause, found := status(p); !found || st != verify.Pass {
					t.Errorf("%q: found %v, status %s (%s); want it to pass", p, found, st, cause)
				}
			}
		})
	}
}

func withDefaults(p map[string]any, kv ...string) map[string]any {
	if p == nil {
		p = map[string]any{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if _, ok := p[kv[i]]; !ok {
			p[kv[i]] = kv[i+1]
		}
	}
	return p
}

// TestEveryCorpusTemplateAnalyses: every third-party template, with or
// without its parameters, is modelled and verified without a panic, and
// every result is well formed.
func TestEveryCorpusTemplateAnalyses(t *testing.T) {
	dir := testenv.Testdata(t, "arm")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "parameters") || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			data, _ := os.ReadFile(dir + "/" + e.Name())
			tmpl, err := armeval.ReadTemplate(data)
			if err != nil {
				t.Fatal(err)
			}
			set, _ := armeval.Evaluate(tmpl)
			if set == nil {
				t.Fatal("not evaluated at all")
			}
			tw := twin.Build(set)
			rs := verify.Run(tw, verify.Derive(tw))
			if strings.Contains(e.Name(), "cluster-stamp") && verify.Unknowns(rs) == 0 {
				t.Errorf("the cluster stamp's node subnets live in another template: its pool intents must be unknown")
			}
			for _, r := range rs {
				if r.Name == "" || (r.Status != verify.Pass && r.Status != verify.Fail && r.Status != verify.Unknown) || (r.Status != verify.Pass && r.Cause == "") {
					t.Errorf("malformed result %+v", r)
				}
			}
		})
	}
}

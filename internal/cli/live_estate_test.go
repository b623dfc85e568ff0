package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/deploy/deploytest"
	"github.com/privaks/privaks/internal/fixture"
)

// existingFromReference fills the fake with the reference design as if it
// had been deployed into rg-privaks by someone else: every resource with
// its properties (as JSON values), listed and read back by ID.
func existingFromReference(t *testing.T, f *deploytest.Fake, mutate func(*arm.Resource)) {
	t.Helper()
	scope := arm.DefaultScope
	scope.Subscription, scope.ResourceGroup = deploytest.Subscription, "rg-privaks"
	set, err := armeval.Evaluate(fixture.Reference(t), armeval.WithScope(scope))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Resources {
		if mutate != nil {
			mutate(r)
		}
		b, err := json.Marshal(r.Properties)
		if err != nil {
			t.Fatal(err)
		}
		var props map[string]any
		_ = json.Unmarshal(b, &props)
		f.Existing = append(f.Existing, deploytest.Resource{ID: string(r.ID), Type: r.Type, Location: r.Location, Properties: props})
	}
}

// TestVerifyLiveResourceGroups: verify --subscription --resource-group reads
// existing resource groups through the SDK (fake servers, no packet leaves
// the process), only with GETs, and verifies what it read.
func TestVerifyLiveResourceGroups(t *testing.T) {
	f := deploytest.New()
	useFakeAzure(t, f, false)
	existingFromReference(t, f, nil)
	_, out, errOut := run(t, "verify", "--subscription", deploytest.Subscription, "--resource-group", "rg-privaks")
	for _, want := range []string{"✓ Internet ↛ key vault", "✓ bas-hub → vm-agent:22", "✓ Internet ↛ registry"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s\n%s", want, out, errOut)
		}
	}
	for _, r := range f.Snapshot() {
		if r.Method != "GET" {
			t.Errorf("live verification sent %s %s: it must only read", r.Method, r.Path)
		}
	}

	g := deploytest.New()
	useFakeAzure(t, g, false)
	existingFromReference(t, g, func(r *arm.Resource) {
		if r.Is("Microsoft.KeyVault/vaults") {
			r.Properties["publicNetworkAccess"] = "Enabled"
			r.Properties["networkAcls"] = map[string]any{"defaultAction": "Allow"}
		}
	})
	code, out, _ := run(t, "verify", "--subscription", deploytest.Subscription, "--resource-group", "rg-privaks")
	if code == 0 || !strings.Contains(out, "✗ Internet ↛ key vault") {
		t.Errorf("exit %d; a vault read back with public access must fail Internet ↛ key vault:\n%s", code, out)
	}
}

func TestVerifyLiveBadInput(t *testing.T) {
	for name, args := range map[string][]string{
		"no resource group":       {"verify", "--subscription", deploytest.Subscription},
		"resource group alone":    {"verify", "--resource-group", "rg-privaks"},
		"live and a template too": {"verify", "--subscription", deploytest.Subscription, "--resource-group", "rg", "--template", "x.json"},
	} {
		t.Run(name, func(t *testing.T) {
			f := deploytest.New()
			useFakeAzure(t, f, false)
			code, _, errOut := run(t, args...)
			if code != 2 || errOut == "" {
				t.Errorf("exit %d, stderr %q; want 2 with a message", code, errOut)
			}
			if len(f.Snapshot()) != 0 {
				t.Errorf("bad input reached Azure: %v", f.Snapshot())
			}
		})
	}
}

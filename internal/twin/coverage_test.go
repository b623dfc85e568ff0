package twin_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
)

// TestModelledTypesListed: every type the model or a check rule reads
// from the set (set.OfType("…")) is classified Modelled, so a builder added
// later cannot be counted as "not modelled", and nothing read is missing.
func TestModelledTypesListed(t *testing.T) {
	root := testenv.RepoRoot(t)
	lit := regexp.MustCompile(`OfType\("([^"]+)"\)`)
	seen := 0
	for _, dir := range []string{"internal/twin", "internal/check", "internal/verify"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
				seen++
				if twin.TypeRelevance(m[1]) != twin.Modelled {
					t.Errorf("%s reads %s, which TypeRelevance does not call Modelled (add it to modelledTypes)", filepath.Base(f), m[1])
				}
			}
		}
	}
	if seen < 20 {
		t.Fatalf("found only %d OfType reads: the scan is not reading the sources", seen)
	}
}

func TestTypeRelevance(t *testing.T) {
	for typ, want := range map[string]twin.Relevance{
		"Microsoft.Network/virtualNetworks":                                                       twin.Modelled,
		"microsoft.network/VIRTUALNETWORKS":                                                       twin.Modelled,
		"Microsoft.Insights/diagnosticSettings":                                                   twin.Irrelevant,
		"Microsoft.Network/networkSecurityGroups/providers/Microsoft.Insights/diagnosticSettings": twin.Irrelevant,
		"Microsoft.KeyVault/vaults/providers/roleAssignments":                                     twin.Modelled,
		"Microsoft.OperationalInsights/workspaces":                                                twin.Irrelevant,
		"Microsoft.Authorization/locks":                                                           twin.Irrelevant,
		"Microsoft.Network/ipGroups":                                                              twin.Modelled,
		"Microsoft.Network/networkVirtualAppliances":                                              twin.NotModelled,
		"Microsoft.Network/loadBalancers":                                                         twin.Modelled,
		"Microsoft.Network/networkSecurityGroups/securityRules":                                   twin.NotModelled,
		"Microsoft.Compute/virtualMachineScaleSets":                                               twin.Modelled,
		"Contoso.Unknown/things":                                                                  twin.NotModelled,
	} {
		if got := twin.TypeRelevance(typ); got != want {
			t.Errorf("TypeRelevance(%s) = %d, want %d", typ, got, want)
		}
	}
}

// TestCoverageCounts: declared = modelled + ignored + left out; the
// reader's left-out entries come first, then resources of types the model
// does not read; a left-out entry of an irrelevant type is ignored, not
// left out; a left-out nested deployment always matters.
func TestCoverageCounts(t *testing.T) {
	sub := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
	set := &arm.Set{Source: "t.json"}
	for _, r := range []*arm.Resource{
		{Type: "Microsoft.Network/virtualNetworks", Name: "vnet", ID: arm.ResourceID(sub + "Microsoft.Network/virtualNetworks/vnet")},
		{Type: "Microsoft.Insights/diagnosticSettings", Name: "diag", ID: arm.ResourceID(sub + "Microsoft.Insights/diagnosticSettings/diag")},
		{Type: "Microsoft.Network/networkVirtualAppliances", Name: "nva", ID: arm.ResourceID(sub + "Microsoft.Network/networkVirtualAppliances/nva")},
	} {
		set.Add(r)
	}
	set.Coverage = arm.Coverage{Declared: 6, LeftOut: []arm.LeftOut{
		{Pos: arm.Pos{File: "t.json", Line: 3, Column: 5}, Resource: "Microsoft.Network/privateEndpoints pe", Type: "Microsoft.Network/privateEndpoints", Reason: "name unknown"},
		{Resource: "Microsoft.Insights/diagnosticSettings d2", Type: "Microsoft.Insights/diagnosticSettings", Reason: "name unknown"},
		{Resource: "Microsoft.Resources/deployments nested", Type: "Microsoft.Resources/deployments", Reason: "remote template"},
	}}
	c := twin.Build(set).Coverage()
	if c.Declared != 6 || c.Modelled != 1 || c.Ignored != 2 || len(c.LeftOut) != 3 || len(c.IgnoredLeftOut) != 1 {
		t.Fatalf("coverage %+v", c)
	}
	if c.LeftOut[0].Pos.Line != 3 || c.LeftOut[2].Type != "Microsoft.Network/networkVirtualAppliances" || !strings.Contains(c.LeftOut[2].Reason, "does not model") {
		t.Errorf("left out entries: %+v", c.LeftOut)
	}
	if c.LeftOut[2].Pos.File != "t.json" {
		t.Errorf("a not-modelled resource is placed in its source file: %+v", c.LeftOut[2].Pos)
	}
	if c.Complete() {
		t.Error("Complete with resources left out")
	}
	txt := c.Text()
	for _, want := range []string{"6 resources declared, 1 modelled, 2 ignored", "left out: t.json:3:5: Microsoft.Network/privateEndpoints pe", "ignored: Microsoft.Insights/diagnosticSettings d2"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if got := c.Missing("Microsoft.Network/privateEndpoints/privateDnsZoneGroups"); len(got) != 1 || got[0].Type != "Microsoft.Resources/deployments" {
		t.Errorf("Missing(zone groups) = %+v, want only the nested deployment (it may hold anything)", got)
	}
	if got := c.Missing("Microsoft.Network/privateEndpoints"); len(got) != 2 {
		t.Errorf("Missing(privateEndpoints) = %+v", got)
	}
	// A reader that gives no count (a live read-back) declared what it read.
	live := &arm.Set{Source: "subscription:x"}
	live.Add(&arm.Resource{Type: "Microsoft.Network/virtualNetworks", Name: "vnet", ID: arm.ResourceID(sub + "Microsoft.Network/virtualNetworks/vnet")})
	if c := twin.Build(live).Coverage(); c.Declared != 1 || !c.Complete() {
		t.Errorf("live coverage %+v", c)
	}
}

// TestCoveragePlaces: a not-modelled resource is placed at its recorded
// file:line:column; without one, in the file its reader names (a merged
// set's origin or the set's source, the reader's prefix taken off), and a
// live read names no file.
func TestCoveragePlaces(t *testing.T) {
	sub := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
	nva := func(name string) *arm.Resource {
		return &arm.Resource{Type: "Microsoft.Network/networkVirtualAppliances", Name: name, ID: arm.ResourceID(sub + "Microsoft.Network/networkVirtualAppliances/" + name)}
	}
	for _, c := range []struct {
		source, origin string
		pos            arm.Pos
		want           string
	}{
		{"t.json", "", arm.Pos{File: "t.json", Line: 7, Column: 9}, "t.json:7:9"},
		{"terraform:./infra", "", arm.Pos{File: "infra/main.tf", Line: 12, Column: 1}, "infra/main.tf:12:1"},
		{"terraform-plan:plan.json", "", arm.Pos{}, "plan.json"},
		{"terraform:./infra", "", arm.Pos{}, "./infra"},
		{"spec:privaks.yaml", "", arm.Pos{}, "privaks.yaml"},
		{"a.json + terraform-plan:p.json", "terraform-plan:p.json", arm.Pos{}, "p.json"},
		{"subscription:s/resourceGroups/rg", "", arm.Pos{}, ""},
		{"a.json + subscription:s/resourceGroups/rg", "subscription:s/resourceGroups/rg", arm.Pos{}, ""},
	} {
		set := &arm.Set{Source: c.source}
		r := nva("nva")
		set.Add(r)
		set.SetPos(r.ID, c.pos)
		if c.origin != "" {
			set.Origins = map[string]string{r.ID.Key(): c.origin}
		}
		lo := twin.Build(set).Coverage().LeftOut
		if len(lo) != 1 || lo[0].Pos.String() != c.want {
			t.Errorf("%s (origin %q): left out %+v, want at %q", c.source, c.origin, lo, c.want)
		}
	}
}

package tfread_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
)

// The fixtures are plans as terraform-json reads them: builtin/plan.json is
// real (terraform 1.11 show -json of a plan of terraform_data resources,
// which needs no provider); azurerm/plan.json is written by hand in the
// same format.
func TestPlanFixturesAreTerraformJSON(t *testing.T) {
	for _, p := range []string{"builtin", "azurerm"} {
		b, err := os.ReadFile(filepath.Join("testdata", "plan", p, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		var plan tfjson.Plan
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if err := plan.Validate(); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if plan.PlannedValues == nil || len(plan.PlannedValues.RootModule.Resources) == 0 || len(plan.ResourceChanges) != len(plan.PlannedValues.RootModule.Resources) {
			t.Errorf("%s: planned values and changes must list the same resources", p)
		}
	}
}

const rgNet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/"

func TestPlanWithConfiguration(t *testing.T) {
	dir := filepath.Join("testdata", "plan", "azurerm")
	// Without the plan, the data source is an external input.
	cfg, err := tfread.Read(dir, tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Coverage.Complete() || cfg.Get(rgNet+"Microsoft.KeyVault/vaults/kv-plan") != nil {
		t.Fatalf("without the plan the resource group is unknown: %v", cfg.Coverage.LeftOut)
	}
	set, err := tfread.ReadPlan(filepath.Join(dir, "plan.json"), dir, tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !set.Coverage.Complete() {
		t.Errorf("the plan read the data source: %v", set.Coverage.LeftOut)
	}
	pe := set.Get(rgNet + "Microsoft.Network/privateEndpoints/pe-kv")
	if pe == nil {
		t.Fatalf("no pe-kv in %v", set.Resources)
	}
	// subnet_id is unknown in the plan; the configuration's reference
	// names the subnet.
	if got := pe.Prop("subnet.id"); got != rgNet+"Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-pe" {
		t.Errorf("PE subnet = %v", got)
	}
	if pe.Location != "canadacentral" {
		t.Errorf("location from the data source the plan read: %q", pe.Location)
	}
	// A resource read from the configuration is placed at its block
	// (named as the reader names files: from the root module's directory).
	if p, want := set.PosOf(pe.ID).String(), "azurerm/main.tf:44:1"; p != want {
		t.Errorf("pe-kv at %q, want %q", p, want)
	}
	tw := twin.Build(set)
	if len(tw.Vaults) != 1 || len(tw.Vaults[0].Endpoints) != 1 || tw.Vaults[0].PublicAccess || !tw.Vaults[0].RBAC {
		t.Fatalf("vault: %+v", tw.Vaults)
	}
	var wl *twin.Identity
	for _, id := range tw.Identities {
		if id.Name == "id-wl" {
			wl = id
		}
	}
	if wl == nil {
		t.Fatal("no id-wl")
	}
	if _, ok := tw.HasRole(wl.Key, twin.SecretReaderRoles, tw.Vaults[0].ID); !ok {
		t.Errorf("role assignment from the configuration's principal_id reference: %+v", tw.Roles)
	}
}

func TestPlanAlone(t *testing.T) {
	set, err := tfread.ReadPlan(filepath.Join("testdata", "plan", "azurerm", "plan.json"), "", tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kv := set.Get(rgNet + "Microsoft.KeyVault/vaults/kv-plan")
	if kv == nil || kv.Prop("publicNetworkAccess") != "Disabled" {
		t.Fatalf("kv from planned values: %v", kv)
	}
	pe := set.Get(rgNet + "Microsoft.Network/privateEndpoints/pe-kv")
	u, ok := pe.Prop("subnet.id").(arm.Unknown)
	if !ok || u.Expr != "azurerm_private_endpoint.kv.subnet_id" {
		t.Errorf("without the configuration, what the plan leaves unknown is a named unknown: %#v", pe.Prop("subnet.id"))
	}
	// The role assignment's scope is unknown in the plan alone: left out.
	found := false
	for _, l := range set.Coverage.LeftOut {
		if l.Resource == "azurerm_role_assignment.wl" && strings.Contains(l.Reason, "scope") {
			found = true
		}
	}
	if !found {
		t.Errorf("left out: %v", set.Coverage.LeftOut)
	}
	// Each resource, read or left out, is placed at its "address" key in
	// planned_values (the lines of testdata/plan/azurerm/plan.json).
	plan := filepath.Join("testdata", "plan", "azurerm", "plan.json")
	want := map[string]string{"azurerm_private_dns_zone_virtual_network_link.kv": plan + ":48:11", "azurerm_role_assignment.wl": plan + ":98:11"}
	for _, l := range set.Coverage.LeftOut {
		if w := want[l.Resource]; l.Pos.String() != w {
			t.Errorf("%s left out at %q, want %q", l.Resource, l.Pos, w)
		}
	}
	if p := set.PosOf(kv.ID).String(); p != plan+":8:11" {
		t.Errorf("key vault at %q, want %s:8:11", p, plan)
	}
	// A real plan of builtin resources: nothing Azure, nothing left out.
	b, err := tfread.ReadPlan(filepath.Join("testdata", "plan", "builtin", "plan.json"), "", tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Resources) != 0 || !b.Coverage.Complete() {
		t.Errorf("builtin plan: %v %v", b.Resources, b.Coverage)
	}
	if _, err := tfread.ReadPlan(filepath.Join("testdata", "plan", "azurerm", "main.tf"), "", tfread.Options{}); err == nil {
		t.Error("a .tf file is not a plan")
	}
}

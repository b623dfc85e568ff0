package tfread_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
)

const sub = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-dev-cc/providers/"

func readFeatures(t *testing.T, opt tfread.Options) *arm.Set {
	t.Helper()
	set, err := tfread.Read(filepath.Join("testdata", "features"), opt)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func mustGet(t *testing.T, set *arm.Set, id string) *arm.Resource {
	t.Helper()
	r := set.Get(arm.ResourceID(sub + id))
	if r == nil {
		var ids []string
		for _, x := range set.Resources {
			ids = append(ids, string(x.ID))
		}
		t.Fatalf("no %s in\n%s", id, strings.Join(ids, "\n"))
	}
	return r
}

// TestFeatures reads a configuration using variables (tfvars,
// auto.tfvars, defaults, optional attributes), locals, local modules with
// for_each, a module terraform init placed, count, dynamic blocks,
// conditionals, splats, depends_on and built-in functions.
func TestFeatures(t *testing.T) {
	set := readFeatures(t, tfread.Options{})
	// provider subscription_id and the tfvars env: IDs in that subscription.
	vnet := mustGet(t, set, "Microsoft.Network/virtualNetworks/vnet-hub")
	if got := vnet.Location; got != "canadacentral" {
		t.Errorf("location %q", got)
	}
	// cidrsubnet in a module with for_each over a map of numbers.
	pe := mustGet(t, set, "Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe")
	if got := pe.Prop("addressPrefix"); got != "10.0.0.64/26" {
		t.Errorf("snet-pe prefix %v", got)
	}
	// The association merged into the subnet.
	if got := pe.Prop("networkSecurityGroup.id"); got != sub+"Microsoft.Network/networkSecurityGroups/nsg-pe" {
		t.Errorf("snet-pe NSG %v", got)
	}
	// for_each over module instances, module outputs as values.
	if got := mustGet(t, set, "Microsoft.Network/virtualNetworks/vnet-aks/subnets/snet-nodes").Prop("addressPrefix"); got != "10.1.0.0/20" {
		t.Errorf("spoke subnet %v", got)
	}
	p := mustGet(t, set, "Microsoft.Network/virtualNetworks/vnet-aks/virtualNetworkPeerings/peer-aks-to-hub")
	if got := p.Prop("remoteVirtualNetwork.id"); got != string(vnet.ID) || p.Prop("allowVirtualNetworkAccess") != true {
		t.Errorf("peering remote %v", got)
	}
	// Dynamic block with an iterator and an optional attribute default.
	nsg := mustGet(t, set, "Microsoft.Network/networkSecurityGroups/nsg-pe")
	rules := nsg.Prop("securityRules").([]any)
	if len(rules) != 2 || arm.Lookup(rules[0], "name") != "deny" || arm.Lookup(rules[0], "properties.access") != "Deny" ||
		arm.Lookup(rules[1], "properties.access") != "Allow" || arm.Lookup(rules[1], "properties.destinationPortRange") != "443" {
		t.Errorf("rules %v", rules)
	}
	// azurerm 3.x name (enable_rbac_authorization) and a conditional.
	kv := mustGet(t, set, "Microsoft.KeyVault/vaults/kv-dev-cc")
	if kv.Prop("enableRbacAuthorization") != true || kv.Prop("publicNetworkAccess") != "Enabled" {
		t.Errorf("vault %v", kv.Properties)
	}
	if kv.Prop("tenantId") != arm.DefaultScope.TenantID {
		t.Errorf("tenant from azurerm_client_config: %v", kv.Prop("tenantId"))
	}
	// A module terraform init placed (.terraform/modules/modules.json).
	mustGet(t, set, "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net")

	aks := mustGet(t, set, "Microsoft.ContainerService/managedClusters/aks-dev-cc")
	if aks.Prop("networkProfile.dnsServiceIP") != "10.100.0.10" || aks.Prop("apiServerAccessProfile.enablePrivateCluster") != true {
		t.Errorf("aks %v", aks.Properties)
	}
	if !slices.Contains(aks.DependsOn, string(vnet.ID)) {
		t.Errorf("depends_on module.hub: %v", aks.DependsOn)
	}
	// Unknowns named as the twin reads them.
	fic := mustGet(t, set, "Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-0/federatedIdentityCredentials/fic-0")
	iss, ok := fic.Prop("issuer").(arm.Unknown)
	if !ok || !iss.Ref.Equal(aks.ID) || iss.Path != "oidcIssuerProfile.issuerURL" || iss.Expr != "azurerm_kubernetes_cluster.aks.oidc_issuer_url" {
		t.Errorf("issuer %#v", fic.Prop("issuer"))
	}
	tw := twin.Build(set)
	id := tw.IdentityByKey("uami:" + strings.ToLower(sub+"Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-0"))
	if id == nil {
		// The twin's key format is its own; find by name.
		for _, x := range tw.Identities {
			if x.Name == "id-wl-0" {
				id = x
			}
		}
	}
	if id == nil {
		t.Fatalf("identity id-wl-0 not in the twin: %+v", tw.Identities)
	}
	if _, ok := tw.HasRole(id.Key, twin.SecretReaderRoles, kv.ID); !ok {
		t.Errorf("id-wl-0 has no secret reader role on the vault: %+v", tw.Roles)
	}
	if _, ok := tw.HasRole(tw.KubeletKey(tw.Clusters[0]), twin.PullRoles, arm.ResourceID(sub+"Microsoft.ContainerRegistry/registries/x")); !ok {
		t.Errorf("kubelet AcrPull at the resource group not read: %+v", tw.Roles)
	}
	// Unknown names stay symbolic; a data source's ID stays an unknown.
	mustGet(t, set, "Microsoft.Storage/storageAccounts/{random_string.suffix.result}")
	nic := mustGet(t, set, "Microsoft.Network/networkInterfaces/nic-ext")
	if u, ok := arm.Lookup(nic.Prop("ipConfigurations"), "0.properties.subnet.id").(arm.Unknown); !ok || u.Expr != "data.azurerm_subnet.external.id" {
		t.Errorf("external subnet %#v", arm.Lookup(nic.Prop("ipConfigurations"), "0.properties.subnet.id"))
	}
	// Outputs with for expressions and splats over module instances.
	if got := set.Outputs["all_subnets"]; len(got.([]any)) != 3 {
		t.Errorf("all_subnets = %v", got)
	}
	// Coverage: what is left out and why.
	want := map[string]string{
		"data.azurerm_subnet.external":    "external input",
		"module.from_registry":            "not on disk",
		"azurerm_monitor_action_group.ag": "not modelled",
	}
	if len(set.Coverage.LeftOut) != len(want) {
		t.Errorf("left out %v", set.Coverage.LeftOut)
	}
	for _, l := range set.Coverage.LeftOut {
		if w, ok := want[l.Resource]; !ok || !strings.Contains(l.Reason, w) || l.Pos.Line == 0 || !strings.HasSuffix(l.Pos.File, "main.tf") {
			t.Errorf("left out %s", l)
		}
	}
	if set.Coverage.Declared != len(set.Resources)+1 {
		t.Errorf("declared %d, resources %d", set.Coverage.Declared, len(set.Resources))
	}
}

func TestVarsOrderAndData(t *testing.T) {
	// --var-file after tfvars, --var after --var-file; the last wins.
	dir := t.TempDir()
	vf := filepath.Join(dir, "x.tfvars")
	if err := os.WriteFile(vf, []byte("env = \"prod\"\nworkloads = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	set := readFeatures(t, tfread.Options{VarFiles: []string{vf}, Vars: []string{"workloads=2", `spokes=[{name="aks", space=["10.9.0.0/16"]}]`},
		Data: map[string]any{"data.azurerm_subnet.external": map[string]any{"id": sub + "Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-dns"}}})
	if set.Get(arm.ResourceID(strings.ReplaceAll(sub, "rg-dev-cc", "rg-prod-cc")+"Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-1")) == nil {
		t.Errorf("workloads=2 from --var not applied")
	}
	if set.Get(arm.ResourceID(strings.ReplaceAll(sub, "rg-dev-cc", "rg-prod-cc")+"Microsoft.ManagedIdentity/userAssignedIdentities/id-wl-2")) != nil {
		t.Errorf("--var must come after --var-file")
	}
	kv := set.Get(arm.ResourceID(strings.ReplaceAll(sub, "rg-dev-cc", "rg-prod-cc") + "Microsoft.KeyVault/vaults/kv-prod-cc"))
	if kv == nil || kv.Prop("publicNetworkAccess") != "Disabled" {
		t.Errorf("env=prod from --var-file: %v", kv)
	}
	for _, l := range set.Coverage.LeftOut {
		if l.Resource == "data.azurerm_subnet.external" {
			t.Errorf("a data source given with Data is not left out")
		}
	}
}

func TestBadInput(t *testing.T) {
	write := func(files map[string]string) string {
		dir := t.TempDir()
		for n, s := range files {
			p := filepath.Join(dir, n)
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	cases := []struct {
		name  string
		files map[string]string
		opt   tfread.Options
		want  string
	}{
		{"syntax", map[string]string{"main.tf": "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"x\"\n  location = \n}\n"}, tfread.Options{}, "main.tf:3:"},
		{"undeclared", map[string]string{"main.tf": "resource \"azurerm_resource_group\" \"rg\" {\n  name = var.nope\n  location = \"x\"\n}\n"}, tfread.Options{}, "main.tf:2:10: reference to undeclared input variable \"nope\""},
		{"missing var", map[string]string{"main.tf": "variable \"a\" {}\nresource \"azurerm_resource_group\" \"rg\" {\n  name = var.a\n  location = \"x\"\n}\n"}, tfread.Options{}, "main.tf:1:1: root variables without a value: a"},
		{"bad var type", map[string]string{"main.tf": "variable \"n\" {\n type = number\n}\nresource \"azurerm_resource_group\" \"rg\" {\n  count = var.n\n  name = \"x\"\n  location = \"x\"\n}\n"}, tfread.Options{Vars: []string{"n=abc"}}, "variable \"n\""},
		{"undeclared --var", map[string]string{"main.tf": "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"x\"\n  location = \"x\"\n}\n"}, tfread.Options{Vars: []string{"zz=1"}}, "declares no variable \"zz\""},
		{"unknown block", map[string]string{"main.tf": "resourse \"azurerm_resource_group\" \"rg\" {}\n"}, tfread.Options{}, "main.tf:1:1: unsupported block type \"resourse\""},
		{"cycle", map[string]string{"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\nresource \"azurerm_resource_group\" \"rg\" {\n  name = local.a\n  location = \"x\"\n}\n"}, tfread.Options{}, "a cycle"},
		{"count limit", map[string]string{"main.tf": "resource \"azurerm_resource_group\" \"rg\" {\n  count = 100000000\n  name = \"x\"\n  location = \"x\"\n}\n"}, tfread.Options{}, "over the limit"},
		{"empty", map[string]string{"README.md": "x"}, tfread.Options{}, "no Terraform resources"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := tfread.Read(write(c.files), c.opt)
			var e *tfread.Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want a *tfread.Error containing %q", err, c.want)
			}
		})
	}
}

func TestFunctionsTerraformAdds(t *testing.T) {
	dir := t.TempDir()
	src := `
locals {
  a = cidrsubnets("10.0.0.0/16", 8, 4, 8)
  b = cidrnetmask("10.0.0.0/20")
  c = one(["x"])
  d = sum([1, 2, 3])
  e = alltrue([true, true]) && !anytrue([false])
  f = startswith("privatelink.x", "privatelink.") && endswith("a.b", ".b") && strcontains("abc", "b")
  g = base64decode(base64encode("hi"))
  h = replace("a-b-c", "/-/", "_")
  i = lookup(tomap({ a = "b" }), "k", null)
  j = length("héllo")
  k = uuidv5("dns", "example.com")
  l = sha256("x")
  m = templatefile("${path.module}/t.tpl", { name = "n" })
  n = try(tonumber("x"), 7)
  o = can(regex("^a", "abc"))
  p = transpose({ a = ["1", "2"], b = ["2"] })
  q = cidrhost("10.0.0.0/24", -2)
}
resource "azurerm_resource_group" "rg" {
  name     = jsonencode([local.a, local.b, local.c, local.d, local.e, local.f, local.g, local.h, local.i, local.j, local.k, local.l, local.m, local.n, local.o, local.p, local.q])
  location = "x"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.tpl"), []byte("hello ${name}"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := tfread.Read(dir, tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Resources) != 1 || !set.Coverage.Complete() {
		t.Fatalf("left out: %v", set.Coverage.LeftOut)
	}
	want := `[["10.0.0.0/24","10.0.16.0/20","10.0.32.0/24"],"255.255.240.0","x",6,true,true,"hi","a_b_c",null,5,"cfbff0d1-9375-5685-968c-48ce8b15ae17","2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","hello n",7,true,{"1":["a"],"2":["a","b"]},"10.0.0.254"]`
	if got := set.Resources[0].Name; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestUnknownFunctionLeftOut(t *testing.T) {
	dir := t.TempDir()
	src := "resource \"azurerm_resource_group\" \"rg\" {\n  name = nosuch(\"x\")\n  location = \"x\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := tfread.Read(dir, tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Coverage.LeftOut) != 1 || set.Coverage.LeftOut[0].Missing != "function nosuch" || set.Coverage.Declared != 1 {
		t.Errorf("left out %+v", set.Coverage)
	}
}

func TestUnknownResourceType(t *testing.T) {
	dir := t.TempDir()
	src := "resource \"azurerm_virtual_netwrok\" \"v\" {\n  name = \"x\"\n}\n"
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644)
	// Without a lock file the provider version is unknown: left out, with a hint.
	set, err := tfread.Read(dir, tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Coverage.LeftOut) != 1 || !strings.Contains(set.Coverage.LeftOut[0].Reason, `did you mean "azurerm_virtual_network"`) {
		t.Errorf("left out %v", set.Coverage.LeftOut)
	}
	// With azurerm 5.x locked, it is bad input at the type's place.
	os.WriteFile(filepath.Join(dir, ".terraform.lock.hcl"), []byte("provider \"registry.terraform.io/hashicorp/azurerm\" {\n  version = \"5.2.0\"\n}\n"), 0o644)
	_, err = tfread.Read(dir, tfread.Options{})
	var e *tfread.Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "main.tf:1:10: unknown resource type \"azurerm_virtual_netwrok\"") {
		t.Errorf("err = %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	dir := filepath.Join("testdata", "public", "avm-res-containerservice-managedcluster", "examples", "private")
	var first []byte
	for i := range 5 {
		set, err := tfread.Read(dir, tfread.Options{})
		if err != nil {
			t.Fatal(err)
		}
		type view struct {
			Resources []*arm.Resource
			IDs       []arm.ResourceID
			Coverage  arm.Coverage
		}
		v := view{Resources: set.Resources, Coverage: set.Coverage}
		for _, r := range set.Resources {
			v.IDs = append(v.IDs, r.ID)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d differs from the first", i)
		}
	}
}

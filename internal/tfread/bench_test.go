package tfread_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// benchConfig copies the private AKS hub-and-spoke configuration (49 files,
// 17 local modules) and adds 11 files of spokes built from its modules and
// peered to the hub: 60 files.
func benchConfig(b *testing.B) string {
	b.Helper()
	src := filepath.Join("testdata", "public", "private-aks-cluster-terraform-devops", "terraform")
	dst := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 11 {
		s := fmt.Sprintf(`
module "spoke%[1]d" {
  source                       = "./modules/virtual_network"
  resource_group_name          = azurerm_resource_group.rg.name
  location                     = var.location
  vnet_name                    = "vnet-spoke%[1]d"
  address_space                = ["10.%[2]d.0.0/16"]
  log_analytics_workspace_id   = module.log_analytics_workspace.id
  log_analytics_retention_days = var.log_analytics_retention_days
  subnets = [for n in range(4) : {
    name : "snet-${n}"
    address_prefixes : [cidrsubnet("10.%[2]d.0.0/16", 8, n)]
    enforce_private_link_endpoint_network_policies : true
    enforce_private_link_service_network_policies : false
  }]
}

module "peering%[1]d" {
  source              = "./modules/virtual_network_peering"
  vnet_1_name         = var.hub_vnet_name
  vnet_1_id           = module.hub_network.vnet_id
  vnet_1_rg           = azurerm_resource_group.rg.name
  vnet_2_name         = "vnet-spoke%[1]d"
  vnet_2_id           = module.spoke%[1]d.vnet_id
  vnet_2_rg           = azurerm_resource_group.rg.name
  peering_name_1_to_2 = "hub-to-spoke%[1]d"
  peering_name_2_to_1 = "spoke%[1]d-to-hub"
}
`, i, 100+i)
		if err := os.WriteFile(filepath.Join(dst, fmt.Sprintf("spoke%d.tf", i)), []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	n := 0
	_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, _ error) error {
		if filepath.Ext(p) == ".tf" {
			n++
		}
		return nil
	})
	if n != 60 {
		b.Fatalf("%d files, want 60", n)
	}
	return dst
}

// BenchmarkReadAndVerify60Files reads the 60-file configuration and runs
// verify and check on it (target: under 1 s).
func BenchmarkReadAndVerify60Files(b *testing.B) {
	dir := benchConfig(b)
	opt := tfread.Options{Vars: []string{"ssh_public_key=ssh-rsa AAAA", "script_storage_account_name=s", "script_storage_account_key=k"}}
	b.ResetTimer()
	for b.Loop() {
		set, err := tfread.Read(dir, opt)
		if err != nil {
			b.Fatal(err)
		}
		if !set.Coverage.Complete() || len(set.Resources) < 140 {
			b.Fatalf("%d resources, left out %v", len(set.Resources), set.Coverage.LeftOut)
		}
		t := twin.Build(set)
		_ = verify.Run(t, verify.Derive(t))
		_ = check.Run(t)
	}
}

// BenchmarkRead60Files reads the same configuration without analysing it.
func BenchmarkRead60Files(b *testing.B) {
	dir := benchConfig(b)
	opt := tfread.Options{Vars: []string{"ssh_public_key=ssh-rsa AAAA", "script_storage_account_name=s", "script_storage_account_key=k"}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := tfread.Read(dir, opt); err != nil {
			b.Fatal(err)
		}
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/testenv"
)

func tfTestdata(t *testing.T, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{testenv.RepoRoot(t), "internal", "tfread", "testdata"}, elem...)...)
}

// The commands docs/terraform.md and the README show.
func TestTerraformCommands(t *testing.T) {
	devops := tfTestdata(t, "public", "private-aks-cluster-terraform-devops", "terraform")
	vars := []string{"--var", "ssh_public_key=ssh-rsa AAAAB3NzaC1yc2E test", "--var", "script_storage_account_name=stscripts",
		"--var", "script_storage_account_key=unused"}
	// verify: public vault, registry and storage fail (exit 1); egress
	// through the firewall, whose IP only apply knows, is judged by the
	// firewall's predicted address and rules.
	code, out, _ := checkCLI(t, append([]string{"verify", "--terraform", devops}, vars...)...)
	if code != 1 || !strings.Contains(out, "✓ Internet ↛ API server of BaboAks") || !strings.Contains(out, "✗ Internet ↛ key vault BaboAksKeyVault") {
		t.Errorf("verify exit %d:\n%s", code, out)
	}
	// Repeatable --var: every value is kept (a missing one is exit 2).
	code, _, errs := checkCLI(t, "verify", "--terraform", devops, "--var", "ssh_public_key=x")
	if code != 2 || !strings.Contains(errs, "script_storage_account_key, script_storage_account_name") {
		t.Errorf("missing vars: exit %d: %s", code, errs)
	}
	code, out, _ = checkCLI(t, append([]string{"check", "--terraform", devops, "-o", "json"}, vars...)...)
	if code != 1 || !strings.Contains(out, `"PVK120"`) {
		t.Errorf("check exit %d:\n%.400s", code, out)
	}
	code, out, errs = checkCLI(t, append([]string{"explain", "--terraform", devops, "--from", "TestVm", "--to", "BaboAksKeyVault"}, vars...)...)
	if code == 2 || out == "" {
		t.Errorf("explain exit %d: %s", code, errs)
	}
	plan := tfTestdata(t, "plan", "azurerm")
	code, out, errs = checkCLI(t, "verify", "--terraform-plan", filepath.Join(plan, "plan.json"), "--terraform", plan)
	if code == 2 {
		t.Errorf("verify --terraform-plan: exit %d: %s %s", code, out, errs)
	}
	data := filepath.Join(t.TempDir(), "data.json")
	os.WriteFile(data, []byte(`{"data.azurerm_resource_group.net": {"name": "rg-net", "location": "canadacentral"}}`), 0o644)
	code, _, errs = checkCLI(t, "check", "--terraform", plan, "--terraform-data", data)
	if code == 2 || strings.Contains(errs, "left out") {
		t.Errorf("--terraform-data: exit %d: %s", code, errs)
	}
	// Without the data file, the data source is left out, and stderr says so.
	_, _, errs = checkCLI(t, "check", "--terraform", plan)
	if !strings.Contains(errs, "left out of the analysis") || !strings.Contains(errs, "data.azurerm_resource_group.net") {
		t.Errorf("left-out warning: %s", errs)
	}
}

func TestTerraformBadInput(t *testing.T) {
	main := tfTestdata(t, "features", "main.tf")
	code, _, errs := checkCLI(t, "verify", "--template", main)
	if code != 2 || !strings.Contains(errs, "is Terraform, not an ARM template: use --terraform DIR") {
		t.Errorf("--template main.tf: exit %d: %s", code, errs)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"azurerm_resource_group\" \"rg\" {\n  name = \"x\" \"y\"\n}\n"), 0o644)
	code, _, errs = checkCLI(t, "verify", "--terraform", dir)
	if code != 2 || !strings.Contains(errs, "main.tf:2:") {
		t.Errorf("syntax error: exit %d: %s", code, errs)
	}
	code, _, errs = checkCLI(t, "check", "--terraform", dir, "--template", main)
	if code != 2 {
		t.Errorf("--terraform with --template: exit %d: %s", code, errs)
	}
	code, _, errs = checkCLI(t, "verify", "--var", "a=b")
	if code != 2 || !strings.Contains(errs, "go with --terraform") {
		t.Errorf("--var without --terraform: exit %d: %s", code, errs)
	}
}

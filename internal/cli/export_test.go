package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plan --format terraform writes the verified design as a module that
// privaks verify --terraform proves again; export writes a template's set;
// a bad --format is bad input and writes nothing.
func TestPlanFormatTerraformAndExport(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "terraform")
	code, _, e := run(t, "plan", "--format", "terraform", "--out", mod)
	if code != 0 {
		t.Fatalf("plan --format terraform: exit %d\n%s", code, e)
	}
	for _, f := range []string{"main.tf", "network.tf", "aks.tf", "variables.tf", "outputs.tf", "cloud-init/vm-dns.yaml"} {
		if _, err := os.Stat(filepath.Join(mod, f)); err != nil {
			t.Errorf("plan --format terraform: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(mod, "azuredeploy.json")); err == nil {
		t.Error("plan --format terraform also wrote the ARM template")
	}
	code, out, e := run(t, "verify", "--terraform", mod, "--var", "agent_registration_token=unused", "--var", "admin_ssh_public_key=ssh-ed25519 AAAA test")
	if code != 0 || !strings.Contains(out, "result: pass") {
		t.Fatalf("verify --terraform on the written module: exit %d\n%s\n%s", code, out, e)
	}

	arm := filepath.Join(dir, "arm")
	if code, _, e := run(t, "plan", "--out", arm); code != 0 {
		t.Fatalf("plan: %s", e)
	}
	exp := filepath.Join(dir, "exported")
	code, _, e = run(t, append([]string{"export", "--template", filepath.Join(arm, "azuredeploy.json"), "--parameters", filepath.Join(arm, "azuredeploy.parameters.json"), "--out", exp}, sshKeyParam...)...)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, e)
	}
	if b, err := os.ReadFile(filepath.Join(exp, "identity.tf")); err != nil || !strings.Contains(string(b), `resource "azurerm_user_assigned_identity" "id_aks_kubelet"`) {
		t.Errorf("export: identity.tf: %v\n%s", err, b)
	}

	bad := filepath.Join(dir, "bad")
	if code, _, _ := run(t, "plan", "--format", "bicep", "--out", bad); code != 2 {
		t.Errorf("plan --format bicep: exit %d, want 2", code)
	}
	if code, _, _ := run(t, "export", "--format", "bicep", "--out", bad); code != 2 {
		t.Errorf("export --format bicep: exit %d, want 2", code)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a bad --format wrote files")
	}
}

package tfwrite_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
)

// A set evaluated with the agent's registration token holds the Key Vault
// secret with its value. The module holds neither the token nor any other
// input secret: the value is an ephemeral, sensitive variable given at
// apply time, written through azapi's write-only sensitive_body.
func TestNoSecretInAnyFile(t *testing.T) {
	const token = "tok-3f9c0d2e-never-in-a-file"
	set, err := armeval.Evaluate(fixture.Reference(t), armeval.WithParameters(map[string]any{
		compile.ParamSSHKey: testSSHKey, compile.ParamAgentToken: token}))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.OfType("Microsoft.KeyVault/vaults/secrets")) != 1 {
		t.Fatal("the set evaluated with a token holds no Key Vault secret")
	}
	_, m, back := writeRead(t, set, "agent_registration_token=from-the-command-line")
	for n, b := range m.Files {
		if strings.Contains(string(b), token) {
			t.Errorf("%s holds the token", n)
		}
	}
	vars := string(m.Files["variables.tf"])
	i := strings.Index(vars, `variable "agent_registration_token"`)
	if i < 0 {
		t.Fatalf("no variable for the token:\n%s", vars)
	}
	decl := vars[i : i+strings.Index(vars[i:], "}")]
	for _, want := range []string{"sensitive   = true", "ephemeral   = true"} {
		if !strings.Contains(decl, want) {
			t.Errorf("the token variable is not %q:\n%s", want, decl)
		}
	}
	if strings.Contains(decl, "default") {
		t.Errorf("the token variable has a default:\n%s", decl)
	}
	if !strings.Contains(string(m.Files["services.tf"]), "value = var.agent_registration_token") ||
		!strings.Contains(string(m.Files["services.tf"]), "sensitive_body = {") {
		t.Errorf("the secret is not written through sensitive_body:\n%s", m.Files["services.tf"])
	}
	s := back.OfType("Microsoft.KeyVault/vaults/secrets")
	if len(s) != 1 || !s[0].ID.Equal(set.OfType("Microsoft.KeyVault/vaults/secrets")[0].ID) {
		t.Fatalf("secret read back: %+v", s)
	}
	for _, r := range back.Resources {
		if strings.Contains(js(r.Properties), "from-the-command-line") {
			t.Errorf("the reader copied the secret value into %s", r.ID)
		}
	}
}

// A set evaluated without the SSH public key (the template parameter is
// unknown) gets a variable without default for it.
func TestParameterWithoutValueIsAVariable(t *testing.T) {
	set, err := armeval.Evaluate(fixture.Reference(t))
	if err != nil {
		t.Fatal(err)
	}
	_, m, back := writeRead(t, set, "admin_ssh_public_key="+testSSHKey)
	vars := string(m.Files["variables.tf"])
	i := strings.Index(vars, `variable "admin_ssh_public_key"`)
	if i < 0 || strings.Contains(vars[i:i+strings.Index(vars[i:], "}")], "default") {
		t.Fatalf("want a variable admin_ssh_public_key without default:\n%s", vars)
	}
	for _, vm := range back.OfType("Microsoft.Compute/virtualMachines") {
		if got := vm.Prop("osProfile.linuxConfiguration.ssh.publicKeys.0.keyData"); got != testSSHKey {
			t.Errorf("%s keyData read back %v", vm.Name, got)
		}
	}
}

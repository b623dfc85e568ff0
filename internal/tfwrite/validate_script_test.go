package tfwrite_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/testenv"
)

// make tf-validate's script (scripts/tf-validate.sh) refuses to run without
// the providers, naming what to set, and checks what it is given; it is
// shellcheck clean. (Validating itself needs the provider binaries, which
// cannot be had here: docs/terraform.md.)
func TestTFValidateScriptArguments(t *testing.T) {
	root := testenv.RepoRoot(t)
	script := filepath.Join(root, "scripts", "tf-validate.sh")
	fake := filepath.Join(t.TempDir(), "terraform-provider-azurerm")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		env  []string
		want string
	}{
		{nil, "set PROVIDER_BIN to a built terraform-provider-azurerm, or PROVIDER_SRC"},
		{[]string{"PROVIDER_BIN=/nonexistent/terraform-provider-azurerm"}, "PROVIDER_BIN=/nonexistent/terraform-provider-azurerm is not an executable file"},
		{[]string{"PROVIDER_SRC=" + t.TempDir()}, "is not a checkout of the provider (no go.mod)"},
		{[]string{"PROVIDER_BIN=" + fake}, "no azapi provider: set AZAPI_BIN"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, "sh", script)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "PRIVAKS_TF_CACHE=" + t.TempDir(),
			"TERRAFORM=/usr/local/bin/terraform"}, c.env...)
		out, err := cmd.CombinedOutput()
		cancel()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), c.want) {
			t.Errorf("%v: %v\n%s\nwant exit 2 and %q", c.env, err, out, c.want)
		}
	}
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck is not installed (make test-deps installs it)")
	}
	if out, err := exec.Command(sc, script).CombinedOutput(); err != nil {
		t.Errorf("shellcheck %s: %v\n%s", script, err, out)
	}
}

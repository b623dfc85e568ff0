package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/testenv"
)

// TestPreCommitHook runs the entry of .pre-commit-hooks.yaml, as
// pre-commit would, with the arguments its comment documents, on the
// reference design (exit 0) and on a design whose agent VM has a public
// IP (exit 1); and checks that its files pattern selects what privaks
// reads.
func TestPreCommitHook(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		Files         string `yaml:"files"`
	}
	if err := yaml.Unmarshal(raw, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "privaks" || hooks[0].Language != "golang" || hooks[0].PassFilenames == nil || *hooks[0].PassFilenames {
		t.Fatalf("want one golang hook \"privaks\" that is not passed file names: %+v", hooks)
	}
	h := hooks[0]
	if !strings.Contains(string(raw), "args: [-f, privaks.yaml]") {
		t.Errorf("the documented args are gone; update this test with them")
	}
	entry := strings.Fields(h.Entry)
	if entry[0] != "privaks" {
		t.Fatalf("entry %q does not run privaks", h.Entry)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("privaks.yaml", spec.ReferenceYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(entry[1:], "-f", "privaks.yaml")
	if code, out, errs := checkCLI(t, args...); code != ExitOK || !strings.Contains(out, "result: pass") || !strings.Contains(out, " intents, ") {
		t.Errorf("%s on the reference design: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	tmpl := `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
	"resources":[{"type":"Microsoft.KeyVault/vaults","apiVersion":"2026-02-01","name":"kv-open","location":"canadacentral",
	"properties":{"tenantId":"[subscription().tenantId]","sku":{"family":"A","name":"standard"},"enablePurgeProtection":true}}]}`
	if err := os.WriteFile("azuredeploy.json", []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := checkCLI(t, append(entry[1:], "--template", "azuredeploy.json")...); code != ExitFailed {
		t.Errorf("a public vault: exit %d, want %d\n%s", code, ExitFailed, out)
	}
	// pre-commit matches files with Python's re.search; this pattern
	// means the same in Go's RE2.
	files := regexp.MustCompile(h.Files)
	for name, want := range map[string]bool{"privaks.yaml": true, "estate.yml": true, "infra/azuredeploy.json": true,
		"main.tf": true, "prod.tfvars": true, "bicepconfig.jsonc": true, "README.md": false, "main.go": false} {
		if files.MatchString(name) != want {
			t.Errorf("files %q on %s: %v, want %v", h.Files, name, !want, want)
		}
	}
}

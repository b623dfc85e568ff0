package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/spec"
)

func checkCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, args)
	return code, out.String(), errb.String()
}

// writeSpec writes the reference spec with extra YAML appended.
func writeSpec(t *testing.T, extra string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "privaks.yaml")
	if err := os.WriteFile(p, append(spec.ReferenceYAML(), []byte(extra)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckExitCodesAndFormats(t *testing.T) {
	onPremSpec := writeSpec(t, "")
	// On-premises ranges come from the spec (which already rejects overlaps).
	if b, err := os.ReadFile(onPremSpec); err == nil {
		os.WriteFile(onPremSpec, bytes.Replace(b, []byte("onPremises: []"), []byte("onPremises: [192.168.0.0/16]"), 1), 0o644)
	}
	disabled := writeSpec(t, "rules:\n  disabled:\n    - id: PVK151\n      reason: subscription lacks EncryptionAtHost\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"reference design is clean", []string{"check"}, 0, "0 errors, 0 warnings, 7 info"},
		{"errors only hides info", []string{"check", "--severity", "error"}, 0, "0 errors, 0 warnings, 0 info"},
		{"spec with on-premises ranges (the spec validator rejects overlaps itself)", []string{"check", "-f", onPremSpec}, 0, "0 errors"},
		{"on-premises flag", []string{"check", "--on-prem", "10.1.0.0/16", "--severity", "error"}, 1, "overlaps the on-premises range 10.1.0.0/16"},
		{"disabled rule shown as suppressed", []string{"check", "-f", disabled}, 0, "(disabled: subscription lacks EncryptionAtHost)"},
		{"bad output", []string{"check", "-o", "xml"}, 2, ""},
		{"bad severity", []string{"check", "--severity", "fatal"}, 2, ""},
		{"bad on-prem", []string{"check", "--on-prem", "10.0.0.0/33"}, 2, ""},
		{"missing template", []string{"check", "--template", filepath.Join(t.TempDir(), "none.json")}, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := checkCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			if !strings.Contains(out, tc.contains) {
				t.Errorf("output lacks %q:\n%s", tc.contains, out)
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("colour written to a non-terminal")
			}
		})
	}
}

func TestCheckJSONAndSARIF(t *testing.T) {
	disabled := writeSpec(t, "rules:\n  disabled:\n    - id: PVK154\n      reason: flow logs are the platform team's\n")
	code, out, _ := checkCLI(t, "check", "-f", disabled, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		FormatVersion string `json:"formatVersion"`
		Findings      []struct {
			Rule, Severity, Resource, Message, Fix, Doc, Suppressed string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range doc.Findings {
		rules = append(rules, f.Rule+":"+f.Suppressed)
	}
	want := []string{"PVK151:", "PVK151:", "PVK150:", "PVK153:", "PVK111:", "PVK154:flow logs are the platform team's", "PVK154:flow logs are the platform team's"}
	if diff := cmp.Diff(rules, want); doc.FormatVersion != "1" || diff != "" {
		t.Errorf("formatVersion %q, findings (-got +want):\n%s", doc.FormatVersion, diff)
	}

	code, out, _ = checkCLI(t, "check", "-f", disabled, "-o", "sarif")
	if code != 0 || !strings.Contains(out, `"version": "2.1.0"`) || !strings.Contains(out, `"uri": "`+filepath.ToSlash(disabled)) && !strings.Contains(out, `"uri": "file://`) {
		t.Errorf("exit %d, SARIF lacks version or the spec's physical location:\n%.400s", code, out)
	}
	if !strings.Contains(out, `"justification": "flow logs are the platform team's"`) {
		t.Errorf("SARIF lacks the suppression")
	}
}

func TestCheckColour(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		noColor  string
		colour   bool
		term     string
	}{
		{"terminal", true, "", true, "xterm-256color"},
		{"terminal with NO_COLOR", true, "1", false, "xterm"},
		{"terminal with TERM=dumb", true, "", false, "dumb"},
		{"pipe", false, "", false, "xterm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TERM", tc.term)
			t.Setenv("NO_COLOR", tc.noColor)
			if tc.noColor == "" {
				os.Unsetenv("NO_COLOR")
			}
			var out bytes.Buffer
			cmd := newCheckCmdWith(Streams{Out: &out, Err: io.Discard}, func(io.Writer) bool { return tc.terminal })
			cmd.SetArgs(nil)
			cmd.SetOut(&out)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tc.colour {
				t.Errorf("colour %v, want %v", got, tc.colour)
			}
		})
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := checkCLI(t, "rules")
	if code != 0 || strings.Count(out, "\n") < 60 || !strings.HasPrefix(out, "PVK001") {
		t.Errorf("exit %d, catalogue listing:\n%.300s", code, out)
	}
	code, out, _ = checkCLI(t, "rules", "pvk078")
	for _, want := range []string{"PVK078 aks-created-before-dns (error)", "Fix: ", "Doc: https://"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, explanation lacks %q:\n%s", code, want, out)
		}
	}
	if code, _, _ := checkCLI(t, "rules", "PVK999"); code != 2 {
		t.Errorf("unknown rule: exit %d, want 2", code)
	}
}

func TestCheckCorpusTemplate(t *testing.T) {
	// A template whose Key Vault is public: exit 1 and the finding.
	tmpl := `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0",
	"resources":[{"type":"Microsoft.KeyVault/vaults","apiVersion":"2026-02-01","name":"kv-open","location":"canadacentral",
	"properties":{"tenantId":"[subscription().tenantId]","sku":{"family":"A","name":"standard"},"enablePurgeProtection":true}}]}`
	p := filepath.Join(t.TempDir(), "azuredeploy.json")
	if err := os.WriteFile(p, []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := checkCLI(t, "check", "--template", p)
	if code != 1 || !strings.Contains(out, "PVK120 key vault kv-open is reachable from the Internet") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The user intents, end to end: with the reference design's NAT
// egress, github.com:22 expected blocked fails verify (exit 1) while
// dev.azure.com:443 passes, and explain gives the same verdicts.
func TestUserIntentsEndToEnd(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "privaks.yaml")
	doc := "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: privaks\nagent:\n  url: https://dev.azure.com/contoso\n" +
		"workloads:\n  - name: orders\n    secrets: [orders-db-password]\n    exposure: public\n    host: orders.contoso.com\n" +
		"intents:\n  - {from: vm-agent, to: \"github.com:22\", expect: blocked}\n  - {from: vm-agent, to: \"dev.azure.com:443\"}\n"
	if err := os.WriteFile(spec, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "verify", "-f", spec)
	if code != 1 || !strings.Contains(out, "✗ vm-agent ↛ github.com:22") || !strings.Contains(out, "✓ vm-agent → dev.azure.com:443") ||
		!strings.Contains(out, "✓ Internet → workload orders (https://orders.contoso.com)") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "203.0.113.") {
		t.Errorf("verify invents an address:\n%s", out)
	}
	for _, c := range []struct{ to, want string }{{"github.com:22", "result: pass"}, {"dev.azure.com:443", "result: pass"}, {"orders.contoso.com", "result: pass"}} {
		from := "vm-agent"
		if c.to == "orders.contoso.com" {
			from = "Internet"
		}
		if _, out, _ := run(t, "explain", "-f", spec, "--from", from, "--to", c.to); !strings.Contains(out, c.want) || strings.Contains(out, "203.0.113.") {
			t.Errorf("explain %s → %s:\n%s", from, c.to, out)
		}
	}
}

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/spec"
)

// A workload removed from the spec loses its manifest at the next render,
// so kubectl apply -f out/k8s never deploys it again; files render does
// not own are left alone.
func TestRenderRemovesManifestsOfRemovedWorkloads(t *testing.T) {
	ref := string(spec.ReferenceYAML())
	two := ref[:strings.Index(ref, "workloads:")] + "workloads:\n  - name: orders\n    secrets: [orders-db-password]\n    exposure: public\n  - name: billing\n    exposure: private\n"
	specFile := writeTemp(t, "privaks.yaml", two)
	outputs := writeTemp(t, "outputs.json", `{
  "tenantId": {"type": "String", "value": "`+renderTenant+`"},
  "workloadClientIds": {"type": "Object", "value": {"orders": "`+renderOrdersID+`", "billing": "`+renderOrdersID+`"}}
}`)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, e := runCLI(t, context.Background(), "", "render", "-f", specFile, "--out", out, "--from-deployment", outputs); code != 0 {
		t.Fatalf("exit %d\n%s", code, e)
	}
	for _, n := range []string{"orders.yaml", "billing.yaml"} {
		if _, err := os.Stat(filepath.Join(out, "k8s", n)); err != nil {
			t.Fatalf("first render: %v", err)
		}
	}
	os.WriteFile(filepath.Join(out, "k8s", "README.txt"), []byte("mine"), 0o644)

	// billing leaves the spec.
	os.WriteFile(specFile, spec.ReferenceYAML(), 0o644)
	code, _, e := runCLI(t, context.Background(), "", "render", "-f", specFile, "--out", out, "--from-deployment", outputs)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, e)
	}
	if _, err := os.Stat(filepath.Join(out, "k8s", "billing.yaml")); err == nil {
		t.Errorf("the manifest of the removed workload billing is still there")
	}
	if !strings.Contains(e, "removed "+out+"/k8s/billing.yaml") {
		t.Errorf("render does not say it removed billing.yaml:\n%s", e)
	}
	if _, err := os.Stat(filepath.Join(out, "k8s", "orders.yaml")); err != nil {
		t.Errorf("orders.yaml: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "k8s", "README.txt")); err != nil {
		t.Errorf("a file render does not own was removed")
	}
}

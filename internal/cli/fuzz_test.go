package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/render"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/testenv"
)

// FuzzDeploymentOutputs feeds any bytes to the reader behind `privaks
// render --from-deployment -` and renders the reference design's manifests
// with what it read: an input is either refused as bad input (exit 2) or
// gives manifests that carry exactly the tenant and client IDs read;
// never a panic, and each input within 2 s and 256 MB.
func FuzzDeploymentOutputs(f *testing.F) {
	d, _, err := spec.Default()
	if err != nil {
		f.Fatal(err)
	}
	tmpl, err := compile.Compile(d)
	if err != nil {
		f.Fatal(err)
	}
	set, err := armeval.Evaluate(tmpl, armeval.WithParameters(compileParams(d.SSHPublicKey)))
	if err != nil {
		f.Fatal(err)
	}
	ws, err := render.Workloads(set)
	if err != nil || len(ws) == 0 {
		f.Fatalf("reference design workloads: %v %v", ws, err)
	}
	const tenant, client = "72f988bf-86f1-41af-91ab-2d7cd011db47", "6d1f0a3e-0c4b-4a52-9a56-2f3f8d5b7c11"
	ids := `{"` + ws[0].Name + `":"` + client + `"}`
	for _, s := range []string{
		`{"tenantId":{"type":"String","value":"` + tenant + `"},"workloadClientIds":{"type":"Object","value":` + ids + `}}`,
		`{"properties":{"outputs":{"tenantId":{"type":"String","value":"` + tenant + `"},"workloadClientIds":{"type":"Object","value":` + ids + `}}}}`,
		`{"outputs":{"TENANTID":{"value":"` + tenant + `","type":"String"},"workloadclientids":` + ids + `}}`,
		`{"tenantId":"` + tenant + `","workloadClientIds":{},"keyVaultName":{"type":"String","value":"kv-x"}}`,
		`{"tenantId":{"type":"String","value":7}}`, `[]`, `null`, `{"outputs":[]}`, "\xef\xbb\xbf{}",
		`{"tenantId":"` + tenant + `\n  injected: true","workloadClientIds":` + ids + `}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		testenv.Within(t, 2*time.Second, 256<<20, func() {
			v, err := readDeploymentValues(bytes.NewReader(data), "-")
			if err != nil {
				if code := exitCode(err); code != ExitBadInput {
					t.Fatalf("refused with exit %d, want %d: %v", code, ExitBadInput, err)
				}
				return
			}
			files, err := render.Kubernetes(set, v)
			if err != nil {
				return // render reports it as bad input: values that do not fit the design
			}
			for name, b := range files {
				if !strings.Contains(string(b), v.TenantID) {
					t.Errorf("%s does not carry the tenant ID %q read", name, v.TenantID)
				}
				if strings.Contains(string(b), "\ninjected:") {
					t.Errorf("%s: an output value wrote YAML of its own:\n%s", name, b)
				}
			}
		})
	})
}

func exitCode(err error) int {
	if ee, ok := err.(*ExitError); ok {
		return ee.Code
	}
	return -1
}

// TestDeploymentOutputsBounded: an outputs file over the bound is bad
// input, read no further than the bound.
func TestDeploymentOutputsBounded(t *testing.T) {
	big := strings.NewReader(`{"tenantId":"` + strings.Repeat("a", maxDeploymentOutputs) + `"}`)
	_, err := readDeploymentValues(big, "-")
	if exitCode(err) != ExitBadInput || !strings.Contains(err.Error(), "over 32 MB") {
		t.Fatalf("err = %v", err)
	}
	if rest := big.Len(); rest == 0 {
		t.Error("the reader read the whole input instead of stopping at the bound")
	}
}

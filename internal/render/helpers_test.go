package render_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/render"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/spec/spectest"
)

// testWorkloads replaces the reference design's workloads: one public with
// two secrets (one looks like a number), one private sharing a namespace
// with a third that has no secrets and no exposure.
const testWorkloads = `workloads:
  - name: orders
    secrets: [orders-db-password, "1234"]
    exposure: public
  - name: billing
    namespace: finance
    serviceAccount: billing-sa
    secrets: [billing-api-key]
    exposure: private
  - name: batch
    namespace: finance
`

// testSpec is the reference design with testWorkloads.
func testSpec(t *testing.T) []byte {
	t.Helper()
	ref := string(spec.ReferenceYAML())
	i := strings.Index(ref, "workloads:")
	if i < 0 {
		t.Fatal("reference design has no workloads section")
	}
	return []byte(ref[:i] + testWorkloads)
}

// setOf compiles and evaluates a spec, as the CLI does.
func setOf(t *testing.T, data []byte) *arm.Set {
	t.Helper()
	d := spectest.Parse(t, "test.yaml", data)
	tmpl, err := compile.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tmpl, armeval.WithSource("spec:test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

const testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// testValues gives every workload of the set a distinct client ID.
func testValues(t *testing.T, set *arm.Set) render.Values {
	t.Helper()
	ws, err := render.Workloads(set)
	if err != nil {
		t.Fatal(err)
	}
	v := render.Values{TenantID: testTenant, ClientIDs: map[string]string{}}
	for i, w := range ws {
		v.ClientIDs[w.Name] = fmt.Sprintf("%08d-aaaa-4bbb-8ccc-%012d", i+1, i+1)
	}
	return v
}

// customData returns a VM's decoded customData from the set.
func customData(t *testing.T, set *arm.Set, vm string) []byte {
	t.Helper()
	for _, r := range set.OfType("Microsoft.Compute/virtualMachines") {
		if r.Name == vm {
			b, err := base64.StdEncoding.DecodeString(r.Prop("osProfile.customData").(string))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no VM %q in the set", vm)
	return nil
}

// documents splits a multi-document YAML file.
func documents(b []byte) [][]byte {
	var out [][]byte
	for _, d := range bytes.Split(b, []byte("\n---\n")) {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

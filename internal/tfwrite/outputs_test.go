package tfwrite

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/privaks/privaks/internal/arm"
)

// TestOutputNames: an estate's outputs are named "FILE:NAME" (arm.Merge);
// Terraform refuses that as an output name ("Invalid output name", found
// by terraform validate on an exported estate), so the module names them
// by file and output, unique, and says which in the description.
func TestOutputNames(t *testing.T) {
	for in, want := range map[string]string{
		"hubVnetId": "hubVnetId",
		"testdata/arm/mspnp__aks-baseline__networking__hub-regionA.json:hubVnetId": "mspnp__aks-baseline__networking__hub-regionA__hubVnetId",
		"spoke.json:node pools": "spoke__node_pools",
		"1st.json:x":            "o_1st__x",
	} {
		if got, _ := outputName(in); got != want {
			t.Errorf("outputName(%q) = %q, want %q", in, got, want)
		}
	}
	m, err := Write(&arm.Set{Outputs: map[string]any{"a/x.json:id": "1", "b/x.json:id": "2", "hub.json:vnet": "3"}})
	if err != nil {
		t.Fatal(err)
	}
	src := m.Files["outputs.tf"]
	f, diags := hclsyntax.ParseConfig(src, "outputs.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	var names []string
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "output" {
			if !hclsyntax.ValidIdentifier(b.Labels[0]) {
				t.Errorf("output name %q is not an identifier", b.Labels[0])
			}
			names = append(names, b.Labels[0])
		}
	}
	if !slices.Equal(names, []string{"x__id", "x__id_2", "hub__vnet"}) {
		t.Errorf("names %v\n%s", names, src)
	}
	if !strings.Contains(string(src), `description = "output vnet of hub.json"`) {
		t.Errorf("no description naming the file:\n%s", src)
	}
}

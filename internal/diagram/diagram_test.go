package diagram_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/fixture"
)

func draw(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := diagram.Mermaid(&b, fixture.Model(t, fixture.Reference(t))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReferenceDiagram(t *testing.T) {
	out := draw(t)
	for _, want := range []string{
		"flowchart LR",
		`vnet-hub 10.0.0.0/22`, `vnet-aks 10.1.0.0/16`,
		`snet-dns 10.0.0.64/27`, `vm-dns 10.0.0.68 (DNS forwarder, BIND)`,
		`node pool aks-privaks/system (System, ≤5 nodes)`,
		`agw-aks public + private 10.1.4.254`, `bas-hub (Bastion)`,
		`zone privatelink.vaultcore.azure.net`, `key vault kv-privaks-0e1a84`, `AKS API server aks-privaks`,
		`<==>|peered|`, `-->|DNS|`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
	if out != draw(t) {
		t.Errorf("two drawings of the same design differ")
	}
}

// TestDiagramIsWellFormed checks the Mermaid structure: subgraphs are
// closed, and every edge joins nodes the diagram defines.
func TestDiagramIsWellFormed(t *testing.T) {
	out := draw(t)
	if open, closed := strings.Count(out, "subgraph "), strings.Count(out, "\n    end\n")+strings.Count(out, "\n  end\n"); open != closed {
		t.Errorf("%d subgraphs, %d ends", open, closed)
	}
	defined := map[string]bool{}
	def := regexp.MustCompile(`^\s*(?:subgraph\s+)?([a-z]+[0-9]+)[\[\(\{>]`)
	edge := regexp.MustCompile(`^\s*([a-z]+[0-9]+)\s+(?:-\.-|-\.->\|[^|]*\||<==>\|[^|]*\||-->\|[^|]*\||-->)\s+([a-z]+[0-9]+)\s*$`)
	var edges [][2]string
	for _, l := range strings.Split(out, "\n") {
		if m := edge.FindStringSubmatch(l); m != nil {
			edges = append(edges, [2]string{m[1], m[2]})
			continue
		}
		if m := def.FindStringSubmatch(l); m != nil {
			defined[m[1]] = true
		}
	}
	if len(edges) < 8 {
		t.Fatalf("only %d edges recognised:\n%s", len(edges), out)
	}
	for _, e := range edges {
		if !defined[e[0]] || !defined[e[1]] {
			t.Errorf("edge %s → %s joins an undefined node", e[0], e[1])
		}
	}
}

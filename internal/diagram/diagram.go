package diagram

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// Mermaid writes the reference drawing of t as a Mermaid flowchart.
func Mermaid(w io.Writer, t *twin.Twin) error { return Build(t, Options{}).Mermaid(w) }

// style is how one kind is drawn by every renderer: fill, stroke and
// Mermaid's shape brackets.
type style struct {
	fill, stroke string
	open, close  string // Mermaid shape
}

var styles = map[Kind]style{
	KindInternet:  {"#fdecea", "#c0392b", "([", "])"},
	KindOnPrem:    {"#f4ecf7", "#7d3c98", "[", "]"},
	KindAzure:     {"#ffffff", "#2e86c1", "[", "]"},
	KindVNet:      {"#eaf2fb", "#2e86c1", "[", "]"},
	KindSpokes:    {"#eaf2fb", "#2e86c1", "[", "]"},
	KindSubnet:    {"#f7fbff", "#5dade2", "[", "]"},
	KindVM:        {"#ffffff", "#34495e", "[", "]"},
	KindDNS:       {"#fef9e7", "#b7950b", "[", "]"},
	KindEndpoint:  {"#e8f8f5", "#138d75", "([", "])"},
	KindService:   {"#e8f8f5", "#0e6655", "[(", ")]"},
	KindVault:     {"#f0fbf8", "#0e6655", "[", "]"},
	KindSecret:    {"#fffaf0", "#a04000", "[/", "/]"},
	KindZone:      {"#fef5e7", "#ca6f1e", ">", "]"},
	KindZones:     {"#fffdf8", "#ca6f1e", "[", "]"},
	KindPublicIP:  {"#fdecea", "#c0392b", "((", "))"},
	KindNAT:       {"#f9ebea", "#922b21", "{{", "}}"},
	KindFirewall:  {"#f9ebea", "#922b21", "{{", "}}"},
	KindBastion:   {"#ebf5fb", "#1f618d", "{{", "}}"},
	KindGateway:   {"#ebf5fb", "#1f618d", "[", "]"},
	KindFrontend:  {"#ffffff", "#1f618d", "[", "]"},
	KindAPIServer: {"#e8f6f3", "#117864", "[[", "]]"},
	KindPool:      {"#eafaf1", "#1e8449", "[[", "]]"},
	KindWorkload:  {"#fdf2e9", "#af601a", "[", "]"},
	KindIdentity:  {"#f5eef8", "#6c3483", "[", "]"},
	KindEntra:     {"#fbf7fc", "#6c3483", "[", "]"},
	KindLegend:    {"#ffffff", "#7f8c8d", "[", "]"},
	KindNote:      {"#ffffff", "#aab7b8", "[", "]"},
}

// edgeStyles: colour, Graphviz style, Mermaid arrow.
var edgeStyles = map[EdgeKind]struct{ color, dot, mermaid string }{
	EdgePeering:  {"#2e86c1", "bold", "<==>"},
	EdgeDNS:      {"#b7950b", "dashed", "-.->"},
	EdgeLink:     {"#ca6f1e", "dotted", "-.-"},
	EdgePrivate:  {"#138d75", "solid", "-->"},
	EdgeRoute:    {"#922b21", "dashed", "-.->"},
	EdgeTraffic:  {"#c0392b", "solid", "-->"},
	EdgeIdentity: {"#6c3483", "solid", "-->"},
}

// Mermaid writes the model as a Mermaid flowchart. Boundaries, VNets,
// subnets, vaults and gateways are subgraphs; edges that mean a group
// start or end at the subgraph.
func (m *Model) Mermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	var walk func(g *Group, indent string)
	walk = func(g *Group, indent string) {
		for _, n := range g.Nodes {
			st := styles[n.Kind]
			fmt.Fprintf(&b, "%s%s%s\"%s\"%s:::%s\n", indent, n.ID, st.open, mermaidText(n.Label), st.close, n.Kind)
		}
		for _, c := range g.Groups {
			// One line: Mermaid leaves room for one title line only, and a
			// second ran into the subgraph's first node.
			fmt.Fprintf(&b, "%ssubgraph %s[\"%s\"]\n", indent, c.ID, mermaidEsc(strings.Join(c.Label, " · ")))
			walk(c, indent+"  ")
			fmt.Fprintf(&b, "%send\n", indent)
		}
	}
	walk(&m.Root, "  ")
	for _, e := range m.Edges {
		from, to := e.From, e.To
		if e.FromGroup != "" {
			from = e.FromGroup
		}
		if e.ToGroup != "" {
			to = e.ToGroup
		}
		arrow := edgeStyles[e.Kind].mermaid
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", from, arrow, mermaidEsc(e.Label), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
	}
	var kinds []string
	for k := range styles {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		st := styles[Kind(k)]
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,color:#1b2631\n", k, st.fill, st.stroke)
	}
	m.Walk(func(g *Group, depth int) {
		if depth > 0 {
			st := styles[g.Kind]
			fmt.Fprintf(&b, "  style %s fill:%s,stroke:%s,color:#1b2631\n", g.ID, st.fill, st.stroke)
		}
	}, nil)
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidText(lines []string) string {
	var out []string
	for _, l := range lines {
		out = append(out, mermaidEsc(l))
	}
	return strings.Join(out, "<br/>")
}

// mermaidEsc replaces the characters that end a Mermaid label with their
// entity codes.
func mermaidEsc(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;").Replace(s)
}

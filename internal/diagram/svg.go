package diagram

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"
)

// FontFamily is the font the layout measures labels with (Graphviz has
// DejaVu Sans metrics built in) and the SVG draws them in.
const FontFamily = "DejaVu Sans"

//go:embed font/DejaVuSans-subset.woff2
var fontWOFF2 []byte

// FontFace is a CSS @font-face rule carrying the font inline, for pages
// that embed the SVG.
func FontFace() string {
	return `@font-face{font-family:"` + FontFamily + `";src:url(data:font/woff2;base64,` +
		base64.StdEncoding.EncodeToString(fontWOFF2) + `) format("woff2");font-weight:normal;font-style:normal}`
}

// DOT writes the model as a Graphviz graph: clusters for groups, compound
// edges (lhead/ltail) for edges that mean a group. Node and cluster ids are
// the model's, with classes "pvk-node kind-…" and "pvk-group kind-…", so
// the SVG can be read back.
func (m *Model) DOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph privaks {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR compound=true newrank=true nodesep=0.25 ranksep=0.55 fontname=%q fontsize=12 fontcolor=\"#1b2631\" pad=0.2 id=\"pvk-diagram\" class=\"pvk-diagram\"]\n", FontFamily)
	fmt.Fprintf(&b, "  node [shape=box style=\"rounded,filled\" fontname=%q fontsize=11 fontcolor=\"#1b2631\" margin=\"0.14,0.07\" penwidth=1.2]\n", FontFamily)
	fmt.Fprintf(&b, "  edge [fontname=%q fontsize=9 arrowsize=0.7 penwidth=1.2]\n", FontFamily)
	var walk func(g *Group, indent string)
	walk = func(g *Group, indent string) {
		for _, n := range g.Nodes {
			st := styles[n.Kind]
			shape := dotShape(n.Kind)
			if k, ok := strings.CutPrefix(n.Key, "legend-edge:"); ok {
				shape += fmt.Sprintf(" fontcolor=%q", edgeStyles[EdgeKind(k)].color)
			}
			fmt.Fprintf(&b, "%s%s [id=%q class=\"pvk-node kind-%s\" label=%s fillcolor=%q color=%q%s]\n",
				indent, n.ID, n.ID, n.Kind, dotLabel(n.Label), st.fill, st.stroke, shape)
		}
		for _, c := range g.Groups {
			st := styles[c.Kind]
			fmt.Fprintf(&b, "%ssubgraph cluster_%s {\n", indent, c.ID)
			fmt.Fprintf(&b, "%s  graph [id=%q class=\"pvk-group kind-%s\" label=%s labeljust=l style=\"rounded,filled\" fillcolor=%q color=%q penwidth=%s margin=10]\n",
				indent, c.ID, c.Kind, dotLeft(c.Label), st.fill, st.stroke, groupPen(c.Kind))
			walk(c, indent+"  ")
			fmt.Fprintf(&b, "%s}\n", indent)
		}
	}
	walk(&m.Root, "  ")
	legendRows(&b, m)
	for i, e := range m.Edges {
		st := edgeStyles[e.Kind]
		attrs := fmt.Sprintf("id=\"e%d\" class=\"pvk-edge kind-%s\" color=%q fontcolor=%q style=%s", i+1, e.Kind, st.color, st.color, st.dot)
		if e.Label != "" {
			attrs += " label=" + dotString(e.Label)
		}
		if e.FromGroup != "" {
			attrs += " ltail=cluster_" + e.FromGroup
		}
		if e.ToGroup != "" {
			attrs += " lhead=cluster_" + e.ToGroup
		}
		switch {
		case e.Both:
			attrs += " dir=both"
		case e.Kind == EdgeLink:
			attrs += " dir=none"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s]\n", e.From, e.To, attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// legendRows chains the legend's entries with invisible edges, four to a
// row, and draws each edge kind as a short sample edge.
func legendRows(b *strings.Builder, m *Model) {
	var legend *Group
	for _, g := range m.Root.Groups {
		if g.Kind == KindLegend {
			legend = g
		}
	}
	if legend == nil {
		return
	}
	kinds := legend.Nodes
	for i := 0; i+1 < len(kinds); i++ {
		if (i+1)%4 != 0 {
			fmt.Fprintf(b, "  %s -> %s [style=invis]\n", kinds[i].ID, kinds[i+1].ID)
		}
	}
}

func groupPen(k Kind) string {
	switch k {
	case KindVNet, KindSpokes, KindInternet, KindOnPrem, KindEntra:
		return "1.8"
	}
	return "1.1"
}

func dotShape(k Kind) string {
	switch k {
	case KindService:
		return " shape=cylinder style=filled"
	case KindZone:
		return " shape=note style=filled"
	case KindSecret:
		return " shape=component style=filled"
	case KindPublicIP, KindInternet:
		return " style=\"rounded,filled,bold\""
	case KindNote:
		return " style=\"rounded,dashed\" fontcolor=\"#5d6d7e\""
	case KindLegend:
		return " shape=plain style=\"\" fillcolor=\"\""
	}
	return ""
}

// dotLabel joins lines into a Graphviz label; \l would left-justify,
// \n centres.
func dotLabel(lines []string) string { return dotString(strings.Join(lines, "\n")) }

// dotLeft left-justifies every line (\l ends a left-justified line).
func dotLeft(lines []string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(r.Replace(l) + `\l`)
	}
	return `"` + b.String() + `"`
}

func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

var (
	gvOnce   sync.Mutex
	prolog   = regexp.MustCompile(`(?s)^.*?(<svg\b)`)
	comments = regexp.MustCompile(`<!-- [^>]*-->\n?`)
)

// SVG lays the model out with Graphviz (dot) and writes the SVG. With
// font true the SVG carries its font inline (a standalone file); false
// leaves the @font-face to the page that embeds it.
func (m *Model) SVG(w io.Writer, font bool) error {
	var dot bytes.Buffer
	if err := m.DOT(&dot); err != nil {
		return err
	}
	out, err := layout(dot.Bytes())
	if err != nil {
		return err
	}
	out = prolog.ReplaceAll(out, []byte("$1"))
	// The comments Graphviz writes name its internal cluster and node
	// names; drop them (the ids stay).
	out = comments.ReplaceAll(out, nil)
	// Graphviz writes "-" as "&#45;"; the plain character reads the same
	// and keeps class names greppable.
	out = bytes.ReplaceAll(out, []byte("&#45;"), []byte("-"))
	if font {
		i := bytes.IndexByte(out, '>')
		if i < 0 {
			return fmt.Errorf("graphviz returned no SVG")
		}
		style := "\n<style>" + FontFace() + "</style>"
		out = append(out[:i+1], append([]byte(style), out[i+1:]...)...)
	}
	_, err = w.Write(out)
	return err
}

// layout runs dot on a graph. The WebAssembly module is not safe for
// concurrent use; calls are serialised.
func layout(dot []byte) ([]byte, error) {
	gvOnce.Lock()
	defer gvOnce.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("graphviz: parse: %w", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("graphviz: layout: %w", err)
	}
	return buf.Bytes(), nil
}

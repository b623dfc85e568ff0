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
	fmt.Fprintf(&b, "  graph [rankdir=LR compound=true newrank=true nodesep=0.2 ranksep=0.45 fontname=%q fontsize=12 fontcolor=\"#1b2631\" pad=0.2 id=\"pvk-diagram\" class=\"pvk-diagram\"]\n", FontFamily)
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
			if c.Kind == KindLegend {
				fmt.Fprintf(&b, "%s%s [id=%q class=\"pvk-node kind-legend\" shape=box style=\"rounded\" color=%q margin=\"0.1,0.05\" label=<%s>]\n",
					indent, c.ID, c.ID, st.stroke, legendTable(c))
				continue
			}
			fmt.Fprintf(&b, "%ssubgraph cluster_%s {\n", indent, c.ID)
			fmt.Fprintf(&b, "%s  graph [id=%q class=\"pvk-group kind-%s\" label=%s labeljust=l style=\"rounded,filled\" fillcolor=%q color=%q penwidth=%s margin=10]\n",
				indent, c.ID, c.Kind, dotLeft(c.Label), st.fill, st.stroke, groupPen(c.Kind))
			walk(c, indent+"  ")
			fmt.Fprintf(&b, "%s}\n", indent)
		}
	}
	walk(&m.Root, "  ")
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
		if to := m.node(e.To); to != nil && to.Kind == KindInternet && e.Kind == EdgeTraffic {
			// Egress returns to the Internet drawn on the left: let it
			// not pull ranks, or the picture doubles in width.
			attrs += " constraint=false"
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

// legendTable draws the legend as one Graphviz HTML-like table: a
// swatch of each node kind drawn, then a line of each edge kind's colour,
// four to a row.
func legendTable(g *Group) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	var cells []string
	for _, n := range g.Nodes {
		if k, ok := strings.CutPrefix(n.Key, "legend-edge:"); ok {
			st := edgeStyles[EdgeKind(k)]
			line := "——→"
			switch st.dot {
			case "dashed":
				line = "- - →"
			case "dotted":
				line = "· · · ·"
			case "bold":
				line = "━━ ↔"
			}
			cells = append(cells, fmt.Sprintf(`<TD ALIGN="LEFT"><FONT COLOR="%s">%s  %s</FONT></TD>`, st.color, line, esc.Replace(LegendEdges[EdgeKind(k)])))
			continue
		}
		st := styles[n.Kind]
		cells = append(cells, fmt.Sprintf(`<TD BGCOLOR="%s" COLOR="%s" BORDER="1" STYLE="rounded">%s</TD>`, st.fill, st.stroke, esc.Replace(strings.Join(n.Label, " "))))
	}
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="4"><TR><TD COLSPAN="4" ALIGN="LEFT"><B>Legend</B></TD></TR>`)
	for i := 0; i < len(cells); i += 4 {
		b.WriteString("<TR>")
		for j := i; j < i+4; j++ {
			if j < len(cells) {
				b.WriteString(cells[j])
			} else {
				b.WriteString("<TD></TD>")
			}
		}
		b.WriteString("</TR>")
	}
	b.WriteString("</TABLE>")
	return b.String()
}

// node returns the node with the given id, or nil.
func (m *Model) node(id string) *Node {
	var out *Node
	m.Walk(nil, func(n *Node, _ *Group) {
		if n.ID == id {
			out = n
		}
	})
	return out
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
	gvOnce sync.Mutex
	// Compiled on first use: every privaks command links this package.
	prolog   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)^.*?(<svg\b)`) })
	comments = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<!-- [^>]*-->\n?`) })
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
	out = prolog().ReplaceAll(out, []byte("$1"))
	// The comments Graphviz writes name its internal cluster and node
	// names; drop them (the ids stay).
	out = comments().ReplaceAll(out, nil)
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

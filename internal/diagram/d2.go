package diagram

import (
	"fmt"
	"io"
	"strings"
)

// D2 writes the model in the D2 language (https://d2lang.com), for users
// who lay it out with the d2 tool (its dagre or ELK engines) or edit it.
// Groups are containers; edges that mean a group end at the container.
func (m *Model) D2(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# privaks diagram: render with `d2 --layout elk file.d2 out.svg`\ndirection: right\n")
	path := map[string]string{}
	var walk func(g *Group, prefix, indent string)
	walk = func(g *Group, prefix, indent string) {
		for _, n := range g.Nodes {
			st := styles[n.Kind]
			path[n.ID] = prefix + n.ID
			fmt.Fprintf(&b, "%s%s: %s {%sstyle.fill: %q; style.stroke: %q}\n", indent, n.ID, d2String(n.Label), d2Shape(n.Kind), st.fill, st.stroke)
		}
		for _, c := range g.Groups {
			st := styles[c.Kind]
			path[c.ID] = prefix + c.ID
			fmt.Fprintf(&b, "%s%s: %s {\n%s  style.fill: %q\n%s  style.stroke: %q\n", indent, c.ID, d2String(c.Label), indent, st.fill, indent, st.stroke)
			walk(c, prefix+c.ID+".", indent+"  ")
			fmt.Fprintf(&b, "%s}\n", indent)
		}
	}
	walk(&m.Root, "", "")
	for _, e := range m.Edges {
		from, to := path[e.From], path[e.To]
		if e.FromGroup != "" {
			from = path[e.FromGroup]
		}
		if e.ToGroup != "" {
			to = path[e.ToGroup]
		}
		arrow := "->"
		if e.Both {
			arrow = "<->"
		} else if e.Kind == EdgeLink {
			arrow = "--"
		}
		st := edgeStyles[e.Kind]
		dash := ""
		if st.dot == "dashed" || st.dot == "dotted" {
			dash = "; style.stroke-dash: 4"
		}
		label := ""
		if e.Label != "" {
			label = ": " + d2String([]string{e.Label})
		}
		fmt.Fprintf(&b, "%s %s %s%s {style.stroke: %q%s}\n", from, arrow, to, label, st.color, dash)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func d2Shape(k Kind) string {
	switch k {
	case KindService:
		return "shape: cylinder; "
	case KindZone:
		return "shape: page; "
	case KindInternet:
		return "shape: cloud; "
	case KindNAT, KindFirewall, KindBastion:
		return "shape: hexagon; "
	case KindLegend:
		return "shape: text; "
	}
	return ""
}

func d2String(lines []string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	var out []string
	for _, l := range lines {
		out = append(out, r.Replace(l))
	}
	return `"` + strings.Join(out, `\n`) + `"`
}

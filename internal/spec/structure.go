package spec

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// readStructure parses data (after guard) and checks its shape against
// File before anything is decoded: one document; no tags, anchors or
// aliases; every key known (with "did you mean" for a near miss), none
// twice; mappings, sequences and numbers where the types want them. Every
// problem is reported, not only the first. fatal means decoding must not
// be attempted; otherwise the diagnostics (unknown keys) stand beside what
// validation finds.
func readStructure(data []byte) (clean []byte, diags []Diagnostic, fatal bool) {
	clean, diags = guard(data)
	if diags != nil {
		return nil, diags, true
	}
	file, err := parser.ParseBytes(clean, 0)
	if err != nil {
		return nil, []Diagnostic{decodeDiag(clean, err)}, true
	}
	var docs []*ast.DocumentNode
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) > 1 {
		p := pos(docs[1].Body)
		return nil, []Diagnostic{{Line: p.line, Column: 1, Message: fmt.Sprintf("%d YAML documents; a spec is one document (remove the second, from the --- before this line)", len(docs))}}, true
	}
	if len(docs) == 0 {
		return clean, nil, false // empty: every field takes its default, validation reports what is required
	}
	w := &shapeWalker{}
	w.walk(docs[0].Body, reflect.TypeOf(File{}), "$")
	sort.SliceStable(w.diags, func(i, j int) bool {
		if w.diags[i].Line != w.diags[j].Line {
			return w.diags[i].Line < w.diags[j].Line
		}
		return w.diags[i].Column < w.diags[j].Column
	})
	return clean, w.diags, w.fatal
}

type position struct{ line, col int }

func pos(n ast.Node) position {
	if n == nil {
		return position{}
	}
	if t := n.GetToken(); t != nil && t.Position != nil {
		return position{t.Position.Line, t.Position.Column}
	}
	return position{}
}

type shapeWalker struct {
	diags []Diagnostic
	fatal bool // a problem decoding would trip on (or panic on)
}

func (w *shapeWalker) add(n ast.Node, path string, fatal bool, format string, args ...any) {
	w.fatal = w.fatal || fatal
	if len(w.diags) > MaxDiagnostics {
		return // Parse reports the first ones and counts no further
	}
	p := pos(n)
	w.diags = append(w.diags, Diagnostic{Path: path, Line: p.line, Column: p.col, Message: fmt.Sprintf(format, args...)})
	w.fatal = w.fatal || fatal
}

// walk checks node n against Go type t at path.
func (w *shapeWalker) walk(n ast.Node, t reflect.Type, path string) {
	switch v := n.(type) {
	case nil:
		return
	case *ast.TagNode:
		tag := v.Start.Value
		if len(tag) > maxEcho {
			tag = tag[:maxEcho] + "…"
		}
		w.add(n, path, true, "YAML tags (%s) are not accepted in a spec: write the plain value", tag)
		return
	case *ast.AnchorNode:
		w.add(n, path, true, "YAML anchors (&) are not accepted in a spec: write the values out")
		return
	case *ast.AliasNode:
		w.add(n, path, true, "YAML aliases (*) are not accepted in a spec: write the values out")
		return
	case *ast.CommentNode, *ast.CommentGroupNode:
		return
	}
	if _, isNull := n.(*ast.NullNode); isNull {
		return // an empty value: the default
	}
	switch t.Kind() {
	case reflect.Struct:
		w.mapping(n, t, path)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			w.add(n, path, true, "want a list (- item, or [a, b]), not %s", kindOf(n))
			return
		}
		for i, item := range seq.Values {
			w.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Int:
		if _, ok := n.(*ast.IntegerNode); !ok {
			w.add(n, path, true, "want a whole number, not %s", kindOf(n))
		}
	case reflect.String:
		switch n.(type) {
		case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
			w.add(n, path, true, "want a single value, not %s", kindOf(n))
		}
	}
}

func (w *shapeWalker) mapping(n ast.Node, t reflect.Type, path string) {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		w.add(n, path, true, "want a mapping (key: value lines), not %s", kindOf(n))
		return
	}
	fields := yamlFields(t)
	seen := map[string]ast.Node{}
	for _, mv := range values {
		if mv.Key == nil {
			continue
		}
		if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
			w.add(mv.Key, path, true, "YAML merge keys (<<) are not accepted in a spec: write the values out")
			continue
		}
		key := mv.Key.String()
		if s, ok := mv.Key.(*ast.StringNode); ok {
			key = s.Value
		}
		kpath := path + "." + key
		if path == "$" {
			kpath = "$." + key
		}
		if _, dup := seen[key]; dup {
			w.add(mv.Key, kpath, true, "%s is written twice (line %d first)", short(key), pos(seen[key]).line)
			continue
		}
		seen[key] = mv.Key
		ft, ok := fields[key]
		if !ok {
			w.add(mv.Key, kpath, false, "unknown field %s%s", short(key), suggest(key, fields))
			continue
		}
		w.walk(mv.Value, ft, kpath)
	}
}

// yamlFields maps the yaml names of t's fields to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// suggest returns "; did you mean X?" for the known name closest to key,
// when it is close enough to be the intended one.
func suggest[T any](key string, known map[string]T) string {
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	if best := closest(key, names); best != "" {
		return "; did you mean " + best + "?"
	}
	sort.Strings(names)
	return " (known: " + strings.Join(names, ", ") + ")"
}

// closest returns the candidate nearest to s in edit distance (case
// ignored), or "" when none is within a third of s's length (at least 2).
func closest(s string, candidates []string) string {
	if len(s) > 64 {
		return "" // nothing that long is a near miss; and edit distance is quadratic
	}
	limit := max(2, len(s)/3)
	best, bestD := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func kindOf(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "text"
	case *ast.IntegerNode:
		return "a number"
	case *ast.FloatNode:
		return "a decimal number"
	case *ast.BoolNode:
		return "true/false"
	}
	return "this value"
}

// maxEcho is the longest user value a message repeats; longer ones are cut.
const maxEcho = 60

// short quotes s for a message, cut to maxEcho characters with its length
// said, so that a 70 KB value never floods a terminal.
func short(s string) string {
	if r := []rune(s); len(r) > maxEcho {
		return fmt.Sprintf("%q… (%d characters)", string(r[:maxEcho-20]), len(r))
	}
	return fmt.Sprintf("%q", s)
}

package spec

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

//go:embed reference.yaml
var referenceYAML []byte

// ReferenceYAML returns the embedded reference design, as `privaks init`
// writes it.
func ReferenceYAML() []byte { return append([]byte(nil), referenceYAML...) }

// ReferenceName is the file name messages use for the embedded design.
const ReferenceName = "embedded reference design"

// Error reports every problem of one spec file. Each line reads
// file:line:column: field: message.
type Error struct {
	File  string
	Diags []Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diags {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", d.Line, d.Column)
		}
		fmt.Fprintf(&b, ": %s: %s", fieldName(d.Path), d.Message)
	}
	return b.String()
}

// fieldName turns $.network.hub.addressSpace into network.hub.addressSpace.
// A path holding a long unknown key is cut (no user text over maxEcho).
func fieldName(path string) string {
	p := strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	if p == "" {
		return "(document)"
	}
	if r := []rune(p); len(r) > 2*maxEcho {
		p = string(r[:maxEcho]) + "…"
	}
	return p
}

// Load reads, defaults and validates the spec file at path.
func Load(path string) (*Design, *File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read spec %q: %w", path, err)
	}
	return Parse(path, data)
}

// Default returns the embedded reference design.
func Default() (*Design, *File, error) { return Parse(ReferenceName, referenceYAML) }

// Parse decodes data strictly (unknown keys, duplicate keys and wrong types
// are errors), applies the defaults and validates. On failure the error is
// an *Error locating every problem in name.
func Parse(name string, data []byte) (*Design, *File, error) {
	// Bounds, one document, no tags/anchors/aliases, every unknown key:
	// checked before decoding (structure.go, bounds.go).
	data, shape, fatal := readStructure(data)
	if fatal {
		return nil, nil, &Error{File: name, Diags: shape}
	}
	var f File
	opts := []yaml.DecodeOption{yaml.Strict()}
	if len(shape) > 0 {
		opts = nil // the unknown keys are reported already; decode the rest
	}
	if err := decodeSafely(func() error { return yaml.UnmarshalWithOptions(data, &f, opts...) }); err != nil {
		return nil, nil, &Error{File: name, Diags: append(shape, decodeDiag(data, err))}
	}
	ApplyDefaults(&f)
	diags := Validate(&f)
	// Locating costs a walk of the file per problem: locate only the ones
	// reported; the rest are counted.
	hidden := 0
	if room := max(MaxDiagnostics-len(shape), 0); len(diags) > room {
		hidden, diags = len(diags)-room, diags[:room]
	}
	locate(data, diags)
	if diags = append(shape, diags...); len(diags) > 0 {
		sort.SliceStable(diags, func(i, j int) bool {
			if diags[i].Line != diags[j].Line {
				return diags[i].Line < diags[j].Line
			}
			return diags[i].Column < diags[j].Column
		})
		if len(diags) > MaxDiagnostics {
			hidden, diags = hidden+len(diags)-MaxDiagnostics, diags[:MaxDiagnostics]
		}
		if hidden > 0 {
			diags = append(diags, Diagnostic{Path: "$", Message: fmt.Sprintf("… and %d more problems (fix these first)", hidden)})
		}
		return nil, nil, &Error{File: name, Diags: diags}
	}
	d := design(&f)
	d.Source = name
	if d.Placeholders = placeholders(&f); len(d.Placeholders) > 0 {
		locate(data, d.Placeholders)
	}
	return d, &f, nil
}

// decodeDiag turns a go-yaml decode error into a located Diagnostic.
func decodeDiag(data []byte, err error) Diagnostic {
	var ye yaml.Error
	if errors.As(err, &ye) {
		d := Diagnostic{Message: ye.GetMessage()}
		if tok := ye.GetToken(); tok != nil && tok.Position != nil {
			d.Line, d.Column = tok.Position.Line, tok.Position.Column
			d.Path = pathAt(data, d.Line, d.Column)
		}
		return d
	}
	return Diagnostic{Message: err.Error()}
}

// pathAt returns the YAML path of the node written at line:column, so that
// decode errors (which carry a token but no path) name their field.
func pathAt(data []byte, line, col int) string {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return ""
	}
	f := &pathFinder{line: line, col: col}
	for _, doc := range file.Docs {
		ast.Walk(f, doc)
	}
	return f.path
}

type pathFinder struct {
	line, col int
	path      string
}

func (f *pathFinder) Visit(n ast.Node) ast.Visitor {
	if f.path != "" {
		return nil
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		if t := mv.Key.GetToken(); t != nil && t.Position != nil && t.Position.Line == f.line && t.Position.Column == f.col {
			f.path = mv.Key.GetPath()
			return nil
		}
	}
	if t := n.GetToken(); t != nil && t.Position != nil && t.Position.Line == f.line && t.Position.Column == f.col {
		if _, isKey := n.(ast.MapKeyNode); !isKey || n.GetPath() != "" {
			f.path = n.GetPath()
			return nil
		}
	}
	return f
}

// locate fills Line and Column from the YAML source. A field the user did
// not write (a default) is located at its nearest written ancestor, and the
// message says the value is a default.
func locate(data []byte, diags []Diagnostic) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return
	}
	for i := range diags {
		d := &diags[i]
		if d.Line > 0 {
			continue // located already (structure.go)
		}
		if locateDerived(file, d) {
			continue
		}
		for path, first := d.Path, true; path != "$" && path != ""; path, first = parentPath(path), false {
			node := find(file, path)
			if node == nil {
				continue
			}
			tok := node.GetToken()
			if tok == nil || tok.Position == nil {
				continue
			}
			d.Line, d.Column = tok.Position.Line, tok.Position.Column
			if !first {
				d.Message += " (derived by default; set " + fieldName(d.Path) + " explicitly to change it)"
			}
			break
		}
	}
}

func find(file *ast.File, path string) ast.Node {
	p, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(file)
	if err != nil {
		return nil
	}
	return n
}

// parentPath drops the last step of a YAML path ($.a.b[2] → $.a.b → $.a).
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i > 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndex(p, "."); i > 0 {
		return p[:i]
	}
	return "$"
}

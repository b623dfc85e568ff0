package tfread

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/privaks/privaks/internal/arm"
)

// Limits: no configuration may make the reader run long or grow large.
const (
	maxModuleFiles = 2000
	maxModuleDepth = 32
	maxInstances   = 20000
	maxTotalBytes  = 64 << 20
)

// module is one module directory, parsed.
type module struct {
	dir       string // as read from disk
	vars      map[string]*varDecl
	locals    map[string]*hclsyntax.Attribute
	resources map[string]*resBlock // "type.name"
	data      map[string]*resBlock // "type.name"
	calls     map[string]*callBlock
	outputs   map[string]*hclsyntax.Attribute
	// order lists resource keys in file order, for deterministic output.
	order []string
	// relNames are attribute names read through splats and for
	// expressions (relative traversals) anywhere in the module.
	relNames map[string]bool
	// absPaths holds, per "type.name" (or "data.type.name",
	// "module.name"), the attribute paths expressions read from it.
	absPaths map[string][][]hcl.Traverser
	provider *hclsyntax.Block // provider "azurerm"
	jsonFile []arm.Pos        // .tf.json files (not read)
	override []arm.Pos        // override files (not merged)
}

type varDecl struct {
	name  string
	block *hclsyntax.Block
}

type resBlock struct {
	typ, name string
	block     *hclsyntax.Block
	data      bool
}

func (b *resBlock) key() string { return b.typ + "." + b.name }

type callBlock struct {
	name  string
	block *hclsyntax.Block
}

// loadModule parses every .tf file of dir.
func (r *reader) loadModule(dir string) (*module, error) {
	if m, ok := r.modules[dir]; ok {
		return m, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("read module directory %s: %v", dir, err)}
	}
	m := &module{dir: dir, vars: map[string]*varDecl{}, locals: map[string]*hclsyntax.Attribute{},
		resources: map[string]*resBlock{}, data: map[string]*resBlock{}, calls: map[string]*callBlock{},
		outputs: map[string]*hclsyntax.Attribute{}, relNames: map[string]bool{}, absPaths: map[string][][]hcl.Traverser{}}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			continue
		}
		switch {
		case strings.HasSuffix(n, ".tf.json"):
			m.jsonFile = append(m.jsonFile, arm.Pos{File: r.display(filepath.Join(dir, n))})
		case n == "override.tf" || strings.HasSuffix(n, "_override.tf"):
			m.override = append(m.override, arm.Pos{File: r.display(filepath.Join(dir, n))})
		case strings.HasSuffix(n, ".tf"):
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > maxModuleFiles {
		return nil, &Error{Msg: fmt.Sprintf("module %s has %d files, over the limit of %d", dir, len(names), maxModuleFiles)}
	}
	for _, n := range names {
		path := filepath.Join(dir, n)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, &Error{Msg: fmt.Sprintf("read %s: %v", path, err)}
		}
		r.bytes += len(src)
		r.src[r.display(path)] = src
		if r.bytes > maxTotalBytes {
			return nil, &Error{Pos: arm.Pos{File: r.display(path)}, Msg: fmt.Sprintf("configuration is over %d bytes", maxTotalBytes)}
		}
		f, diags := hclsyntax.ParseConfig(src, r.display(path), hcl.InitialPos)
		if diags.HasErrors() {
			return nil, diagError(diags)
		}
		body := f.Body.(*hclsyntax.Body)
		if len(body.Attributes) > 0 {
			for _, a := range sortedAttrs(body.Attributes) {
				return nil, &Error{Pos: pos(a.NameRange), Msg: fmt.Sprintf("unexpected argument %q at the top level of a Terraform file", a.Name)}
			}
		}
		for _, b := range body.Blocks {
			if err := m.addBlock(b); err != nil {
				return nil, err
			}
		}
		m.collectRefs(body)
	}
	r.modules[dir] = m
	return m, nil
}

func (m *module) addBlock(b *hclsyntax.Block) error {
	want := map[string]int{"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0, "terraform": 0,
		"moved": 0, "import": 0, "removed": 0, "check": 1}
	n, known := want[b.Type]
	if !known {
		return &Error{Pos: pos(b.TypeRange), Msg: fmt.Sprintf("unsupported block type %q", b.Type)}
	}
	if len(b.Labels) != n {
		return &Error{Pos: pos(b.TypeRange), Msg: fmt.Sprintf("a %s block needs %d label(s), got %d", b.Type, n, len(b.Labels))}
	}
	dup := func(kind, name string) error {
		return &Error{Pos: pos(b.TypeRange), Msg: fmt.Sprintf("duplicate %s %q", kind, name)}
	}
	switch b.Type {
	case "resource", "data":
		rb := &resBlock{typ: b.Labels[0], name: b.Labels[1], block: b, data: b.Type == "data"}
		target := m.resources
		if rb.data {
			target = m.data
		}
		if _, ok := target[rb.key()]; ok {
			return dup(b.Type, rb.key())
		}
		target[rb.key()] = rb
		if !rb.data {
			m.order = append(m.order, rb.key())
		}
	case "module":
		if _, ok := m.calls[b.Labels[0]]; ok {
			return dup("module", b.Labels[0])
		}
		m.calls[b.Labels[0]] = &callBlock{name: b.Labels[0], block: b}
	case "variable":
		if _, ok := m.vars[b.Labels[0]]; ok {
			return dup("variable", b.Labels[0])
		}
		m.vars[b.Labels[0]] = &varDecl{name: b.Labels[0], block: b}
	case "output":
		if _, ok := m.outputs[b.Labels[0]]; ok {
			return dup("output", b.Labels[0])
		}
		if a := b.Body.Attributes["value"]; a != nil {
			m.outputs[b.Labels[0]] = a
		}
	case "locals":
		for name, a := range b.Body.Attributes {
			if _, ok := m.locals[name]; ok {
				return &Error{Pos: pos(a.NameRange), Msg: fmt.Sprintf("duplicate local value %q", name)}
			}
			m.locals[name] = a
		}
	case "provider":
		if b.Labels[0] == "azurerm" && m.provider == nil {
			m.provider = b
		}
	}
	return nil
}

// collectRefs records which attributes expressions read from resources,
// data sources and module calls, so their values can carry named unknowns
// for everything known only after apply.
func (m *module) collectRefs(body *hclsyntax.Body) {
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			m.addAbs(e.Traversal)
		case *hclsyntax.RelativeTraversalExpr:
			for _, t := range e.Traversal {
				if a, ok := t.(hcl.TraverseAttr); ok {
					m.relNames[a.Name] = true
				}
			}
		}
		return nil
	})
}

func (m *module) addAbs(t hcl.Traversal) {
	if len(t) < 2 {
		return
	}
	// Names read through each.value, count, for-expression variables
	// and dynamic iterators: any value may be a resource or module.
	for _, s := range t[1:] {
		if a, ok := s.(hcl.TraverseAttr); ok {
			m.relNames[a.Name] = true
		}
	}
	root := t.RootName()
	var key string
	var rest hcl.Traversal
	switch root {
	case "var", "local", "count", "each", "self", "path", "terraform":
		return
	case "module":
		a, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return
		}
		key, rest = "module."+a.Name, t[2:]
	case "data":
		if len(t) < 3 {
			return
		}
		a, ok1 := t[1].(hcl.TraverseAttr)
		b, ok2 := t[2].(hcl.TraverseAttr)
		if !ok1 || !ok2 {
			return
		}
		key, rest = "data."+a.Name+"."+b.Name, t[3:]
	default:
		a, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return
		}
		key, rest = root+"."+a.Name, t[2:]
	}
	// An instance key may come first.
	if len(rest) > 0 {
		if _, ok := rest[0].(hcl.TraverseIndex); ok {
			rest = rest[1:]
		}
	}
	if len(rest) > 0 {
		m.absPaths[key] = append(m.absPaths[key], rest)
	}
	// Splat roots read relative names; so do for expressions.
}

// modulesJSON reads .terraform/modules/modules.json, written by terraform
// init: module keys ("aks", "aks.network") to directories.
func readModulesJSON(root string) map[string]string {
	b, err := os.ReadFile(filepath.Join(root, ".terraform", "modules", "modules.json"))
	if err != nil {
		return nil
	}
	var doc struct {
		Modules []struct {
			Key, Source, Dir string
		}
	}
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	out := map[string]string{}
	for _, m := range doc.Modules {
		if m.Key == "" {
			continue
		}
		d := m.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		out[m.Key] = d
	}
	return out
}

func sortedAttrs(m hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].SrcRange, out[j].SrcRange
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	return out
}

// Error is bad input: a syntax error, an unknown block, a variable without
// a value. Pos says where.
type Error struct {
	Pos arm.Pos
	Msg string
}

func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

func pos(r hcl.Range) arm.Pos {
	return arm.Pos{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
}

func diagError(diags hcl.Diagnostics) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		e := &Error{Msg: d.Summary}
		if d.Detail != "" {
			e.Msg += ": " + d.Detail
		}
		if d.Subject != nil {
			e.Pos = pos(*d.Subject)
		}
		return e
	}
	return nil
}

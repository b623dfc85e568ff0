package tfread

import (
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// toGo converts an evaluated value to the generic JSON the set holds;
// unknowns become arm.Unknowns named by their marks.
func (r *reader) toGo(v cty.Value) any {
	if v == cty.NilVal {
		return nil
	}
	uv, marks := v.Unmark()
	if !uv.IsKnown() {
		return unknownFrom(marks)
	}
	v = uv
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		if v.AsBigFloat().IsInt() {
			if n, acc := v.AsBigFloat().Int64(); acc == 0 {
				return float64(n)
			}
		}
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, r.toGo(e))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = r.toGo(e)
		}
		return out
	}
	return nil
}

// unknownFrom names an unknown by its marks: one resource attribute keeps
// its resource and ARM path; a value computed from several is named by
// all of them.
func unknownFrom(marks cty.ValueMarks) arm.Unknown {
	var us []unk
	for m := range marks {
		if u, ok := m.(unk); ok {
			us = append(us, u)
		}
	}
	sort.Slice(us, func(i, j int) bool { return us[i].Expr < us[j].Expr })
	switch len(us) {
	case 0:
		return arm.Unknown{Expr: "(known after apply)"}
	case 1:
		u := us[0]
		out := arm.Unknown{Expr: u.Expr}
		if u.Ref != "" {
			out.Ref, out.Path = arm.ResourceID(u.Ref), armPath(u.TF, u.Path)
		}
		return out
	}
	var parts []string
	for _, u := range us {
		parts = append(parts, u.Expr)
	}
	return arm.Unknown{Expr: strings.Join(parts, " + ")}
}

// armPath translates a Terraform attribute path of a resource to the ARM
// property path the twin reads from runtime state ("identity.principalId",
// "oidcIssuerProfile.issuerURL"); a path no mapping names is camel-cased
// segment by segment without list indexes.
func armPath(tf, path string) string {
	if tf == "azapi_resource" {
		// azapi's output is the resource's ARM body, keys as ARM writes them.
		var segs []string
		for _, s := range strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "output."), "properties."), ".") {
			if s != "" && (s[0] < '0' || s[0] > '9') {
				segs = append(segs, s)
			}
		}
		if p, ok := mappings()[tf].unknown[path]; ok {
			return p
		}
		return strings.Join(segs, ".")
	}
	if mp := mappings()[tf]; mp != nil {
		if p, ok := mp.unknown[path]; ok {
			return p
		}
	}
	var segs []string
	for _, s := range strings.Split(path, ".") {
		if s == "" || (s[0] >= '0' && s[0] <= '9') {
			continue
		}
		segs = append(segs, camel(s))
	}
	return strings.Join(segs, ".")
}

func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// attrs reads an evaluated block body for a mapping. Every read is
// recorded (when recording is on) so a test can check each attribute the
// mappings read against the provider schema.
type attrs struct {
	r    *reader
	tf   string // resource type
	path string // block path within it ("default_node_pool")
	m    map[string]any
}

// Read kinds, as the provider schema names them.
const (
	kString = "string"
	kBool   = "bool"
	kNumber = "number"
	kList   = "list"  // list or set of strings
	kMap    = "map"   // map of strings
	kBlock  = "block" // nested block
	kAny    = "dynamic"
)

// AttrRead is one attribute a mapping reads.
type AttrRead struct {
	Type, Path, Kind string
	Legacy           bool // an azurerm 3.x name kept for old configurations
}

var (
	recordMu sync.Mutex
	recorded map[AttrRead]bool
)

// RecordReads starts recording the attributes mappings read and returns
// a function that stops and returns them.
func RecordReads() func() []AttrRead {
	recordMu.Lock()
	recorded = map[AttrRead]bool{}
	recordMu.Unlock()
	return func() []AttrRead {
		recordMu.Lock()
		defer recordMu.Unlock()
		var out []AttrRead
		for k := range recorded {
			out = append(out, k)
		}
		recorded = nil
		sort.Slice(out, func(i, j int) bool {
			if out[i].Type != out[j].Type {
				return out[i].Type < out[j].Type
			}
			return out[i].Path < out[j].Path
		})
		return out
	}
}

func (a attrs) record(name, kind string, legacy bool) {
	recordMu.Lock()
	if recorded != nil {
		recorded[AttrRead{Type: a.tf, Path: joinPath(a.path, name), Kind: kind, Legacy: legacy}] = true
	}
	recordMu.Unlock()
}

// get returns the first of names that is set (the current name first,
// then legacy names) as generic JSON, or nil.
func (a attrs) get(kind string, names ...string) any {
	for i, n := range names {
		a.record(n, kind, i > 0)
	}
	for _, n := range names {
		if x, ok := a.m[n].(attrVal); ok {
			if v := a.r.toGo(x.v); v != nil {
				if u, ok := v.(arm.Unknown); ok && u.Ref == "" && u.Expr == "(known after apply)" {
					if t := a.r.text(x.expr.Range()); t != "" {
						u.Expr = t
					}
					return u
				}
				return v
			}
		}
	}
	return nil
}

// raw reads an attribute without recording the read.
func (a attrs) raw(name string) any {
	if x, ok := a.m[name].(attrVal); ok {
		return a.r.toGo(x.v)
	}
	return nil
}

// legacy reads an attribute only azurerm 3.x (or older) has.
func (a attrs) legacy(kind, name string) any {
	a.record(name, kind, true)
	if x, ok := a.m[name].(attrVal); ok {
		return a.r.toGo(x.v)
	}
	return nil
}

func (a attrs) str(names ...string) any  { return a.get(kString, names...) }
func (a attrs) bool(names ...string) any { return a.get(kBool, names...) }
func (a attrs) num(names ...string) any  { return a.get(kNumber, names...) }
func (a attrs) list(names ...string) any { return a.get(kList, names...) }
func (a attrs) dyn(names ...string) any  { return a.get(kAny, names...) }

// boolOr returns the boolean or def when unset.
func (a attrs) boolOr(def bool, names ...string) any {
	if v := a.bool(names...); v != nil {
		return v
	}
	return def
}

// strOr returns the string or def when unset.
func (a attrs) strOr(def string, names ...string) any {
	if v := a.str(names...); v != nil {
		return v
	}
	return def
}

// blocks returns the nested blocks of a name (the first name that has any).
func (a attrs) blocks(names ...string) []attrs {
	for i, n := range names {
		a.record(n, kBlock, i > 0)
	}
	for _, n := range names {
		l, _ := a.m[n].([]any)
		if av, ok := a.m[n].(attrVal); ok {
			l = objectsAsBlocks(av)
		}
		if len(l) == 0 {
			continue
		}
		out := make([]attrs, 0, len(l))
		for _, b := range l {
			out = append(out, attrs{r: a.r, tf: a.tf, path: joinPath(a.path, n), m: b.(map[string]any)})
		}
		return out
	}
	return nil
}

// block returns the first nested block of a name.
func (a attrs) block(names ...string) (attrs, bool) {
	if l := a.blocks(names...); len(l) > 0 {
		return l[0], true
	}
	return attrs{r: a.r, tf: a.tf, m: map[string]any{}}, false
}

// strs returns a list attribute's string elements (and unknowns).
func strs(v any) []any {
	l, _ := v.([]any)
	return l
}

// put sets m[k] = v unless v is nil.
func put(m map[string]any, k string, v any) {
	if v != nil {
		m[k] = v
	}
}

// ref returns {"id": v}, or nil.
func ref(v any) any {
	if v == nil {
		return nil
	}
	return map[string]any{"id": v}
}

func enabled(v any) any {
	switch b := v.(type) {
	case bool:
		if b {
			return "Enabled"
		}
		return "Disabled"
	case nil:
		return nil
	}
	return v
}

// objectsAsBlocks reads an attribute holding a list of objects (azurerm
// 5.x's subnet = [...]) as blocks.
func objectsAsBlocks(av attrVal) []any {
	v, _ := av.v.Unmark()
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return nil
	}
	var out []any
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		e, _ = e.Unmark()
		if !e.IsKnown() || e.IsNull() || !(e.Type().IsObjectType() || e.Type().IsMapType()) {
			continue
		}
		m := map[string]any{}
		for ei := e.ElementIterator(); ei.Next(); {
			k, x := ei.Element()
			m[k.AsString()] = attrVal{v: x, expr: av.expr}
		}
		out = append(out, m)
	}
	return out
}

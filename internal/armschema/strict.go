package armschema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// The strict-name walk is this package's own code: JSON Schema has no notion
// of "reject names the schema does not mention" short of
// additionalProperties:false (which the ARM schemas never set, and which
// would not compose across allOf anyway), and no Go JSON Schema library
// offers it. Rules, applied at every depth of the value:
//
//   - A schema position is flattened into the set of schema objects that
//     apply to the value: $ref is followed (across files), every allOf
//     branch applies, and of a oneOf/anyOf the branches that could apply:
//     those whose type admits the value, narrowed (when more than one) to the
//     branches the value validates against, or all type-compatible ones if
//     it validates against none.
//   - For an object value, a name is known if any applicable schema declares
//     it under "properties" (or matches a "patternProperties" key). Unknown
//     names are checked against "additionalProperties" when it is a schema
//     (maps such as tags or userAssignedIdentities), allowed when it is true,
//     and reported otherwise. An object whose schemas declare neither
//     properties nor additionalProperties ({"type": "object"}) is free-form.
//   - Array elements are walked against "items".
//   - Strings, including ARM expressions standing in for any value, and
//     other scalars end the walk: an expression can produce anything.

// sref is a position in a schema document.
type sref struct {
	doc  *schemaDoc
	ptr  string // JSON pointer into doc.root
	node any    // the value at ptr: a schema object, or true/false
}

func (r sref) key() string { return r.doc.rel + "#" + r.ptr }
func (r sref) url() string { return r.doc.url + "#" + r.ptr }

func (r sref) obj() map[string]any { m, _ := r.node.(map[string]any); return m }

// child descends into the schema object along the given tokens.
func (r sref) child(toks ...string) sref {
	c := sref{doc: r.doc, ptr: r.ptr, node: r.node}
	for _, t := range toks {
		c.ptr += "/" + escapePtr(t)
		switch n := c.node.(type) {
		case map[string]any:
			c.node = n[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(n) {
				c.node = nil
			} else {
				c.node = n[i]
			}
		default:
			c.node = nil
		}
	}
	return c
}

// walker collects strict-name problems for one resource.
type walker struct {
	v        *Validator
	problems []Problem
}

func (w *walker) add(path, format string, args ...any) {
	w.problems = append(w.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// resolve follows $ref (draft-04: siblings of $ref are ignored).
func (w *walker) resolve(r sref) (sref, bool) {
	for hops := 0; hops < 64; hops++ {
		ref, ok := r.obj()["$ref"].(string)
		if !ok {
			return r, r.node != nil
		}
		base, frag, _ := strings.Cut(ref, "#")
		doc := r.doc
		if base != "" {
			rel, ok := relOf(base)
			if !ok {
				return r, false
			}
			w.v.mu.Lock()
			d, err := w.v.docLocked(rel)
			w.v.mu.Unlock()
			if err != nil {
				return r, false
			}
			doc = d
		}
		r = sref{doc: doc, node: doc.root}
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			if tok != "" {
				r = r.child(strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~"))
			}
		}
	}
	return r, false
}

// flatten returns the schema objects that apply to val at the positions refs.
func (w *walker) flatten(refs []sref, val any) []sref {
	var out []sref
	seen := map[string]bool{}
	var visit func(r sref)
	visit = func(r sref) {
		r, ok := w.resolve(r)
		if !ok || seen[r.key()] || r.obj() == nil {
			return
		}
		seen[r.key()] = true
		out = append(out, r)
		n := r.obj()
		if all, ok := n["allOf"].([]any); ok {
			for i := range all {
				visit(r.child("allOf", strconv.Itoa(i)))
			}
		}
		for _, kw := range []string{"oneOf", "anyOf"} {
			bs, ok := n[kw].([]any)
			if !ok {
				continue
			}
			branches := make([]sref, len(bs))
			for i := range bs {
				branches[i] = r.child(kw, strconv.Itoa(i))
			}
			for _, b := range w.choose(branches, val) {
				visit(b)
			}
		}
	}
	for _, r := range refs {
		visit(r)
	}
	return out
}

// choose picks the oneOf/anyOf branches that could apply to val: of the
// branches whose type admits val, those val validates against or fails only
// in ways a fix to val could cure (missing or misspelled properties, wrong
// types), but not those it fails by enum or const, which is how the schemas
// tell polymorphic branches apart (an extension's publisher and type, a
// "kind"). If every branch is ruled out, all type-compatible ones apply.
func (w *walker) choose(branches []sref, val any) []sref {
	var compat []sref
	for _, b := range branches {
		if w.admits(b, val, 0) {
			compat = append(compat, b)
		}
	}
	if len(compat) <= 1 {
		return compat
	}
	var plausible []sref
	for _, b := range compat {
		sch, err := w.v.compile(b.url())
		if err != nil {
			plausible = append(plausible, b)
			continue
		}
		leaves, err := leafErrors(sch, val)
		if err != nil || !discriminated(leaves) {
			plausible = append(plausible, b)
		}
	}
	if len(plausible) == 0 {
		return compat
	}
	return plausible
}

// discriminated reports whether any failure is an enum or const mismatch.
func discriminated(leaves []*jsonschema.ValidationError) bool {
	for _, l := range leaves {
		switch l.ErrorKind.(type) {
		case *kind.Enum, *kind.Const:
			return true
		}
	}
	return false
}

// admits reports whether the schema at r could accept val's JSON type.
func (w *walker) admits(r sref, val any, depth int) bool {
	r, ok := w.resolve(r)
	if !ok || depth > 16 {
		return true
	}
	n := r.obj()
	if n == nil {
		b, isBool := r.node.(bool)
		return !isBool || b
	}
	if t, ok := n["type"]; ok {
		return typeAdmits(t, val)
	}
	if all, ok := n["allOf"].([]any); ok {
		for i := range all {
			if !w.admits(r.child("allOf", strconv.Itoa(i)), val, depth+1) {
				return false
			}
		}
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		if bs, ok := n[kw].([]any); ok {
			any1 := false
			for i := range bs {
				if w.admits(r.child(kw, strconv.Itoa(i)), val, depth+1) {
					any1 = true
					break
				}
			}
			if !any1 {
				return false
			}
		}
	}
	return true
}

// typeAdmits checks a schema "type" keyword (string or array) against val.
func typeAdmits(t any, val any) bool {
	var types []string
	switch t := t.(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				types = append(types, s)
			}
		}
	default:
		return true
	}
	vt := jsonType(val)
	for _, s := range types {
		if s == vt || s == "number" && vt == "integer" || s == "integer" && vt == "number" {
			return true
		}
	}
	return false
}

// walk checks the names in val against the schemas at refs. extra names
// (the resource base keys at the top level) are known without being declared.
func (w *walker) walk(val any, refs []sref, path string, extra map[string]bool) {
	switch val := val.(type) {
	case map[string]any:
		w.walkObject(val, w.flatten(refs, val), path, extra)
	case []any:
		var items []sref
		var tuples []sref
		for _, r := range w.flatten(refs, val) {
			switch r.obj()["items"].(type) {
			case map[string]any:
				items = append(items, r.child("items"))
			case []any:
				tuples = append(tuples, r)
			}
		}
		for i, elem := range val {
			rs := items
			for _, t := range tuples {
				rs = append(rs, t.child("items", strconv.Itoa(i)))
			}
			w.walk(elem, rs, path+"["+strconv.Itoa(i)+"]", nil)
		}
	}
}

func (w *walker) walkObject(obj map[string]any, flat []sref, path string, extra map[string]bool) {
	known := map[string][]sref{}
	var addl []sref
	var patterns []sref
	declared, open := extra != nil, false
	for _, r := range flat {
		n := r.obj()
		if props, ok := n["properties"].(map[string]any); ok {
			declared = true
			for k := range props {
				known[k] = append(known[k], r.child("properties", k))
			}
		}
		if pp, ok := n["patternProperties"].(map[string]any); ok && len(pp) > 0 {
			declared = true
			patterns = append(patterns, r)
		}
		switch ap := n["additionalProperties"].(type) {
		case map[string]any:
			declared = true
			addl = append(addl, r.child("additionalProperties"))
		case bool:
			declared = true
			open = open || ap
		}
	}
	if !declared {
		return // free-form object
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := path + member(k)
		if rs, ok := known[k]; ok {
			w.walk(obj[k], rs, p, nil)
			continue
		}
		if extra[k] {
			continue
		}
		if rs := matchPatterns(patterns, k); len(rs) > 0 {
			w.walk(obj[k], rs, p, nil)
			continue
		}
		if len(addl) > 0 {
			w.walk(obj[k], addl, p, nil)
			continue
		}
		if open {
			continue
		}
		names := make([]string, 0, len(known)+len(extra))
		for n := range known {
			names = append(names, n)
		}
		for n := range extra {
			if known[n] == nil {
				names = append(names, n)
			}
		}
		w.add(p, "unknown property %q: %s", k, hint(k, names))
	}
}

func matchPatterns(patterns []sref, name string) []sref {
	var out []sref
	for _, r := range patterns {
		for pat := range r.obj()["patternProperties"].(map[string]any) {
			if re, err := regexp.Compile(pat); err == nil && re.MatchString(name) {
				out = append(out, r.child("patternProperties", pat))
			}
		}
	}
	return out
}

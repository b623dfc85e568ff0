package armschema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Property iteration: inside a resource's properties, an object may hold
//
//	"copy": [{"name": "dataDisks", "count": 3, "input": {...}}]
//
// which ARM expands into "dataDisks": [input for copyIndex 0..2]. The schemas
// know nothing of it, so before validation each loop is replaced by the
// property it produces, with one representative element (the input, whose
// copyIndex() expressions satisfy any schema), and problem paths inside the
// produced property are mapped back to the loop.

// rewrite maps a path prefix in the expanded resource back to the template.
type rewrite struct{ from, to string }

// copyLoopKeys are the keys of a property copy loop entry.
var copyLoopKeys = map[string]bool{"name": true, "count": true, "input": true}

// expandCopies returns v with property copy loops expanded. epath and opath
// are v's path in the expanded and the original value.
func expandCopies(v any, epath, opath string, rw *[]rewrite, probs *[]Problem) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			idx := "[" + strconv.Itoa(i) + "]"
			out[i] = expandCopies(x, epath+idx, opath+idx, rw, probs)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != "copy" {
				out[k] = expandCopies(v[k], epath+member(k), opath+member(k), rw, probs)
			}
		}
		loops, isLoop := v["copy"].([]any)
		if !isLoop {
			if c, ok := v["copy"]; ok {
				out["copy"] = expandCopies(c, epath+".copy", opath+".copy", rw, probs)
			}
			return out
		}
		for i, l := range loops {
			lpath := opath + ".copy[" + strconv.Itoa(i) + "]"
			loop, ok := l.(map[string]any)
			if !ok {
				*probs = append(*probs, Problem{Path: lpath, Message: fmt.Sprintf("wrong type: got %s, want a property copy loop {name, count, input}", jsonType(l))})
				continue
			}
			for _, k := range sortedKeys(loop) {
				if !copyLoopKeys[k] {
					*probs = append(*probs, Problem{Path: lpath + member(k), Message: fmt.Sprintf("unknown property %q: a property copy loop has name, count, input", k)})
				}
			}
			name, _ := loop["name"].(string)
			input, hasInput := loop["input"]
			count, hasCount := loop["count"]
			switch {
			case name == "" || !hasInput || !hasCount:
				*probs = append(*probs, Problem{Path: lpath, Message: "a property copy loop needs a literal name, a count and an input"})
				continue
			case IsExpression(name):
				continue // cannot know which property it produces
			case !IsExpression(count) && jsonType(count) != "integer":
				*probs = append(*probs, Problem{Path: lpath + ".count", Message: fmt.Sprintf("wrong type: got %s, want integer", jsonType(count))})
			}
			if _, clash := out[name]; clash {
				*probs = append(*probs, Problem{Path: lpath + ".name", Message: fmt.Sprintf("copy loop produces %q, which is also set directly", name)})
				continue
			}
			elems := []any{}
			if fmt.Sprint(count) != "0" {
				ep := epath + member(name) + "[0]"
				*rw = append(*rw, rewrite{from: ep, to: lpath + ".input"})
				elems = append(elems, expandCopies(input, ep, lpath+".input", rw, probs))
			}
			*rw = append(*rw, rewrite{from: epath + member(name), to: lpath})
			out[name] = elems
		}
		return out
	}
	return v
}

// rewritePath maps an expanded path back through the longest matching rewrite.
func rewritePath(p string, rws []rewrite) string {
	best := -1
	for i, r := range rws {
		if strings.HasPrefix(p, r.from) && (len(p) == len(r.from) || p[len(r.from)] == '.' || p[len(r.from)] == '[') {
			if best < 0 || len(r.from) > len(rws[best].from) {
				best = i
			}
		}
	}
	if best < 0 {
		return p
	}
	return rws[best].to + p[len(rws[best].from):]
}

package armschema

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// IsExpression reports whether v is an ARM template expression: a string
// that starts with "[" (but not the "[[" escape) and ends with "]".
func IsExpression(v any) bool {
	s, ok := v.(string)
	return ok && len(s) >= 2 && s[0] == '[' && s[1] != '[' && s[len(s)-1] == ']'
}

// validateValues validates inst against the compiled schema and returns the
// reduced, readable problems. base is the path inst sits at ("$" for a
// resource).
func validateValues(sch *jsonschema.Schema, inst any, base string) []Problem {
	leaves, err := leafErrors(sch, inst)
	if err != nil {
		return []Problem{{Path: base, Message: err.Error()}}
	}
	var out []Problem
	seen := map[string]bool{}
	for _, leaf := range leaves {
		p := Problem{Path: pathOf(base, inst, leaf.InstanceLocation), Message: message1(leaf)}
		if k := p.Path + "\x00" + p.Message; !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// leafErrors validates inst and returns the reduced leaf errors (see
// reduce), or an error if validation could not run at all.
func leafErrors(sch *jsonschema.Schema, inst any) ([]*jsonschema.ValidationError, error) {
	err := sch.Validate(inst)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	return reduce(ve, inst), nil
}

// reduce turns the library's error tree into the leaf errors that still
// stand once ARM expressions are taken to satisfy any schema, choosing for
// each failed oneOf/anyOf the branch the value was evidently written for.
// An empty result means the tree does not stand at all.
func reduce(e *jsonschema.ValidationError, inst any) []*jsonschema.ValidationError {
	if IsExpression(valueAt(inst, e.InstanceLocation)) {
		return nil
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		var out []*jsonschema.ValidationError
		for _, c := range e.Causes {
			out = append(out, reduce(c, inst)...)
		}
		return out
	case *kind.OneOf:
		if k.Subschemas != nil { // more than one branch matched
			return []*jsonschema.ValidationError{e}
		}
		return reduceBranches(e, inst)
	case *kind.AnyOf:
		return reduceBranches(e, inst)
	default:
		return []*jsonschema.ValidationError{e}
	}
}

// reduceBranches handles a oneOf/anyOf none of whose branches matched: each
// cause is one branch's failure. If any branch's failure vanishes (it failed
// only at expressions) the whole keyword is satisfied. Otherwise the report
// is the non-expression branch(es) the value was evidently written for: the
// fewest enum/const mismatches (a mismatched discriminator such as an
// extension's publisher means another branch was meant), then the fewest
// failures, then the deepest.
func reduceBranches(e *jsonschema.ValidationError, inst any) []*jsonschema.ValidationError {
	type cand struct {
		leaves          []*jsonschema.ValidationError
		enums, n, depth int
	}
	var cands []cand
	var fallback []*jsonschema.ValidationError
	for _, c := range e.Causes {
		leaves := reduce(c, inst)
		if len(leaves) == 0 {
			return nil
		}
		if isExpressionBranch(c) {
			fallback = leaves
			continue
		}
		k := cand{leaves: leaves, n: len(leaves)}
		for _, l := range leaves {
			k.depth = max(k.depth, len(l.InstanceLocation))
			switch l.ErrorKind.(type) {
			case *kind.Enum, *kind.Const:
				k.enums++
			}
		}
		cands = append(cands, k)
	}
	if len(cands) == 0 {
		return fallback
	}
	better := func(a, b cand) bool {
		if a.enums != b.enums {
			return a.enums < b.enums
		}
		if a.n != b.n {
			return a.n < b.n
		}
		return a.depth > b.depth
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if better(c, best) {
			best = c
		}
	}
	var out []*jsonschema.ValidationError
	for _, c := range cands {
		if !better(best, c) {
			out = append(out, c.leaves...)
		}
	}
	return out
}

// isExpressionBranch reports whether a branch failure is the ARM expression
// alternative failing (the value was not an expression).
func isExpressionBranch(e *jsonschema.ValidationError) bool {
	for {
		if strings.HasPrefix(e.SchemaURL, expressionURL) {
			return true
		}
		if r, ok := e.ErrorKind.(*kind.Reference); ok && r.URL == expressionURL {
			return true
		}
		if len(e.Causes) != 1 {
			return false
		}
		e = e.Causes[0]
	}
}

// message1 renders one leaf error.
func message1(e *jsonschema.ValidationError) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return fmt.Sprintf("wrong type: got %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Required:
		return fmt.Sprintf("missing required property %s", quoteAll(k.Missing))
	case *kind.OneOf:
		return fmt.Sprintf("value matches more than one alternative (oneOf branches %v)", k.Subschemas)
	case *kind.Enum:
		msg := k.LocalizedString(printer)
		if got, ok := k.Got.(string); ok {
			for _, w := range k.Want {
				if ws, ok := w.(string); ok && strings.EqualFold(ws, got) {
					return fmt.Sprintf("%s; did you mean '%s'? (the schema's enums are case-sensitive)", msg, ws)
				}
			}
		}
		return msg
	}
	return e.ErrorKind.LocalizedString(printer)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// valueAt returns the value at the instance location, or nil.
func valueAt(v any, loc []string) any {
	for _, tok := range loc {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// pathOf renders an instance location as a JSONPath-like string below base:
// $.properties.subnets[0]['odd-name'].
func pathOf(base string, v any, loc []string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, tok := range loc {
		if a, ok := v.([]any); ok {
			b.WriteString("[" + tok + "]")
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(a) {
				v = a[i]
			} else {
				v = nil
			}
			continue
		}
		b.WriteString(member(tok))
		if m, ok := v.(map[string]any); ok {
			v = m[tok]
		} else {
			v = nil
		}
	}
	return b.String()
}

// member renders a property access: .name, or ['odd name'] when name is not
// an identifier.
func member(name string) string {
	ident := name != ""
	for i, r := range name {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			ident = false
			break
		}
	}
	if ident {
		return "." + name
	}
	return "['" + strings.ReplaceAll(name, "'", `\'`) + "']"
}

package armeval

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// ParamError is bad input: a parameter value that does not fit the
// template (an undeclared name, a value of the wrong type, a required
// parameter without a value).
type ParamError struct {
	Name string
	// Type is the declared type ("string", "int", "bool", "array",
	// "object", "securestring", "secureobject"), empty when the parameter
	// is not declared.
	Type string
	// Pos is where the value was given (empty for a missing value).
	Pos    arm.Pos
	Reason string
	// Missing lists every required parameter not given, sorted, Name first;
	// empty when the error is about a value given.
	Missing []string
}

func (e *ParamError) Error() string {
	s := fmt.Sprintf("parameter %q", e.Name)
	if e.Type != "" {
		s += " (" + e.Type + ")"
	}
	s += ": " + e.Reason
	if p := e.Pos.String(); p != "" {
		s = p + ": " + s
	}
	return s
}

// paramType returns a parameter's declared type in lower case, following
// "$ref" into the template's definitions, and whether it is nullable.
func paramType(t *arm.Template, p *arm.Parameter) (string, bool) {
	typ, nullable := strings.ToLower(p.Type), p.Nullable
	ref := p.Ref
	for range 16 { // definitions may refer to one another; bounded
		if typ != "" || ref == "" {
			break
		}
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		if !ok {
			return "", nullable
		}
		d, ok := lookupFold(t.Definitions, name)
		dm, _ := d.(map[string]any)
		if !ok || dm == nil {
			return "", nullable
		}
		if s, ok := lookupFold(dm, "type"); ok {
			typ, _ = s.(string)
			typ = strings.ToLower(typ)
		}
		if b, ok := lookupFold(dm, "nullable"); ok && b == true {
			nullable = true
		}
		r, _ := lookupFold(dm, "$ref")
		ref, _ = r.(string)
	}
	return typ, nullable
}

func (t *tmpl) nullable(p *arm.Parameter) bool {
	_, n := paramType(t.t, p)
	return n
}

// checkParams checks the given values against the template's parameter
// declarations and returns them converted, by lower-case name.
func checkParams(t *arm.Template, given map[string]Param, file string, required bool) (map[string]any, error) {
	decls := map[string]string{}
	for k := range t.Parameters {
		decls[strings.ToLower(k)] = k
	}
	names := make([]string, 0, len(given))
	for k := range given {
		names = append(names, k)
	}
	sort.Strings(names)
	out := map[string]any{}
	for _, name := range names {
		p := given[name]
		declName, ok := decls[strings.ToLower(name)]
		if !ok {
			return nil, &ParamError{Name: name, Pos: p.Pos, Reason: "the template declares no such parameter"}
		}
		decl := t.Parameters[declName]
		typ, nullable := paramType(t, &decl)
		v, err := convertParam(p, typ, nullable)
		if err != nil {
			return nil, &ParamError{Name: declName, Type: typ, Pos: p.Pos, Reason: err.Error()}
		}
		out[declName] = v
	}
	if !required {
		return out, nil
	}
	var missing []string
	for k, decl := range t.Parameters {
		if _, ok := out[k]; ok || decl.DefaultValue != nil {
			continue
		}
		typ, nullable := paramType(t, &decl)
		if nullable {
			continue
		}
		if typ == "securestring" || typ == "secureobject" {
			// A secret privaks never needs: analysis goes on with it
			// unknown (what depends on it is left out, with the reason)
			// rather than asking users to put a secret on a command line.
			// apply still requires it, as ARM does.
			continue
		}
		missing = append(missing, k)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		decl := t.Parameters[missing[0]]
		typ, _ := paramType(t, &decl)
		reason := "required (no default value) and not given"
		if len(missing) > 1 {
			reason += fmt.Sprintf("; %d more required parameters not given: %s", len(missing)-1, strings.Join(missing[1:], ", "))
		}
		return nil, &ParamError{Name: missing[0], Type: typ, Pos: arm.Pos{File: file, Line: decl.Line, Column: decl.Column}, Reason: reason, Missing: missing}
	}
	return out, nil
}

// convertParam checks v against the declared type; command-line text is
// converted to it first. Values are literals: an "[expression]" string is
// a string.
func convertParam(p Param, typ string, nullable bool) (any, error) {
	v := p.Value
	if _, ok := v.(arm.Unknown); ok {
		return v, nil // a Key Vault reference: checked by ARM at deployment
	}
	if p.Text {
		s, isText := v.(string)
		if !isText {
			s = toText(v)
		}
		switch typ {
		case "string", "securestring", "":
			return s, nil
		case "int":
			n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not an integer", s)
			}
			return float64(n), nil
		case "bool":
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
			return nil, fmt.Errorf("%q is not true or false", s)
		case "array", "object", "secureobject":
			var x any
			if err := json.Unmarshal([]byte(s), &x); err != nil {
				return nil, fmt.Errorf("%q is not JSON: %v", s, err)
			}
			v = x
		}
	}
	if v == nil && nullable {
		return nil, nil
	}
	ok := false
	switch typ {
	case "", "any":
		ok = true
	case "string", "securestring":
		_, ok = v.(string)
	case "int":
		_, ok = toInt(v)
	case "bool":
		_, ok = v.(bool)
	case "array":
		_, ok = v.([]any)
	case "object", "secureobject":
		_, ok = v.(map[string]any)
	default:
		ok = true
	}
	if !ok {
		return nil, fmt.Errorf("the value is %s, not %s", typeName(v), typ)
	}
	return v, nil
}

package armeval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// frame is the context one expression is evaluated in: the template, the
// copy loops it sits in and, inside user-defined functions and lambdas,
// their local names.
type frame struct {
	t      *tmpl
	loops  *loop
	locals map[string]any // user-defined function parameters (lower-case names)
	lambda map[string]any // lambda variables (lower-case names)
	// inDefault marks a parameter's defaultValue, the one place ARM
	// allows utcNow() and newGuid().
	inDefault bool
}

// loop is one active copy loop; resource marks resource-level loops, which
// copyIndex() without a name refers to.
type loop struct {
	name     string // lower case
	idx      int
	resource bool
	next     *loop
}

func (f *frame) withLoop(name string, idx int, resource bool) *frame {
	g := *f
	g.loops = &loop{name: strings.ToLower(name), idx: idx, resource: resource, next: f.loops}
	return &g
}

// evalValue evaluates every expression in a template JSON value, expanding
// property-level copy arrays.
func (f *frame) evalValue(v any) (any, error) {
	switch t := v.(type) {
	case string:
		return f.evalString(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			x, err := f.evalValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case map[string]any:
		return f.evalObject(t)
	}
	return v, nil
}

func (f *frame) evalObject(m map[string]any) (any, error) {
	out := make(map[string]any, len(m))
	for k, e := range m {
		if isPrivateKey(k) {
			continue
		}
		if strings.EqualFold(k, "copy") {
			if loops, ok := propertyLoops(e); ok {
				for _, l := range loops {
					arr, err := f.expandPropertyLoop(l)
					if err != nil {
						return nil, err
					}
					out[l.name] = arr
				}
				continue
			}
		}
		x, err := f.evalValue(e)
		if err != nil {
			return nil, err
		}
		// ARM evaluates expressions in property names too: the usual
		// form of identity.userAssignedIdentities is
		// {"[resourceId(...)]": {}}.
		if isExpression(k) {
			kv, err := f.evalValue(k)
			if err != nil {
				return nil, err
			}
			if ks, ok := kv.(string); ok {
				k = ks
			}
		}
		out[k] = x
	}
	return out, nil
}

// propLoop is one entry of a property- or variable-level copy array.
type propLoop struct {
	name   string
	count  any
	input  any
	output bool // an output's copy: copyIndex() takes no loop name
}

// propertyLoops recognises a "copy" value of the form [{name, count,
// input}, ...].
func propertyLoops(v any) ([]propLoop, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, false
	}
	var out []propLoop
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		name, _ := lookupFold(m, "name")
		count, hasCount := lookupFold(m, "count")
		input, hasInput := lookupFold(m, "input")
		s, isStr := name.(string)
		if !isStr || !hasCount || !hasInput {
			return nil, false
		}
		out = append(out, propLoop{name: s, count: count, input: input})
	}
	return out, true
}

func (f *frame) expandPropertyLoop(l propLoop) (any, error) {
	n, err := f.evalCount(l.count)
	if err != nil {
		return nil, fmt.Errorf("evaluate copy %q: %w", l.name, err)
	}
	if u, ok := n.(arm.Unknown); ok {
		return u, nil
	}
	if n.(int) > MaxCopyCount {
		return nil, f.t.ev.breach(limitf(fmt.Sprintf("copy count %d (ARM limit)", MaxCopyCount), "copy "+quote(l.name), "count %d", n.(int)))
	}
	out := make([]any, 0, n.(int))
	for i := 0; i < n.(int); i++ {
		x, err := f.withLoop(l.name, i, l.output).evalValue(l.input)
		if err != nil {
			return nil, fmt.Errorf("evaluate copy %q: %w", l.name, err)
		}
		out = append(out, x)
	}
	return out, nil
}

// evalCount evaluates a copy count to an int, or an Unknown.
func (f *frame) evalCount(c any) (any, error) {
	v, err := f.evalValue(c)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(arm.Unknown); ok {
		return u, nil
	}
	n, ok := toInt(v)
	if !ok || n < 0 {
		return nil, fmt.Errorf("copy count %v is not a non-negative integer", v)
	}
	return n, nil
}

// evalString evaluates a JSON string: an expression, or a literal.
// Errors name the innermost expression that failed.
func (f *frame) evalString(s string) (any, error) {
	if !isExpression(s) {
		return unescapeLiteral(s), nil
	}
	src := s[1 : len(s)-1]
	n, err := f.t.parse(src)
	if err == nil {
		var v any
		if v, err = f.eval(n, src); err == nil {
			return v, nil
		}
	}
	var ee *exprError
	var le *LimitError
	if errors.As(err, &ee) || errors.As(err, &le) {
		return nil, err
	}
	return nil, &exprError{expr: s, err: err}
}

// exprError is an error evaluating one template expression.
type exprError struct {
	expr string // with its brackets, as written
	err  error
}

func (e *exprError) Error() string { return e.err.Error() }
func (e *exprError) Unwrap() error { return e.err }

// missingError says the evaluator does not implement a function or form
// the template uses (what: "function pickZones").
type missingError struct {
	what string
	msg  string
}

func (e *missingError) Error() string { return e.msg }

// unknownOf returns the Unknown standing for the sub-expression n.
func unknownOf(n node, src string) arm.Unknown {
	s, e := n.span()
	return arm.Unknown{Expr: src[s:e]}
}

func (f *frame) eval(n node, src string) (any, error) {
	if err := f.t.ev.charge(1, src); err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case *strLit:
		return n.val, nil
	case *numLit:
		return n.val, nil
	case *call:
		return f.evalCall(n, src)
	case *prop, *index:
		if base, steps := refChain(n); base != nil {
			return f.evalReference(base, steps, n, src)
		}
		var x, key any
		var err error
		if p, ok := n.(*prop); ok {
			if x, err = f.eval(p.x, src); err != nil {
				return nil, err
			}
			key = p.name
		} else {
			ix := n.(*index)
			if x, err = f.eval(ix.x, src); err != nil {
				return nil, err
			}
			if key, err = f.eval(ix.idx, src); err != nil {
				return nil, err
			}
		}
		return access(x, key, n, src)
	}
	return nil, fmt.Errorf("evaluate %q: unknown expression node", src)
}

// access reads x.key or x[key].
func access(x, key any, n node, src string) (any, error) {
	if _, ok := x.(arm.Unknown); ok {
		return unknownOf(n, src), nil
	}
	if _, ok := key.(arm.Unknown); ok {
		return unknownOf(n, src), nil
	}
	s, e := n.span()
	switch t := x.(type) {
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil, fmt.Errorf("evaluate %s: object index must be a string, not %s", src[s:e], typeName(key))
		}
		v, ok := lookupFold(t, k)
		if !ok {
			return nil, fmt.Errorf("evaluate %s: property %q does not exist", src[s:e], k)
		}
		return v, nil
	case []any:
		i, ok := toInt(key)
		if !ok {
			return nil, fmt.Errorf("evaluate %s: array index must be an integer, not %s", src[s:e], typeName(key))
		}
		if i < 0 || i >= len(t) {
			return nil, fmt.Errorf("evaluate %s: index %d out of range [0,%d)", src[s:e], i, len(t))
		}
		return t[i], nil
	}
	return nil, fmt.Errorf("evaluate %s: cannot access %v of %s", src[s:e], key, typeName(x))
}

func (f *frame) evalCall(n *call, src string) (any, error) {
	lname := n.lname
	if strings.Contains(lname, ".") {
		return f.callUser(n, lname, src)
	}
	switch lname {
	case "if":
		return f.evalIf(n, src)
	case "and", "or":
		return f.evalAndOr(n, lname == "and", src)
	case "reference":
		return f.evalReference(n, nil, n, src)
	}
	if lambdaFunctions[lname] {
		return f.evalLambdaCall(n, lname, src)
	}
	fn, ok := functions[lname]
	if !ok {
		if strings.HasPrefix(lname, "list") {
			fn, ok = functions["list"], true
		}
	}
	if !ok {
		return nil, &missingError{what: "function " + n.name, msg: fmt.Sprintf("unknown function %q", n.name)}
	}
	if (lname == "utcnow" || lname == "newguid") && !f.inDefault {
		return nil, fmt.Errorf("%s() is only allowed in a parameter's defaultValue", n.name)
	}
	if fn.call == nil && !fn.unknown {
		return nil, &missingError{what: "function " + n.name, msg: fmt.Sprintf("function %q is not implemented", n.name)}
	}
	if len(n.args) < fn.min || (fn.max >= 0 && len(n.args) > fn.max) {
		return nil, fmt.Errorf("call %s: %s takes %s, got %d", src[n.start:n.end], n.name, arity(fn), len(n.args))
	}
	args := make([]any, len(n.args))
	for i, a := range n.args {
		v, err := f.eval(a, src)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if fn.unknown {
		return unknownOf(n, src), nil
	}
	if !fn.structural {
		for _, a := range args {
			if containsUnknown(a) {
				return unknownOf(n, src), nil
			}
		}
	}
	v, err := fn.call(f, args)
	if err != nil {
		var u unknownResult
		if errors.As(err, &u) {
			return unknownOf(n, src), nil
		}
		var le *LimitError
		if errors.As(err, &le) {
			return nil, f.t.ev.breach(le)
		}
		return nil, fmt.Errorf("call %s: %w", src[n.start:n.end], err)
	}
	if err := f.t.ev.chargeValue(v, src[n.start:n.end]); err != nil {
		return nil, err
	}
	return v, nil
}

// unknownResult is returned by a function whose result depends on an
// Unknown it found inside an argument.
type unknownResult struct{}

func (unknownResult) Error() string { return "unknown" }

func arity(fn function) string {
	switch {
	case fn.max < 0:
		return fmt.Sprintf("at least %d arguments", fn.min)
	case fn.min == fn.max:
		return fmt.Sprintf("%d arguments", fn.min)
	}
	return fmt.Sprintf("%d to %d arguments", fn.min, fn.max)
}

// evalIf evaluates only the branch the condition selects, as ARM does.
func (f *frame) evalIf(n *call, src string) (any, error) {
	if len(n.args) != 3 {
		return nil, fmt.Errorf("call %s: if takes 3 arguments, got %d", src[n.start:n.end], len(n.args))
	}
	c, err := f.eval(n.args[0], src)
	if err != nil {
		return nil, err
	}
	if containsUnknown(c) {
		return unknownOf(n, src), nil
	}
	b, ok := c.(bool)
	if !ok {
		return nil, fmt.Errorf("call %s: condition is %s, not bool", src[n.start:n.end], typeName(c))
	}
	if b {
		return f.eval(n.args[1], src)
	}
	return f.eval(n.args[2], src)
}

// evalAndOr evaluates and() and or() left to right and stops at the
// first argument that decides the result, as ARM does: Bicep's && and ||
// compile to and() and or(), and published AVM modules rely on it
// ("and(not(empty(x)), not(y))" with a nullable y left null, in
// testdata/arm/avm-ptn-app-service-lza-hosting-environment.json, deploys). After an Unknown, an argument that fails to evaluate makes the
// result unknown: at deployment time it might never be evaluated.
func (f *frame) evalAndOr(n *call, isAnd bool, src string) (any, error) {
	if len(n.args) < 2 {
		return nil, fmt.Errorf("call %s: %s takes at least 2 arguments, got %d", src[n.start:n.end], n.name, len(n.args))
	}
	unknown := false
	for i, a := range n.args {
		v, err := f.eval(a, src)
		if err != nil {
			var le *LimitError
			if unknown && !errors.As(err, &le) {
				return unknownOf(n, src), nil
			}
			return nil, err
		}
		if containsUnknown(v) {
			unknown = true
			continue
		}
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("call %s: argument %d is %s, not bool", src[n.start:n.end], i+1, typeName(v))
		}
		if b != isAnd {
			return b, nil
		}
	}
	if unknown {
		return unknownOf(n, src), nil
	}
	return isAnd, nil
}

// refChain returns the reference() call at the base of a chain of property
// and index accesses, and the accesses in order.
func refChain(n node) (*call, []node) {
	var steps []node
	for {
		switch t := n.(type) {
		case *prop:
			steps = append(steps, t)
			n = t.x
		case *index:
			steps = append(steps, t)
			n = t.x
		case *call:
			if !strings.EqualFold(t.name, "reference") || len(steps) == 0 {
				return nil, nil
			}
			for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
				steps[i], steps[j] = steps[j], steps[i]
			}
			return t, steps
		default:
			return nil, nil
		}
	}
}

package armeval

import (
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// lambdaFunctions take lambda('x', ..., body) arguments, which are not
// evaluated up front: the body is evaluated per element with
// lambdaVariables('x') bound.
var lambdaFunctions = map[string]bool{
	"map": true, "filter": true, "reduce": true, "sort": true, "toobject": true, "mapvalues": true, "groupby": true,
}

type lambdaArg struct {
	names []string
	body  node
}

func (f *frame) evalLambdaCall(n *call, lname, src string) (any, error) {
	fail := func(format string, args ...any) (any, error) {
		return nil, fmt.Errorf("call %s: %s", src[n.start:n.end], fmt.Sprintf(format, args...))
	}
	var vals []any
	var lams []lambdaArg
	for _, a := range n.args {
		if c, ok := a.(*call); ok && strings.EqualFold(c.name, "lambda") {
			if len(c.args) < 2 {
				return fail("lambda needs variable names and a body")
			}
			var l lambdaArg
			for _, p := range c.args[:len(c.args)-1] {
				s, ok := p.(*strLit)
				if !ok {
					return fail("lambda variable names must be string literals")
				}
				l.names = append(l.names, strings.ToLower(s.val))
			}
			l.body = c.args[len(c.args)-1]
			lams = append(lams, l)
			continue
		}
		v, err := f.eval(a, src)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	if len(lams) == 0 || len(vals) == 0 {
		return fail("%s needs a value and a lambda", n.name)
	}
	if _, ok := vals[0].(arm.Unknown); ok {
		return unknownOf(n, src), nil
	}
	for _, l := range lams {
		if len(l.names) > 2 {
			return fail("lambda takes at most 2 variables, got %d", len(l.names))
		}
	}
	apply := func(l lambdaArg, args ...any) (any, error) {
		if len(args) != len(l.names) {
			return nil, fmt.Errorf("call %s: lambda takes %d variables, got %d", src[n.start:n.end], len(l.names), len(args))
		}
		g := *f
		g.lambda = make(map[string]any, len(f.lambda)+len(args))
		for k, v := range f.lambda {
			g.lambda[k] = v
		}
		for i, name := range l.names {
			g.lambda[name] = args[i]
		}
		return g.eval(l.body, src)
	}
	if lname == "mapvalues" {
		m, ok := vals[0].(map[string]any)
		if !ok {
			return fail("mapValues needs an object, not %s", typeName(vals[0]))
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			x, err := apply(lams[0], v)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	}
	arr, ok := vals[0].([]any)
	if !ok {
		return fail("%s needs an array, not %s", n.name, typeName(vals[0]))
	}
	switch lname {
	case "map":
		out := make([]any, 0, len(arr))
		for i, e := range arr {
			args := []any{e, float64(i)}[:len(lams[0].names)]
			x, err := apply(lams[0], args...)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case "filter":
		out := []any{}
		for i, e := range arr {
			args := []any{e, float64(i)}[:len(lams[0].names)]
			x, err := apply(lams[0], args...)
			if err != nil {
				return nil, err
			}
			if _, ok := x.(arm.Unknown); ok {
				return unknownOf(n, src), nil
			}
			if b, _ := x.(bool); b {
				out = append(out, e)
			}
		}
		return out, nil
	case "reduce":
		if len(vals) < 2 {
			return fail("reduce needs an initial value")
		}
		acc := vals[1]
		for _, e := range arr {
			x, err := apply(lams[0], acc, e)
			if err != nil {
				return nil, err
			}
			acc = x
		}
		return acc, nil
	case "sort":
		out := append([]any{}, arr...)
		var sortErr error
		sort.SliceStable(out, func(i, j int) bool {
			x, err := apply(lams[0], out[i], out[j])
			if err != nil && sortErr == nil {
				sortErr = err
			}
			b, _ := x.(bool)
			return b
		})
		return out, sortErr
	case "groupby":
		out := map[string]any{}
		for _, e := range arr {
			k, err := apply(lams[0], e)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				if containsUnknown(k) {
					return unknownOf(n, src), nil
				}
				return fail("groupBy key is %s, not a string", typeName(k))
			}
			// Keys group case-insensitively, as object keys are.
			key := ks
			for existing := range out {
				if strings.EqualFold(existing, ks) {
					key = existing
				}
			}
			prev, _ := out[key].([]any)
			out[key] = append(prev, e)
		}
		return out, nil
	case "toobject":
		out := map[string]any{}
		for _, e := range arr {
			k, err := apply(lams[0], e)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return unknownOf(n, src), nil
			}
			v := e
			if len(lams) > 1 {
				if v, err = apply(lams[1], e); err != nil {
					return nil, err
				}
			}
			out[ks] = v
		}
		return out, nil
	}
	return fail("unsupported lambda function")
}

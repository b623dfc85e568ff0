package armeval

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

func init() {
	for name, fn := range map[string]function{
		"createarray":  {min: 0, max: -1, structural: true, call: func(_ *frame, a []any) (any, error) { return append([]any{}, a...), nil }},
		"createobject": {min: 0, max: -1, structural: true, call: fnCreateObject},
		"array":        {min: 1, max: 1, structural: true, call: fnArray},
		"coalesce":     {min: 1, max: -1, structural: true, call: fnCoalesce},
		"union":        {min: 1, max: -1, call: fnUnion},
		"intersection": {min: 1, max: -1, call: fnIntersection},
		"length":       {min: 1, max: 1, structural: true, call: fnLength},
		"empty":        {min: 1, max: 1, structural: true, call: fnEmpty},
		"contains":     {min: 2, max: 2, call: fnContains},
		"first":        {min: 1, max: 1, structural: true, call: edge(true)},
		"last":         {min: 1, max: 1, structural: true, call: edge(false)},
		"take":         {min: 2, max: 2, structural: true, call: slice(true)},
		"skip":         {min: 2, max: 2, structural: true, call: slice(false)},
		"indexof":      {min: 2, max: 2, call: position0(false)},
		"lastindexof":  {min: 2, max: 2, call: position0(true)},
		"range":        {min: 2, max: 2, call: fnRange},
		"items":        {min: 1, max: 1, structural: true, call: fnItems},
		"objectkeys":   {min: 1, max: 1, call: fnObjectKeys},
		"tryget":       {min: 2, max: -1, structural: true, call: fnTryGet},
	} {
		functions[name] = fn
	}
}

// Structural functions see Unknowns inside their arguments and must not
// look into them; anyUnknownTop reports an argument that is itself Unknown.
func anyUnknownTop(args []any) bool {
	for _, a := range args {
		if _, ok := a.(arm.Unknown); ok {
			return true
		}
	}
	return false
}

func fnCreateObject(_ *frame, args []any) (any, error) {
	if len(args)%2 != 0 {
		return nil, errors.New("needs key/value pairs")
	}
	out := make(map[string]any, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			if containsUnknown(args[i]) {
				return nil, unknownResult{}
			}
			return nil, fmt.Errorf("key %d is %s, not a string", i/2, typeName(args[i]))
		}
		out[k] = args[i+1]
	}
	return out, nil
}

func fnArray(_ *frame, args []any) (any, error) {
	if arr, ok := args[0].([]any); ok {
		return arr, nil
	}
	if u, ok := args[0].(arm.Unknown); ok && u.Ref != "" && scalarPath(u.Path) {
		// A resource's IP address or address prefix read through
		// reference() is a string, so array() of it is a one-element
		// array (Enterprise-Scale sets a spoke's DNS servers to
		// array(reference(firewall).ipConfigurations[0].properties.privateIPAddress)).
		return []any{u}, nil
	}
	if anyUnknownTop(args) {
		return nil, unknownResult{}
	}
	return []any{args[0]}, nil
}

// scalarPath reports whether a reference() path ends in a property the
// Network API types as a string: an IP address or an address prefix.
func scalarPath(path string) bool {
	i := strings.LastIndexByte(path, '.')
	last := strings.ToLower(path[i+1:])
	return strings.HasSuffix(last, "ipaddress") || last == "addressprefix"
}

// fnCoalesce returns the first non-null argument; an Unknown before it
// makes the result unknown.
func fnCoalesce(_ *frame, args []any) (any, error) {
	for _, a := range args {
		if anyUnknownTop([]any{a}) {
			return nil, unknownResult{}
		}
		if a != nil {
			return a, nil
		}
	}
	return nil, nil
}

// fnUnion merges objects (later keys win, nested objects merged) or
// concatenates arrays without duplicates.
func fnUnion(f *frame, args []any) (any, error) {
	if err := chargePairs(f, args); err != nil {
		return nil, err
	}
	switch args[0].(type) {
	case map[string]any:
		out := map[string]any{}
		for i, a := range args {
			m, ok := a.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("argument %d is %s, not object", i+1, typeName(a))
			}
			mergeInto(out, m)
		}
		return out, nil
	case []any:
		out := []any{}
		for i, a := range args {
			arr, ok := a.([]any)
			if !ok {
				return nil, fmt.Errorf("argument %d is %s, not array", i+1, typeName(a))
			}
			for _, e := range arr {
				if indexOfValue(out, e) < 0 {
					out = append(out, e)
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("arguments must be objects or arrays, not %s", typeName(args[0]))
}

func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		for dk := range dst {
			if strings.EqualFold(dk, k) && dk != k {
				delete(dst, dk)
				k = dk
			}
		}
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				merged := map[string]any{}
				mergeInto(merged, dm)
				mergeInto(merged, sm)
				dst[k] = merged
				continue
			}
		}
		dst[k] = v
	}
}

func indexOfValue(arr []any, v any) int {
	for i, e := range arr {
		if deepEqual(e, v) {
			return i
		}
	}
	return -1
}

// chargePairs charges the element comparisons of union() and
// intersection() over arrays (quadratic) before they are made.
func chargePairs(f *frame, args []any) error {
	n := 0
	for _, a := range args {
		if arr, ok := a.([]any); ok {
			n += len(arr)
		}
	}
	if n > MaxArrayLen {
		return arrayLimit(n)
	}
	return f.t.ev.charge(n*n/64, "union/intersection")
}

func fnIntersection(f *frame, args []any) (any, error) {
	if err := chargePairs(f, args); err != nil {
		return nil, err
	}
	switch first := args[0].(type) {
	case map[string]any:
		out := map[string]any{}
	keys:
		for k, v := range first {
			for _, a := range args[1:] {
				m, ok := a.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("arguments must all be objects, not %s", typeName(a))
				}
				w, ok := lookupFold(m, k)
				if !ok || !deepEqual(v, w) {
					continue keys
				}
			}
			out[k] = v
		}
		return out, nil
	case []any:
		out := []any{}
	elems:
		for _, e := range first {
			for _, a := range args[1:] {
				arr, ok := a.([]any)
				if !ok {
					return nil, fmt.Errorf("arguments must all be arrays, not %s", typeName(a))
				}
				if indexOfValue(arr, e) < 0 {
					continue elems
				}
			}
			if indexOfValue(out, e) < 0 {
				out = append(out, e)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("arguments must be objects or arrays, not %s", typeName(args[0]))
}

func fnLength(_ *frame, args []any) (any, error) {
	if anyUnknownTop(args) {
		return nil, unknownResult{}
	}
	switch v := args[0].(type) {
	case string:
		return float64(len([]rune(v))), nil
	case []any:
		return float64(len(v)), nil
	case map[string]any:
		return float64(len(v)), nil
	case nil:
		return 0.0, nil
	}
	return nil, fmt.Errorf("argument is %s, not string, array or object", typeName(args[0]))
}

func fnEmpty(_ *frame, args []any) (any, error) {
	if anyUnknownTop(args) {
		return nil, unknownResult{}
	}
	switch v := args[0].(type) {
	case nil:
		return true, nil
	case string:
		return v == "", nil
	case []any:
		return len(v) == 0, nil
	case map[string]any:
		return len(v) == 0, nil
	}
	return nil, fmt.Errorf("argument is %s, not string, array or object", typeName(args[0]))
}

// fnContains is case-sensitive for strings, case-insensitive for object
// keys.
func fnContains(_ *frame, args []any) (any, error) {
	switch c := args[0].(type) {
	case string:
		return strings.Contains(c, toText(args[1])), nil
	case []any:
		return indexOfValue(c, args[1]) >= 0, nil
	case map[string]any:
		k, ok := args[1].(string)
		if !ok {
			return nil, fmt.Errorf("object key is %s, not string", typeName(args[1]))
		}
		_, found := lookupFold(c, k)
		return found, nil
	case nil:
		return false, nil
	}
	return nil, fmt.Errorf("container is %s, not string, array or object", typeName(args[0]))
}

func edge(first bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		if anyUnknownTop(args) {
			return nil, unknownResult{}
		}
		switch v := args[0].(type) {
		case string:
			r := []rune(v)
			if len(r) == 0 {
				return "", nil
			}
			if first {
				return string(r[0]), nil
			}
			return string(r[len(r)-1]), nil
		case []any:
			if len(v) == 0 {
				return nil, nil
			}
			if first {
				return v[0], nil
			}
			return v[len(v)-1], nil
		}
		return nil, fmt.Errorf("argument is %s, not string or array", typeName(args[0]))
	}
}

// slice implements take (take=true) and skip.
func slice(take bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		if anyUnknownTop(args) {
			return nil, unknownResult{}
		}
		n, err := argInt(args, 1, "count")
		if err != nil {
			return nil, err
		}
		cut := func(l int) (int, int) {
			n := min(max(n, 0), l)
			if take {
				return 0, n
			}
			return n, l
		}
		switch v := args[0].(type) {
		case string:
			r := []rune(v)
			a, b := cut(len(r))
			return string(r[a:b]), nil
		case []any:
			a, b := cut(len(v))
			return append([]any{}, v[a:b]...), nil
		case nil:
			return nil, nil
		}
		return nil, fmt.Errorf("argument is %s, not string or array", typeName(args[0]))
	}
}

// position0 implements indexOf/lastIndexOf: case-insensitive for strings,
// deep equality for arrays; -1 when absent.
func position0(last bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		switch v := args[0].(type) {
		case string:
			sub, err := argString(args, 1, "search string")
			if err != nil {
				return nil, err
			}
			s, t := strings.ToLower(v), strings.ToLower(sub)
			i := strings.Index(s, t)
			if last {
				i = strings.LastIndex(s, t)
			}
			if i > 0 {
				i = len([]rune(s[:i]))
			}
			return float64(i), nil
		case []any:
			if !last {
				return float64(indexOfValue(v, args[1])), nil
			}
			for i := len(v) - 1; i >= 0; i-- {
				if deepEqual(v[i], args[1]) {
					return float64(i), nil
				}
			}
			return -1.0, nil
		}
		return nil, fmt.Errorf("argument is %s, not string or array", typeName(args[0]))
	}
}

func fnRange(_ *frame, args []any) (any, error) {
	start, err := argInt(args, 0, "start")
	if err != nil {
		return nil, err
	}
	n, err := argInt(args, 1, "count")
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 10000 {
		return nil, fmt.Errorf("count %d out of range [0,10000]", n)
	}
	out := make([]any, n)
	for i := range out {
		out[i] = float64(start + i)
	}
	return out, nil
}

// fnItems turns an object into [{key, value}] in key order.
func fnItems(_ *frame, args []any) (any, error) {
	if anyUnknownTop(args) {
		return nil, unknownResult{}
	}
	m, ok := args[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("argument is %s, not object", typeName(args[0]))
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"key": k, "value": m[k]}
	}
	return out, nil
}

func fnObjectKeys(_ *frame, args []any) (any, error) {
	m, ok := args[0].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("argument is %s, not object", typeName(args[0]))
	}
	out := []any{}
	for _, k := range sortedKeys(m) {
		out = append(out, k)
	}
	return out, nil
}

func fnTryGet(_ *frame, args []any) (any, error) {
	v := args[0]
	for _, k := range args[1:] {
		if containsUnknown(k) || anyUnknownTop([]any{v}) {
			return nil, unknownResult{}
		}
		switch t := v.(type) {
		case map[string]any:
			s, ok := k.(string)
			if !ok {
				return nil, nil
			}
			v, _ = lookupFold(t, s)
		case []any:
			i, ok := toInt(k)
			if !ok || i < 0 || i >= len(t) {
				return nil, nil
			}
			v = t[i]
		default:
			return nil, nil
		}
	}
	return v, nil
}

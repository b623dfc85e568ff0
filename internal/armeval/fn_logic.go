package armeval

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

func init() {
	for name, fn := range map[string]function{
		"add":             {min: 2, max: 2, call: arith(func(a, b int) (int, error) { return a + b, nil })},
		"sub":             {min: 2, max: 2, call: arith(func(a, b int) (int, error) { return a - b, nil })},
		"mul":             {min: 2, max: 2, call: arith(func(a, b int) (int, error) { return a * b, nil })},
		"div":             {min: 2, max: 2, call: arith(divide)},
		"mod":             {min: 2, max: 2, call: arith(modulo)},
		"min":             {min: 1, max: -1, call: extreme(func(a, b float64) bool { return a < b })},
		"max":             {min: 1, max: -1, call: extreme(func(a, b float64) bool { return a > b })},
		"equals":          {min: 2, max: 2, call: func(_ *frame, a []any) (any, error) { return deepEqual(a[0], a[1]), nil }},
		"not":             {min: 1, max: 1, call: fnNot},
		"and":             {min: 2, max: -1, call: logic(true)},
		"or":              {min: 2, max: -1, call: logic(false)},
		"greater":         {min: 2, max: 2, call: compare(func(c int) bool { return c > 0 })},
		"greaterorequals": {min: 2, max: 2, call: compare(func(c int) bool { return c >= 0 })},
		"less":            {min: 2, max: 2, call: compare(func(c int) bool { return c < 0 })},
		"lessorequals":    {min: 2, max: 2, call: compare(func(c int) bool { return c <= 0 })},
		"bool":            {min: 1, max: 1, call: fnBool},
		"int":             {min: 1, max: 1, call: fnInt},
		"float":           {min: 1, max: 1, call: fnFloat},
		"json":            {min: 1, max: 1, call: fnJSON},
		"true":            {min: 0, max: 0, call: func(*frame, []any) (any, error) { return true, nil }},
		"false":           {min: 0, max: 0, call: func(*frame, []any) (any, error) { return false, nil }},
		"null":            {min: 0, max: 0, call: func(*frame, []any) (any, error) { return nil, nil }},
	} {
		functions[name] = fn
	}
}

func arith(op func(a, b int) (int, error)) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		a, err := argInt(args, 0, "first operand")
		if err != nil {
			return nil, err
		}
		b, err := argInt(args, 1, "second operand")
		if err != nil {
			return nil, err
		}
		r, err := op(a, b)
		if err != nil {
			return nil, err
		}
		return float64(r), nil
	}
}

func divide(a, b int) (int, error) {
	if b == 0 {
		return 0, errors.New("division by zero")
	}
	return a / b, nil
}

func modulo(a, b int) (int, error) {
	if b == 0 {
		return 0, errors.New("division by zero")
	}
	return a % b, nil
}

// extreme implements min and max over integers or one array of integers.
func extreme(better func(a, b float64) bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		vals := args
		if len(args) == 1 {
			arr, ok := args[0].([]any)
			if !ok {
				return nil, fmt.Errorf("argument must be an array or integers, not %s", typeName(args[0]))
			}
			vals = arr
		}
		if len(vals) == 0 {
			return nil, errors.New("no values")
		}
		best := math.NaN()
		for _, v := range vals {
			f, ok := v.(float64)
			if !ok {
				return nil, fmt.Errorf("value %v is %s, not an integer", v, typeName(v))
			}
			if math.IsNaN(best) || better(f, best) {
				best = f
			}
		}
		return best, nil
	}
}

func fnNot(_ *frame, args []any) (any, error) {
	b, ok := args[0].(bool)
	if !ok {
		return nil, fmt.Errorf("argument is %s, not bool", typeName(args[0]))
	}
	return !b, nil
}

// logic implements and (all) / or (any) over bool arguments.
func logic(all bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		for i, a := range args {
			b, ok := a.(bool)
			if !ok {
				return nil, fmt.Errorf("argument %d is %s, not bool", i+1, typeName(a))
			}
			if b != all {
				return !all, nil
			}
		}
		return all, nil
	}
}

func compare(ok func(int) bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		switch a := args[0].(type) {
		case float64:
			b, isNum := args[1].(float64)
			if !isNum {
				return nil, fmt.Errorf("cannot compare int with %s", typeName(args[1]))
			}
			c := 0
			if a < b {
				c = -1
			} else if a > b {
				c = 1
			}
			return ok(c), nil
		case string:
			b, isStr := args[1].(string)
			if !isStr {
				return nil, fmt.Errorf("cannot compare string with %s", typeName(args[1]))
			}
			return ok(strings.Compare(a, b)), nil
		}
		return nil, fmt.Errorf("cannot compare %s values", typeName(args[0]))
	}
}

func fnBool(_ *frame, args []any) (any, error) {
	switch v := args[0].(type) {
	case bool:
		return v, nil
	case float64:
		return v != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("cannot convert %q to bool", v)
	}
	return nil, fmt.Errorf("cannot convert %s to bool", typeName(args[0]))
}

func fnInt(_ *frame, args []any) (any, error) {
	switch v := args[0].(type) {
	case float64:
		return math.Trunc(v), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("cannot convert %q to int", v)
		}
		return float64(n), nil
	}
	return nil, fmt.Errorf("cannot convert %s to int", typeName(args[0]))
}

func fnFloat(_ *frame, args []any) (any, error) {
	switch v := args[0].(type) {
	case float64:
		return v, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Errorf("cannot convert %q to float", v)
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot convert %s to float", typeName(args[0]))
}

func fnJSON(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "argument")
	if err != nil {
		return nil, err
	}
	return readJSONC("json() argument", []byte(s), MaxStringBytes)
}

package armeval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Evaluated values are plain JSON in Go form: nil, bool, float64 (every
// number), string, []any, map[string]any, plus arm.Unknown.

// normalize converts Go values supplied by callers (ints, json.Number,
// typed slices and maps) into evaluated-value form.
func normalize(v any) any {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int32:
		return float64(t)
	case int64:
		return float64(t)
	case uint:
		return float64(t)
	case float32:
		return float64(t)
	case json.Number:
		f, _ := t.Float64()
		return f
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	case *arm.Unknown:
		return *t
	}
	return v
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "int"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case arm.Unknown:
		return "unknown"
	}
	return fmt.Sprintf("%T", v)
}

// containsUnknown reports whether v is or holds an Unknown.
func containsUnknown(v any) bool {
	switch t := v.(type) {
	case arm.Unknown:
		return true
	case []any:
		for _, e := range t {
			if containsUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if containsUnknown(e) {
				return true
			}
		}
	}
	return false
}

// formatNumber writes a number as ARM does: integers without a fraction.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e18 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// toText converts a known value to the string ARM's string() and concat()
// produce: strings as is, numbers as integers, booleans as "True"/"False",
// null as "", arrays and objects as compact JSON. Callers must have ruled
// out Unknowns.
func toText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return formatNumber(t)
	case bool:
		if t {
			return "True"
		}
		return "False"
	default:
		return compactJSON(t)
	}
}

func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// deepEqual compares evaluated values: strings case-sensitively, numbers
// numerically, object keys case-insensitively.
func deepEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !deepEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := lookupFold(y, k)
			if !ok || !deepEqual(v, w) {
				return false
			}
		}
		return true
	case arm.Unknown:
		y, ok := b.(arm.Unknown)
		return ok && x.Same(y)
	}
	return false
}

// toInt returns v as an integer if it is an integral number.
func toInt(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return int(f), true
}

// sortedKeys returns m's keys in ordinal order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// copyValue returns a deep copy of an evaluated value, so that results
// shared through parameters and variables are never aliased between
// resources. Copying is work: it is charged to the budget.
func (ev *evaluator) copyValue(v any, place string) (any, error) {
	switch v.(type) {
	case []any, map[string]any:
	default:
		return v, nil
	}
	// Copy at most what the budget has left, then charge it.
	left := (ev.maxWork - ev.work) / copyWeight
	n := int64(0)
	out, ok := copyCounted(v, &n, left)
	if err := ev.charge(copyWeight*int(n), place); err != nil {
		return nil, err
	}
	if !ok {
		return nil, ev.charge(int(left)+1, place)
	}
	return out, nil
}

// copyWeight is the work one copied array or object element counts: a
// copy allocates, and the garbage collector scans it afterwards.
const copyWeight = 8

// copyCounted copies v counting nodes in n; it stops (false) once n
// exceeds left.
func copyCounted(v any, n *int64, left int64) (any, bool) {
	*n++
	if *n > left {
		return nil, false
	}
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			x, ok := copyCounted(e, n, left)
			if !ok {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			x, ok := copyCounted(e, n, left)
			if !ok {
				return nil, false
			}
			out[k] = x
		}
		return out, true
	}
	return v, true
}

// chargeValue charges a function's result to the budget: a string by its
// length (and refuses one over MaxStringBytes), an array or object by its
// number of elements.
func (ev *evaluator) chargeValue(v any, place string) error {
	switch t := v.(type) {
	case string:
		if len(t) > MaxStringBytes {
			return ev.breach(limitf(fmt.Sprintf("string of %d MB", MaxStringBytes>>20), abbrev(place), "a %d-byte string", len(t)))
		}
		return ev.charge(1+len(t)/16, place)
	case []any:
		return ev.charge(1+len(t), place)
	case map[string]any:
		return ev.charge(1+len(t), place)
	}
	return nil
}

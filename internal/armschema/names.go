package armschema

import (
	"fmt"
	"sort"
	"strings"
)

// hint suggests the declared name the author probably meant, or lists them.
func hint(name string, declared []string) string {
	sort.Strings(declared)
	best, bestD := "", 1<<30
	for _, d := range declared {
		if strings.EqualFold(d, name) {
			return fmt.Sprintf("did you mean %q? (names are case-sensitive)", d)
		}
		if dist := editDistance(strings.ToLower(name), strings.ToLower(d)); dist < bestD {
			best, bestD = d, dist
		}
	}
	if best != "" && bestD <= max(2, len(name)/4) {
		return fmt.Sprintf("did you mean %q?", best)
	}
	if len(declared) == 0 {
		return "the schema declares no properties here"
	}
	if len(declared) > 25 {
		return fmt.Sprintf("the schema declares %s, … (%d names)", strings.Join(declared[:25], ", "), len(declared))
	}
	return "the schema declares " + strings.Join(declared, ", ")
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// jsonType names val's JSON type as JSON Schema does.
func jsonType(val any) string {
	switch v := val.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case float32:
		return "number"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "integer"
	case interface{ Int64() (int64, error) }: // json.Number
		if _, err := v.Int64(); err == nil {
			return "integer"
		}
		return "number"
	}
	return "unknown"
}

package twin

import (
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Small readers of evaluated JSON values. They never guess: a value that is
// missing, of another type or an arm.Unknown yields the zero value and
// ok=false where that matters.

func str(v any) string {
	s, _ := v.(string)
	return s
}

func boolean(v any) (b, ok bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		switch strings.ToLower(t) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func get(v any, path string) any { return arm.Lookup(v, path) }

// idRef reads a sub-resource reference {"id": "..."}.
func idRef(v any) arm.ResourceID { return arm.ResourceID(str(get(v, "id"))) }

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func prefix(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

func addr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	return a, err == nil
}

// parentID returns the ID of a child resource's parent (drop the last
// type/name pair).
func parentID(id arm.ResourceID) arm.ResourceID {
	s := string(id)
	for range 2 {
		i := strings.LastIndex(s, "/")
		if i < 0 {
			return ""
		}
		s = s[:i]
	}
	return arm.ResourceID(s)
}

func lastName(id arm.ResourceID) string {
	s := string(id)
	return s[strings.LastIndex(s, "/")+1:]
}

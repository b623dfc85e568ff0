package spec

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

// regions.txt lists the regions a spec may name, with its source and date.
//
//go:embed regions.txt
var regionsTxt string

// Regions returns the region names privaks accepts, sorted.
func Regions() []string {
	var out []string
	for _, l := range strings.Split(regionsTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// regionSet is built on first use, not at start-up.
var regionSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Regions() {
		m[r] = true
	}
	return m
})

// regionHint is "did you mean X?" for a name that is not a region: the
// nearest region, also for display names ("West Europe" → westeurope).
func regionHint(s string) string {
	norm := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s))
	if regionSet()[norm] {
		return "; did you mean " + norm + "?"
	}
	if best := closest(norm, Regions()); best != "" {
		return "; did you mean " + best + "?"
	}
	return ""
}

package check

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestNamePatternsMatchCountedForms: every name pattern accepts exactly
// what the counted regular expression it replaced accepts (the form
// azure-rules.md §4 gives), on every boundary length and on 20,000
// strings per pattern drawn from letters, digits and the separators.
func TestNamePatternsMatchCountedForms(t *testing.T) {
	for _, tc := range []struct {
		name    string
		p       namePattern
		counted string
	}{
		{"acr", reACRName, `^[a-zA-Z0-9]{5,50}$`},
		{"vault", reVaultName, `^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`},
		{"cluster", reClusterName, `^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$`},
		{"dns prefix", reDNSPrefix, `^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$`},
		{"linux pool", reLinuxPool, `^[a-z][a-z0-9]{0,11}$`},
		{"windows pool", reWindowsPool, `^[a-z][a-z0-9]{0,5}$`},
		{"linux host", reLinuxHost, `^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,62}[a-zA-Z0-9])?$`},
		{"windows host", reWindowsHost, `^[a-zA-Z0-9]([a-zA-Z0-9-]{0,13}[a-zA-Z0-9])?$`},
	} {
		want := regexp.MustCompile(tc.counted)
		rng := rand.New(rand.NewPCG(1, uint64(len(tc.counted))))
		const alphabet = "aZ09"
		accepted := 0
		try := func(s string) {
			if got, w := tc.p.MatchString(s), want.MatchString(s); got != w {
				t.Errorf("%s: %q: got %v, %s says %v", tc.name, s, got, tc.counted, w)
			}
			if want.MatchString(s) {
				accepted++
			}
		}
		for n := 0; n <= 70; n++ {
			try(strings.Repeat("a", n))
			try(strings.Repeat("a", n) + "-")
			try("a" + strings.Repeat("-", n) + "a")
			try("é" + strings.Repeat("a", n))
		}
		for range 20000 {
			var b strings.Builder
			n := rng.IntN(70)
			for range n {
				// mostly letters and digits, so that long valid names occur
				if rng.IntN(6) == 0 {
					b.WriteByte("-_."[rng.IntN(3)])
				} else {
					b.WriteByte(alphabet[rng.IntN(4)])
				}
			}
			try(b.String())
		}
		if accepted < 100 {
			t.Errorf("%s: only %d accepted strings drawn: the test is not testing", tc.name, accepted)
		}
	}
}

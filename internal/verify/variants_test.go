package verify_test

import (
	"testing"

	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

// Every named variant of internal/fixture passes every intent it derives.
func TestFixtureVariantsPassEveryIntent(t *testing.T) {
	for _, name := range fixture.VariantNames() {
		t.Run(name, func(t *testing.T) {
			rs := run(t, fixture.Named(t, name))
			if len(rs) < 20 {
				t.Fatalf("only %d intents derived", len(rs))
			}
			for _, r := range rs {
				if r.Status != verify.Pass {
					t.Errorf("%s: %s: %s", r.Name, r.Status, r.Cause)
				}
			}
		})
	}
}

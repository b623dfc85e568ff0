package check_test

import (
	"testing"

	"github.com/privaks/privaks/internal/check"
)

// The reference design has no error or warning finding; the info findings
// are the optional hardening it deliberately leaves off.
func TestReferenceDesignClean(t *testing.T) {
	fs := check.Run(build(t, reference(t)))
	for _, f := range fs {
		if f.Severity != check.Info {
			t.Errorf("%s %s %s: %s", f.Rule, f.Severity, f.Resource, f.Message)
		} else {
			t.Logf("%s %s: %s", f.Rule, f.Resource, f.Message)
		}
	}
}

package verify

import (
	"github.com/privaks/privaks/internal/twin"
)

// UserIntent is an intent the user states: from a client to a name or
// resource[:port], which must be reachable, or (blocked) must not be.
func UserIntent(name, from, to string, blocked bool) Intent {
	if name == "" {
		name = from + " → " + to
		if blocked {
			name = from + " ↛ " + to
		}
	}
	return Intent{Name: name, From: from, To: to, Check: func(t *twin.Twin, r *Result) {
		got, err := Explain(t, from, to)
		if err != nil {
			r.fail("input", "%v", err)
			return
		}
		r.Trace = append(r.Trace, got.Trace...)
		switch {
		case got.Status == Unknown:
			// Neither proved nor disproved, whichever way the user expects.
			r.Status, r.Cause = Unknown, got.Cause
		case !blocked && got.Status != Pass:
			r.Status, r.Cause = Fail, got.Cause
		case blocked && got.Status == Pass:
			r.fail("exposure", "%s reaches %s, which the spec says must be blocked", from, to)
		case blocked:
			r.ok("exposure", "blocked as intended: %s", got.Cause)
		}
	}}
}

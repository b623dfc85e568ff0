package verify

import (
	"fmt"
	"slices"

	"github.com/privaks/privaks/internal/twin"
)

// Status of an intent. Unknown means the set does not hold what the
// intent needs (a cluster whose node subnet lives in another template): it
// is neither proved nor disproved, and does not fail a run.
const (
	Pass    = "pass"
	Fail    = "fail"
	Unknown = "unknown"
)

// Step is one line of a trace.
type Step struct {
	Kind string `json:"kind"` // dns, network, identity, exposure
	OK   bool   `json:"ok"`
	Text string `json:"text"`
}

// Result is the verdict on one intent.
type Result struct {
	Name   string `json:"name"`
	From   string `json:"from"`
	To     string `json:"to"`
	Status string `json:"status"`
	// Cause is the first broken step, for a failure.
	Cause string `json:"cause,omitempty"`
	// LeftOut names what was left out of the analysis that this result
	// may rest on (a failure it makes unknown).
	LeftOut []string `json:"leftOut,omitempty"`
	Trace   []Step   `json:"trace"`
}

// Intent is one thing the design must make true (or, for exposure intents,
// impossible).
type Intent struct {
	Name  string
	From  string
	To    string
	Check func(*twin.Twin, *Result)
}

// Run checks every intent against the model. A failure that may rest on a
// resource left out of the analysis is unknown, not failed (undecide).
func Run(t *twin.Twin, intents []Intent) []Result {
	cov := t.Coverage()
	// Intents only read the twin: what Resolve works out about a client's
	// DNS server holds for all of them.
	defer t.Memoize()()
	out := make([]Result, 0, len(intents))
	for _, in := range intents {
		// Room for a typical trace (a DNS resolution and a packet path):
		// growing it step by step was a tenth of verify's allocation.
		r := Result{Name: in.Name, From: in.From, To: in.To, Status: Pass, Trace: make([]Step, 0, 12)}
		in.Check(t, &r)
		if r.Status == Fail && r.Cause == "" {
			for _, s := range r.Trace {
				if !s.OK {
					r.Cause = s.Text
					break
				}
			}
		}
		undecide(&r, cov)
		out = append(out, r)
	}
	return out
}

// Unknowns counts results that could not be decided.
func Unknowns(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Status == Unknown {
			n++
		}
	}
	return n
}

// outside records that the intent depends on something outside the set.
func (r *Result) outside(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.Trace = append(r.Trace, Step{Kind: "scope", OK: false, Text: msg})
	if r.Status == Pass {
		r.Status, r.Cause = Unknown, msg
	}
}

// inSet reports whether client c is placed in the model; if not, the
// intent is recorded as unknown.
func inSet(c twin.Client, r *Result) bool {
	if c.Subnet != nil {
		return true
	}
	r.outside("%s's subnet is not in this resource set: cannot decide", c.Name)
	return false
}

// Failed counts failed results.
func Failed(rs []Result) int {
	n := 0
	for _, r := range rs {
		if r.Status == Fail {
			n++
		}
	}
	return n
}

func (r *Result) ok(kind, format string, args ...any) {
	r.Trace = append(r.Trace, Step{Kind: kind, OK: true, Text: fmt.Sprintf(format, args...)})
}

func (r *Result) fail(kind, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.Trace = append(r.Trace, Step{Kind: kind, OK: false, Text: msg})
	if r.Status != Fail {
		r.Status, r.Cause = Fail, msg
	}
}

// dnsTrace appends a resolution's steps.
func (r *Result) dnsTrace(t *twin.Twin, res twin.Resolution) {
	r.Trace = slices.Grow(r.Trace, len(res.Steps))
	for _, s := range res.Steps {
		r.Trace = append(r.Trace, Step{Kind: "dns", OK: true, Text: t.StepText(s)})
	}
}

func (r *Result) netTrace(res twin.ReachResult) {
	for _, h := range res.Hops {
		if h.Result == "deny" || h.Result == "drop" || h.Result == "no route" || h.Result == "closed" {
			continue // the failure itself is recorded by the caller
		}
		r.Trace = append(r.Trace, Step{Kind: "network", OK: true, Text: h.String()})
	}
}

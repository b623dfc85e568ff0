package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Report is the result of one run: the findings and, when known, what
// the analysis covered of its sources and the verdict.
type Report struct {
	Findings []Finding
	// Coverage is what the model held; nil leaves coverage out of the
	// output (plan and apply print findings only).
	Coverage *twin.Coverage
	// Verdict is "pass", "fail" or "incomplete" (empty: not printed);
	// Incomplete says why an analysis is incomplete, one reason a line.
	Verdict    string
	Incomplete []string
	// Accepted: the user accepted an incomplete analysis
	// (--accept-incomplete); it is still reported as incomplete.
	Accepted bool
	// Verified: the run also proved the design's intents (check
	// --verify), whose outcomes are Intents; SARIF then carries the
	// intents that do not hold as results of the rule "intent".
	Verified bool
	Intents  []IntentOutcome
}

// IntentOutcome is one intent's result as a check report carries it (check
// --verify). check does not read verify's results: the caller maps them.
type IntentOutcome struct {
	Name   string
	From   string
	To     string
	Status string // "pass", "fail" or "unknown"
	// Cause is the first broken step of a failure, or why the intent is
	// unknown; LeftOut what was left out that it may rest on.
	Cause   string
	LeftOut []string
}

// WriteJSON writes findings as {"formatVersion":"1","findings":[...]};
// the array is never null.
func WriteJSON(w io.Writer, fs []Finding) error { return Report{Findings: fs}.WriteJSON(w) }

// WriteJSON writes {"formatVersion":"1","verdict":…,"coverage":{…},
// "incomplete":[…],"findings":[...]}; findings is never null.
func (r Report) WriteJSON(w io.Writer) error {
	fs := r.Findings
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		FormatVersion string         `json:"formatVersion"`
		Verdict       string         `json:"verdict,omitempty"`
		Accepted      bool           `json:"acceptedIncomplete,omitempty"`
		Incomplete    []string       `json:"incomplete,omitempty"`
		Coverage      *twin.Coverage `json:"coverage,omitempty"`
		Findings      []Finding      `json:"findings"`
	}{"1", r.Verdict, r.Accepted, r.Incomplete, r.Coverage, fs})
}

// ANSI colours for WriteText.
const (
	red, yellow, cyan, dim, bold, reset = "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
)

// WriteText writes findings grouped by resource, with a summary line.
// color adds ANSI colours (for a terminal).
func WriteText(w io.Writer, fs []Finding, color bool) error {
	return Report{Findings: fs}.WriteText(w, color)
}

// WriteText writes the findings grouped by resource, the summary line,
// then the coverage when the report has it (the caller prints the
// verdict, in the same words for check and verify).
func (r Report) WriteText(w io.Writer, color bool) error {
	fs := r.Findings
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + reset
	}
	sevColor := map[Severity]string{Error: red, Warning: yellow, Info: cyan}
	var b strings.Builder
	last := ""
	suppressed := 0
	for _, f := range fs {
		if f.Resource != last {
			if last != "" {
				b.WriteByte('\n')
			}
			b.WriteString(paint(bold, shortResource(f.Resource)) + "\n")
			last = f.Resource
		}
		sev := fmt.Sprintf("%-7s", f.Severity)
		if f.Suppressed != "" {
			suppressed++
			fmt.Fprintf(&b, "  %s %s %s %s\n", paint(dim, "off    "), f.Rule, f.Message, paint(dim, "(disabled: "+f.Suppressed+")"))
			continue
		}
		if f.Status == Undecided {
			fmt.Fprintf(&b, "  %s %s %s %s\n", paint(dim, "undecided"), f.Rule, f.Message, paint(dim, "("+string(f.Severity)+" if it holds)"))
			for _, u := range f.UndecidedBecause {
				fmt.Fprintf(&b, "          %s\n", paint(dim, "left out: "+u))
			}
			continue
		}
		fmt.Fprintf(&b, "  %s %s %s\n", paint(sevColor[f.Severity], sev), f.Rule, f.Message)
		fmt.Fprintf(&b, "          %s\n", paint(dim, "fix: "+f.Fix))
	}
	if len(fs) > 0 {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s, %s, %s", plural(Count(fs, Error), "error", "errors"), plural(Count(fs, Warning), "warning", "warnings"), plural(Count(fs, Info), "info", "info"))
	if n := CountUndecided(fs); n > 0 {
		fmt.Fprintf(&b, ", %d undecided", n)
	}
	if suppressed > 0 {
		fmt.Fprintf(&b, " (%d suppressed)", suppressed)
	}
	b.WriteByte('\n')
	if r.Coverage != nil {
		b.WriteString(r.Coverage.Text())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortResource renders a resource ID as type/name for display.
func shortResource(id string) string {
	frag := ""
	if i := strings.IndexByte(id, '#'); i >= 0 {
		id, frag = id[:i], id[i:]
	}
	p, err := arm.ParseResourceID(id)
	if err != nil || p.Namespace == "" {
		return id + frag
	}
	return p.Type() + "/" + p.Name() + frag
}

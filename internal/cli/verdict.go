package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// Verdicts of verify, check and explain (text "result:" line, JSON
// "verdict", SARIF run property).
const (
	verdictPass       = "pass"
	verdictFail       = "fail"
	verdictIncomplete = "incomplete"
)

// verdictFlags are the flags every verdict command shares.
type verdictFlags struct {
	acceptIncomplete bool
}

func (f *verdictFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.acceptIncomplete, "accept-incomplete", false,
		"exit 0 when nothing failed although the analysis is incomplete (it is still reported as incomplete, with what is missing)")
}

// verdict is what a verify, check or explain run concluded: how many
// things failed and, when nothing failed, why the analysis is incomplete.
type verdict struct {
	failed     int
	failWhat   string // "2 of 9 intents fail"
	incomplete []string
}

func (v verdict) name() string {
	switch {
	case v.failed > 0:
		return verdictFail
	case len(v.incomplete) > 0:
		return verdictIncomplete
	}
	return verdictPass
}

// exit returns the command's error for the verdict: ExitFailed on a
// failure, ExitIncomplete on an incomplete analysis (nil when accepted).
func (v verdict) exit(accept bool) error {
	switch v.name() {
	case verdictFail:
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%s", v.failWhat)}
	case verdictIncomplete:
		if accept {
			return nil
		}
		return &ExitError{Code: ExitIncomplete, Err: fmt.Errorf("incomplete analysis: %s (--accept-incomplete to exit 0)", strings.Join(v.incomplete, "; "))}
	}
	return nil
}

// and is the verdict of two analyses of the same sources judged as one
// (check --verify): what fails in either fails, and each reason either is
// incomplete is given once.
func (v verdict) and(w verdict) verdict {
	out := verdict{failed: v.failed + w.failed}
	var what []string
	for _, x := range []verdict{v, w} {
		if x.failed > 0 {
			what = append(what, x.failWhat)
		}
		for _, why := range x.incomplete {
			if !slices.Contains(out.incomplete, why) {
				out.incomplete = append(out.incomplete, why)
			}
		}
	}
	out.failWhat = strings.Join(what, "; ")
	return out
}

// text renders the verdict line and, when the analysis is incomplete,
// each reason; an accepted incomplete analysis still says "incomplete".
func (v verdict) text(accepted bool) string {
	var b strings.Builder
	name := v.name()
	switch {
	case name == verdictIncomplete && accepted:
		b.WriteString("result: incomplete (accepted with --accept-incomplete)\n")
	default:
		fmt.Fprintf(&b, "result: %s\n", name)
	}
	if name == verdictFail && len(v.incomplete) > 0 {
		b.WriteString("  the analysis is also incomplete:\n")
	}
	for _, why := range v.incomplete {
		fmt.Fprintf(&b, "  incomplete: %s\n", why)
	}
	return b.String()
}

// coverageGaps lists why coverage makes an analysis incomplete.
func coverageGaps(cov twin.Coverage) []string {
	if cov.Complete() {
		return nil
	}
	return []string{fmt.Sprintf("%s left out of the analysis (listed under coverage)", count(len(cov.LeftOut), "resource", "resources"))}
}

// verifyVerdict judges verify's results: a failing intent fails; an
// unknown intent, a resource left out, or no intent at all from sources
// that declare resources make the analysis incomplete.
func verifyVerdict(rs []verify.Result, cov twin.Coverage) verdict {
	v := verdict{failed: verify.Failed(rs), incomplete: coverageGaps(cov)}
	v.failWhat = fmt.Sprintf("%d of %d intents fail", v.failed, len(rs))
	if n := verify.Unknowns(rs); n > 0 {
		v.incomplete = append(v.incomplete, fmt.Sprintf("%s unknown (what they need is outside or left out of the analysis)", count(n, "intent", "intents")))
	}
	switch {
	case len(rs) == 0 && cov.Declared > 0:
		v.incomplete = append(v.incomplete, fmt.Sprintf("no intent could be derived from %s: nothing was verified", count(cov.Declared, "declared resource", "declared resources")))
	case len(rs) == 0:
		v.incomplete = append(v.incomplete, "the sources declare no resource: nothing was verified")
	}
	return v
}

// checkVerdict judges check's findings: an active error finding fails; an
// undecided finding or a resource left out make it incomplete.
func checkVerdict(fs []check.Finding, cov twin.Coverage) verdict {
	v := verdict{failed: check.Count(fs, check.Error), incomplete: coverageGaps(cov)}
	v.failWhat = count(v.failed, "error finding", "error findings")
	if n := check.CountUndecided(fs); n > 0 {
		v.incomplete = append(v.incomplete, fmt.Sprintf("%s undecided (their input was left out)", count(n, "finding", "findings")))
	}
	if cov.Declared == 0 {
		v.incomplete = append(v.incomplete, "the sources declare no resource: nothing was checked")
	}
	return v
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// writeCoverage prints the coverage section of a text report.
func writeCoverage(w io.Writer, cov twin.Coverage) {
	io.WriteString(w, cov.Text())
}

// explainVerdict judges one traced path: a broken path fails (exit 1 as
// before), an unknown one or a resource left out make it incomplete.
func explainVerdict(r verify.Result, cov twin.Coverage) verdict {
	v := verdict{incomplete: coverageGaps(cov), failWhat: "the path is broken: " + r.Cause}
	switch r.Status {
	case verify.Fail:
		v.failed = 1
	case verify.Unknown:
		v.incomplete = append(v.incomplete, "the path cannot be decided: "+r.Cause)
	}
	return v
}

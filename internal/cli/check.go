package cli

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type checkFlags struct {
	src      sourceFlags
	verdict  verdictFlags
	output   string
	severity string
	onPrem   []string
	previous string
	verify   bool
	// terminal reports whether w is a terminal (colour in text output).
	terminal func(w io.Writer) bool
}

func newCheckCmd(s Streams) *cobra.Command {
	return newCheckCmdWith(s, func(w io.Writer) bool { return isTerminal(w) })
}

func newCheckCmdWith(s Streams, terminal func(io.Writer) bool) *cobra.Command {
	f := checkFlags{terminal: terminal}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Run the rule catalogue (naming, addressing, capacity, DNS, identity, exposure) offline",
		Long: `check runs privaks' rule catalogue (privaks rules lists it) on the design's ARM
resources: names Azure rejects, overlapping ranges, subnets too small, DNS that cannot
resolve private zones, missing roles, public endpoints. Rules disabled in the spec
(rules.disabled) are reported as suppressed with their reason.

Every result says what it covers: how many resources the sources declare, how many
were modelled, and each one left out (file:line:column, the expression, the reason).
A finding whose input was left out (a zone "without links" when a link could not be
evaluated) is undecided, never a confident finding.

` + exitCodeTable + `
An undecided finding counts as incomplete (3), never as an error.

--verify also proves every intent, as privaks verify does, from the same read of the
sources (one process for both, e.g. on every commit): the intents come first in text,
as "intents" in JSON, and those that fail or are unknown as results of the rule
"intent" in SARIF; the exit code judges findings and intents together.`,
		Example: `  privaks check
  privaks check -f privaks.yaml -o sarif > privaks.sarif
  privaks check --verify -f privaks.yaml                                # and prove the intents, as privaks verify does, in one process
  privaks check --template azuredeploy.json --parameters azuredeploy.parameters.json --severity warning
  privaks check -f privaks.yaml --previous deployed/azuredeploy.json   # also judge changes to what is deployed
  privaks check --template third-party.json --accept-incomplete         # exit 0 although resources were left out`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCheck(s, &f) },
	}
	f.src.register(cmd)
	f.verdict.register(cmd)
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text, json or sarif")
	cmd.Flags().StringVar(&f.severity, "severity", "info", "lowest severity reported: error, warning or info")
	stringsVar(cmd.Flags(), &f.onPrem, true, "on-prem", "on-premises CIDRs (added to the spec's network.onPremises)")
	cmd.Flags().StringVar(&f.previous, "previous", "", "template of what is deployed now, to judge changes (e.g. outboundType)")
	cmd.Flags().BoolVar(&f.verify, "verify", false, "also prove the design's intents, as privaks verify does, in the same run")
	return cmd
}

func runCheck(s Streams, f *checkFlags) error {
	if f.output != "text" && f.output != "json" && f.output != "sarif" {
		return badInput(fmt.Errorf("-o %q: want text, json or sarif", f.output))
	}
	min, ok := check.ParseSeverity(f.severity)
	if !ok {
		return badInput(fmt.Errorf("--severity %q: want error, warning or info", f.severity))
	}
	opts := []check.Option{check.WithMinSeverity(min)}
	for _, p := range f.onPrem {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return badInput(fmt.Errorf("parse --on-prem %q: %w", p, err))
		}
		opts = append(opts, check.WithOnPremises(pfx.Masked()))
	}
	artifact := f.src.template
	if f.src.estate != "" {
		artifact = f.src.estate
	}
	if f.src.liveSub != "" {
		artifact = "subscription:" + f.src.liveSub
	}
	if f.src.tf.given() {
		artifact = f.src.tf.dir
		if artifact == "" {
			artifact = f.src.tf.plan
		}
	} else if artifact == "" {
		d, _, err := loadDesign(f.src.file)
		if err != nil {
			return err
		}
		opts = append(opts, check.WithDisabled(d.DisabledRules), check.WithOnPremises(d.OnPremises...))
		artifact = f.src.file
	}
	if f.previous != "" {
		prev, err := loadTemplateSet(f.previous, "", s.Err)
		if err != nil {
			return err
		}
		opts = append(opts, check.WithPrevious(twin.Build(prev)))
	}
	f.src.warn = s.Err
	set, err := f.src.loadSet()
	if err != nil {
		return err
	}
	var extra []verify.Intent
	if f.verify {
		if extra, err = f.src.userIntents(); err != nil {
			return err
		}
	}
	t := twin.Build(set)
	fs := check.Run(t, opts...)
	cov := t.Coverage()
	v := checkVerdict(fs, cov)
	var results []verify.Result
	if f.verify {
		results = verify.Run(t, append(verify.Derive(t), extra...))
		v = v.and(verifyVerdict(results, cov))
	}
	accept := f.verdict.acceptIncomplete
	rep := check.Report{Findings: fs, Coverage: &cov, Verdict: v.name(), Incomplete: v.incomplete,
		Accepted: accept && v.name() == verdictIncomplete, Verified: f.verify, Intents: intentOutcomes(results)}
	switch f.output {
	case "json":
		if f.verify {
			err = writeCheckVerifyJSON(s.Out, rep, results)
		} else {
			err = rep.WriteJSON(s.Out)
		}
	case "sarif":
		err = rep.WriteSARIF(s.Out, artifactURI(artifact))
	default:
		if f.verify {
			writeVerifyText(s.Out, results)
			io.WriteString(s.Out, "\n")
		}
		if err = rep.WriteText(s.Out, colourFor(f.terminal(s.Out), os.Getenv)); err == nil {
			_, err = io.WriteString(s.Out, v.text(accept))
		}
	}
	if err != nil {
		return err
	}
	return v.exit(accept)
}

// intentOutcomes are verify's results as a check report carries them.
func intentOutcomes(rs []verify.Result) []check.IntentOutcome {
	var out []check.IntentOutcome
	for _, r := range rs {
		out = append(out, check.IntentOutcome{Name: r.Name, From: r.From, To: r.To, Status: r.Status, Cause: r.Cause, LeftOut: r.LeftOut})
	}
	return out
}

// writeCheckVerifyJSON writes check --verify's report: check's document
// (formatVersion, verdict, coverage, incomplete, findings) with verify's
// "intents" beside the findings; both arrays are never null.
func writeCheckVerifyJSON(w io.Writer, rep check.Report, rs []verify.Result) error {
	fs := rep.Findings
	if fs == nil {
		fs = []check.Finding{}
	}
	if rs == nil {
		rs = []verify.Result{}
	}
	return writeJSON(w, struct {
		FormatVersion string          `json:"formatVersion"`
		Verdict       string          `json:"verdict"`
		Accepted      bool            `json:"acceptedIncomplete,omitempty"`
		Incomplete    []string        `json:"incomplete,omitempty"`
		Coverage      *twin.Coverage  `json:"coverage"`
		Findings      []check.Finding `json:"findings"`
		Intents       []verify.Result `json:"intents"`
	}{"1", rep.Verdict, rep.Accepted, rep.Incomplete, rep.Coverage, fs, rs})
}

// artifactURI turns a file path into a SARIF artifact URI: relative paths
// stay relative (forward slashes), absolute ones become file:// URIs.
func artifactURI(path string) string {
	if path == "" {
		return ""
	}
	if filepath.IsAbs(path) {
		return "file://" + filepath.ToSlash(path)
	}
	return filepath.ToSlash(path)
}

package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type verifyFlags struct {
	src     sourceFlags
	verdict verdictFlags
	output  string
}

func newVerifyCmd(s Streams) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove offline that names resolve privately, packets get through and identities can read their secrets",
		Long: `verify models the design's network, DNS and identities from its ARM resources and
checks every intent the design implies: each client resolves each private name to
its private endpoint and reaches it, each workload reads its secrets, and the
Internet reaches nothing it should not. Nothing is sent anywhere.

Every result says what it covers: how many resources the sources declare, how many
were modelled, and each one left out (file:line:column, the expression, the reason).
A failure that may rest on a left-out resource is unknown, not failed.

` + exitCodeTable,
		Example: `  privaks verify
  privaks verify -f privaks.yaml -o json
  privaks verify --template out/azuredeploy.json --parameters out/azuredeploy.parameters.json
  privaks verify --template third-party.json --accept-incomplete   # exit 0 although resources were left out
  privaks verify --terraform ./infra --var-file prod.tfvars`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.output != "text" && f.output != "json" {
				return badInput(fmt.Errorf("-o %q: want text or json", f.output))
			}
			f.src.warn = s.Err
			set, err := f.src.loadSet()
			if err != nil {
				return err
			}
			extra, err := f.src.userIntents()
			if err != nil {
				return err
			}
			t := twin.Build(set)
			results := verify.Run(t, append(verify.Derive(t), extra...))
			cov := t.Coverage()
			v := verifyVerdict(results, cov)
			if f.output == "json" {
				err = writeVerifyReportJSON(s.Out, results, &cov, v, f.verdict.acceptIncomplete)
			} else {
				writeVerifyText(s.Out, results)
				writeCoverage(s.Out, cov)
				_, err = io.WriteString(s.Out, v.text(f.verdict.acceptIncomplete))
			}
			if err != nil {
				return err
			}
			return v.exit(f.verdict.acceptIncomplete)
		},
	}
	f.src.register(cmd)
	f.verdict.register(cmd)
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text or json")
	return cmd
}

// writeVerifyReportJSON writes {"formatVersion":"1","verdict":…,
// "coverage":{…},"incomplete":[…],"intents":[…]}; coverage and verdict
// are left out when cov is nil.
func writeVerifyReportJSON(w io.Writer, rs []verify.Result, cov *twin.Coverage, v verdict, accepted bool) error {
	if rs == nil {
		rs = []verify.Result{}
	}
	doc := struct {
		FormatVersion string          `json:"formatVersion"`
		Verdict       string          `json:"verdict,omitempty"`
		Accepted      bool            `json:"acceptedIncomplete,omitempty"`
		Incomplete    []string        `json:"incomplete,omitempty"`
		Coverage      *twin.Coverage  `json:"coverage,omitempty"`
		Intents       []verify.Result `json:"intents"`
	}{FormatVersion: "1", Coverage: cov, Intents: rs}
	if cov != nil {
		doc.Verdict, doc.Incomplete = v.name(), v.incomplete
		doc.Accepted = accepted && doc.Verdict == verdictIncomplete
	}
	return writeJSON(w, doc)
}

func writeVerifyText(w io.Writer, rs []verify.Result) {
	for _, r := range rs {
		switch r.Status {
		case verify.Pass:
			fmt.Fprintf(w, "✓ %s\n", r.Name)
			continue
		case verify.Unknown:
			fmt.Fprintf(w, "? %s\n    %s\n", r.Name, r.Cause)
			continue
		}
		fmt.Fprintf(w, "✗ %s\n    %s\n", r.Name, r.Cause)
	}
	if u := verify.Unknowns(rs); u > 0 {
		fmt.Fprintf(w, "%d intents, %d pass, %d fail, %d unknown (outside or left out of this analysis)\n", len(rs), len(rs)-verify.Failed(rs)-u, verify.Failed(rs), u)
		return
	}
	fmt.Fprintf(w, "%d intents, %d pass, %d fail\n", len(rs), len(rs)-verify.Failed(rs), verify.Failed(rs))
}

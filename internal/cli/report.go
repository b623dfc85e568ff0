package cli

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/report"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

func newReportCmd(s Streams) *cobra.Command {
	var src sourceFlags
	var out string
	var verdictF verdictFlags
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write one self-contained HTML report: diagram, intents, findings, coverage, capacity",
		Long: `report proves the design as privaks verify and privaks check do and writes one HTML
file holding the architecture diagram (SVG laid out by Graphviz), every intent with
its status and trace, findings by severity with each rule's rationale and fix,
coverage (what was left out of the model, and why), the IP arithmetic of each
subnet, and the inputs. The file is self-contained (style, script, font and diagram
inline; nothing is fetched when it is opened) and prints to PDF. The report is
written whatever the verdict, and the command exits as verify and check do.

` + exitCodeTable,
		Example: `  privaks report -o report.html
  privaks report -f privaks.yaml -o report.html
  privaks report --template azuredeploy.json --parameters azuredeploy.parameters.json -o estate.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return badInput(fmt.Errorf("-o: want a file name (- for standard output)"))
			}
			src.warn = s.Err
			set, err := src.loadSet()
			if err != nil {
				return err
			}
			extra, err := src.userIntents()
			if err != nil {
				return err
			}
			var opts []check.Option
			inputs := []string{}
			switch {
			case src.template != "":
				in := "ARM template " + src.template
				if src.parameters != "" {
					in += " with parameters " + src.parameters
				}
				inputs = append(inputs, in)
			default:
				d, name, err := loadDesign(src.file)
				if err != nil {
					return err
				}
				opts = append(opts, check.WithDisabled(d.DisabledRules), check.WithOnPremises(d.OnPremises...))
				inputs = append(inputs, "spec "+name+", compiled by privaks")
			}
			t := twin.Build(set)
			results := verify.Run(t, append(verify.Derive(t), extra...))
			findings := check.Run(t, opts...)
			var b bytes.Buffer
			if err := report.Write(&b, report.Input{Twin: t, Results: results, Findings: findings, Inputs: inputs}); err != nil {
				return err
			}
			if out == "-" {
				if _, err := s.Out.Write(b.Bytes()); err != nil {
					return err
				}
			} else {
				if _, err := writeFiles(filepath.Dir(out), map[string][]byte{filepath.Base(out): b.Bytes()}); err != nil {
					return err
				}
				fmt.Fprintf(s.Err, "✓ wrote %s (%d intents, %d findings)\n", out, len(results), len(findings))
			}
			// One verdict, as verify and check judge theirs.
			cov := t.Coverage()
			v, c := verifyVerdict(results, cov), checkVerdict(findings, cov)
			all := verdict{failed: v.failed + c.failed, incomplete: append(v.incomplete, c.incomplete[len(coverageGaps(cov)):]...)}
			all.failWhat = v.failWhat + ", " + c.failWhat + " (the report says why)"
			fmt.Fprint(s.Err, all.text(verdictF.acceptIncomplete))
			return all.exit(verdictF.acceptIncomplete)
		},
	}
	src.register(cmd)
	verdictF.register(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "privaks-report.html", "the HTML file to write (- for standard output)")
	return cmd
}

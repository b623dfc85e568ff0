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
)

type checkFlags struct {
	src      sourceFlags
	output   string
	severity string
	onPrem   []string
	previous string
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
(rules.disabled) are reported as suppressed with their reason. Exit 0 when there is
no error finding, 1 when there is one, 2 on bad input.`,
		Example: `  privaks check
  privaks check -f privaks.yaml -o sarif > privaks.sarif
  privaks check --template azuredeploy.json --parameters azuredeploy.parameters.json --severity warning
  privaks check -f privaks.yaml --previous deployed/azuredeploy.json   # also judge changes to what is deployed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCheck(s, &f) },
	}
	f.src.register(cmd)
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text, json or sarif")
	cmd.Flags().StringVar(&f.severity, "severity", "info", "lowest severity reported: error, warning or info")
	cmd.Flags().StringSliceVar(&f.onPrem, "on-prem", nil, "on-premises CIDRs (added to the spec's network.onPremises)")
	cmd.Flags().StringVar(&f.previous, "previous", "", "template of what is deployed now, to judge changes (e.g. outboundType)")
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
	if f.src.tf.given() {
		artifact = f.src.tf.dir
		if artifact == "" {
			artifact = f.src.tf.plan
		}
	} else if f.src.template == "" {
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
	fs := check.Run(twin.Build(set), opts...)
	switch f.output {
	case "json":
		err = check.WriteJSON(s.Out, fs)
	case "sarif":
		err = check.WriteSARIF(s.Out, fs, artifactURI(artifact))
	default:
		err = check.WriteText(s.Out, fs, f.terminal(s.Out) && os.Getenv("NO_COLOR") == "")
	}
	if err != nil {
		return err
	}
	if n := check.Count(fs, check.Error); n > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d error findings", n)}
	}
	return nil
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

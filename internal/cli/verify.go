package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type verifyFlags struct {
	src    sourceFlags
	output string
}

func newVerifyCmd(s Streams) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Prove offline that names resolve privately, packets get through and identities can read their secrets",
		Long: `verify models the design's network, DNS and identities from its ARM resources and
checks every intent the design implies: each client resolves each private name to
its private endpoint and reaches it, each workload reads its secrets, and the
Internet reaches nothing it should not. Exit 0 when every intent holds, 1 when one
fails, 2 on bad input. Nothing is sent anywhere.`,
		Example: `  privaks verify
  privaks verify -f privaks.yaml -o json
  privaks verify --template out/azuredeploy.json --parameters out/azuredeploy.parameters.json
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
			if f.output == "json" {
				err = writeVerifyJSON(s.Out, results)
			} else {
				writeVerifyText(s.Out, results)
			}
			if err != nil {
				return err
			}
			if n := verify.Failed(results); n > 0 {
				return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d intents fail", n, len(results))}
			}
			return nil
		},
	}
	f.src.register(cmd)
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text or json")
	return cmd
}

func writeVerifyJSON(w io.Writer, rs []verify.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		FormatVersion string          `json:"formatVersion"`
		Intents       []verify.Result `json:"intents"`
	}{"1", rs})
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
		fmt.Fprintf(w, "%d intents, %d pass, %d fail, %d unknown (outside this resource set)\n", len(rs), len(rs)-verify.Failed(rs)-u, verify.Failed(rs), u)
		return
	}
	fmt.Fprintf(w, "%d intents, %d pass, %d fail\n", len(rs), len(rs)-verify.Failed(rs), verify.Failed(rs))
}

package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type explainFlags struct {
	src      sourceFlags
	verdict  verdictFlags
	from, to string
	output   string
}

func newExplainCmd(s Streams) *cobra.Command {
	var f explainFlags
	cmd := &cobra.Command{
		Use:   "explain",
		Short: "Trace one path hop by hop: DNS answers, network rules and identity steps",
		Example: `  privaks explain --from vm-agent --to aks-privaks
  privaks explain --from user --to kv-privaks-0e1a84.vault.azure.net:443
  privaks explain --from "workload orders" --to orders-db-password
  privaks explain --from Internet --to agw-aks:443
  privaks explain --from Internet --to orders.contoso.com
  privaks explain --from vm-agent --to github.com:22`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.from == "" || f.to == "" {
				return badInput(fmt.Errorf("--from and --to are required"))
			}
			f.src.warn = s.Err
			set, err := f.src.loadSet()
			if err != nil {
				return err
			}
			t := twin.Build(set)
			r, err := verify.Explain(t, f.from, f.to)
			if err != nil {
				return badInput(err)
			}
			cov := t.Coverage()
			v := explainVerdict(r, cov)
			accept := f.verdict.acceptIncomplete
			if f.output == "json" {
				if err := writeVerifyReportJSON(s.Out, []verify.Result{r}, &cov, v, accept); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(s.Out, "%s\n", r.Name)
				for i, st := range r.Trace {
					mark := "✓"
					if !st.OK {
						mark = "✗"
					}
					fmt.Fprintf(s.Out, "%3d %s [%s] %s\n", i+1, mark, st.Kind, st.Text)
				}
				fmt.Fprintf(s.Out, "path: %s\n", r.Status)
				if r.Status == verify.Unknown {
					fmt.Fprintf(s.Out, "  %s\n", r.Cause)
				}
				var texts []string
				for _, st := range r.Trace {
					texts = append(texts, st.Text)
				}
				if src := traceSources(set, texts); len(src) > 0 {
					fmt.Fprintf(s.Out, "declared in:\n")
					for _, l := range src {
						fmt.Fprintf(s.Out, "  %s\n", l)
					}
				}
				writeCoverage(s.Out, cov)
				io.WriteString(s.Out, v.text(accept))
			}
			return v.exit(accept)
		},
	}
	f.src.register(cmd)
	f.verdict.register(cmd)
	cmd.Flags().StringVar(&f.from, "from", "", "client: a VM, a node pool (cluster/pool), a bastion, \"workload <name>\", or Internet")
	cmd.Flags().StringVar(&f.to, "to", "", "a name or resource, with an optional :port (default 443)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text or json")
	return cmd
}

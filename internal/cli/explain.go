package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type explainFlags struct {
	src      sourceFlags
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
  privaks explain --from Internet --to agw-aks:80`,
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
			r, err := verify.Explain(twin.Build(set), f.from, f.to)
			if err != nil {
				return badInput(err)
			}
			if f.output == "json" {
				if err := writeVerifyJSON(s.Out, []verify.Result{r}); err != nil {
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
				fmt.Fprintf(s.Out, "result: %s\n", r.Status)
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
			}
			if r.Status != verify.Pass {
				return &ExitError{Code: ExitFailed}
			}
			return nil
		},
	}
	f.src.register(cmd)
	cmd.Flags().StringVar(&f.from, "from", "", "client: a VM, a node pool (cluster/pool), a bastion, \"workload <name>\", or Internet")
	cmd.Flags().StringVar(&f.to, "to", "", "a name or resource, with an optional :port (default 443)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text or json")
	return cmd
}

package cli

import (
	"context"

	"github.com/privaks/privaks/internal/deploy"
	"github.com/spf13/cobra"
)

type statusFlags struct {
	azureFlags
	output string
}

func newStatusCmd(s Streams) *cobra.Command {
	f := &statusFlags{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the deployment stack, its resources and its last deployment",
		Long: `status shows the "privaks" deployment stack of a resource group: the state of its
last deployment (with timestamps, and the root cause of each failed resource), its
deny settings and the resources it manages. Use it to watch a deployment that
apply stopped waiting for. It exits 1 when the last deployment failed or there
is no stack.`,
		Example: `  privaks status --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-privaks
  privaks status --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-privaks -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runStatus(cmd.Context(), s, f) },
	}
	addAzureFlags(cmd, &f.azureFlags, "")
	addOutputFlag(cmd, &f.output)
	return cmd
}

func runStatus(ctx context.Context, s Streams, f *statusFlags) error {
	if err := checkOutput(f.output); err != nil {
		return err
	}
	conn, err := f.connect()
	if err != nil {
		return err
	}
	t := deploy.Target{Subscription: f.subscription, ResourceGroup: f.resourceGroup}
	st, err := deploy.Status(ctx, conn, t)
	if err != nil {
		return azureError(&f.azureFlags, err)
	}
	if f.output == "json" {
		if err := writeStatusJSON(s.Out, st); err != nil {
			return err
		}
	} else {
		deploy.WriteStatus(s.Out, st)
	}
	if len(st.Causes) > 0 || st.State == "failed" {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

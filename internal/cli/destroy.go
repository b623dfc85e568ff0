package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/privaks/privaks/internal/deploy"
	"github.com/spf13/cobra"
)

type destroyFlags struct {
	azureFlags
	yes bool
}

func newDestroyCmd(s Streams) *cobra.Command {
	f := &destroyFlags{}
	cmd := &cobra.Command{
		Use:   "destroy",
		Short: "Delete the deployment stack and every resource it manages",
		Long: `destroy deletes the "privaks" deployment stack of a resource group together with
every resource the stack manages (unmanageAction.Resources=delete). The resource
group itself is kept. It lists what will be deleted and asks for confirmation
unless --yes is given. Ctrl-C stops waiting but not the deletion.`,
		Example: `  privaks destroy --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-privaks
  privaks destroy --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-privaks --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDestroy(cmd.Context(), s, f) },
	}
	addAzureFlags(cmd, &f.azureFlags, "")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "delete without asking for confirmation")
	return cmd
}

func runDestroy(ctx context.Context, s Streams, f *destroyFlags) error {
	if !f.yes && !azure.isTerminal(s.In) {
		return badInput(errors.New("refusing to destroy without confirmation: stdin is not a terminal; re-run with --yes"))
	}
	conn, err := f.connect()
	if err != nil {
		return err
	}
	opts := append(f.progressOptions(s), deploy.WithDestroyConfirm(func(st *deploy.StackStatus) (bool, error) {
		fmt.Fprintf(s.Out, "Destroy deletes stack %s and these %d resource(s) in resource group %s:\n", st.Name, len(st.Resources), f.resourceGroup)
		for _, r := range st.Resources {
			fmt.Fprintf(s.Out, "  - %s %s\n", r.Type, r.Name)
		}
		if f.yes {
			return true, nil
		}
		return confirm(s, "Delete them?")
	}))
	t := deploy.Target{Subscription: f.subscription, ResourceGroup: f.resourceGroup}
	if err := deploy.Destroy(ctx, conn, t, opts...); err != nil {
		return azureError(&f.azureFlags, err)
	}
	fmt.Fprintf(s.Out, "✓ deleted stack %s and its resources; resource group %s is kept\n", deploy.DefaultStackName, f.resourceGroup)
	return nil
}

package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/tfwrite"
)

type exportFlags struct {
	src    sourceFlags
	format string
	out    string
}

func newExportCmd(s Streams) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write any resource set privaks reads (spec, ARM template, estate) as a Terraform root module",
		Long: `export writes the resource set the source flags name — a spec, the embedded
reference design, an ARM template with its parameters, or an estate — as a
Terraform root module in DIR: azurerm resources where the azurerm provider has
every property, azapi_resource (type@apiVersion and the ARM body) for the rest,
one file per component, the VMs' cloud-init beside it, variables for what the
user gives (docs/terraform.md, "Writing Terraform").

export proves nothing: run privaks verify and privaks check on the same source
first (plan --format terraform does both for a spec). Resources the reader
left out of the set are not in the module; they are listed on stderr.
Nothing is sent anywhere.`,
		Example: `  privaks export --format terraform --out terraform
  privaks export --template out/azuredeploy.json --parameters out/azuredeploy.parameters.json --out terraform`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.format != "terraform" {
				return badInput(fmt.Errorf("--format %q: want terraform", f.format))
			}
			f.src.warn = s.Err
			set, err := f.src.loadSet()
			if err != nil {
				return err
			}
			m, err := tfwrite.Write(set)
			if err != nil {
				return badInput(fmt.Errorf("write Terraform: %w", err))
			}
			names, err := writeFiles(f.out, m.Files)
			if err != nil {
				return err
			}
			for _, l := range set.Coverage.LeftOut {
				fmt.Fprintf(s.Err, "! not exported (left out of the set): %s: %s\n", l.Resource, l.Reason)
			}
			for _, n := range m.Inputs {
				fmt.Fprintf(s.Err, "! variable %s stands for a value the template computes at deployment: give it (variables.tf says which)\n", n)
			}
			for _, n := range names {
				fmt.Fprintf(s.Err, "✓ wrote %s/%s\n", f.out, n)
			}
			return nil
		},
	}
	f.src.register(cmd)
	cmd.Flags().StringVar(&f.format, "format", "terraform", "what to write: terraform")
	cmd.Flags().StringVar(&f.out, "out", "terraform", "directory of the root module")
	return cmd
}

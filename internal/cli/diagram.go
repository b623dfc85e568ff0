package cli

import (
	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/twin"
)

func newDiagramCmd(s Streams) *cobra.Command {
	var src sourceFlags
	cmd := &cobra.Command{
		Use:   "diagram",
		Short: "Draw the landing zone as a Mermaid flowchart (VNets, subnets, peerings, DNS, zones, endpoints)",
		Long: `diagram draws the design from the same ARM resources the verifier proves: VNets
with their subnets and what runs in them, peerings, the DNS server each VNet uses,
private zones and their links, and the service each private endpoint serves. The
output is Mermaid, which GitHub, GitLab and Azure DevOps render in Markdown.`,
		Example: `  privaks diagram > landing-zone.mmd
  privaks diagram -f privaks.yaml
  privaks diagram --template azuredeploy.json --parameters azuredeploy.parameters.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			src.warn = s.Err
			set, err := src.loadSet()
			if err != nil {
				return err
			}
			return diagram.Mermaid(s.Out, twin.Build(set))
		},
	}
	src.register(cmd)
	return cmd
}

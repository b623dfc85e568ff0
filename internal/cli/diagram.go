package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/twin"
)

func newDiagramCmd(s Streams) *cobra.Command {
	var src sourceFlags
	var output string
	cmd := &cobra.Command{
		Use:   "diagram",
		Short: "Draw the landing zone: SVG laid out by Graphviz, or D2, DOT or Mermaid text",
		Long: `diagram draws the design from the same ARM resources the verifier proves: the
Internet and on-premises boundaries, VNets with their subnets (and CIDRs) and what
runs in them, peerings, public IPs, NAT gateway or firewall and the routes to it,
Bastion, VMs, each private endpoint beside the service it fronts, private zones and
the VNets they are linked to, each VNet's DNS path, gateway frontends and listeners,
the AKS API server and node pools, workload → identity → secret, and a legend.

-o svg lays it out with Graphviz's dot engine (built in, no tool to install) and
writes a standalone SVG with its font inline; -o d2 writes D2 for the d2 tool, -o dot
Graphviz DOT, -o mermaid (the default) a Mermaid flowchart, which GitHub, GitLab and
Azure DevOps render in Markdown. Many alike spokes are drawn once.`,
		Example: `  privaks diagram -o svg > landing-zone.svg
  privaks diagram -f privaks.yaml > landing-zone.mmd
  privaks diagram -o d2 --template azuredeploy.json --parameters azuredeploy.parameters.json > estate.d2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch output {
			case "svg", "d2", "dot", "mermaid":
			default:
				return badInput(fmt.Errorf("-o %q: want svg, d2, dot or mermaid", output))
			}
			src.warn = s.Err
			set, err := src.loadSet()
			if err != nil {
				return err
			}
			m := diagram.Build(twin.Build(set), diagram.Options{})
			switch output {
			case "svg":
				return m.SVG(s.Out, true)
			case "d2":
				return m.D2(s.Out)
			case "dot":
				return m.DOT(s.Out)
			}
			return m.Mermaid(s.Out)
		},
	}
	src.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "mermaid", "svg, d2, dot or mermaid")
	return cmd
}

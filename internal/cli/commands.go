package cli

import "github.com/spf13/cobra"

// commands lists every verb, in help order. Add a new verb here (one line).
func commands(s Streams) []*cobra.Command {
	return []*cobra.Command{
		newInitCmd(s),
		newPlanCmd(s),
		newExportCmd(s),
		newRenderCmd(s),
		newVerifyCmd(s),
		newExplainCmd(s),
		newDiagramCmd(s),
		newReportCmd(s),
		newSchemaCmd(s),
		newApplyCmd(s),
		newDestroyCmd(s),
		newStatusCmd(s),
		newCheckCmd(s),
		newRulesCmd(s),
		newPlanAddressesCmd(s),
		newVersionCmd(s),
	}
}

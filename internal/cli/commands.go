package cli

import "github.com/spf13/cobra"

// verbs lists every verb, in help order, by name. Add a new verb here (one
// line). A command line naming a verb builds only that one (newRootCmdFor).
var verbs = []struct {
	name string
	new  func(Streams) *cobra.Command
}{
	{"init", newInitCmd},
	{"plan", newPlanCmd},
	{"export", newExportCmd},
	{"render", newRenderCmd},
	{"verify", newVerifyCmd},
	{"explain", newExplainCmd},
	{"diagram", newDiagramCmd},
	{"report", newReportCmd},
	{"schema", newSchemaCmd},
	{"apply", newApplyCmd},
	{"destroy", newDestroyCmd},
	{"status", newStatusCmd},
	{"check", newCheckCmd},
	{"rules", newRulesCmd},
	{"plan-addresses", newPlanAddressesCmd},
	{"version", newVersionCmd},
}

// commands builds every verb, in help order.
func commands(s Streams) []*cobra.Command {
	out := make([]*cobra.Command, 0, len(verbs))
	for _, v := range verbs {
		out = append(out, v.new(s))
	}
	return out
}

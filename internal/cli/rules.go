package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/check"
)

func newRulesCmd(s Streams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the check catalogue, or explain one rule",
		Example: `  privaks rules
  privaks rules PVK078
  privaks rules -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output); err != nil {
				return err
			}
			rules := check.All()
			if len(args) == 1 {
				r, ok := check.Lookup(args[0])
				if !ok {
					return badInput(fmt.Errorf("look up rule %q: no such rule (privaks rules lists them)", args[0]))
				}
				rules = []check.Rule{r}
			}
			switch {
			case output == "json":
				return writeRulesJSON(s.Out, rules)
			case len(args) == 0:
				writeRules(s.Out)
			default:
				explainRule(s.Out, rules[0])
			}
			return nil
		},
	}
	addOutputFlag(cmd, &output)
	return cmd
}

func writeRules(w io.Writer) {
	for _, r := range check.All() {
		fmt.Fprintf(w, "%s  %-7s  %-38s %s\n", r.ID, r.Severity, r.Slug, r.Title)
	}
}

func explainRule(w io.Writer, r check.Rule) {
	fmt.Fprintf(w, "%s %s (%s)\n%s\n\n%s\n\nFix: %s\nDoc: %s\n", r.ID, r.Slug, r.Severity, r.Title, wrap(r.Rationale, 88), wrap(r.Fix, 83), r.Doc)
	if len(r.Absent) > 0 {
		fmt.Fprintf(w, "Undecided while any of these was left out of the analysis: %s\n", wrap(strings.Join(r.Absent, ", "), 88))
	}
}

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && n+1+len(word) > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

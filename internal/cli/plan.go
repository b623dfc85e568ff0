package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/tfwrite"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

type planFlags struct {
	file   string
	out    string
	output string
	format string
}

func newPlanCmd(s Streams) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Compile the landing zone to an ARM template and summarise it",
		Long: `plan compiles the spec (-f; without it ./privaks.yaml when it exists, else the
embedded reference design; the first line on stderr says which),
proves every intent of the design offline (as privaks verify does), and only then
writes DIR/azuredeploy.json and DIR/azuredeploy.parameters.json and prints what
will be deployed, grouped by component. A design with a failing intent exits 1 and
writes nothing. It also runs the rule catalogue (privaks check): an error finding
exits 1 and writes nothing; warnings are reported. Nothing is sent anywhere.

With --format terraform it writes the same verified design as a Terraform root
module instead (DIR defaults to ./terraform): azurerm and azapi resources, one
file per component, the VMs' cloud-init beside it, variables for the SSH key
and the agent's registration token (docs/terraform.md, "Writing Terraform").`,
		Example: `  privaks plan
  privaks plan -f privaks.yaml --out out
  privaks plan --format terraform --out terraform
  privaks plan -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(f.output); err != nil {
				return err
			}
			if f.format != "arm" && f.format != "terraform" {
				return badInput(fmt.Errorf("--format %q: want arm or terraform", f.format))
			}
			d, name, err := loadDesign(f.file)
			if err != nil {
				return err
			}
			noteSpec(s.Err, name)
			warnPlaceholders(s.Err, d)
			t, err := compile.Compile(d)
			if err != nil {
				return err
			}
			files, err := compile.Artifacts(d)
			if err != nil {
				return err
			}
			set, err := armeval.Evaluate(t, armeval.WithSource("spec"), armeval.WithParameters(compileParams(d.SSHPublicKey)))
			if err != nil {
				return fmt.Errorf("evaluate compiled template: %w", err)
			}
			tw := twin.Build(set)
			intents := verify.Derive(tw)
			for _, in := range d.Intents {
				intents = append(intents, verify.UserIntent(in.Name, in.From, in.To, in.Expect == "blocked"))
			}
			results := verify.Run(tw, intents)
			findings := check.Run(tw, check.WithDisabled(d.DisabledRules), check.WithOnPremises(d.OnPremises...), check.WithMinSeverity(check.Warning))
			nErr := check.Count(findings, check.Error)
			// With -o json, stdout carries only the JSON document.
			report := s.Out
			if f.output == "json" {
				report = s.Err
			}
			if n := verify.Failed(results); n > 0 || nErr > 0 {
				if n > 0 {
					writeVerifyText(report, results)
				}
				if len(findings) > 0 {
					if err := check.WriteText(report, findings, false); err != nil {
						return err
					}
				}
				return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d intents fail, %d error findings; nothing written (privaks explain and privaks check show why)", n, nErr)}
			}
			if f.format == "terraform" {
				if files, err = terraformModule(t, d.SSHPublicKey); err != nil {
					return err
				}
				if !cmd.Flags().Changed("out") {
					f.out = "terraform"
				}
			}
			names, err := writeFiles(f.out, files)
			if err != nil {
				return err
			}
			if f.output == "json" {
				comps, total := planSummary(t)
				doc := planJSON{FormatVersion: "1", Spec: name, Components: comps, Total: total, Intents: len(results),
					Warnings: check.Count(findings, check.Warning), Written: []string{}}
				for _, p := range d.Placeholders {
					doc.Placeholders = append(doc.Placeholders, fieldName(p.Path))
				}
				for _, n := range names {
					doc.Written = append(doc.Written, filepath.Join(f.out, n))
				}
				if err := writeJSON(s.Out, doc); err != nil {
					return err
				}
			} else {
				printPlan(s.Out, t)
			}
			fmt.Fprintf(s.Err, "✓ verified %d intents (privaks verify lists them)\n", len(results))
			if nWarn := check.Count(findings, check.Warning); nWarn > 0 {
				fmt.Fprintf(s.Err, "! %d warning findings (privaks check lists them)\n", nWarn)
			} else {
				fmt.Fprintln(s.Err, "✓ no error or warning finding (privaks check lists the information ones)")
			}
			for _, n := range names {
				fmt.Fprintf(s.Err, "✓ wrote %s/%s\n", f.out, n)
			}
			if d.SSHPublicKey == "" && f.format != "terraform" {
				fmt.Fprintf(s.Err, "! %s/azuredeploy.parameters.json has no %s (vms.sshPublicKey is empty): set it in the spec and plan again, or give --param %s=\"ssh-ed25519 …\" to verify --template and apply\n",
					f.out, compile.ParamSSHKey, compile.ParamSSHKey)
			}
			return nil
		},
	}
	addSpecFlag(cmd, &f.file)
	cmd.Flags().StringVar(&f.out, "out", "out", "directory for the artifacts (with --format terraform: terraform)")
	cmd.Flags().StringVar(&f.format, "format", "arm", "what to write: arm (azuredeploy.json) or terraform (a root module, docs/terraform.md)")
	addOutputFlag(cmd, &f.output)
	return cmd
}

// terraformModule writes the compiled design as a Terraform root module.
// The set is evaluated with a stand-in for the agent's registration token
// so that the Key Vault secret it fills is in the module; its value is
// never written (tfwrite makes it an ephemeral variable).
func terraformModule(t *arm.Template, sshKey string) (map[string][]byte, error) {
	params := map[string]any{compile.ParamAgentToken: "given-at-apply"}
	for k, v := range compileParams(sshKey) {
		params[k] = v
	}
	set, err := armeval.Evaluate(t, armeval.WithSource("spec"), armeval.WithParameters(params))
	if err != nil {
		return nil, fmt.Errorf("evaluate compiled template: %w", err)
	}
	m, err := tfwrite.Write(set)
	if err != nil {
		return nil, fmt.Errorf("write Terraform: %w", err)
	}
	return m.Files, nil
}

// printPlan writes one line per component: how many resources of each type.
func printPlan(w io.Writer, t *arm.Template) {
	comps, total := planSummary(t)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPONENT\tRESOURCES\tTYPES")
	for _, c := range comps {
		keys := make([]string, 0, len(c.Types))
		for k := range c.Types {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s×%d", k, c.Types[k])
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", c.Component, c.Resources, strings.Join(parts, ", "))
	}
	fmt.Fprintf(tw, "total\t%d\t\n", total)
	tw.Flush()
}

// shortType drops the namespace: Microsoft.Network/virtualNetworks/subnets → virtualNetworks/subnets.
func shortType(t string) string {
	if i := strings.Index(t, "/"); i >= 0 {
		return t[i+1:]
	}
	return t
}

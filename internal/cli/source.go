package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/verify"
)

// sourceFlags choose what to analyse: a spec (compiled), the embedded
// reference design (neither flag), or an ARM template with parameters.
type sourceFlags struct {
	file       string
	template   string
	parameters string
	params     []string // --param NAME=VALUE
	// templates holds every --template value (estate.go); estate the
	// --estate manifest.
	templates []string
	estate    string
	tf        terraformFlags
	// liveSub, liveGroups and liveCloud read existing resource groups
	// (estate.go).
	liveSub, liveCloud string
	liveGroups         []string
	// warn receives warnings (resources of a template left out because
	// they could not be evaluated); nil discards them.
	warn io.Writer
}

func (f *sourceFlags) register(cmd *cobra.Command) {
	addSpecFlag(cmd, &f.file)
	cmd.Flags().Var(templateList{f}, "template", "analyse an ARM template instead of a spec; repeat it for several templates as one estate, each FILE[,parameters=P][,param=NAME=VALUE][,subscription=ID][,resource-group=RG]")
	cmd.Flags().StringVar(&f.estate, "estate", "", "YAML manifest listing the templates of one estate, each with its parameters, subscription and resource group")
	f.registerLive(cmd)
	cmd.Flags().StringVar(&f.parameters, "parameters", "", "parameters file for --template")
	stringsVar(cmd.Flags(), &f.params, false, "param", "template parameter NAME=VALUE for --template (VALUE converted to the parameter's declared type: a string stays a string, int, bool, JSON for arrays and objects); repeatable")
	f.tf.register(cmd)
}

// userIntents returns the intents stated in the spec (none for a
// template): the one thing analyses take from the spec besides the set.
func (f *sourceFlags) userIntents() ([]verify.Intent, error) {
	if f.template != "" || f.estate != "" || f.tf.given() || f.liveSub != "" {
		return nil, nil
	}
	d, _, err := loadDesign(f.file)
	if err != nil {
		return nil, err
	}
	var out []verify.Intent
	for _, in := range d.Intents {
		out = append(out, verify.UserIntent(in.Name, in.From, in.To, in.Expect == "blocked"))
	}
	return out, nil
}

// loadSet returns the evaluated resource set the flags name. Every
// analysis reads this set, never the spec.
func (f *sourceFlags) loadSet() (*arm.Set, error) {
	if f.tf.given() {
		if f.file != "" || f.template != "" || f.estate != "" || f.parameters != "" || len(f.params) > 0 || f.liveSub != "" {
			return nil, badInput(fmt.Errorf("--terraform and --terraform-plan go alone: not with -f, --template, --estate, --subscription, --parameters or --param"))
		}
		return f.tf.load(f.warn)
	}
	if f.tf.extras() {
		return nil, badInput(fmt.Errorf("--var, --var-file and --terraform-data go with --terraform or --terraform-plan"))
	}
	if f.liveSub != "" || len(f.liveGroups) > 0 {
		if f.liveSub == "" {
			return nil, badInput(fmt.Errorf("--resource-group goes with --subscription"))
		}
		return f.loadLive()
	}
	if f.multiTemplate() {
		return f.loadEstate()
	}
	if f.template != "" {
		if f.file != "" {
			return nil, badInput(fmt.Errorf("give either -f or --template, not both"))
		}
		extra, err := parseParams(f.params)
		if err != nil {
			return nil, err
		}
		return loadTemplateSetWith(f.template, f.parameters, extra, f.warn)
	}
	if f.parameters != "" || len(f.params) > 0 {
		return nil, badInput(fmt.Errorf("--parameters and --param go with --template"))
	}
	d, name, err := loadDesign(f.file)
	if err != nil {
		return nil, err
	}
	noteSpec(f.warn, name)
	t, err := compile.Compile(d)
	if err != nil {
		return nil, err
	}
	set, err := armeval.Evaluate(t, armeval.WithSource("spec:"+name),
		armeval.WithParameters(compileParams(d.SSHPublicKey)))
	if err != nil {
		return nil, fmt.Errorf("evaluate compiled template: %w", err)
	}
	return set, nil
}

func compileParams(sshKey string) map[string]any {
	if sshKey == "" {
		return nil
	}
	return map[string]any{compile.ParamSSHKey: sshKey}
}

// parseParams reads --param NAME=VALUE flags; values stay text, which
// the evaluator converts to each parameter's declared type.
func parseParams(specs []string) (map[string]armeval.Param, error) {
	out := map[string]armeval.Param{}
	for _, p := range specs {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			return nil, badInput(fmt.Errorf("--param %q: want NAME=VALUE", p))
		}
		out[name] = armeval.Param{Value: value, Text: true, Pos: arm.Pos{File: "--param " + name}}
	}
	return out, nil
}

// loadTemplateSet reads a template to compare against (check --previous):
// its parameters are not checked.
func loadTemplateSet(path, paramsPath string, warn io.Writer) (*arm.Set, error) {
	return loadTemplateSetWith(path, paramsPath, nil, warn)
}

// loadTemplateSetWith reads and evaluates a template. With extra (the
// --param values, possibly none) the parameters are checked against the
// template as ARM checks them: an undeclared name, a wrong type or a
// missing required value is bad input.
func loadTemplateSetWith(path, paramsPath string, extra map[string]armeval.Param, warn io.Writer, more ...armeval.Option) (*arm.Set, error) {
	if isTerraform(path) {
		return nil, badInput(fmt.Errorf("%s is Terraform, not an ARM template: use --terraform DIR (the root module's directory) or --terraform-plan plan.json", path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("read template %q: %w", path, err))
	}
	t, err := armeval.ReadTemplate(data)
	if err != nil {
		return nil, badInput(fmt.Errorf("%s: %w", path, err))
	}
	params := map[string]armeval.Param{}
	if paramsPath != "" {
		pb, err := os.ReadFile(paramsPath)
		if err != nil {
			return nil, badInput(fmt.Errorf("read parameters %q: %w", paramsPath, err))
		}
		if params, err = armeval.ReadParametersFile(paramsPath, pb); err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", paramsPath, err))
		}
	}
	for k, v := range extra {
		params[k] = v
	}
	opts := append([]armeval.Option{armeval.WithSource(path), armeval.WithLinkedTemplates(filepath.Dir(path), nil)}, more...)
	if extra != nil {
		opts = append(opts, armeval.WithParams(params), armeval.WithRequiredParams())
	} else {
		plain := map[string]any{}
		for k, p := range params {
			plain[k] = p.Value
		}
		opts = append(opts, armeval.WithParameters(plain))
	}
	set, err := armeval.Evaluate(t, opts...)
	if set == nil {
		var pe *armeval.ParamError
		if errors.As(err, &pe) {
			// The error names the file and line already.
			if len(pe.Missing) > 0 {
				hint := ""
				if pe.Name == compile.ParamSSHKey {
					hint = "; for a privaks design, vms.sshPublicKey in the spec sets it (then run privaks plan again)"
				}
				give := "give it in the parameters file or with --param " + pe.Name + "=VALUE (ARM refuses a deployment without it)"
				if len(pe.Missing) > 1 {
					give = "give each in the parameters file or with --param NAME=VALUE (ARM refuses a deployment without them)"
				}
				return nil, badInput(fmt.Errorf("%w: %s%s", err, give, hint))
			}
			return nil, badInput(err)
		}
		return nil, badInput(fmt.Errorf("evaluate %s: %w", path, err))
	}
	// Resources that could not be evaluated are left out; the analysis
	// goes on with the rest, and its coverage (set.Coverage, filled by the
	// evaluator) lists them. What is not a resource (an output) is a
	// warning.
	if others := notResources(err); len(others) > 0 && warn != nil {
		fmt.Fprintf(warn, "privaks: warning: %s: not evaluated:\n  %s\n", path,
			strings.ReplaceAll(errors.Join(others...).Error(), "\n", "\n  "))
	}
	return set, nil
}

// notResources returns the leaves of the evaluator's joined error that are
// not about a resource (those are in the set's coverage).
func notResources(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, notResources(e)...)
		}
		return out
	}
	if strings.Contains(err.Error(), `evaluate resource "`) {
		return nil
	}
	return []error{err}
}

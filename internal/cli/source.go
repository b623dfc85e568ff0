package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
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
	tf         terraformFlags
	// warn receives warnings (resources of a template left out because
	// they could not be evaluated); nil discards them.
	warn io.Writer
}

func (f *sourceFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.file, "file", "f", "", "spec file (default: the embedded reference design)")
	cmd.Flags().StringVar(&f.template, "template", "", "analyse an ARM template instead of a spec")
	cmd.Flags().StringVar(&f.parameters, "parameters", "", "parameters file for --template")
	cmd.Flags().StringArrayVar(&f.params, "param", nil, "template parameter NAME=VALUE for --template (VALUE as JSON when it parses, else a string); repeatable")
	f.tf.register(cmd)
}

// userIntents returns the intents stated in the spec (none for a
// template): the one thing analyses take from the spec besides the set.
func (f *sourceFlags) userIntents() ([]verify.Intent, error) {
	if f.template != "" || f.tf.given() {
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
		if f.file != "" || f.template != "" || f.parameters != "" || len(f.params) > 0 {
			return nil, badInput(fmt.Errorf("--terraform and --terraform-plan go alone: not with -f, --template, --parameters or --param"))
		}
		return f.tf.load(f.warn)
	}
	if f.tf.extras() {
		return nil, badInput(fmt.Errorf("--var, --var-file and --terraform-data go with --terraform or --terraform-plan"))
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

// parseParams reads --param NAME=VALUE flags.
func parseParams(specs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range specs {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			return nil, badInput(fmt.Errorf("--param %q: want NAME=VALUE", p))
		}
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			v = value
		}
		out[name] = v
	}
	return out, nil
}

func loadTemplateSet(path, paramsPath string, warn io.Writer) (*arm.Set, error) {
	return loadTemplateSetWith(path, paramsPath, nil, warn)
}

func loadTemplateSetWith(path, paramsPath string, extra map[string]any, warn io.Writer) (*arm.Set, error) {
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
	var params map[string]any
	if paramsPath != "" {
		pb, err := os.ReadFile(paramsPath)
		if err != nil {
			return nil, badInput(fmt.Errorf("read parameters %q: %w", paramsPath, err))
		}
		if params, err = armeval.ReadParameters(pb); err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", paramsPath, err))
		}
	}
	for k, v := range extra {
		if params == nil {
			params = map[string]any{}
		}
		params[k] = v
	}
	set, err := armeval.Evaluate(t, armeval.WithParameters(params), armeval.WithSource(path))
	if set == nil {
		return nil, badInput(fmt.Errorf("evaluate %s: %w", path, err))
	}
	// Resources that could not be evaluated are left out; the analysis
	// goes on with the rest, and says so.
	if err != nil && warn != nil {
		fmt.Fprintf(warn, "privaks: warning: %s: some resources were left out of the analysis:\n  %s\n", path,
			strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	return set, nil
}

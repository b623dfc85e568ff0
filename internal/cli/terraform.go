package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/tfread"
)

// terraformFlags choose a Terraform root module (or a saved plan's JSON)
// as the source of the resource set.
type terraformFlags struct {
	dir      string
	plan     string
	vars     []string // --var NAME=VALUE, in order
	varFiles []string // --var-file, in order
	data     string   // --terraform-data FILE
}

func (f *terraformFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dir, "terraform", "", "analyse the Terraform root module in this directory (read statically: no provider, no network)")
	cmd.Flags().StringVar(&f.plan, "terraform-plan", "", "analyse a plan's JSON (terraform show -json plan.out); with --terraform, the configuration joins what the plan leaves unknown")
	stringsVar(cmd.Flags(), &f.vars, false, "var", "Terraform variable NAME=VALUE for --terraform, as terraform -var; repeatable, applied in order after --var-file")
	stringsVar(cmd.Flags(), &f.varFiles, false, "var-file", "Terraform variables file for --terraform (after terraform.tfvars and *.auto.tfvars); repeatable")
	cmd.Flags().StringVar(&f.data, "terraform-data", "", "JSON file giving data sources' values: {\"data.azurerm_subnet.aks\": {\"id\": \"...\", ...}}")
}

func (f *terraformFlags) given() bool { return f.dir != "" || f.plan != "" }

func (f *terraformFlags) extras() bool { return len(f.vars) > 0 || len(f.varFiles) > 0 || f.data != "" }

// load reads the set; what the reader left out is also written to warn
// (the analysis reports coverage too), as for templates.
func (f *terraformFlags) load(warn io.Writer) (*arm.Set, error) {
	opt := tfread.Options{Vars: f.vars, VarFiles: f.varFiles}
	if f.data != "" {
		d, err := tfread.ReadDataFile(f.data)
		if err != nil {
			return nil, badInput(err)
		}
		opt.Data = d
	}
	var set *arm.Set
	var err error
	if f.plan != "" {
		set, err = tfread.ReadPlan(f.plan, f.dir, opt)
	} else {
		set, err = tfread.Read(f.dir, opt)
	}
	if err != nil {
		return nil, badInput(err)
	}
	if warn != nil && !set.Coverage.Complete() {
		fmt.Fprintf(warn, "privaks: warning: %s: %d of %d declared resources or constructs were left out of the analysis:\n",
			set.Source, len(set.Coverage.LeftOut), set.Coverage.Declared)
		for _, l := range set.Coverage.LeftOut {
			fmt.Fprintf(warn, "  %s\n", l)
		}
	}
	return set, nil
}

// isTerraform reports whether a --template path is Terraform: a .tf file
// or a directory of them.
func isTerraform(path string) bool {
	if strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tf.json") || strings.HasSuffix(path, ".tfvars") {
		return true
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		m, _ := filepath.Glob(filepath.Join(path, "*.tf"))
		return len(m) > 0
	}
	return false
}

package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/render"
)

type renderFlags struct {
	file           string
	out            string
	fromDeployment string
}

func newRenderCmd(s Streams) *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Write the ARM template, the VMs' cloud-init and the workloads' Kubernetes manifests",
		Long: `render writes everything privaks deploys or runs, derived from the compiled
resources (not from the spec directly):

  DIR/azuredeploy.json, DIR/azuredeploy.parameters.json   as privaks plan writes them
  DIR/cloud-init/dns.yaml, DIR/cloud-init/agent.yaml      the VMs' customData, decoded
  DIR/k8s/<workload>.yaml                                 with --from-deployment only

The Kubernetes manifests need each workload identity's client ID and the tenant
ID, which exist only once the landing zone is deployed. They are read from the
deployment's outputs (--from-deployment FILE, or - for stdin); without them no
manifest is written, rather than one with placeholders that could reach a
cluster. The manifest of a workload no longer in the spec is removed from
DIR/k8s. Nothing is written when anything fails; nothing is sent anywhere.`,
		Example: `  privaks render
  privaks render -f privaks.yaml --out out
  az stack group show --resource-group rg-privaks --name privaks > outputs.json
  privaks render -f privaks.yaml --out out --from-deployment outputs.json
  az stack group show -g rg-privaks -n privaks | privaks render --from-deployment -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRender(s, f)
		},
	}
	addSpecFlag(cmd, &f.file)
	cmd.Flags().StringVar(&f.out, "out", "out", "directory for the files")
	cmd.Flags().StringVar(&f.fromDeployment, "from-deployment", "", "deployment outputs JSON (az stack group show output, or its outputs), - for stdin")
	return cmd
}

func runRender(s Streams, f renderFlags) error {
	// Read the user's inputs first: a bad outputs file writes nothing.
	var values *render.Values
	if f.fromDeployment != "" {
		v, err := readDeploymentValues(s.In, f.fromDeployment)
		if err != nil {
			return err
		}
		values = &v
	}
	d, name, err := loadDesign(f.file)
	if err != nil {
		return err
	}
	noteSpec(s.Err, name)
	files, err := compile.Artifacts(d)
	if err != nil {
		return err
	}
	t, err := compile.Compile(d)
	if err != nil {
		return err
	}
	set, err := armeval.Evaluate(t, armeval.WithSource("spec:"+name),
		armeval.WithParameters(compileParams(d.SSHPublicKey)))
	if err != nil {
		return fmt.Errorf("evaluate compiled template: %w", err)
	}
	ci, err := render.CloudInit(set)
	if err != nil {
		return err
	}
	for p, b := range ci {
		files[p] = b
	}
	workloads, err := render.Workloads(set)
	if err != nil {
		return err
	}
	if values != nil {
		k8s, err := render.Kubernetes(set, *values)
		if err != nil {
			return badInput(fmt.Errorf("%s: %w", inputName(f.fromDeployment), err))
		}
		for p, b := range k8s {
			files[p] = b
		}
	}
	written, err := writeFiles(f.out, files)
	if err != nil {
		return err
	}
	for _, n := range written {
		fmt.Fprintf(s.Err, "✓ wrote %s/%s\n", f.out, n)
	}
	removed, err := removeStaleManifests(f.out, workloads)
	if err != nil {
		return err
	}
	for _, n := range removed {
		fmt.Fprintf(s.Err, "✓ removed %s/%s (its workload is no longer in the spec)\n", f.out, n)
	}
	if values == nil && len(workloads) > 0 {
		printValuesHint(s.Err, f, workloads)
	}
	return nil
}

// printValuesHint says which manifests were not written and how to get
// them.
func printValuesHint(w io.Writer, f renderFlags, workloads []render.Workload) {
	var paths []string
	for _, wl := range workloads {
		paths = append(paths, f.out+"/k8s/"+wl.Name+".yaml")
	}
	args := ""
	if f.file != "" {
		args += " -f " + f.file
	}
	if f.out != "out" {
		args += " --out " + f.out
	}
	fmt.Fprintf(w, `! not written: %s
  The manifests need each workload identity's client ID and the tenant ID, known
  only once deployed. After privaks apply, read them from the deployment's outputs:
    az stack group show --resource-group rg-privaks --name privaks > outputs.json
    privaks render%s --from-deployment outputs.json
`, strings.Join(paths, ", "), args)
}

// maxDeploymentOutputs bounds what --from-deployment reads.
const maxDeploymentOutputs = 32 << 20

// readDeploymentValues reads deployment outputs JSON from a file, or stdin
// for "-".
func readDeploymentValues(stdin io.Reader, path string) (render.Values, error) {
	var in io.Reader = stdin
	if path == "-" {
		if stdin == nil {
			return render.Values{}, badInput(fmt.Errorf("read deployment outputs from stdin: no stdin"))
		}
	} else {
		fh, err := os.Open(path)
		if err != nil {
			return render.Values{}, badInput(fmt.Errorf("read deployment outputs %q: %w", inputName(path), err))
		}
		defer fh.Close()
		in = fh
	}
	// A deployment's outputs are small (ARM caps a template at 4 MB); a
	// whole `az stack group show` stays well under the bound.
	data, err := io.ReadAll(io.LimitReader(in, maxDeploymentOutputs+1))
	if err != nil {
		return render.Values{}, badInput(fmt.Errorf("read deployment outputs %q: %w", inputName(path), err))
	}
	if len(data) > maxDeploymentOutputs {
		return render.Values{}, badInput(fmt.Errorf("read deployment outputs %q: over %d MB: want the outputs of one deployment", inputName(path), maxDeploymentOutputs>>20))
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return render.Values{}, badInput(fmt.Errorf("read deployment outputs %q: want a JSON object: %w", inputName(path), err))
	}
	v, err := render.ValuesFromOutputs(m)
	if err != nil {
		return render.Values{}, badInput(fmt.Errorf("%s: %w", inputName(path), err))
	}
	return v, nil
}

// inputName names a file argument in messages ("-" is stdin).
func inputName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// removeStaleManifests deletes DIR/k8s/<name>.yaml files of workloads the
// design no longer has, so that `kubectl apply -f DIR/k8s` never applies a
// workload that was removed from the spec. Only *.yaml files directly in
// DIR/k8s are considered: the directory is render's own.
func removeStaleManifests(dir string, workloads []render.Workload) ([]string, error) {
	keep := map[string]bool{}
	for _, w := range workloads {
		keep[w.Name+".yaml"] = true
	}
	entries, err := os.ReadDir(filepath.Join(dir, "k8s"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, "k8s"), err)
	}
	var removed []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") || keep[e.Name()] {
			continue
		}
		if err := os.Remove(filepath.Join(dir, "k8s", e.Name())); err != nil {
			return removed, fmt.Errorf("remove stale manifest: %w", err)
		}
		removed = append(removed, "k8s/"+e.Name())
	}
	return removed, nil
}

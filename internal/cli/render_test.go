package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/privaks/privaks/internal/spec"
)

const (
	renderTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	renderOrdersID = "00000001-aaaa-4bbb-8ccc-000000000001"
)

// renderOutputs is `az stack group show --query outputs` for the reference
// design.
const renderOutputs = `{
  "tenantId": {"type": "String", "value": "` + renderTenant + `"},
  "workloadClientIds": {"type": "Object", "value": {"orders": "` + renderOrdersID + `"}}
}`

// tree returns every file under dir, by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func names(files map[string][]byte) []string {
	var out []string
	for n := range files {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRenderWithoutDeploymentValues(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, context.Background(), "", "render", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	files := tree(t, out)
	if diff := cmp.Diff(names(files), []string{"azuredeploy.json", "azuredeploy.parameters.json", "cloud-init/agent.yaml", "cloud-init/dns.yaml"}); diff != "" {
		t.Errorf("files (-got +want):\n%s", diff)
	}
	for _, want := range []string{"not written: " + out + "/k8s/orders.yaml", "--name privaks > outputs.json",
		"privaks render --out " + out + " --from-deployment outputs.json"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	// The cloud-init files are what the written template gives the VMs.
	var tmpl struct {
		Resources []struct {
			Type       string `json:"type"`
			Name       string `json:"name"`
			Properties struct {
				OSProfile struct {
					CustomData string `json:"customData"`
				} `json:"osProfile"`
			} `json:"properties"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(files["azuredeploy.json"], &tmpl); err != nil {
		t.Fatal(err)
	}
	custom := map[string][]byte{}
	for _, r := range tmpl.Resources {
		if r.Type == "Microsoft.Compute/virtualMachines" {
			b, err := base64.StdEncoding.DecodeString(r.Properties.OSProfile.CustomData)
			if err != nil {
				t.Fatal(err)
			}
			custom[r.Name] = b
		}
	}
	if diff := cmp.Diff(files["cloud-init/dns.yaml"], custom["vm-dns"]); diff != "" || len(custom["vm-dns"]) == 0 {
		t.Errorf("dns.yaml is not vm-dns's customData (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(files["cloud-init/agent.yaml"], custom["vm-agent"]); diff != "" || len(custom["vm-agent"]) == 0 {
		t.Errorf("agent.yaml is not vm-agent's customData (-got +want):\n%s", diff)
	}

	// The template is plan's.
	planOut := filepath.Join(t.TempDir(), "plan")
	if code, _, stderr := runCLI(t, context.Background(), "", "plan", "--out", planOut); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	plan := tree(t, planOut)
	for _, n := range []string{"azuredeploy.json", "azuredeploy.parameters.json"} {
		if diff := cmp.Diff(string(files[n]), string(plan[n])); diff != "" {
			t.Errorf("%s differs from plan's (-render +plan):\n%s", n, diff)
		}
	}
}

func TestRenderFromDeployment(t *testing.T) {
	outputs := writeTemp(t, "outputs.json", renderOutputs)
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"file", "", []string{"--from-deployment", outputs}},
		{"stdin", renderOutputs, []string{"--from-deployment", "-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, context.Background(), tt.stdin, append([]string{"render", "--out", out}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			files := tree(t, out)
			if diff := cmp.Diff(names(files), []string{"azuredeploy.json", "azuredeploy.parameters.json",
				"cloud-init/agent.yaml", "cloud-init/dns.yaml", "k8s/orders.yaml"}); diff != "" {
				t.Errorf("files (-got +want):\n%s", diff)
			}
			if strings.Contains(stderr, "not written") {
				t.Errorf("stderr still says something was not written:\n%s", stderr)
			}
			var sa *corev1.ServiceAccount
			for _, doc := range strings.Split(string(files["k8s/orders.yaml"]), "\n---\n") {
				if strings.Contains(doc, "kind: ServiceAccount\n") {
					sa = &corev1.ServiceAccount{}
					if err := yaml.UnmarshalStrict([]byte(doc), sa); err != nil {
						t.Fatal(err)
					}
				}
			}
			if sa == nil || sa.Annotations["azure.workload.identity/client-id"] != renderOrdersID {
				t.Errorf("service account %+v, want client ID %s", sa, renderOrdersID)
			}
		})
	}
}

func TestRenderRefusesBadValues(t *testing.T) {
	ref := string(spec.ReferenceYAML())
	twoWorkloads := ref[:strings.Index(ref, "workloads:")] + `workloads:
  - name: orders
    secrets: [orders-db-password]
    exposure: public
  - name: billing
    exposure: private
`
	specFile := writeTemp(t, "privaks.yaml", twoWorkloads)
	tests := []struct {
		name    string
		outputs string
		want    []string
	}{
		{"client ID missing for one workload", renderOutputs,
			[]string{`render workload "billing": no client ID for identity id-wl-billing`}},
		{"not JSON", `tenantId: x`, []string{"want a JSON object"}},
		{"not privaks outputs", `{"properties": {"outputs": {}}}`, []string{`neither "tenantId" nor "workloadClientIds"`}},
		{"placeholders", `{"tenantId": {"type": "String", "value": "<tenant>"},
			"workloadClientIds": {"type": "Object", "value": {"orders": "<id>", "billing": "<id>"}}}`,
			[]string{`tenant ID "<tenant>" is not a GUID`, `render workload "orders": client ID "<id>" is not a GUID`, `render workload "billing"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			outputs := writeTemp(t, "outputs.json", tt.outputs)
			code, _, stderr := runCLI(t, context.Background(), "", "render", "-f", specFile, "--out", out, "--from-deployment", outputs)
			if code != ExitBadInput {
				t.Errorf("exit %d, want %d\n%s", code, ExitBadInput, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if files := tree(t, out); len(files) != 0 {
				t.Errorf("wrote %v despite the error", names(files))
			}
		})
	}
	if code, _, stderr := runCLI(t, context.Background(), "", "render", "--out", t.TempDir(), "--from-deployment", filepath.Join(t.TempDir(), "missing.json")); code != ExitBadInput || !strings.Contains(stderr, "read deployment outputs") {
		t.Errorf("missing outputs file: exit %d, %s", code, stderr)
	}
}

func TestRenderDeterministic(t *testing.T) {
	outputs := writeTemp(t, "outputs.json", renderOutputs)
	var runs []map[string][]byte
	for range 2 {
		out := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := runCLI(t, context.Background(), "", "render", "--out", out, "--from-deployment", outputs); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		runs = append(runs, tree(t, out))
	}
	if len(runs[0]) != 5 {
		t.Fatalf("wrote %v", names(runs[0]))
	}
	if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("two runs differ (-first +second):\n%s", diff)
	}
}

func TestRenderHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, context.Background(), "", "render", "--help")
	for _, want := range []string{"--from-deployment", "privaks render -f privaks.yaml --out out --from-deployment outputs.json", "az stack group show"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("help: exit %d, lacks %q:\n%s", code, want, stdout)
		}
	}
}

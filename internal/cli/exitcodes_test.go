package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sourcegraph/conc"
	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/testenv"
)

func corpus(t *testing.T, name string) string { return testenv.Testdata(t, "arm", name) }

// sshKeyParam gives the reference design's templates the one required
// parameter its parameters file lacks when the spec has no SSH key (a
// public key, made up for tests).
var sshKeyParam = []string{"--param", "adminSshPublicKey=" + testSSHKey}

// testSSHKey is an OpenSSH public key made up for tests (it parses).
const testSSHKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq1vYbB0sM2o8pQyQ5J8vW0gJ3kY6hHfXn2v9w8h1yZ privaks-test"

// linkByDate is a template of our own (internal/cli/testdata) whose ACR
// zone link is named after the deployment date: a parameter defaulting to
// utcNow(), valid ARM and unknown before deployment, so the link is left
// out and everything else is analysed.
var linkByDate = []string{"--template", filepath.Join("testdata", "acr-link-by-date.json"), "--param",
	"vnetId=/subscriptions/" + estateSubID + "/resourceGroups/rg-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke"}

// stampArgs read the aks-baseline cluster stamp with its own parameters
// file, overriding the three values that file leaves as placeholders ARM
// refuses (an array given as text, an ID with "[subscription id]").
func stampArgs(t *testing.T) []string {
	return []string{"--template", corpus(t, "mspnp__aks-baseline__cluster-stamp.json"),
		"--parameters", corpus(t, "mspnp__aks-baseline__azuredeploy.parameters.prod.json"),
		"--param", "targetVnetResourceId=/subscriptions/" + estateSubID + "/resourceGroups/rg-enterprise-networking-spokes/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00",
		"--param", "domainName=contoso.com", "--param", "clusterAuthorizedIPRanges=[]"}
}

// TestIncompleteExitsThree: a template whose evaluation leaves resources
// out exits 3 from verify, check and explain; with --accept-incomplete it
// exits 0, and stdout still says "incomplete" and lists what is missing.
func TestIncompleteExitsThree(t *testing.T) {
	tmpl := linkByDate
	acrWants := []string{"result: incomplete", "left out: ", "acr-link-by-date.json:13:5", "virtualNetworkLinks",
		"[format('privatelink.azurecr.io/to-spoke-{0}', parameters('deployedOn'))]", "1 left out"}
	for _, c := range []struct {
		cmd   []string
		wants []string
	}{
		{append([]string{"verify"}, tmpl...), acrWants},
		{append([]string{"check"}, tmpl...), acrWants},
		// The node pools' subnet is in the spoke's template, not this one.
		{append(append([]string{"explain"}, stampArgs(t)...), "--from", "aks-4frx6zduqwnn6/npsystem", "--to", "kv-aks-4frx6zduqwnn6.vault.azure.net"),
			[]string{"path: unknown", "result: incomplete", "the path cannot be decided", "subnet is not in this resource set", "2 left out", "Microsoft.KubernetesConfiguration/fluxConfigurations bootstrap"}},
	} {
		cmd := c.cmd
		t.Run(cmd[0], func(t *testing.T) {
			code, out, errOut := run(t, cmd...)
			if code != ExitIncomplete {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitIncomplete, out, errOut)
			}
			for _, want := range c.wants {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(errOut, "--accept-incomplete") {
				t.Errorf("stderr does not say how to accept it:\n%s", errOut)
			}
			code, out, errOut = run(t, append(cmd, "--accept-incomplete")...)
			if code != ExitOK {
				t.Fatalf("--accept-incomplete: exit %d, want 0\n%s\n%s", code, out, errOut)
			}
			if !strings.Contains(out, "result: incomplete (accepted with --accept-incomplete)") || !strings.Contains(out, "left out: ") {
				t.Errorf("--accept-incomplete must still say incomplete and what is missing:\n%s", out)
			}
		})
	}
}

// TestCheckUndecidedNotAnError: only the ACR zone's link was left out; "zone has no virtual network link" is undecided in text,
// JSON and SARIF, never a confident finding.
func TestCheckUndecidedNotAnError(t *testing.T) {
	tmpl := linkByDate
	_, out, _ := run(t, append([]string{"check"}, tmpl...)...)
	if !strings.Contains(out, "undecided PVK079 zone privatelink.azurecr.io has no virtual network link") {
		t.Errorf("text: PVK079 not undecided:\n%s", out)
	}
	code, out, _ := run(t, append([]string{"check", "-o", "json"}, tmpl...)...)
	var doc struct {
		Verdict    string
		Incomplete []string
		Coverage   struct {
			Declared, Modelled, Ignored int
			LeftOut                     []struct{ Resource, Type string }
		}
		Findings []struct{ Rule, Status string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != ExitIncomplete || doc.Verdict != "incomplete" || doc.Coverage.Declared != 5 || len(doc.Coverage.LeftOut) != 1 {
		t.Errorf("json: exit %d, verdict %q, coverage %+v", code, doc.Verdict, doc.Coverage)
	}
	for _, f := range doc.Findings {
		if f.Rule == "PVK079" && f.Status != "undecided" {
			t.Errorf("json: PVK079 status %q", f.Status)
		}
	}
	code, out, _ = run(t, append([]string{"check", "-o", "json", "--accept-incomplete"}, tmpl...)...)
	if code != ExitOK || !strings.Contains(out, `"verdict": "incomplete"`) || !strings.Contains(out, `"acceptedIncomplete": true`) {
		t.Errorf("json --accept-incomplete: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, append([]string{"check", "-o", "sarif"}, tmpl...)...)
	sch, err := jsonschema.NewCompiler().Compile(testenv.Testdata(t, "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("sarif does not validate: %v", err)
	}
	if code != ExitIncomplete || !strings.Contains(out, `"kind": "review"`) || !strings.Contains(out, `"privaks.verdict": "incomplete"`) {
		t.Errorf("sarif: exit %d, no review result or verdict:\n%s", code, out)
	}
}

// TestNoIntentFromResourcesIsIncomplete: a template that declares
// resources, all modelled, from which no intent can be derived proves
// nothing: verify exits 3. check has nothing to derive and exits 0.
func TestNoIntentFromResourcesIsIncomplete(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "nsg.json")
	if err := os.WriteFile(tmpl, []byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "nsg-a", "location": "westeurope",
     "properties": {"securityRules": []}}
  ]
}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "verify", "--template", tmpl)
	if code != ExitIncomplete || !strings.Contains(out, "no intent could be derived from 1 declared resource") || !strings.Contains(out, "0 left out") {
		t.Errorf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = run(t, "verify", "--template", tmpl, "-o", "json")
	if code != ExitIncomplete || !strings.Contains(out, `"verdict": "incomplete"`) || !strings.Contains(out, `"intents": []`) {
		t.Errorf("verify -o json: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, "check", "--template", tmpl); code != ExitOK || !strings.Contains(out, "result: pass") {
		t.Errorf("check: exit %d\n%s", code, out)
	}
	// Nothing declared (every resource conditional and off) is never a pass.
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte(`{"resources":[{"condition":false,"type":"Microsoft.Network/virtualNetworks","apiVersion":"2024-05-01","name":"v"}]}`), 0o644)
	for _, cmd := range []string{"verify", "check"} {
		if code, out, _ := run(t, cmd, "--template", empty); code != ExitIncomplete || !strings.Contains(out, "declare no resource") {
			t.Errorf("%s on a template that declares nothing: exit %d\n%s", cmd, code, out)
		}
	}
}

// TestExitCodes: one table for every verdict: a failing intent or error
// finding is 1 (even when the analysis is also incomplete), bad input 2,
// the complete reference design 0.
func TestExitCodes(t *testing.T) {
	a1 := corpus(t, "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.json")
	a1p := corpus(t, "Azure-Samples__private-aks-cluster__templates__two-node-pools__azuredeploy.parameters.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{\n  \"resources\": [\n    {\"type\": \n"), 0o644)
	// 801 resources: past ARM's 800 per template.
	many := filepath.Join(t.TempDir(), "many.json")
	os.WriteFile(many, []byte(`{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
	  "name": "[concat('v', copyIndex())]", "copy": {"name": "v", "count": 800}},
	  {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "nsg"}]}`), 0o644)
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"verify"}, ExitOK, "result: pass"},
		{[]string{"check"}, ExitOK, "result: pass"},
		{[]string{"explain", "--from", "vm-agent", "--to", "aks-privaks"}, ExitOK, "result: pass"},
		{[]string{"verify", "--template", a1, "--parameters", a1p}, ExitFailed, "result: fail"},
		{[]string{"check", "--template", a1, "--parameters", a1p}, ExitFailed, "result: fail"},
		// public API server open to all: fails although resources were left out
		{append(append([]string{"verify"}, stampArgs(t)...), "--accept-incomplete"), ExitFailed, "the analysis is also incomplete"},
		// ARM refuses a deployment without a required parameter; so does privaks
		{[]string{"verify", "--template", corpus(t, "mspnp__aks-baseline__acr-stamp.json")}, ExitBadInput, ""},
		{[]string{"check", "--template", corpus(t, "mspnp__aks-baseline__acr-stamp.json"), "-o", "sarif"}, ExitBadInput, ""},
		{[]string{"verify", "--template", bad}, ExitBadInput, ""},
		{[]string{"check", "--template", bad, "-o", "sarif"}, ExitBadInput, ""},
		{[]string{"verify", "--template", many}, ExitBadInput, ""},
		{[]string{"verify", "-o", "yaml"}, ExitBadInput, ""},
		{[]string{"verify", "--no-such-flag"}, ExitBadInput, ""},
		{[]string{"no-such-command"}, ExitBadInput, ""},
	} {
		code, out, errOut := run(t, c.args...)
		if code != c.code || !strings.Contains(out, c.out) {
			t.Errorf("%v: exit %d, want %d with %q\n%s\n%s", c.args, code, c.code, c.out, out, errOut)
		}
		if c.code == ExitBadInput && out != "" {
			t.Errorf("%v: bad input printed a result:\n%s", c.args, out)
		}
	}
	// The limit breached and the place: the file, line and column of the
	// 801st resource.
	if _, _, errOut := run(t, "verify", "--template", many); !strings.Contains(errOut, "many.json:3:4: limit exceeded: 800 resources in one template") {
		t.Errorf("801 resources: %s", errOut)
	}
}

// TestInternalErrorsNeverBadInput: a panic in a command, or an error a
// command returns without an exit code, exits 4 with a bug-report hint;
// a file that cannot be read or written exits 1; never 2.
func TestInternalErrorsNeverBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		runE func(*cobra.Command, []string) error
		code int
		hint bool
	}{
		{"panic", func(*cobra.Command, []string) error { panic("index out of range [3] with length 3") }, ExitInternal, true},
		{"runtime error", func(_ *cobra.Command, args []string) error { _ = args[len(args)+1]; return nil }, ExitInternal, true},
		// A panic on a goroutine the command started (conc.WaitGroup, as
		// TestGoroutinesUseConc requires) reaches the same recover.
		{"goroutine panic", func(*cobra.Command, []string) error {
			var wg conc.WaitGroup
			wg.Go(func() {})
			wg.Go(func() { panicInGoroutine() })
			wg.Wait()
			return nil
		}, ExitInternal, true},
		{"untyped error", func(*cobra.Command, []string) error { return errors.New("evaluate compiled template: boom") }, ExitInternal, true},
		{"file error", func(*cobra.Command, []string) error {
			_, err := os.ReadFile(filepath.Join(t.TempDir(), "absent"))
			return fmt.Errorf("write out: %w", err)
		}, ExitFailed, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			s := Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
			root := newRootCmd(s)
			root.AddCommand(&cobra.Command{Use: "boom", RunE: c.runE})
			code := runRoot(context.Background(), s, root, []string{"boom"})
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, errb.String())
			}
			if got := strings.Contains(errb.String(), "this is a bug in privaks"); got != c.hint {
				t.Errorf("bug-report hint %v, want %v:\n%s", got, c.hint, errb.String())
			}
			if out.Len() != 0 {
				t.Errorf("an internal error printed a result:\n%s", out.String())
			}
			if c.name == "goroutine panic" {
				// The value, and the stack of the goroutine that panicked.
				e := errb.String()
				if !strings.Contains(e, "privaks: internal error: zone index 7 out of range\n") || !strings.Contains(e, "cli.panicInGoroutine") {
					t.Errorf("goroutine panic reported as:\n%s", e)
				}
			}
		})
	}
}

//go:noinline
func panicInGoroutine() { panic("zone index 7 out of range") }

// TestExitCodeTableDocumented: README.md, docs/verify.md and the --help of
// verify and check give the same codes as the constants.
func TestExitCodeTableDocumented(t *testing.T) {
	root := testenv.RepoRoot(t)
	rows := map[int]string{ExitOK: "everything that matters", ExitFailed: "an intent fails", ExitBadInput: "bad input",
		ExitIncomplete: "incomplete", ExitInternal: "internal error"}
	for _, doc := range []string{"README.md", "docs/verify.md"} {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for code, words := range rows {
			if !strings.Contains(string(b), fmt.Sprintf("| %d | %s", code, words)) {
				t.Errorf("%s: no exit-code row %q", doc, fmt.Sprintf("| %d | %s", code, words))
			}
		}
		if !strings.Contains(string(b), "--accept-incomplete") {
			t.Errorf("%s does not document --accept-incomplete", doc)
		}
	}
	for _, cmd := range []string{"verify", "check"} {
		_, out, _ := run(t, cmd, "--help")
		for code, words := range rows {
			if !strings.Contains(out, fmt.Sprintf("  %d  %s", code, words)) {
				t.Errorf("%s --help lacks exit code %d (%s):\n%s", cmd, code, words, out)
			}
		}
	}
}

// TestLeftOutOnStdoutOutputsOnStderr: a resource left out is in the
// coverage on stdout (not repeated on stderr); an output that cannot be
// evaluated, which is no resource, is a warning on stderr.
func TestLeftOutOnStdoutOutputsOnStderr(t *testing.T) {
	tmpl := filepath.Join(t.TempDir(), "t.json")
	os.WriteFile(tmpl, []byte(`{
  "parameters": {"n": {"type": "string"}},
  "resources": [
    {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "nsg-a", "location": "westeurope"},
    {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2024-06-01", "name": "[reference('x').name]", "location": "global"}
  ],
  "outputs": {"o": {"type": "int", "value": "[div(1, 0)]"}}
}`), 0o644)
	code, out, errOut := run(t, "verify", "--template", tmpl, "--param", "n=x")
	if code != ExitIncomplete || !strings.Contains(out, "left out: ") || !strings.Contains(out, "privateDnsZones") {
		t.Errorf("exit %d; stdout:\n%s", code, out)
	}
	if strings.Contains(errOut, "privateDnsZones") {
		t.Errorf("a left-out resource repeated on stderr:\n%s", errOut)
	}
	if !strings.Contains(errOut, `output "o"`) {
		t.Errorf("the failing output is not a warning on stderr:\n%s", errOut)
	}
}

package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"mvdan.cc/sh/v3/syntax"

	"github.com/privaks/privaks/internal/testenv"
)

// TestDocumentedCommands runs every privaks command a user can copy from
// README.md, docs/*.md and the --help examples, so none goes stale. The
// commands are discovered, not listed: a new doc or example is tested the
// day it is written. Offline commands run in-process in a scratch
// directory holding what the docs assume (privaks.yaml, out/, outputs.json,
// token.txt) and must exit 0; commands that talk to Azure (apply, destroy,
// status, anything with --subscription) are parsed only: the verb must
// exist, the flags must be known, required flags present and arguments
// accepted.
func TestDocumentedCommands(t *testing.T) {
	examples := documentedExamples(t)
	fixtures := exampleFixtures(t)
	ran, parsed := 0, 0
	for _, ex := range examples {
		t.Run(ex.where+": "+ex.line, func(t *testing.T) {
			steps, err := parseExample(ex.line)
			if err != nil {
				t.Fatalf("%s: not a shell command line: %v", ex.where, err)
			}
			for _, st := range steps {
				if st.args == nil {
					continue // another program (az, make, cat): not ours to run
				}
				if st.parseOnly || st.upstream {
					checkParses(t, ex, st.args)
					parsed++
					continue
				}
				runExample(t, ex, st, fixtures)
				ran++
			}
		})
	}
	// Never green on nothing.
	if ran < 20 || parsed < 5 {
		t.Errorf("ran %d and parsed %d documented commands; the docs hold more (is discovery broken?)", ran, parsed)
	}
	t.Logf("%d documented commands run, %d parsed only, from %d example lines", ran, parsed, len(examples))
}

type example struct {
	where string // file:line, or "privaks plan --help"
	line  string
}

var placeholder = regexp.MustCompile(`<([a-zA-Z][a-zA-Z-]*)>`)

// documentedExamples collects the command lines of every fenced block of
// README.md and docs/*.md that mentions privaks, and every Example of every
// command's --help.
func documentedExamples(t *testing.T) []example {
	root := testenv.RepoRoot(t)
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	docs = append([]string{filepath.Join(root, "README.md")}, docs...)
	var out []example
	for _, path := range docs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, path)
		inBlock, lang := false, ""
		var cont strings.Builder
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				inBlock, lang = !inBlock, strings.TrimPrefix(strings.TrimSpace(line), "```")
				continue
			}
			if !inBlock || !shellLanguage(lang) {
				continue
			}
			if strings.HasSuffix(line, "\\") {
				cont.WriteString(strings.TrimSuffix(line, "\\") + " ")
				continue
			}
			full := cont.String() + line
			cont.Reset()
			if mentionsPrivaks(full) {
				out = append(out, example{fmt.Sprintf("%s:%d", rel, i+1), full})
			}
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			if mentionsPrivaks(line) {
				out = append(out, example{c.CommandPath() + " --help", strings.TrimSpace(line)})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(Streams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}))
	return out
}

func shellLanguage(lang string) bool {
	switch lang {
	case "", "sh", "bash", "shell", "console":
		return true
	}
	return false
}

// mentionsPrivaks reports whether a line runs privaks (not a comment).
func mentionsPrivaks(line string) bool {
	l := strings.TrimSpace(line)
	if strings.HasPrefix(l, "#") {
		return false
	}
	return regexp.MustCompile(`(^|[|&;]\s*)(privaks|go run \./cmd/privaks)(\s|$)`).MatchString(l)
}

// step is one command of a documented line.
type step struct {
	args      []string // privaks arguments; nil for another program
	stdout    string   // > FILE
	stdin     string   // < FILE, or the file cat reads upstream
	parseOnly bool     // talks to Azure
	upstream  bool     // fed by a program the test does not run
}

// parseExample parses a command line with a real shell parser (pipelines,
// &&, redirections, quotes) into the privaks invocations it holds.
func parseExample(line string) ([]step, error) {
	line = placeholder.ReplaceAllStringFunc(line, func(m string) string {
		if m == "<id>" || m == "<subscription>" {
			return "00000000-0000-0000-0000-000000000000"
		}
		return "x"
	})
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return nil, err
	}
	var steps []step
	var visit func(cmd syntax.Command, redirs []*syntax.Redirect, fed bool, feeder string) error
	visit = func(cmd syntax.Command, redirs []*syntax.Redirect, fed bool, feeder string) error {
		switch c := cmd.(type) {
		case *syntax.BinaryCmd:
			if c.Op == syntax.Pipe {
				// Only cat FILE feeds privaks in a form the test can replay.
				left, lfeeder := c.X.Cmd, ""
				if call, ok := left.(*syntax.CallExpr); ok {
					if ws, ok := words(call.Args); ok && len(ws) == 2 && ws[0] == "cat" {
						lfeeder = ws[1]
					}
				}
				if err := visit(c.X.Cmd, c.X.Redirs, fed, feeder); err != nil {
					return err
				}
				return visit(c.Y.Cmd, c.Y.Redirs, lfeeder == "", lfeeder)
			}
			if err := visit(c.X.Cmd, c.X.Redirs, fed, feeder); err != nil {
				return err
			}
			return visit(c.Y.Cmd, c.Y.Redirs, fed, feeder)
		case *syntax.CallExpr:
			ws, ok := words(c.Args)
			if !ok {
				return fmt.Errorf("a word the test cannot expand")
			}
			st := step{upstream: fed, stdin: feeder}
			switch {
			case len(ws) > 0 && ws[0] == "privaks":
				st.args = ws[1:]
			case len(ws) > 2 && ws[0] == "go" && ws[1] == "run" && ws[2] == "./cmd/privaks":
				st.args = ws[3:]
			default:
				steps = append(steps, st)
				return nil
			}
			if st.args == nil {
				st.args = []string{}
			}
			for _, a := range st.args {
				if a == "--subscription" || strings.HasPrefix(a, "--subscription=") {
					st.parseOnly = true
				}
			}
			if len(st.args) > 0 && (st.args[0] == "apply" || st.args[0] == "destroy" || st.args[0] == "status") {
				st.parseOnly = true
			}
			for _, r := range redirs {
				target, _ := words([]*syntax.Word{r.Word})
				switch r.Op {
				case syntax.RdrOut, syntax.AppOut:
					st.stdout = target[0]
				case syntax.RdrIn:
					st.stdin = target[0]
				}
			}
			steps = append(steps, st)
			return nil
		}
		return fmt.Errorf("unsupported shell construct %T", cmd)
	}
	for _, s := range f.Stmts {
		if err := visit(s.Cmd, s.Redirs, false, ""); err != nil {
			return nil, err
		}
	}
	return steps, nil
}

// words returns the literal values of ws, or false if one needs expansion.
func words(ws []*syntax.Word) ([]string, bool) {
	var out []string
	for _, w := range ws {
		var b strings.Builder
		for _, p := range w.Parts {
			switch p := p.(type) {
			case *syntax.Lit:
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					l, ok := q.(*syntax.Lit)
					if !ok {
						return nil, false
					}
					b.WriteString(l.Value)
				}
			default:
				return nil, false
			}
		}
		out = append(out, b.String())
	}
	return out, true
}

// checkParses validates a command the test does not run: the verb exists,
// its flags are known, the required ones are given and the arguments fit.
func checkParses(t *testing.T, ex example, args []string) {
	t.Helper()
	if err := parseCheck(args); err != nil {
		t.Fatalf("%s: privaks %s: %v", ex.where, strings.Join(args, " "), err)
	}
}

func parseCheck(args []string) error {
	root := newRootCmd(Streams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if cmd == root && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("no such command %q", args[0])
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return err
	}
	return cmd.ValidateArgs(cmd.Flags().Args())
}

// The checker itself catches what goes stale.
func TestExampleChecker(t *testing.T) {
	for _, bad := range []string{
		"privaks deploy --yes",
		"privaks apply --subscription x --no-such-flag",
		"privaks status --resource-group rg",
		"privaks plan extra-argument",
	} {
		steps, err := parseExample(bad)
		if err != nil || len(steps) != 1 {
			t.Fatalf("%s: %v %v", bad, steps, err)
		}
		if err := parseCheck(steps[0].args); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	steps, err := parseExample(`cat token.txt | privaks apply --subscription <id> --secret agentRegistrationToken=- --yes && privaks diagram -f "my spec.yaml" > lz.mmd   # comment`)
	if err != nil || len(steps) != 3 {
		t.Fatalf("steps %+v, %v", steps, err)
	}
	if steps[0].args != nil || !steps[1].parseOnly || steps[1].stdin != "token.txt" || steps[1].args[2] != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("pipeline: %+v", steps[:2])
	}
	if steps[2].parseOnly || steps[2].stdout != "lz.mmd" || steps[2].args[2] != "my spec.yaml" {
		t.Errorf("diagram step: %+v", steps[2])
	}
	if up, _ := parseExample("az stack group show -g rg -n privaks | privaks render --from-deployment -"); len(up) != 2 || !up[1].upstream {
		t.Errorf("a privaks fed by az is run: %+v", up)
	}
}

// exampleFixtures builds, once, the files the documented commands assume
// in their working directory, and returns them by relative path.
func exampleFixtures(t *testing.T) map[string][]byte {
	t.Helper()
	root := testenv.RepoRoot(t)
	dir := t.TempDir()
	t.Chdir(dir)
	if code, _, e := run(t, "init"); code != 0 {
		t.Fatalf("init: %s", e)
	}
	// As the README says to before apply (and before verify --template of
	// the plan's output, which ARM-like needs every required parameter).
	spec, err := os.ReadFile("privaks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec = append(spec, "\nvms:\n  sshPublicKey: "+testSSHKey+"\n"...)
	if err := os.WriteFile("privaks.yaml", spec, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e := run(t, "plan"); code != 0 {
		t.Fatalf("plan: %s", e)
	}
	files := map[string][]byte{
		"outputs.json": []byte(renderOutputs),
		"token.txt":    []byte("not-a-real-token\n"),
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A template of the user's own that needs two parameter values
	// (docs/verify.md's --param example).
	files["t.json"] = []byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string"}, "workspaceName": {"type": "string"}},
  "resources": [
    {"type": "Microsoft.OperationalInsights/workspaces", "apiVersion": "2023-09-01",
     "name": "[parameters('workspaceName')]", "location": "[parameters('location')]", "properties": {}},
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet", "location": "[parameters('location')]",
     "properties": {"addressSpace": {"addressPrefixes": ["10.9.0.0/24"]}, "subnets": [{"name": "vms", "properties": {"addressPrefix": "10.9.0.0/26"}}]}},
    {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2024-05-01", "name": "nic-vm", "location": "[parameters('location')]",
     "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
     "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAllocationMethod": "Dynamic",
       "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'vms')]"}}}]}},
    {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm", "location": "[parameters('location')]",
     "dependsOn": ["[resourceId('Microsoft.Network/networkInterfaces', 'nic-vm')]"],
     "properties": {"hardwareProfile": {"vmSize": "Standard_B2s"},
       "osProfile": {"computerName": "vm", "adminUsername": "azureuser", "linuxConfiguration": {"disablePasswordAuthentication": true}},
       "networkProfile": {"networkInterfaces": [{"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic-vm')]"}]}}}
  ]
}`)
	// What is deployed now, for check --previous.
	files[filepath.Join("deployed", "azuredeploy.json")] = files[filepath.Join("out", "azuredeploy.json")]
	// Examples that name the plan's files without out/.
	files["azuredeploy.json"] = files[filepath.Join("out", "azuredeploy.json")]
	files["azuredeploy.parameters.json"] = files[filepath.Join("out", "azuredeploy.parameters.json")]

	// Third-party inputs the docs name, read from the repository's own
	// copies: the aks-baseline templates (hub, spoke, a stamp whose VNet
	// is elsewhere), a Terraform root module and a saved plan.
	arm := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "arm", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// An AVM pattern nine of whose nested deployments are named after
	// values only known at deployment: incomplete, nothing failing.
	vending := "avm-ptn-lz-sub-vending.json"
	files[filepath.Join("testdata", "arm", vending)] = arm(vending)
	files["third-party.json"] = arm(vending)
	files["hub.json"] = arm("mspnp__aks-baseline__networking__hub-regionA.json")
	files["hub.parameters.json"] = []byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
  "parameters": {"location": {"value": "eastus2"}, "nodepoolSubnetResourceIds": {"value": ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke-BU0001A0008-00/subnets/snet-clusternodes"]}}}`)
	files["spoke.json"] = arm("mspnp__aks-baseline__networking__spoke-BU0001A0008.json")
	files["spoke.parameters.json"] = []byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0",
  "parameters": {"location": {"value": "eastus2"}, "hubVnetResourceId": {"value": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-eastus2-hub"}}}`)
	files["estate.yaml"] = []byte("templates:\n  - template: hub.json\n    resourceGroup: rg-hub\n    parameters: hub.parameters.json\n" +
		"  - template: spoke.json\n    resourceGroup: rg-spoke\n    parameters: spoke.parameters.json\n")
	ex := filepath.Join(root, "internal", "cli", "testdata", "examples")
	for _, n := range []string{filepath.Join("infra", "main.tf"), "plan.json"} {
		b, err := os.ReadFile(filepath.Join(ex, n))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	files["prod.tfvars"] = []byte("env = \"prod\"\n")
	files["data.json"] = []byte("{}\n")
	return files
}

// thirdParty are the fixtures nobody here wrote (or that stand for a
// user's own estate): an analysis of them may rightly find failures (exit
// 1) or be incomplete (exit 3). A documented command on them must still
// run: exit 2 (bad input: a stale flag, a file the docs name wrongly) or
// 4 (internal error) fails the test. A line's own "# exit N" comment, when
// it has one, is the exact code expected.
var thirdParty = []string{"third-party.json", "hub.json", "spoke.json", "estate.yaml", "./infra", "plan.json", "testdata/arm/"}

var exitComment = regexp.MustCompile(`#\s*exit (\d)\b`)

// expectedExits returns the exit codes an example may end with.
func expectedExits(line string, args []string) []int {
	if m := exitComment.FindStringSubmatch(line); m != nil {
		return []int{int(m[1][0] - '0')}
	}
	for _, a := range args {
		for _, tp := range thirdParty {
			if strings.Contains(a, tp) {
				return []int{0, 1, 3}
			}
		}
	}
	return []int{0}
}

// runExample runs one offline command in a fresh directory holding the
// fixtures; it must exit 0.
func runExample(t *testing.T, ex example, st step, fixtures map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		// `privaks init` without --force writes privaks.yaml: give it an
		// empty directory, as a new user has.
		if len(st.args) > 0 && st.args[0] == "init" && !contains(st.args, "--force") && (n == DefaultSpecFile || n == SchemaFile) {
			continue
		}
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, fixtures[n], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := []byte{}
	if st.stdin != "" {
		b, err := os.ReadFile(st.stdin)
		if err != nil {
			t.Fatalf("%s: stdin %s: %v", ex.where, st.stdin, err)
		}
		in = b
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Streams{In: bytes.NewReader(in), Out: &out, Err: &errOut}, st.args)
	if want := expectedExits(ex.line, st.args); !slices.Contains(want, code) {
		t.Fatalf("%s: privaks %s: exit %d\nstdout:\n%s\nstderr:\n%s", ex.where, strings.Join(st.args, " "), code, out.String(), errOut.String())
	}
	if st.stdout != "" {
		if err := os.WriteFile(st.stdout, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

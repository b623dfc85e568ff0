package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/deploy/deploytest"
	"github.com/privaks/privaks/internal/spec"
)

func TestApplyCommand(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		stdin    string
		extra    []string
		setup    func(*deploytest.Fake)
		code     int
		puts     int
		stdout   []string
		stderr   []string
	}{
		{
			name: "first deploy with --yes", extra: []string{"--yes"}, code: 0, puts: 1,
			stdout: []string{"Preview of resource group rg-cli: 3 to create", "+ Microsoft.ContainerService/managedClusters aks-privaks", "✓ stack privaks in resource group rg-cli: succeeded, 3 managed resource(s)", "read back 3 resource(s)"},
			stderr: []string{"✓ resource providers registered", "✓ created resource group rg-cli in canadacentral", "✓ succeeded Microsoft.KeyVault/vaults kv-privaks-cli"},
		},
		{
			name: "confirmed on a terminal", terminal: true, stdin: "yes\n", code: 0, puts: 1,
			stderr: []string{"Deploy these changes to resource group rg-cli? Only 'yes' will be accepted:"},
		},
		{
			name: "declined on a terminal", terminal: true, stdin: "no\n", code: 1, puts: 0,
			stdout: []string{"3 to create"}, stderr: []string{"privaks: cancelled: nothing was changed"},
		},
		{
			name: "non-interactive without --yes", code: 2, puts: 0,
			stderr: []string{"refusing to deploy without confirmation: stdin is not a terminal"},
		},
		{
			name: "dry run", extra: []string{"--dry-run"}, code: 0, puts: 0,
			stdout: []string{"3 to create", "Dry run: nothing was changed."},
		},
		{
			name: "unknown secret", extra: []string{"--yes", "--secret", "nope=-"}, code: 2, puts: 0,
			stderr: []string{`--secret names a parameter the template does not have`},
		},
		{
			name: "mistyped secret name", extra: []string{"--yes", "--secret", "agentTokn=-"}, code: 2, puts: 0,
			stderr: []string{"did you mean agentToken?"},
		},
		{
			name: "secret value on the command line", extra: []string{"--yes", "--secret", "agentToken=plain"}, code: 2, puts: 0,
			stderr: []string{"want agentToken=@FILE or agentToken=-", "the value given is not shown"},
		},
		{
			name: "bad deny mode", extra: []string{"--yes", "--deny-settings", "lock"}, code: 2,
			stderr: []string{`parse deny settings mode "lock"`},
		},
		{
			name: "preflight failure", extra: []string{"--yes"}, code: 1, puts: 0,
			setup:  func(f *deploytest.Fake) { f.DeletedVaults["kv-privaks-cli"] = true },
			stderr: []string{"preflight found 1 problem(s)", `✗ key vault name "kv-privaks-cli" is held by a soft-deleted vault`},
		},
		{
			name: "deployment failure", extra: []string{"--yes"}, code: 1, puts: 1,
			setup: func(f *deploytest.Fake) {
				f.Fail = []deploytest.OpError{{Type: "Microsoft.ContainerService/managedClusters", Name: "aks-privaks", Error: map[string]any{
					"code": "ResourceDeploymentFailure", "message": "failed", "details": []any{map[string]any{"code": "customPrivateDNSZoneMissingPermission", "message": "Service principal lacks permission on the private DNS zone."}},
				}}}
			},
			stderr: []string{"✗ failed", "Microsoft.ContainerService/managedClusters aks-privaks: customPrivateDNSZoneMissingPermission", "fix: the cluster's control-plane identity needs Private DNS Zone Contributor"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := deploytest.New()
			if tc.setup != nil {
				tc.setup(f)
			}
			useFakeAzure(t, f, tc.terminal)
			args := append(append([]string{"apply"}, writeTestArtifact(t)...), tc.extra...)
			code, stdout, stderr := runCLI(t, context.Background(), tc.stdin, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if n := f.Count(http.MethodPut, "/deploymentStacks/"); n != tc.puts {
				t.Errorf("stack PUTs = %d, want %d", n, tc.puts)
			}
			if tc.code == 2 && len(f.Snapshot()) != 0 {
				t.Errorf("an input error reached Azure (%d requests)", len(f.Snapshot()))
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stdout+stderr, testSecret) {
				t.Errorf("the secret was shown to the user")
			}
		})
	}
}

func TestApplyCommandSecretFromStdin(t *testing.T) {
	f := deploytest.New()
	useFakeAzure(t, f, false)
	args := append([]string{"apply"}, writeTestArtifact(t)...)
	args = append(args[:len(args)-2], "--secret", "agentToken=-", "--yes")
	code, stdout, stderr := runCLI(t, context.Background(), "from-stdin-token\n", args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var body string
	for _, r := range f.Snapshot() {
		if r.Method == http.MethodPut {
			body = r.Body
		}
	}
	if !strings.Contains(body, `"agentToken":{"value":"from-stdin-token"}`) {
		t.Errorf("stack body does not carry the stdin secret without its newline: %s", body)
	}
	if strings.Contains(stdout+stderr, "from-stdin-token") {
		t.Errorf("the secret was shown")
	}
	// Without --yes, stdin cannot answer the prompt too.
	args[len(args)-1] = "--prune"
	if code, _, stderr := runCLI(t, context.Background(), "x\n", args...); code != 2 || !strings.Contains(stderr, "reads stdin") {
		t.Errorf("stdin secret without --yes: exit %d, %s", code, stderr)
	}
}

func TestApplyCommandInterrupted(t *testing.T) {
	f := deploytest.New()
	f.DeployPolls = 50
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.OnStatusPoll = func(n int) {
		if n == 1 {
			cancel()
		}
	}
	useFakeAzure(t, f, false)
	code, _, stderr := runCLI(t, ctx, "", append(append([]string{"apply"}, writeTestArtifact(t)...), "--yes")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{"it continues in Azure (nothing was cancelled)", "privaks status --subscription " + deploytest.Subscription + " --resource-group rg-cli", "re-running `privaks apply` is safe"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if f.Count(http.MethodDelete, "") != 0 || f.Count(http.MethodPost, "/cancel") != 0 {
		t.Errorf("the interrupt was sent to Azure")
	}
}

func TestApplyHelpHasExamples(t *testing.T) {
	for _, verb := range []string{"apply", "destroy", "status"} {
		code, stdout, _ := runCLI(t, context.Background(), "", verb, "--help")
		if code != 0 || !strings.Contains(stdout, "Examples:") || !strings.Contains(stdout, "privaks "+verb+" --subscription") {
			t.Errorf("%s --help: exit %d\n%s", verb, code, stdout)
		}
	}
}

// TestLiveApplyDryRun runs `privaks apply --dry-run` against a real
// subscription with the default credential chain. It only reads: the
// resource group named by PRIVAKS_LIVE_RG (default rg-privaks-live) is not
// created, no provider is registered, nothing is deployed. Opt in with
// AZURE_SUBSCRIPTION_ID (and `az login`); it never runs in CI.
func TestLiveApplyDryRun(t *testing.T) {
	sub := os.Getenv("AZURE_SUBSCRIPTION_ID")
	if sub == "" {
		t.Skip("live: set AZURE_SUBSCRIPTION_ID")
	}
	if os.Getenv("CI") != "" {
		t.Skip("live: never in CI")
	}
	rg := os.Getenv("PRIVAKS_LIVE_RG")
	if rg == "" {
		rg = "rg-privaks-live"
	}
	dir := t.TempDir()
	tpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
  "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2025-09-01", "name": "nsg-privaks-live", "location": "canadacentral"}]}`
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(tpl), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(`{"parameters": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, context.Background(), "", "apply", "--dry-run", "--subscription", sub, "--resource-group", rg,
		"--location", "canadacentral", "--template", filepath.Join(dir, "t.json"), "--parameters", filepath.Join(dir, "p.json"))
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	if code != 0 || !strings.Contains(stdout, "Dry run: nothing was changed.") {
		t.Fatalf("exit %d", code)
	}
}

// TestApplyVerifiesReadBack: after a successful deployment apply reads the
// resources back and runs the verifier's intents on them. The fake ARM
// returns a public key vault, so live verification fails and apply exits 1
// with the intent that failed.
func TestApplyVerifiesReadBack(t *testing.T) {
	useFakeAzure(t, deploytest.New(), false)
	args := append([]string{"apply"}, writeTestArtifact(t)...)
	var kept []string
	for _, a := range args {
		if a != "--no-verify" {
			kept = append(kept, a)
		}
	}
	code, stdout, _ := runCLI(t, context.Background(), "", append(kept, "--yes")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (live verification fails)\n%s", code, stdout)
	}
	for _, want := range []string{"live verification of", "✗ Internet ↛ key vault", "publicNetworkAccess is unset (Enabled)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestApplyChecksAgainstWhatIsDeployed: before any change, apply runs the
// rule catalogue on the template with the resource group's current state as
// "previous". The reference design deployed over a cluster whose
// outboundType differs is refused (PVK062) and no stack is written.
func TestApplyChecksAgainstWhatIsDeployed(t *testing.T) {
	dir := t.TempDir()
	specPath, files := ownArtifacts(t, dir)
	tmpl := filepath.Join(dir, "azuredeploy.json")
	params := filepath.Join(dir, "azuredeploy.parameters.json")
	os.WriteFile(tmpl, files["azuredeploy.json"], 0o600)
	os.WriteFile(params, []byte(`{"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {"adminSshPublicKey": {"value": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVp test"}}}`), 0o600)
	args := []string{"apply", "-f", specPath, "--template", tmpl, "--parameters", params, "--subscription", deploytest.Subscription,
		"--resource-group", "rg-privaks", "--location", "canadacentral", "--yes", "--no-verify"}

	f := deploytest.New()
	f.Groups["rg-privaks"] = "canadacentral"
	f.Existing = append(f.Existing, deploytest.Resource{
		ID:   "/subscriptions/" + deploytest.Subscription + "/resourceGroups/rg-privaks/providers/Microsoft.ContainerService/managedClusters/aks-privaks",
		Type: "Microsoft.ContainerService/managedClusters", Location: "canadacentral",
		Properties: map[string]any{"networkProfile": map[string]any{"outboundType": "userDefinedRouting"}},
	})
	useFakeAzure(t, f, false)
	code, stdout, stderr := runCLI(t, context.Background(), "", args...)
	if code != 1 || !strings.Contains(stderr+stdout, "PVK062") || !strings.Contains(stderr+stdout, "outboundType changes from userDefinedRouting to loadBalancer") {
		t.Fatalf("exit %d; want 1 naming PVK062\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if n := f.Count(http.MethodPut, "/deploymentStacks/"); n != 0 {
		t.Errorf("a stack was written despite the rejection (%d PUTs)", n)
	}

	// The same deployment into an empty group passes the check and deploys.
	f = deploytest.New()
	useFakeAzure(t, f, false)
	code, stdout, stderr = runCLI(t, context.Background(), "", args...)
	if code != 0 || !strings.Contains(stderr, "no error or warning finding against what is deployed") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestApplyRefusesAMissingParameter: the reference design compiled without
// an SSH key has no value for adminSshPublicKey; apply says so before any
// call to Azure (exit 2).
func TestApplyRefusesAMissingParameter(t *testing.T) {
	dir := t.TempDir()
	specPath, files := ownArtifacts(t, dir)
	for name, b := range files {
		os.WriteFile(filepath.Join(dir, name), b, 0o600)
	}
	f := deploytest.New()
	useFakeAzure(t, f, false)
	code, _, stderr := runCLI(t, context.Background(), "", "apply", "-f", specPath, "--template", filepath.Join(dir, "azuredeploy.json"),
		"--parameters", filepath.Join(dir, "azuredeploy.parameters.json"), "--subscription", deploytest.Subscription,
		"--location", "canadacentral", "--yes")
	if code != 2 || !strings.Contains(stderr, "adminSshPublicKey") || !strings.Contains(stderr, "vms.sshPublicKey") {
		t.Fatalf("exit %d, want 2 naming the parameter\n%s", code, stderr)
	}
	if n := len(f.Snapshot()); n != 0 {
		t.Errorf("%d requests reached Azure before the input error", n)
	}
}

// ownSpec is the reference design with a real organisation (no
// placeholder), as a user's privaks.yaml would be.
func ownSpec() []byte {
	return []byte(strings.Replace(string(spec.ReferenceYAML()), "https://dev.azure.com/contoso", "https://dev.azure.com/acme-platform", 1))
}

// ownArtifacts writes ownSpec to dir/privaks.yaml and returns its path and
// the artifacts plan compiles from it.
func ownArtifacts(t *testing.T, dir string) (string, map[string][]byte) {
	t.Helper()
	p := filepath.Join(dir, "privaks.yaml")
	if err := os.WriteFile(p, ownSpec(), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _, err := spec.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	files, err := compile.Artifacts(d)
	if err != nil {
		t.Fatal(err)
	}
	return p, files
}

// apply deploys only the current spec compiled: an artifact planned from
// another version of the spec, or a spec with placeholders, is refused
// before any call to Azure, with the command that fixes it.
func TestApplyRefusesAStaleArtifact(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("privaks.yaml", ownSpec(), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e := run(t, "plan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, e)
	}
	azureArgs := []string{"--subscription", deploytest.Subscription, "--resource-group", "rg-cli", "--location", "canadacentral", "--dry-run", "--no-verify", "--skip-check"}
	applyOnce := func() (int, string, *deploytest.Fake) {
		f := deploytest.New()
		useFakeAzure(t, f, false)
		code, stdout, stderr := runCLI(t, context.Background(), "", append([]string{"apply"}, azureArgs...)...)
		return code, stdout + stderr, f
	}
	// The artifact of the current spec passes the check (the dry run goes
	// on to what Azure would say about the missing SSH key parameter).
	code, out, _ := applyOnce()
	if strings.Contains(out, "was not compiled from") || strings.Contains(out, "placeholder") {
		t.Fatalf("the current artifact is refused: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "spec: privaks.yaml") {
		t.Errorf("apply does not say which spec it compared with:\n%s", out)
	}

	// The spec changes after plan.
	changed := strings.Replace(string(ownSpec()), "region: canadacentral", "region: westeurope", 1)
	os.WriteFile("privaks.yaml", []byte(changed), 0o644)
	code, out, f := applyOnce()
	if code != ExitBadInput || !strings.Contains(out, "out/azuredeploy.json was not compiled from privaks.yaml as it is now") || !strings.Contains(out, "run `privaks plan -f privaks.yaml`") {
		t.Errorf("stale artifact: exit %d\n%s", code, out)
	}
	if len(f.Snapshot()) != 0 {
		t.Errorf("a stale artifact reached Azure (%d requests)", len(f.Snapshot()))
	}

	// A spec with the reference design's placeholder organisation.
	os.Remove("privaks.yaml")
	if code, _, e := run(t, "plan"); code != 0 || !strings.Contains(e, "warning: embedded reference design:") || !strings.Contains(e, "agent.url") {
		t.Fatalf("plan of the embedded design does not warn about its placeholder: exit %d\n%s", code, e)
	}
	code, out, f = applyOnce()
	if code != ExitBadInput || !strings.Contains(out, "agent.url") || !strings.Contains(out, "refusing to deploy placeholders") {
		t.Errorf("placeholder: exit %d\n%s", code, out)
	}
	if len(f.Snapshot()) != 0 {
		t.Errorf("a placeholder reached Azure")
	}
}

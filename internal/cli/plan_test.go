package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/testenv"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, args)
	return code, out.String(), errb.String()
}

func TestPlanReferenceDesign(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, "plan", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"COMPONENT", "network", "dns", "aks", "workloads", "ci agent", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "verified") {
		t.Errorf("plan did not verify: %s", errOut)
	}
	a, err := os.ReadFile(filepath.Join(dir, "azuredeploy.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "azuredeploy.parameters.json")); err != nil {
		t.Fatal(err)
	}
	dir2 := t.TempDir()
	run(t, "plan", "--out", dir2)
	b, _ := os.ReadFile(filepath.Join(dir2, "azuredeploy.json"))
	if !bytes.Equal(a, b) {
		t.Errorf("two plans of the same design differ")
	}
}

func TestBadSpecExits2AndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "privaks.yaml")
	os.WriteFile(spec, []byte("apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nnetwork:\n  hub:\n    addressSpace: 10.1.0.0/22\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, _, errOut := run(t, "plan", "-f", spec, "--out", out)
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errOut)
	}
	if !strings.Contains(errOut, spec+":5:6: network.spoke.addressSpace") {
		t.Errorf("error does not name file:line:column and field: %s", errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output directory written despite the error")
	}
	for _, args := range [][]string{{"verify", "-f", spec}, {"verify", "--template", filepath.Join(dir, "nope.json")}, {"plan", "--bogus"}, {"verify", "-o", "xml"}} {
		if code, _, e := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, e)
		}
	}
}

func TestInitThenPlan(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "privaks.yaml")
	if code, _, e := run(t, "init", "-f", spec); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	if code, _, _ := run(t, "init", "-f", spec); code != 2 {
		t.Errorf("init over an existing file must refuse with exit 2")
	}
	code, _, e := run(t, "plan", "-f", spec, "--out", filepath.Join(dir, "out"))
	if code != 0 {
		t.Fatalf("plan of the init file: %d %s", code, e)
	}
}

func TestVerifyAndExplain(t *testing.T) {
	code, out, e := run(t, "verify", "-o", "json")
	if code != 0 {
		t.Fatalf("verify: %d %s %s", code, out, e)
	}
	if !strings.Contains(out, `"intents": [`) || !strings.Contains(out, `"status": "pass"`) {
		t.Errorf("json shape: %s", out)
	}
	code, out, _ = run(t, "explain", "--from", "vm-agent", "--to", "aks-privaks")
	if code != 0 || !strings.Contains(out, "conditional forwarder for privatelink.canadacentral.azmk8s.io") {
		t.Errorf("explain: %d\n%s", code, out)
	}
	// A template whose vault zone link is missing fails verify with exit 1.
	dir := t.TempDir()
	run(t, "plan", "--out", dir)
	tmpl := filepath.Join(dir, "azuredeploy.json")
	b, _ := os.ReadFile(tmpl)
	broken := strings.Replace(string(b), `"privatelink.vaultcore.azure.net/link-vnet-hub"`, `"privatelink.vaultcore.azure.net/link-vnet-hub-gone"`, 1)
	broken = strings.Replace(broken, `"virtualNetwork": {
          "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')]"
        }
      },
      "dependsOn": [
        "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"`, `"virtualNetwork": {
          "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-other')]"
        }
      },
      "dependsOn": [
        "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"`, 1)
	os.WriteFile(tmpl, []byte(broken), 0o644)
	code, out, _ = run(t, append([]string{"verify", "--template", tmpl}, sshKeyParam...)...)
	if code != 1 || !strings.Contains(out, "public address") {
		t.Errorf("broken template: exit %d\n%s", code, out)
	}
}

func TestUserIntentsFromTheSpec(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "privaks.yaml")
	base := "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: privaks\nagent:\n  url: https://dev.azure.com/contoso\n" +
		"workloads:\n  - name: orders\n    secrets: [orders-db-password]\nintents:\n" +
		"  - from: vm-agent\n    to: aks-privaks\n" +
		"  - name: no RDP from Bastion to the agent\n    from: bas-hub\n    to: vm-agent:3389\n    expect: blocked\n"
	os.WriteFile(spec, []byte(base), 0o644)
	code, out, e := run(t, "verify", "-f", spec)
	if code != 0 || !strings.Contains(out, "✓ vm-agent → aks-privaks") || !strings.Contains(out, "✓ no RDP from Bastion to the agent") {
		t.Fatalf("user intents: exit %d\n%s\n%s", code, out, e)
	}
	os.WriteFile(spec, []byte(base+"  - from: vm-agent\n    to: vm-dns:22\n"), 0o644)
	code, out, _ = run(t, "verify", "-f", spec)
	if code != 1 || !strings.Contains(out, "✗ vm-agent → vm-dns:22") || !strings.Contains(out, "nsg-snet-dns") {
		t.Errorf("a failing user intent must exit 1 and name the NSG: %d\n%s", code, out)
	}
	if code, _, _ := run(t, "plan", "-f", spec, "--out", filepath.Join(dir, "out")); code != 1 {
		t.Errorf("plan must fail on a failing user intent, exit %d", code)
	}
}

func TestPlanRunsCheck(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "privaks.yaml")
	head := "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: privaks\nagent: {url: \"https://dev.azure.com/c\"}\n"
	os.WriteFile(spec, []byte(head), 0o644)
	code, _, e := run(t, "plan", "-f", spec, "--out", filepath.Join(dir, "out"))
	if code != 0 || !strings.Contains(e, "no error or warning finding") {
		t.Fatalf("plan did not report the check: %d %s", code, e)
	}
	// A valid spec whose node resource group name (MC_<rg>_<cluster>_<region>)
	// exceeds 80 characters: check's PVK006 is an error, so plan writes nothing.
	os.WriteFile(spec, []byte(head+"aks:\n  name: aks-a-very-long-cluster-name-that-azure-accepts-on-its-own-x\n  dnsPrefix: aks\n"), 0o644)
	out := filepath.Join(dir, "out2")
	code, stdout, _ := run(t, "plan", "-f", spec, "--out", out)
	if code != 1 || !strings.Contains(stdout, "PVK006") {
		t.Errorf("plan with an error finding: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("plan wrote artifacts despite an error finding")
	}
}

func TestInitWithPlannedAddresses(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "privaks.yaml")
	code, _, e := run(t, "init", "-f", spec, "--on-prem", "10.0.0.0/16", "--on-prem", "192.168.0.0/16")
	if code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	b, _ := os.ReadFile(spec)
	if !strings.Contains(string(b), "onPremises: [10.0.0.0/16, 192.168.0.0/16]") || strings.Contains(string(b), "addressSpace: 10.0.0.0/22") {
		t.Errorf("network block not planned:\n%s", b)
	}
	if code, out, e := run(t, "plan", "-f", spec, "--out", filepath.Join(dir, "out")); code != 0 {
		t.Errorf("plan of the planned spec: %d\n%s\n%s", code, out, e)
	}
	if code, _, _ := run(t, "init", "-f", filepath.Join(dir, "x.yaml"), "--base", "nonsense"); code != 2 {
		t.Errorf("bad --base must exit 2")
	}
}

func TestTemplateParamsAndWarnings(t *testing.T) {
	tmpl := testenv.Testdata(t, "arm", "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json")
	// ARM refuses a deployment without a required parameter, and so does
	// verify: exit 2, naming the parameter, its type and where it is
	// declared, and the others missing; nothing on stdout.
	code, out, errOut := run(t, "verify", "--template", tmpl)
	if code != ExitBadInput || out != "" || !strings.Contains(errOut, `__azuredeploy.json:93:22: parameter "adminUsername" (string): required (no default value) and not given; 1 more required parameters not given: workspaceName`) {
		t.Errorf("without adminUsername and workspaceName: exit %d, want 2 naming them\n%s\n%s", code, out, errOut)
	}
	// The secure one (adminPasswordOrKey) is never required to analyse: a
	// secret privaks does not need stays unknown, and the VM is still
	// analysed (its password is no part of any intent).
	code, out, errOut = run(t, "verify", "--template", tmpl, "--param", "adminUsername=azureuser", "--param", "workspaceName=ws")
	if code != 1 || strings.Contains(out, "ignored: ") || !strings.Contains(out, "TestVm → key vault") {
		t.Errorf("with --param: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := run(t, "verify", "--param", "x=1"); code != 2 {
		t.Errorf("--param without --template must be an input error")
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/spec"
)

// Without -f, a command reads ./privaks.yaml when it exists and says so;
// the embedded design only when there is none, and it says that too.
func TestSpecDiscovery(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)

	code, _, errOut := run(t, "plan", "--out", "embedded")
	if code != 0 {
		t.Fatalf("plan without a spec: exit %d\n%s", code, errOut)
	}
	if first, _, _ := strings.Cut(errOut, "\n"); !strings.Contains(first, "spec: embedded reference design") {
		t.Errorf("first stderr line does not say the embedded design was read: %q", first)
	}
	tmpl, _ := os.ReadFile(filepath.Join("embedded", "azuredeploy.json"))
	if !strings.Contains(string(tmpl), `"canadacentral"`) {
		t.Errorf("embedded plan not in canadacentral")
	}

	own := strings.Replace(string(spec.ReferenceYAML()), "region: canadacentral", "region: westeurope", 1)
	own = strings.Replace(own, "mode: natGateway ", "mode: firewall ", 1)
	own = strings.Replace(own, "aksOutboundType: loadBalancer ", "aksOutboundType: userDefinedRouting ", 1)
	if err := os.WriteFile(DefaultSpecFile, []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan", "--out", "mine"}, {"render", "--out", "mine-render"}, {"verify"}, {"check"}} {
		code, out, errOut := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		if !strings.Contains(errOut, "spec: privaks.yaml\n") {
			t.Errorf("%v does not say it read privaks.yaml:\n%s", args, errOut)
		}
	}
	tmpl, _ = os.ReadFile(filepath.Join("mine", "azuredeploy.json"))
	for _, want := range []string{`"westeurope"`, `"Microsoft.Network/azureFirewalls"`} {
		if !strings.Contains(string(tmpl), want) {
			t.Errorf("plan without -f did not compile ./privaks.yaml: template lacks %s", want)
		}
	}
	// -f still wins.
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, spec.ReferenceYAML(), 0o644)
	if code, _, errOut := run(t, "plan", "-f", other, "--out", "other"); code != 0 || !strings.Contains(errOut, "spec: "+other) {
		t.Errorf("-f other.yaml: exit %d\n%s", code, errOut)
	}
	// A broken ./privaks.yaml is reported, never replaced by the embedded design.
	os.WriteFile(DefaultSpecFile, []byte("apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: BAD\n"), 0o644)
	if code, _, errOut := run(t, "plan", "--out", "bad"); code != ExitBadInput || !strings.Contains(errOut, "privaks.yaml:3:7: name") {
		t.Errorf("broken ./privaks.yaml: exit %d\n%s", code, errOut)
	}
}

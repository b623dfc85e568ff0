package spec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/spec"
)

// The bounds on the fields that flow into the VMs' customData keep it
// under Azure's limit: a spec at every bound compiles to customData of at
// most 87,380 base64 characters; one character more is refused at plan.
func TestCustomDataUnderAzureLimit(t *testing.T) {
	var onPrem, upstream, labels []string
	for i := range 100 {
		onPrem = append(onPrem, fmt.Sprintf("192.168.%d.0/24", i))
		upstream = append(upstream, fmt.Sprintf("10.250.%d.%d", i/50, 10+i%50))
	}
	for i := range 20 {
		labels = append(labels, fmt.Sprintf("l%02d%s", i, strings.Repeat("x", 61)))
	}
	for _, kind := range []string{"azdo", "github"} {
		url := "https://dev.azure.com/" + strings.Repeat("a", 256-len("https://dev.azure.com/"))
		if kind == "github" {
			url = "https://github.com/" + strings.Repeat("o", 39) + "/" + strings.Repeat("r", 100)
		}
		src := fmt.Sprintf(`apiVersion: privaks.dev/v1alpha1
kind: LandingZone
name: lz
network:
  onPremises: [%s]
dns:
  upstream: [%s]
agent:
  kind: %s
  url: %s
  pool: %s
  labels: [%s]
  tokenSecretName: %s
`, strings.Join(onPrem, ", "), strings.Join(upstream, ", "), kind, url, strings.Repeat("p", 64), strings.Join(labels, ", "), strings.Repeat("s", 127))
		d, _, err := spec.Parse("max.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%s: a spec at every bound is refused: %v", kind, err)
		}
		tmpl, err := compile.Compile(d)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range tmpl.Resources {
			if r.Type != "Microsoft.Compute/virtualMachines" {
				continue
			}
			osp, _ := r.Properties["osProfile"].(map[string]any)
			cd, _ := osp["customData"].(string)
			if cd == "" {
				continue
			}
			n++
			t.Logf("%s %s: customData %d characters (limit %d)", kind, r.Name, len(cd), spec.MaxCustomData)
			if len(cd) > spec.MaxCustomData {
				t.Errorf("%s %s: customData is %d characters, over Azure's %d", kind, r.Name, len(cd), spec.MaxCustomData)
			}
		}
		if n == 0 {
			t.Fatalf("%s: no VM customData found; the test measures nothing", kind)
		}
	}
	over := "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent:\n  url: https://dev.azure.com/acme\n  pool: " + strings.Repeat("p", 65) + "\n"
	if _, _, err := spec.Parse("over.yaml", []byte(over)); err == nil || !strings.Contains(err.Error(), "agent.pool") {
		t.Errorf("a 65-character pool name: %v", err)
	}
}

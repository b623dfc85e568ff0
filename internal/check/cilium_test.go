package check_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/check"
	designs "github.com/privaks/privaks/internal/fixture"
)

// The Overlay and Cilium variants pass the catalogue with no error or
// warning; a Cilium dataplane with another policy engine, or the cilium
// engine without the dataplane, is what AKS rejects (PVK140).
func TestOverlayAndCiliumVariants(t *testing.T) {
	for _, name := range []string{"overlay", "cilium", "private-only", "hosts"} {
		for _, f := range check.Run(build(t, designs.Named(t, name))) {
			if f.Severity == check.Error || f.Severity == check.Warning {
				t.Errorf("%s: %s %s", name, f.Rule, f.Message)
			}
		}
	}
	for _, c := range []struct {
		variant, policy, want string
	}{
		{"cilium", "azure", "uses the cilium dataplane with networkPolicy azure"},
		{"overlay", "cilium", "has networkPolicy cilium without networkDataplane cilium"},
	} {
		tm := designs.Named(t, c.variant)
		aks := first(t, tm, "Microsoft.ContainerService/managedClusters")
		aks.Properties["networkProfile"].(map[string]any)["networkPolicy"] = c.policy
		fs := check.Run(build(t, tm), check.WithOnly("PVK140"))
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("%s with policy %s: %v", c.variant, c.policy, fs)
		}
	}
}

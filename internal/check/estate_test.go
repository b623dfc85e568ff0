package check_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/check"
	designs "github.com/privaks/privaks/internal/fixture"
)

// The estate is the one verify's benchmarks use (fixture.Estate): 1 hub
// with a BIND forwarder, 200 spokes peered both ways, 50 zones, 1,000
// private endpoints, 5 private clusters.

func TestEstateChecks(t *testing.T) {
	tw := build(t, designs.Estate(t, designs.EstateSpokes, designs.EstateZones, designs.EstateEndpoints, designs.EstateClusters))
	if len(tw.VNets) != designs.EstateSpokes+1 || len(tw.Zones) < designs.EstateZones {
		t.Fatalf("estate: %d VNets, %d zones", len(tw.VNets), len(tw.Zones))
	}
	// The generator is a load fixture, not a complete design: it gives the
	// clusters no role assignments and no dependsOn. Those omissions, and
	// nothing else, are errors: one per cluster for PVK078 (created before
	// DNS works), PVK100 and PVK101 (missing roles), plus PVK085 for the
	// VM that resolves through the forwarder without waiting for it.
	got := map[string]int{}
	for _, f := range check.Run(tw, check.WithMinSeverity(check.Error)) {
		got[f.Rule]++
	}
	want := map[string]int{"PVK078": designs.EstateClusters, "PVK100": designs.EstateClusters, "PVK101": designs.EstateClusters, "PVK085": 1}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("error findings on the estate (-got +want):\n%s", diff)
	}
}

func BenchmarkCheckReference(b *testing.B) {
	tw := build(b, reference(b))
	b.ResetTimer()
	for b.Loop() {
		check.Run(tw)
	}
}

func BenchmarkCheckEstate(b *testing.B) {
	tw := build(b, designs.Estate(b, designs.EstateSpokes, designs.EstateZones, designs.EstateEndpoints, designs.EstateClusters))
	b.ResetTimer()
	for b.Loop() {
		check.Run(tw)
	}
}

// TestScaleEstateOrderingThroughNestedDeployments: in the scaling estate
// each cluster sits in a spoke deployment nested in a group deployment
// that depends on the hub's deployment, so the hub's zone link and
// forwarder VM are deployed before every cluster. PVK078 names only what
// really can come after the cluster: the control-plane identity's role
// assignments, which the unit declares beside the cluster without a
// dependsOn.
func TestScaleEstateOrderingThroughNestedDeployments(t *testing.T) {
	tw := build(t, designs.ScaleEstate(t, 2))
	n := 0
	for _, f := range check.Run(tw, check.WithMinSeverity(check.Error)) {
		if f.Rule != "PVK078" {
			continue
		}
		n++
		for _, hub := range []string{"zone link", "vm-dns"} {
			if strings.Contains(f.Message, hub) {
				t.Errorf("PVK078 names %s, which the hub deployment the cluster's deployment depends on deploys: %s", hub, f.Message)
			}
		}
		if !strings.Contains(f.Message, "role assignment (Network Contributor)") {
			t.Errorf("PVK078 does not name the unit's role assignment: %s", f.Message)
		}
	}
	if n != 2 {
		t.Errorf("%d PVK078 findings, want one per cluster (2)", n)
	}
}

package check_test

import (
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

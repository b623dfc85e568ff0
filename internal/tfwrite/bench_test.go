package tfwrite_test

import (
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/tfwrite"
)

// BenchmarkWriteReference writes the reference design's module.
func BenchmarkWriteReference(b *testing.B) {
	set, err := armeval.Evaluate(fixture.Reference(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tfwrite.Write(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteEstate writes the generated estate (200 spokes, 1,000
// private endpoints): the writer's cost grows with the set.
func BenchmarkWriteEstate(b *testing.B) {
	set, err := armeval.Evaluate(fixture.Estate(b, fixture.EstateSpokes, fixture.EstateZones, fixture.EstateEndpoints, fixture.EstateClusters))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tfwrite.Write(set); err != nil {
			b.Fatal(err)
		}
	}
}

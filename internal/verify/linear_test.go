package verify_test

import (
	"encoding/json"
	"math"
	"runtime"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// TestAllocationsGrowLinearly runs every stage of check and verify on the
// scaling estate at 100 and 1,000 spokes and compares the allocations per
// resource: a count, the same on a busy machine as on an idle one, which
// a pass that does per-pair work (every client against every account,
// every cluster against every VNet: the quadratic passes issue 17 found)
// makes grow with the estate. BenchmarkScale measures the time; this
// keeps the linear shape from regressing unnoticed. Within ±15 %, the
// issue's bound for time per resource.
func TestAllocationsGrowLinearly(t *testing.T) {
	per := map[string][2]float64{}
	for i, spokes := range []int{100, 1000} {
		data, err := json.Marshal(fixture.ScaleEstate(t, spokes))
		if err != nil {
			t.Fatal(err)
		}
		k := boundScale(spokes)
		stage := func(name string, f func()) {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			f()
			runtime.ReadMemStats(&m1)
			p := per[name]
			p[i] = float64(m1.Mallocs - m0.Mallocs)
			per[name] = p
		}
		var tp *arm.Template
		stage("read", func() {
			var err error
			if tp, err = armeval.ReadTemplateScaled(data, k); err != nil {
				t.Fatal(err)
			}
		})
		set, err := armeval.Evaluate(tp, armeval.WithBoundScale(k))
		if err != nil {
			t.Fatal(err)
		}
		stage("evaluate", func() {
			if _, err := armeval.Evaluate(tp, armeval.WithBoundScale(k)); err != nil {
				t.Fatal(err)
			}
		})
		n := float64(set.Coverage.Declared)
		stage("build", func() { twin.Build(set) })
		tw := twin.Build(set)
		stage("verify", func() { verify.Run(tw, verify.Derive(tw)) })
		tw = twin.Build(set)
		stage("check", func() { check.Run(tw) })
		for name, p := range per {
			p[i] /= n
			per[name] = p
		}
	}
	for _, name := range []string{"read", "evaluate", "build", "verify", "check"} {
		p := per[name]
		mean := (p[0] + p[1]) / 2
		if d := math.Abs(p[1]-p[0]) / 2 / mean; d > 0.15 {
			t.Errorf("%s: %.1f allocations per resource at 100 spokes, %.1f at 1,000 (±%.0f %%, bound ±15 %%): a pass grows faster than the estate", name, p[0], p[1], 100*d)
		} else {
			t.Logf("%s: %.1f / %.1f allocations per resource (±%.0f %%)", name, p[0], p[1], 100*d)
		}
	}
}

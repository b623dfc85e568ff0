package verify_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// scaleSizes are the spoke counts of BenchmarkScale. The 10,000-spoke
// estate (180,161 resources) takes tens of seconds per stage, so it runs
// only when PRIVAKS_BENCH_LARGE is set; PRIVAKS_BENCH_SPOKES="3000 5000"
// runs other sizes instead.
func scaleSizes(b *testing.B) []int {
	if s := os.Getenv("PRIVAKS_BENCH_SPOKES"); s != "" {
		var out []int
		for _, f := range strings.Fields(s) {
			n, err := strconv.Atoi(f)
			if err != nil {
				b.Fatalf("PRIVAKS_BENCH_SPOKES: %v", err)
			}
			out = append(out, n)
		}
		return out
	}
	if os.Getenv("PRIVAKS_BENCH_LARGE") != "" {
		return []int{10, 100, 1000, 10000}
	}
	return []int{10, 100, 1000}
}

// scaleEstate is the estate at a size: n spokes with five private
// endpoints each, 50 zones and 5 clusters, as fixture.Estate's defaults
// (200 spokes) are.
func scaleEstate(b *testing.B, spokes int) *arm.Template {
	return fixture.Estate(b, spokes, fixture.EstateZones, 5*spokes, fixture.EstateClusters)
}

// BenchmarkScale measures each stage of check and verify on estates of
// 10, 100, 1,000 (and 10,000) spokes and reports the time per template
// resource: a cost linear in the estate keeps ns/resource flat across
// sizes. read is JSON bytes → armeval.ReadTemplate, evaluate is
// armeval.Evaluate, build is twin.Build, verify is verify.Derive and
// verify.Run, check is check.Run, and pipeline is all of them in a row,
// what `privaks check` and `privaks verify` do between them.
func BenchmarkScale(b *testing.B) {
	for _, spokes := range scaleSizes(b) {
		tmpl := scaleEstate(b, spokes)
		data, err := json.Marshal(tmpl)
		if err != nil {
			b.Fatal(err)
		}
		// One template of 1,000 spokes is past ARM's size limits and
		// privaks's bounds on one template; k lifts them in proportion.
		k := boundScale(spokes)
		set, err := armeval.Evaluate(tmpl, armeval.WithBoundScale(k))
		if err != nil {
			b.Fatal(err)
		}
		tw := twin.Build(set)
		// Past 800 resources the estate is nested deployments of at most
		// 800 each (ARM's limit per template): count what they declare.
		n := float64(set.Coverage.Declared)
		// ns/resource is wall time; cpu-ns/resource is the process's user
		// and system time over the same loop, the figure to compare on a
		// machine other jobs share (run with -cpu 1 so that it is one
		// core's work).
		var cpu0 time.Duration
		start := func() { cpu0 = cpuTime() }
		perResource := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/resource")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/n, "cpu-ns/resource")
			b.ReportMetric(n, "resources")
		}
		b.Run(fmt.Sprintf("spokes=%d/read", spokes), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			start()
			for b.Loop() {
				if _, err := armeval.ReadTemplateScaled(data, k); err != nil {
					b.Fatal(err)
				}
			}
			perResource(b)
		})
		b.Run(fmt.Sprintf("spokes=%d/evaluate", spokes), func(b *testing.B) {
			b.ReportAllocs()
			start()
			for b.Loop() {
				if _, err := armeval.Evaluate(tmpl, armeval.WithBoundScale(k)); err != nil {
					b.Fatal(err)
				}
			}
			perResource(b)
		})
		b.Run(fmt.Sprintf("spokes=%d/build", spokes), func(b *testing.B) {
			b.ReportAllocs()
			start()
			for b.Loop() {
				twin.Build(set)
			}
			perResource(b)
		})
		b.Run(fmt.Sprintf("spokes=%d/verify", spokes), func(b *testing.B) {
			b.ReportAllocs()
			var rs []verify.Result
			start()
			for b.Loop() {
				rs = verify.Run(tw, verify.Derive(tw))
			}
			perResource(b)
			b.ReportMetric(float64(len(rs)), "intents")
		})
		b.Run(fmt.Sprintf("spokes=%d/check", spokes), func(b *testing.B) {
			b.ReportAllocs()
			var fs []check.Finding
			start()
			for b.Loop() {
				fs = check.Run(tw)
			}
			perResource(b)
			b.ReportMetric(float64(len(fs)), "findings")
		})
		b.Run(fmt.Sprintf("spokes=%d/pipeline", spokes), func(b *testing.B) {
			b.ReportAllocs()
			start()
			for b.Loop() {
				t, err := armeval.ReadTemplateScaled(data, k)
				if err != nil {
					b.Fatal(err)
				}
				set, err := armeval.Evaluate(t, armeval.WithBoundScale(k))
				if err != nil {
					b.Fatal(err)
				}
				tw := twin.Build(set)
				verify.Run(tw, verify.Derive(tw))
				check.Run(tw)
			}
			perResource(b)
		})
	}
}

// boundScale is the factor by which armeval's bounds on one template
// (4 MB, 8,000 resources, 10 million steps of work) are lifted for an
// estate of n spokes: about 6.4 KB, 18 resources and under 1,000 steps per
// spoke, so one unit per 100 spokes leaves room.
func boundScale(spokes int) int { return max(1, spokes/100+1) }

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

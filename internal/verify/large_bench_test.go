package verify_test

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// largeTemplate is the 2.7 MB subscription-scope template of issue 10's
// speed target (AVM App Service landing zone accelerator, testdata/arm/
// README.md) with the one parameter it needs; when it is not in testdata
// the benchmark takes the largest template there.
const largeTemplate = "avm-ptn-app-service-lza-hosting-environment.json"

var largeParams = map[string]any{
	"logAnalyticsWorkspaceResourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/law"}

func largestTemplate(b *testing.B) (string, map[string]any) {
	dir := testenv.Testdata(b, "arm")
	if _, err := os.Stat(filepath.Join(dir, largeTemplate)); err == nil {
		return filepath.Join(dir, largeTemplate), largeParams
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	best, size := "", int64(0)
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > size && filepath.Ext(f) == ".json" && !strings.Contains(f, "parameters") {
			best, size = f, st.Size()
		}
	}
	return best, nil
}

// BenchmarkReadVerifyLargeTemplate is `privaks verify` and `privaks check`
// on the large template, end to end: read (JSONC) → evaluate → twin →
// derive and run the intents → the rule catalogue. It reports the peak
// heap of one run (heap in use sampled after each stage, GC off) as
// peak-MB, besides the allocation figures.
func BenchmarkReadVerifyLargeTemplate(b *testing.B) {
	path, params := largestTemplate(b)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("template %s (%d bytes)", filepath.Base(path), len(data))
	pipeline := func(sample func()) (resources, intents, findings int) {
		tmpl, err := armeval.ReadTemplate(data)
		if err != nil {
			b.Fatal(err)
		}
		sample()
		set, _ := armeval.Evaluate(tmpl, armeval.WithParameters(params), armeval.WithSource(filepath.Base(path)))
		if set == nil {
			b.Fatal("not evaluated")
		}
		sample()
		tw := twin.Build(set)
		rs := verify.Run(tw, verify.Derive(tw))
		sample()
		fs := check.Run(tw)
		sample()
		_ = tw.Coverage()
		return len(set.Resources), len(rs), len(fs)
	}
	// One run with the collector off: the highest heap in use is what
	// the run needs at most (with GC on it needs less).
	var peak uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	old := debug.SetGCPercent(-1)
	n, in, fn := pipeline(func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse-min(base, ms.HeapInuse))
	})
	debug.SetGCPercent(old)
	b.Logf("%d resources, %d intents, %d findings; peak heap without GC %d MB", n, in, fn, peak>>20)

	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		pipeline(func() {})
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}

package testenv

import (
	"runtime/metrics"
	"testing"
	"time"
)

// Within runs fn in the calling goroutine (so a fuzz engine sees its
// panics and coverage) and fails the test when it took longer than d or
// allocated more than maxBytes: the per-input budget of the fuzz targets,
// the same bounds every input must keep ("seconds and ~1 GB").
func Within(t testing.TB, d time.Duration, maxBytes uint64, fn func()) {
	t.Helper()
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	before := sample[0].Value.Uint64()
	start := time.Now()
	fn()
	took := time.Since(start)
	metrics.Read(sample)
	alloc := sample[0].Value.Uint64() - before
	if took > d {
		t.Errorf("took %v, over the %v budget", took.Round(time.Millisecond), d)
	}
	if alloc > maxBytes {
		t.Errorf("allocated %d MB, over the %d MB budget", alloc>>20, maxBytes>>20)
	}
}

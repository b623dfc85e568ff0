package verify_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
)

// BenchmarkScaleControl is BenchmarkScale's control: a pass that is
// linear by construction, over as many records as the scaling estate has
// resources at 10 / 100 / 1,000 (and, with PRIVAKS_BENCH_LARGE, 10,000)
// spokes, shaped like the twin and verify's work on it. Each record is
// live, pointer-rich and about the size of a twin resource (a map of ten
// strings and a nested map, ~40 objects, ~3.5 KB), reached through an
// index by its ID; the pass looks up three records per record, builds a
// result of ~37 objects and ~4 KB and keeps it, as verify keeps its
// results. Nothing in it grows faster than the records: its cost per
// record at each size is what this machine and Go's collector charge a
// linear algorithm for its heap alone (docs/verify.md, Scaling).
//
// access=local looks up each record's next three neighbours (an estate's
// spokes are laid out in order); access=spread looks up records spread
// over the whole heap. PRIVAKS_BENCH_COLD starts every iteration as
// BenchmarkScale's does then: memory returned to the OS, caches evicted.
func BenchmarkScaleControl(b *testing.B) {
	sizes := []int{162, 1431, 14121}
	if os.Getenv("PRIVAKS_BENCH_LARGE") != "" {
		sizes = append(sizes, 141030)
	}
	for _, spread := range []bool{false, true} {
		access := "local"
		if spread {
			access = "spread"
		}
		cpuPer := make([]float64, len(sizes))
		for si, n := range sizes {
			recs, index := controlRecords(n, spread)
			runtime.GC()
			b.Run(fmt.Sprintf("access=%s/records=%d", access, n), func(b *testing.B) {
				controlMeasure(b, recs, index, &cpuPer[si])
			})
			runtime.KeepAlive(recs)
		}
		if len(sizes) > 1 {
			fmt.Printf("control %-6s cpu-ns %s\n", access, spreadLine(cpuPer, "%.0f"))
		}
	}
}

// controlMeasure runs controlPass b.N times and reports its time per
// record (wall, CPU and system), keeping the CPU figure in cpuPer.
func controlMeasure(b *testing.B, recs []*controlRecord, index map[string]*controlRecord, cpuPer *float64) {
	n := len(recs)
	b.ReportAllocs()
	var cpu, sys int64
	var out []controlResult
	if os.Getenv("PRIVAKS_BENCH_COLD") == "" {
		b.StopTimer()
		out = controlPass(recs, index) // warm: after one run, as BenchmarkScale
		b.StartTimer()
	}
	for i := 0; i < b.N; i++ {
		if os.Getenv("PRIVAKS_BENCH_COLD") != "" {
			b.StopTimer()
			out = nil
			evictCaches()
			b.StartTimer()
		}
		c0, s0 := cpuTime(), sysTime()
		out = controlPass(recs, index)
		cpu += int64(cpuTime() - c0)
		sys += int64(sysTime() - s0)
	}
	b.StopTimer()
	if len(out) != n {
		b.Fatalf("%d results, want %d", len(out), n)
	}
	per := func(x int64) float64 { return float64(x) / float64(b.N) / float64(n) }
	b.ReportMetric(per(b.Elapsed().Nanoseconds()), "ns/record")
	b.ReportMetric(per(cpu), "cpu-ns/record")
	b.ReportMetric(per(sys), "sys-ns/record")
	*cpuPer = per(cpu)
}

// BenchmarkFreshPage is what this machine charges a process for each page
// of memory it touches for the first time: an anonymous mapping of 4 MB
// written one byte a page (each write a page fault, the kernel mapping a
// zeroed page), then unmapped. On the 2-vCPU VM of docs/verify.md a page
// costs 13–21 µs, against well under a microsecond on bare metal: every
// 4 KB a command allocates afresh costs it as much as ~50 µs of work.
func BenchmarkFreshPage(b *testing.B) {
	const pages = 1024
	size := pages * os.Getpagesize()
	for b.Loop() {
		m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < size; i += os.Getpagesize() {
			m[i] = 1
		}
		if err := syscall.Munmap(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pages, "ns/page")
}

// controlRecord is one record of BenchmarkScaleControl's heap.
type controlRecord struct {
	id    string
	props map[string]any
	peers [3]string // the IDs the pass looks up
}

// controlResult is what the pass keeps per record.
type controlResult struct {
	name     string
	evidence []string
	hops     []map[string]string
}

// controlRecords are n records and their index by ID.
func controlRecords(n int, spread bool) ([]*controlRecord, map[string]*controlRecord) {
	recs := make([]*controlRecord, n)
	index := make(map[string]*controlRecord, n)
	for i := range recs {
		id := "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-" + strconv.Itoa(i/14) +
			"/providers/Microsoft.Network/virtualNetworks/vnet-" + strconv.Itoa(i)
		props := map[string]any{}
		for f := range 10 {
			props["field"+strconv.Itoa(f)] = id + "/" + strconv.Itoa(f)
		}
		nested := map[string]any{}
		for f := range 10 {
			nested["n"+strconv.Itoa(f)] = []any{strconv.Itoa(i * f), map[string]any{"v": strconv.Itoa(f)}}
		}
		props["properties"] = nested
		r := &controlRecord{id: id, props: props}
		for k := range r.peers {
			if spread {
				r.peers[k] = strconv.Itoa((i*7919 + k*104729) % n)
			} else {
				r.peers[k] = strconv.Itoa((i + k + 1) % n)
			}
		}
		recs[i] = r
		index[strconv.Itoa(i)] = r
	}
	return recs, index
}

// controlPass is the linear pass: per record, three index lookups and a
// result of ~37 allocations.
func controlPass(recs []*controlRecord, index map[string]*controlRecord) []controlResult {
	out := make([]controlResult, 0, len(recs))
	for _, r := range recs {
		res := controlResult{name: "reach " + r.id}
		for _, p := range r.peers {
			peer := index[p]
			f, _ := peer.props["field3"].(string)
			res.evidence = append(res.evidence, r.id+" → "+f)
			for range 3 {
				res.hops = append(res.hops, map[string]string{"from": r.id, "to": peer.id, "via": f})
			}
		}
		out = append(out, res)
	}
	return out
}

package check

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/twin"
)

// TestVNetsOverlappingIsAScan: the address-space index finds exactly the
// VNets a scan with overlapping finds, in VNet order, for ranges that are
// inside, around, equal to or beside the spaces (unmasked ones, IPv6,
// invalid ones, a VNet with several spaces and a space two VNets share).
func TestVNetsOverlappingIsAScan(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 17))
	randPrefix := func() netip.Prefix {
		if rnd.IntN(10) == 0 {
			return netip.MustParsePrefix(fmt.Sprintf("fd00:%x::/%d", rnd.IntN(4), 16+rnd.IntN(50)))
		}
		a := netip.AddrFrom4([4]byte{10, byte(rnd.IntN(4)), byte(rnd.IntN(256)), byte(rnd.IntN(256))})
		return netip.PrefixFrom(a, 8+rnd.IntN(25)) // often unmasked
	}
	tw := &twin.Twin{}
	for i := range 300 {
		v := &twin.VNet{Name: fmt.Sprint("v", i)}
		for range 1 + rnd.IntN(3) {
			v.AddressSpace = append(v.AddressSpace, randPrefix())
		}
		if i%50 == 0 {
			v.AddressSpace = append(v.AddressSpace, netip.Prefix{})
		}
		tw.VNets = append(tw.VNets, v)
	}
	tw.VNets[7].AddressSpace = tw.VNets[3].AddressSpace
	c := &Context{Twin: tw}
	queries := []netip.Prefix{{}, netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0"), tw.VNets[3].AddressSpace[0]}
	for range 2000 {
		queries = append(queries, randPrefix())
	}
	hits := 0
	for _, p := range queries {
		var want []int
		for i, v := range tw.VNets {
			if _, ok := overlapping(p, v.AddressSpace); ok {
				want = append(want, i)
			}
		}
		hits += len(want)
		if got := c.vnetsOverlapping(p); !slices.Equal(got, want) {
			t.Fatalf("vnetsOverlapping(%s) = %v, want %v", p, got, want)
		}
	}
	if hits < len(queries) {
		t.Fatalf("only %d overlaps in %d queries: the test asks too little", hits, len(queries))
	}
}

// TestOrderFindingsAsSliceStable: orderFindings puts findings in the
// order sort.SliceStable on the findings themselves gives (resource
// case-insensitively, then rule, then message; ties, including two
// spellings of one resource, kept in their order).
func TestOrderFindingsAsSliceStable(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 17))
	for _, n := range []int{0, 1, 2, 3, 50, 1000} {
		var fs []Finding
		for i := range n {
			fs = append(fs, Finding{Resource: []string{"/a", "/A", "/b", "/B/x", "/c"}[rnd.IntN(5)],
				Rule: fmt.Sprint("PVK00", rnd.IntN(3)), Message: fmt.Sprint(rnd.IntN(3)), Fix: fmt.Sprint(i)})
		}
		want := slices.Clone(fs)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if a.Resource != b.Resource {
				return strings.ToLower(a.Resource) < strings.ToLower(b.Resource)
			}
			if a.Rule != b.Rule {
				return a.Rule < b.Rule
			}
			return a.Message < b.Message
		})
		if got := orderFindings(fs); !slices.EqualFunc(got, want, func(a, b Finding) bool { return a.Fix == b.Fix }) {
			t.Errorf("%d findings: order differs from sort.SliceStable", n)
		}
	}
}

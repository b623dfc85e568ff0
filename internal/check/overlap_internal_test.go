package check

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/privaks/privaks/internal/twin"
)

// TestOverlappingVNetsIsPairwise: the interval sweep finds exactly the VNet
// pairs an all-pairs comparison finds, in the same order, on random
// address plans with nested, equal, disjoint, IPv6 and unmasked prefixes.
func TestOverlappingVNetsIsPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 300 {
		var vs []*twin.VNet
		for range rng.IntN(12) {
			v := &twin.VNet{}
			for range rng.IntN(3) {
				if rng.IntN(8) == 0 {
					v.AddressSpace = append(v.AddressSpace, netip.MustParsePrefix("fd00::/8"))
					continue
				}
				if rng.IntN(10) == 0 {
					v.AddressSpace = append(v.AddressSpace, netip.Prefix{})
					continue
				}
				a := netip.AddrFrom4([4]byte{10, byte(rng.IntN(4)), byte(rng.IntN(256)), byte(rng.IntN(256))})
				v.AddressSpace = append(v.AddressSpace, netip.PrefixFrom(a, 12+rng.IntN(15)))
			}
			vs = append(vs, v)
		}
		var want [][2]int
		for i := range vs {
			for j := i + 1; j < len(vs); j++ {
				if slices.ContainsFunc(vs[i].AddressSpace, func(a netip.Prefix) bool {
					_, ok := overlapping(a, vs[j].AddressSpace)
					return ok
				}) {
					want = append(want, [2]int{i, j})
				}
			}
		}
		if got := overlappingVNets(vs); !slices.Equal(got, want) {
			t.Fatalf("round %d: %v\ngot  %v\nwant %v", round, spaces(vs), got, want)
		}
	}
}

func spaces(vs []*twin.VNet) [][]netip.Prefix {
	var out [][]netip.Prefix
	for _, v := range vs {
		out = append(out, v.AddressSpace)
	}
	return out
}

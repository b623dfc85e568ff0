package addrplan

import (
	"math/big"
	"net/netip"
)

// bitsForSlow is the reference implementation of BitsFor: try every prefix
// length from /29 down and return the first whose usable addresses, counted
// with big integers, hold need.
func bitsForSlow(need int) (int, bool) {
	if need < 1 {
		need = 1
	}
	for b := maxBits; b >= minBits; b-- {
		size := new(big.Int).Lsh(big.NewInt(1), uint(32-b))
		usable := size.Sub(size, big.NewInt(reserved))
		if usable.Cmp(big.NewInt(int64(need))) >= 0 {
			return b, true
		}
	}
	return minBits - 1, false
}

// containsSlow reports whether outer contains inner by walking inner's
// first and last addresses.
func containsSlow(outer, inner netip.Prefix) bool {
	first := inner.Masked().Addr()
	last := first
	for range 1<<(32-inner.Bits()) - 1 {
		last = last.Next()
	}
	return outer.Contains(first) && outer.Contains(last)
}

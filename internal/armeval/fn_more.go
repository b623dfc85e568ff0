package armeval

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"time"
)

// Functions of the ARM template function reference
// (learn.microsoft.com/azure/azure-resource-manager/templates/template-functions)
// added for issue 10: array (flatten, indexFromEnd, tryIndexFromEnd),
// object (shallowMerge), CIDR (parseCidr, cidrSubnet, cidrHost) and date
// (dateTimeFromEpoch, dateTimeToEpoch, dateTimeAdd) functions.
func init() {
	runtime := function{min: 0, max: -1, structural: true, unknown: true}
	for name, fn := range map[string]function{
		"flatten":           {min: 1, max: 1, call: fnFlatten},
		"indexfromend":      {min: 2, max: 2, structural: true, call: fromEnd(false)},
		"tryindexfromend":   {min: 2, max: 2, structural: true, call: fromEnd(true)},
		"shallowmerge":      {min: 1, max: 1, structural: true, call: fnShallowMerge},
		"parsecidr":         {min: 1, max: 1, call: fnParseCidr},
		"cidrsubnet":        {min: 3, max: 3, call: fnCidrSubnet},
		"cidrhost":          {min: 2, max: 2, call: fnCidrHost},
		"datetimefromepoch": {min: 1, max: 1, call: fnDateTimeFromEpoch},
		"datetimetoepoch":   {min: 1, max: 1, call: fnDateTimeToEpoch},
		"datetimeadd":       {min: 2, max: 3, call: fnDateTimeAdd},
		"references":        runtime, // runtime state of a collection of resources
		"resourceinfo":      {min: 1, max: 1, call: fnResourceInfo},
		// The configuration of a Bicep extension (Kubernetes, Microsoft
		// Graph), given at deployment time.
		"extensions": runtime,
	} {
		functions[name] = fn
	}
}

// fnResourceInfo implements resourceInfo('symbolicName'), which Bicep
// emits in languageVersion 2.0 templates for a resource's id, name, type
// and apiVersion.
func fnResourceInfo(f *frame, args []any) (any, error) {
	name, err := argString(args, 0, "symbolic name")
	if err != nil {
		return nil, err
	}
	for x := f.t; x != nil; x = x.outer {
		if info, ok := x.symInfo[strings.ToLower(name)]; ok {
			out := make(map[string]any, len(info))
			for k, v := range info {
				out[k] = v
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("no resource with the symbolic name %q", name)
}

func fnFlatten(_ *frame, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("argument is %s, not an array of arrays", typeName(args[0]))
	}
	out := []any{}
	for i, e := range arr {
		sub, ok := e.([]any)
		if !ok {
			return nil, fmt.Errorf("element %d is %s, not an array", i, typeName(e))
		}
		out = append(out, sub...)
	}
	return out, nil
}

// fromEnd implements indexFromEnd (1 is the last element) and
// tryIndexFromEnd (null when out of range).
func fromEnd(try bool) func(*frame, []any) (any, error) {
	return func(_ *frame, args []any) (any, error) {
		if anyUnknownTop(args) {
			return nil, unknownResult{}
		}
		arr, ok := args[0].([]any)
		if !ok {
			if try && args[0] == nil {
				return nil, nil
			}
			return nil, fmt.Errorf("argument is %s, not an array", typeName(args[0]))
		}
		n, err := argInt(args, 1, "index")
		if err != nil {
			return nil, err
		}
		if n < 1 || n > len(arr) {
			if try {
				return nil, nil
			}
			return nil, fmt.Errorf("index %d out of range [1,%d]", n, len(arr))
		}
		return arr[len(arr)-n], nil
	}
}

// fnShallowMerge merges an array of objects: later top-level keys win,
// nested objects are replaced, not merged.
func fnShallowMerge(_ *frame, args []any) (any, error) {
	if anyUnknownTop(args) {
		return nil, unknownResult{}
	}
	arr, ok := args[0].([]any)
	if !ok {
		return nil, fmt.Errorf("argument is %s, not an array of objects", typeName(args[0]))
	}
	out := map[string]any{}
	for i, e := range arr {
		if anyUnknownTop([]any{e}) {
			return nil, unknownResult{}
		}
		m, ok := e.(map[string]any)
		if !ok {
			if e == nil {
				continue
			}
			return nil, fmt.Errorf("element %d is %s, not an object", i, typeName(e))
		}
		for k, v := range m {
			for dk := range out {
				if strings.EqualFold(dk, k) && dk != k {
					delete(out, dk)
				}
			}
			out[k] = v
		}
	}
	return out, nil
}

func parsePrefix(args []any) (netip.Prefix, error) {
	s, err := argString(args, 0, "network")
	if err != nil {
		return netip.Prefix{}, err
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR range: %v", s, err)
	}
	return p.Masked(), nil
}

// addrAdd returns a + n (n may be negative) within a's family.
func addrAdd(a netip.Addr, n *big.Int) (netip.Addr, bool) {
	b := a.AsSlice()
	v := new(big.Int).SetBytes(b)
	v.Add(v, n)
	if v.Sign() < 0 || v.BitLen() > len(b)*8 {
		return netip.Addr{}, false
	}
	out := make([]byte, len(b))
	v.FillBytes(out)
	r, ok := netip.AddrFromSlice(out)
	return r, ok
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - uint(i%8))
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func maskOf(p netip.Prefix) netip.Addr {
	b := make([]byte, p.Addr().BitLen()/8)
	for i := range p.Bits() {
		b[i/8] |= 1 << (7 - uint(i%8))
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// fnParseCidr returns network, netmask, broadcast (IPv4 only),
// firstUsable, lastUsable and cidr, as documented.
func fnParseCidr(_ *frame, args []any) (any, error) {
	p, err := parsePrefix(args)
	if err != nil {
		return nil, err
	}
	last := lastAddr(p)
	out := map[string]any{
		"network": p.Addr().String(),
		"netmask": maskOf(p).String(),
		"cidr":    float64(p.Bits()),
	}
	if p.Addr().Is4() {
		out["broadcast"] = last.String()
		first, last := p.Addr(), last
		if p.Bits() < 31 {
			first, _ = addrAdd(first, big.NewInt(1))
			last, _ = addrAdd(last, big.NewInt(-1))
		}
		out["firstUsable"], out["lastUsable"] = first.String(), last.String()
	} else {
		out["firstUsable"], out["lastUsable"] = p.Addr().String(), last.String()
	}
	return out, nil
}

// fnCidrSubnet splits network into ranges of prefix length newCIDR and
// returns the one at subnetIndex.
func fnCidrSubnet(_ *frame, args []any) (any, error) {
	p, err := parsePrefix(args)
	if err != nil {
		return nil, err
	}
	bits, err := argInt(args, 1, "newCIDR")
	if err != nil {
		return nil, err
	}
	idx, err := argInt(args, 2, "subnetIndex")
	if err != nil {
		return nil, err
	}
	if bits < p.Bits() || bits > p.Addr().BitLen() {
		return nil, fmt.Errorf("newCIDR %d must be between %d and %d", bits, p.Bits(), p.Addr().BitLen())
	}
	count := new(big.Int).Lsh(big.NewInt(1), uint(bits-p.Bits()))
	if idx < 0 || big.NewInt(int64(idx)).Cmp(count) >= 0 {
		return nil, fmt.Errorf("subnetIndex %d out of range [0,%s)", idx, count)
	}
	off := new(big.Int).Lsh(big.NewInt(int64(idx)), uint(p.Addr().BitLen()-bits))
	a, ok := addrAdd(p.Addr(), off)
	if !ok {
		return nil, errors.New("subnet out of the address family's range")
	}
	return netip.PrefixFrom(a, bits).String(), nil
}

// fnCidrHost returns the usable host address at hostIndex: the network
// address plus hostIndex plus one (the documented examples start at .1).
func fnCidrHost(_ *frame, args []any) (any, error) {
	p, err := parsePrefix(args)
	if err != nil {
		return nil, err
	}
	idx, err := argInt(args, 1, "hostIndex")
	if err != nil {
		return nil, err
	}
	a, ok := addrAdd(p.Addr(), big.NewInt(int64(idx)+1))
	if idx < 0 || !ok || !p.Contains(a) {
		return nil, fmt.Errorf("hostIndex %d is outside %s", idx, p)
	}
	return a.String(), nil
}

func fnDateTimeFromEpoch(_ *frame, args []any) (any, error) {
	n, err := argInt(args, 0, "epoch time")
	if err != nil {
		return nil, err
	}
	return time.Unix(int64(n), 0).UTC().Format("2006-01-02T15:04:05Z"), nil
}

func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
}

func fnDateTimeToEpoch(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "date and time")
	if err != nil {
		return nil, err
	}
	t, err := parseDateTime(s)
	if err != nil {
		return nil, err
	}
	return float64(t.Unix()), nil
}

// fnDateTimeAdd adds an ISO 8601 duration (P1Y2M3DT4H5M6S, -P1D) to a
// date and time. A format string other than the default round-trip form
// is not implemented: the call is left out naming it.
func fnDateTimeAdd(_ *frame, args []any) (any, error) {
	s, err := argString(args, 0, "base")
	if err != nil {
		return nil, err
	}
	d, err := argString(args, 1, "duration")
	if err != nil {
		return nil, err
	}
	if len(args) == 3 {
		return nil, &missingError{what: "dateTimeAdd with a format", msg: "dateTimeAdd with a .NET format string is not implemented"}
	}
	t, err := parseDateTime(s)
	if err != nil {
		return nil, err
	}
	r, err := addISODuration(t, d)
	if err != nil {
		return nil, err
	}
	return r.UTC().Format("2006-01-02T15:04:05Z"), nil
}

func addISODuration(t time.Time, d string) (time.Time, error) {
	bad := fmt.Errorf("%q is not an ISO 8601 duration", d)
	sign := 1
	s := d
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 2 {
		return t, bad
	}
	s = s[1:]
	inTime := false
	var y, mo, dd int
	var dur time.Duration
	for s != "" {
		if s[0] == 'T' {
			inTime, s = true, s[1:]
			continue
		}
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) || i > 9 {
			return t, bad
		}
		var n int
		fmt.Sscan(s[:i], &n)
		unit := s[i]
		s = s[i+1:]
		switch {
		case !inTime && unit == 'Y':
			y += n
		case !inTime && unit == 'M':
			mo += n
		case !inTime && unit == 'W':
			dd += 7 * n
		case !inTime && unit == 'D':
			dd += n
		case inTime && unit == 'H':
			dur += time.Duration(n) * time.Hour
		case inTime && unit == 'M':
			dur += time.Duration(n) * time.Minute
		case inTime && unit == 'S':
			dur += time.Duration(n) * time.Second
		default:
			return t, bad
		}
	}
	return t.AddDate(sign*y, sign*mo, sign*dd).Add(time.Duration(sign) * dur), nil
}

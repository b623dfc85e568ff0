package addrplan

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestBitsFor(t *testing.T) {
	tests := []struct {
		need, bits int
		ok         bool
	}{
		{0, 29, true}, {1, 29, true}, {3, 29, true}, {4, 28, true}, {11, 28, true}, {12, 27, true},
		{59, 26, true}, {60, 25, true}, {251, 24, true}, {373, 23, true}, {1581, 21, true}, {1 << 24, 7, false},
	}
	for _, tc := range tests {
		b, ok := BitsFor(tc.need)
		if diff := cmp.Diff([]any{b, ok}, []any{tc.bits, tc.ok}); diff != "" && (tc.ok || ok) {
			t.Errorf("BitsFor(%d) (-got +want):\n%s", tc.need, diff)
		}
	}
}

func FuzzBitsFor(f *testing.F) {
	for _, n := range []int{0, 1, 3, 4, 59, 60, 1581, 1 << 23} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, need int) {
		if need < 0 || need > 1<<25 {
			return
		}
		gb, gok := BitsFor(need)
		wb, wok := bitsForSlow(need)
		if gok != wok || (gok && gb != wb) {
			t.Fatalf("BitsFor(%d) = %d, %v; slow %d, %v", need, gb, gok, wb, wok)
		}
	})
}

func TestNodeNeed(t *testing.T) {
	pools := []Pool{{"system", 3, 5, 30}, {"user", 2, 50, 30}}
	tests := []struct {
		cni     string
		surge   int
		want    int
		formula string
	}{
		{CNIAzure, 1, 6*31 + 51*31, "system (5+1)×(30+1) + user (50+1)×(30+1) = 1767"},
		{CNIOverlay, 1, 57, "system (5+1) + user (50+1) = 57"},
		{CNIAzure, 0, 5*31 + 50*31, "system (5+0)×(30+1) + user (50+0)×(30+1) = 1705"},
	}
	for _, tc := range tests {
		t.Run(tc.cni, func(t *testing.T) {
			n, f := NodeNeed(pools, tc.surge, tc.cni)
			if diff := cmp.Diff([]any{n, f}, []any{tc.want, tc.formula}); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

// checkPlan asserts the invariants of every plan.
func checkPlan(t *testing.T, in Input, p Plan) {
	t.Helper()
	vnets := []VNet{p.Hub, p.Spoke}
	var all []netip.Prefix
	for _, v := range vnets {
		if !containsSlow(in.Base, v.Prefix) {
			t.Errorf("%s %s outside base %s", v.Name, v.Prefix, in.Base)
		}
		for _, o := range append(append([]netip.Prefix{p.ServiceCIDR}, in.OnPrem...), aksReserved...) {
			if o.IsValid() && v.Prefix.Overlaps(o) {
				t.Errorf("%s %s overlaps %s", v.Name, v.Prefix, o)
			}
		}
		if p.PodCIDR.IsValid() && v.Prefix.Overlaps(p.PodCIDR) {
			t.Errorf("%s overlaps pod CIDR %s", v.Name, p.PodCIDR)
		}
		for _, s := range v.Subnets {
			if !containsSlow(v.Prefix, s.Prefix) {
				t.Errorf("%s %s outside %s %s", s.Name, s.Prefix, v.Name, v.Prefix)
			}
			if Usable(s.Prefix.Bits()) < s.Need {
				t.Errorf("%s %s holds %d, needs %d", s.Name, s.Prefix, Usable(s.Prefix.Bits()), s.Need)
			}
			for _, o := range all {
				if o.Overlaps(s.Prefix) {
					t.Errorf("%s %s overlaps %s", s.Name, s.Prefix, o)
				}
			}
			all = append(all, s.Prefix)
		}
	}
	if !p.ServiceCIDR.Contains(p.DNSServiceIP) || p.DNSServiceIP == p.ServiceCIDR.Addr().Next() {
		t.Errorf("dnsServiceIP %s vs service %s", p.DNSServiceIP, p.ServiceCIDR)
	}
	if in.CNI == CNIOverlay && !p.PodCIDR.IsValid() {
		t.Error("overlay plan without pod CIDR")
	}
}

func TestMake(t *testing.T) {
	overlay := Defaults()
	overlay.CNI = CNIOverlay
	overlay.OnPrem = []netip.Prefix{mustPrefix("10.0.0.0/16"), mustPrefix("172.16.0.0/16"), mustPrefix("10.244.0.0/16")}
	big := Defaults()
	big.Pools = []Pool{{"system", 3, 5, 30}, {"user", 10, 100, 110}}
	tests := []struct {
		name      string
		in        Input
		hub       string
		spoke     string
		nodes     string
		service   string
		pods      string
		errTarget error
	}{
		{"reference", Defaults(), "10.0.0.0/24", "10.0.4.0/22", "10.0.4.0/23", "172.16.0.0/16", "", nil},
		{"overlay avoiding on-premises", overlay, "10.1.0.0/24", "10.1.2.0/23", "10.1.3.0/27", "172.17.0.0/16", "10.245.0.0/16", nil},
		{"large pools", big, "10.0.0.0/24", "10.0.128.0/17", "10.0.128.0/18", "172.16.0.0/16", "", nil},
		{"base too small", Input{Base: mustPrefix("10.0.0.0/24"), Pools: Defaults().Pools, MaxSurge: 1}, "", "", "", "", "", ErrNoRoom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Make(tc.in)
			if tc.errTarget != nil {
				if !errors.Is(err, tc.errTarget) {
					t.Fatalf("error %v, want %v", err, tc.errTarget)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{p.Hub.Prefix.String(), p.Spoke.Prefix.String(), p.Spoke.Subnets[0].Prefix.String(), p.ServiceCIDR.String(), ""}
			if p.PodCIDR.IsValid() {
				got[4] = p.PodCIDR.String()
			}
			if diff := cmp.Diff(got, []string{tc.hub, tc.spoke, tc.nodes, tc.service, tc.pods}); diff != "" {
				t.Errorf("plan (-got +want):\n%s", diff)
			}
			checkPlan(t, tc.in, p)
		})
	}
}

func TestMakeRejectsBadInput(t *testing.T) {
	for _, in := range []Input{
		{Base: mustPrefix("fd00::/8"), Pools: Defaults().Pools},
		{Base: mustPrefix("10.0.0.0/8")},
		{Base: mustPrefix("10.0.0.0/8"), Pools: []Pool{{"p", 5, 3, 30}}},
		{Base: mustPrefix("10.0.0.0/8"), Pools: []Pool{{"p", 1, 3, 300}}},
		{Base: mustPrefix("10.0.0.0/8"), Pools: Defaults().Pools, CNI: "kubenet"},
	} {
		if _, err := Make(in); err == nil {
			t.Errorf("Make(%+v) accepted bad input", in)
		}
	}
}

func TestWriteYAML(t *testing.T) {
	p, err := Make(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	want := `network:
  hub:
    addressSpace: 10.0.0.0/24
    subnets:
      bastion: 10.0.0.0/26
      dns: 10.0.0.144/29
      agents: 10.0.0.128/28
      privateEndpoints: 10.0.0.64/26
  spoke:
    addressSpace: 10.0.4.0/22
    subnets:
      nodes: 10.0.4.0/23
      appGateway: 10.0.6.0/24
  onPremises: []
aks:
  serviceCIDR: 172.16.0.0/16
  dnsServiceIP: 172.16.0.10
  nodePools:          # the pools the node subnet is sized for
    - {name: system, mode: System, minCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1}
    - {name: user, mode: User, minCount: 2, maxCount: 5, maxPods: 30, maxSurge: 1}
`
	if diff := cmp.Diff(b.String(), want); diff != "" {
		t.Errorf("YAML (-got +want):\n%s", diff)
	}
	b.Reset()
	if err := p.WriteArithmetic(&b); err != nil || !strings.Contains(b.String(), "(5+1)×(30+1)") {
		t.Errorf("arithmetic lacks the pool formula: %v\n%s", err, b.String())
	}
}

func FuzzMake(f *testing.F) {
	f.Add(uint8(8), uint8(10), uint8(16), 5, 30, 20, 30, uint8(1), false)
	f.Add(uint8(12), uint8(172), uint8(20), 3, 110, 100, 250, uint8(2), true)
	f.Fuzz(func(t *testing.T, baseBits, onPremA, onPremBits uint8, max1, pods1, max2, pods2 int, surge uint8, overlay bool) {
		if baseBits < 8 || baseBits > 20 || onPremBits < 8 || onPremBits > 24 || max1 < 1 || max2 < 1 || max1 > 1000 || max2 > 1000 ||
			pods1 < 10 || pods1 > 250 || pods2 < 10 || pods2 > 250 || surge > 10 {
			return
		}
		in := Input{Base: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, 0}), int(baseBits)).Masked(),
			OnPrem:   []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{onPremA, 0, 0, 0}), int(onPremBits)).Masked()},
			Pools:    []Pool{{"a", 1, max1, pods1}, {"b", 0, max2, pods2}},
			MaxSurge: int(surge), CNI: CNIAzure}
		if overlay {
			in.CNI = CNIOverlay
		}
		p, err := Make(in)
		if err != nil {
			if !errors.Is(err, ErrNoRoom) {
				t.Fatalf("Make: %v", err)
			}
			return
		}
		checkPlan(t, in, p)
		loadsAsSpec(t, p)
	})
}

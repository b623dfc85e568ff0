package addrplan

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
	"sort"
	"strings"

	"go4.org/netipx"
)

// Pool is an AKS node pool: its autoscaler bounds and pods per node.
type Pool struct {
	Name     string
	Min, Max int
	MaxPods  int
}

// CNI modes.
const (
	CNIAzure   = "azure"   // Azure CNI, node subnet: pods take VNet addresses
	CNIOverlay = "overlay" // Azure CNI Overlay: pods from a separate pod CIDR
)

// Input is what the plan is made from. Zero fields take the defaults of
// Defaults().
type Input struct {
	Base        netip.Prefix   // the range to carve VNets from
	OnPrem      []netip.Prefix // ranges to avoid
	Pools       []Pool
	MaxSurge    int
	CNI         string
	ServiceCIDR netip.Prefix // zero: the first free of 172.16.0.0/16 ... 172.29.0.0/16
}

// Defaults returns the reference design's input: base 10.0.0.0/8, pools
// system 3-5 and user 2-5 at 30 pods, surge 1, Azure CNI.
func Defaults() Input {
	return Input{Base: netip.MustParsePrefix("10.0.0.0/8"), MaxSurge: 1, CNI: CNIAzure,
		Pools: []Pool{{"system", 3, 5, 30}, {"user", 2, 5, 30}}}
}

// Subnet is one planned subnet with its arithmetic.
type Subnet struct {
	Key     string // the spec field (bastion, dns, agents, privateEndpoints, nodes, appGateway)
	Name    string // the Azure subnet name
	Need    int    // addresses needed
	Formula string // how Need was computed
	Prefix  netip.Prefix
}

// VNet is one planned virtual network.
type VNet struct {
	Name    string
	Prefix  netip.Prefix
	Subnets []Subnet
}

// Plan is the proposed address plan.
type Plan struct {
	Hub, Spoke   VNet
	ServiceCIDR  netip.Prefix
	DNSServiceIP netip.Addr
	// PodCIDR is set for overlay only.
	PodCIDR    netip.Prefix
	PodFormula string
	OnPrem     []netip.Prefix
	// Pools and MaxSurge are the node pools the node subnet is sized for.
	Pools    []Pool
	MaxSurge int
}

// Azure reserves five addresses in every subnet; the smallest subnet is
// /29 and the largest this planner proposes /8.
const (
	reserved = 5
	minBits  = 8
	maxBits  = 29
)

// Usable returns the addresses Azure lets a subnet of length bits use.
func Usable(prefixBits int) int { return 1<<(32-prefixBits) - reserved }

// BitsFor returns the longest IPv4 prefix length (the smallest subnet)
// whose usable addresses hold need, never longer than /29; ok is false
// when even a /8 is too small.
func BitsFor(need int) (int, bool) {
	if need < 1 {
		need = 1
	}
	total := need + reserved
	b := 32 - bits.Len(uint(total-1)) // ceil(log2(total))
	if b > maxBits {
		b = maxBits
	}
	return b, b >= minBits
}

// NodeNeed returns the VNet addresses the node subnet needs: for Azure CNI
// Σ (max + surge) × (maxPods + 1); for overlay Σ (max + surge). The
// formula spells the sum out.
func NodeNeed(pools []Pool, surge int, cni string) (int, string) {
	total := 0
	var terms []string
	for _, p := range pools {
		nodes := p.Max + surge
		if cni == CNIOverlay {
			total += nodes
			terms = append(terms, fmt.Sprintf("%s (%d+%d)", p.Name, p.Max, surge))
			continue
		}
		total += nodes * (p.MaxPods + 1)
		terms = append(terms, fmt.Sprintf("%s (%d+%d)×(%d+1)", p.Name, p.Max, surge, p.MaxPods))
	}
	return total, strings.Join(terms, " + ") + fmt.Sprintf(" = %d", total)
}

var aksReserved = []netip.Prefix{netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("172.30.0.0/16"),
	netip.MustParsePrefix("172.31.0.0/16"), netip.MustParsePrefix("192.0.2.0/24")}

// ErrNoRoom is returned when the base range cannot hold the plan.
var ErrNoRoom = errors.New("no free range large enough")

// Make proposes a plan.
func Make(in Input) (Plan, error) {
	if !in.Base.IsValid() || !in.Base.Addr().Is4() {
		return Plan{}, fmt.Errorf("plan addresses: base %s: want an IPv4 CIDR", in.Base)
	}
	if in.CNI == "" {
		in.CNI = CNIAzure
	}
	if in.CNI != CNIAzure && in.CNI != CNIOverlay {
		return Plan{}, fmt.Errorf("plan addresses: cni %q: want azure or overlay", in.CNI)
	}
	if len(in.Pools) == 0 {
		return Plan{}, errors.New("plan addresses: no node pools")
	}
	for _, p := range in.Pools {
		if p.Max < p.Min || p.Max < 1 || p.MaxPods < 10 || p.MaxPods > 250 || p.Min < 0 {
			return Plan{}, fmt.Errorf("plan addresses: pool %q: want 0 <= min <= max, max >= 1 and 10 <= maxPods <= 250", p.Name)
		}
	}
	if in.MaxSurge < 0 {
		return Plan{}, errors.New("plan addresses: max surge is negative")
	}
	if in.MaxSurge == 0 {
		// The spec's maxSurge 0 means its default of 1: plan for what
		// the cluster will really do.
		in.MaxSurge = 1
	}
	plan := Plan{OnPrem: masked(in.OnPrem), Pools: in.Pools, MaxSurge: in.MaxSurge}
	avoid := append(append([]netip.Prefix{}, plan.OnPrem...), aksReserved...)

	var err error
	if plan.ServiceCIDR, err = pickService(in.ServiceCIDR, avoid); err != nil {
		return Plan{}, err
	}
	plan.DNSServiceIP = nth(plan.ServiceCIDR.Addr(), 10)
	avoid = append(avoid, plan.ServiceCIDR)
	nodes, formula := NodeNeed(in.Pools, in.MaxSurge, in.CNI)
	if in.CNI == CNIOverlay {
		if plan.PodCIDR, plan.PodFormula, err = pickPods(nodes, avoid); err != nil {
			return Plan{}, err
		}
		avoid = append(avoid, plan.PodCIDR)
	}

	plan.Hub = VNet{Name: "vnet-hub", Subnets: []Subnet{
		{Key: "bastion", Name: "AzureBastionSubnet", Need: 64 - reserved, Formula: "Azure Bastion requires /26 or larger"},
		{Key: "dns", Name: "snet-dns", Need: 2, Formula: "1 DNS forwarder VM + 1 spare"},
		{Key: "agents", Name: "snet-agents", Need: 8, Formula: "up to 8 CI agent VMs"},
		{Key: "privateEndpoints", Name: "snet-pe", Need: 48, Formula: "ACR 2 (registry + data) + Key Vault 1 + 45 spare endpoints"},
	}}
	nodeFormula := "Azure CNI: Σ (max + surge) × (maxPods + 1) = " + formula
	if in.CNI == CNIOverlay {
		nodeFormula = "overlay, nodes only: Σ (max + surge) = " + formula
	}
	plan.Spoke = VNet{Name: "vnet-aks", Subnets: []Subnet{
		{Key: "nodes", Name: "snet-nodes", Need: nodes + 1, Formula: nodeFormula + " + 1 API server endpoint"},
		{Key: "appGateway", Name: "snet-appgw", Need: 126, Formula: "125 App Gateway v2 instances + 1 private frontend (/24 recommended)"},
	}}
	pool, err := freeSet(in.Base, avoid)
	if err != nil {
		return Plan{}, err
	}
	for _, v := range []*VNet{&plan.Hub, &plan.Spoke} {
		if pool, err = place(v, pool); err != nil {
			return Plan{}, err
		}
	}
	return plan, nil
}

func masked(ps []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Masked())
	}
	return out
}

func nth(a netip.Addr, n int) netip.Addr {
	for range n {
		a = a.Next()
	}
	return a
}

func overlapsAny(p netip.Prefix, ps []netip.Prefix) bool {
	for _, o := range ps {
		if o.Overlaps(p) {
			return true
		}
	}
	return false
}

func pickService(want netip.Prefix, avoid []netip.Prefix) (netip.Prefix, error) {
	if want.IsValid() {
		if overlapsAny(want.Masked(), avoid) || want.Bits() <= 12 {
			return netip.Prefix{}, fmt.Errorf("plan addresses: service CIDR %s overlaps an on-premises or reserved range, or is /12 or larger", want)
		}
		return want.Masked(), nil
	}
	for i := 16; i < 30; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(i), 0, 0}), 16)
		if !overlapsAny(p, avoid) {
			return p, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("plan addresses: service CIDR: %w in 172.16.0.0/16-172.29.0.0/16", ErrNoRoom)
}

// pickPods sizes the overlay pod CIDR (one /24 per node, at least a /16)
// and places it at 10.244.0.0 or else in 100.64.0.0/10.
func pickPods(nodes int, avoid []netip.Prefix) (netip.Prefix, string, error) {
	b := 24 - bits.Len(uint(nodes-1))
	if nodes <= 1 {
		b = 24
	}
	if b > 16 {
		b = 16
	}
	formula := fmt.Sprintf("one /24 per node: %d nodes → /%d (at least /16)", nodes, b)
	for _, base := range []string{"10.244.0.0/14", "100.64.0.0/10"} {
		set, err := freeSet(netip.MustParsePrefix(base), avoid)
		if err != nil {
			return netip.Prefix{}, "", err
		}
		if p, _, ok := set.RemoveFreePrefix(uint8(b)); ok {
			return p, formula, nil
		}
	}
	return netip.Prefix{}, "", fmt.Errorf("plan addresses: pod CIDR /%d: %w", b, ErrNoRoom)
}

func freeSet(base netip.Prefix, avoid []netip.Prefix) (*netipx.IPSet, error) {
	var b netipx.IPSetBuilder
	b.AddPrefix(base.Masked())
	for _, a := range avoid {
		b.RemovePrefix(a)
	}
	s, err := b.IPSet()
	if err != nil {
		return nil, fmt.Errorf("plan addresses: build free set: %w", err)
	}
	return s, nil
}

// place sizes each subnet, packs them largest first into the smallest
// power-of-two block, and takes that block from free.
func place(v *VNet, free *netipx.IPSet) (*netipx.IPSet, error) {
	total := 0
	sizes := make([]int, len(v.Subnets))
	for i := range v.Subnets {
		b, ok := BitsFor(v.Subnets[i].Need)
		if !ok {
			return nil, fmt.Errorf("plan addresses: subnet %s needs %d addresses: %w", v.Subnets[i].Name, v.Subnets[i].Need, ErrNoRoom)
		}
		if v.Subnets[i].Key == "bastion" && b > 26 {
			b = 26
		}
		if v.Subnets[i].Key == "appGateway" && b > 24 {
			b = 24
		}
		if v.Subnets[i].Key == "nodes" && b > 28 {
			b = 28 // the smallest node subnet the spec accepts
		}
		sizes[i] = b
		total += 1 << (32 - b)
	}
	vb := 32 - bits.Len(uint(total-1))
	block, rest, ok := free.RemoveFreePrefix(uint8(vb))
	if !ok {
		return nil, fmt.Errorf("plan addresses: %s needs a /%d: %w in the base range", v.Name, vb, ErrNoRoom)
	}
	v.Prefix = block
	order := make([]int, len(v.Subnets))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sizes[order[a]] < sizes[order[b]] })
	next := block.Addr()
	for _, i := range order {
		p := netip.PrefixFrom(next, sizes[i])
		v.Subnets[i].Prefix = p
		next = netipx.PrefixLastIP(p).Next()
	}
	return rest, nil
}

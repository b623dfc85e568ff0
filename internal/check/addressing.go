package check

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// Addressing rules: ranges that must not overlap and addresses AKS
// reserves (azure-rules.md §2.1, §2.8).

// AKS defaults when networkProfile leaves a range unset.
var (
	defaultServiceCIDR = mustPrefix("10.0.0.0/16")
	defaultDNSIP       = netip.MustParseAddr("10.0.0.10")
	defaultPodCIDR     = mustPrefix("10.244.0.0/16")
	// reservedRanges must not appear in service, pod or VNet ranges.
	reservedRanges = []netip.Prefix{mustPrefix("169.254.0.0/16"), mustPrefix("172.30.0.0/16"), mustPrefix("172.31.0.0/16"), mustPrefix("192.0.2.0/24")}
)

// clusterNet is a cluster's network profile with AKS defaults applied.
type clusterNet struct {
	plugin  string // azure, kubenet, none
	overlay bool   // Azure CNI Overlay (pods outside the VNet)
	service netip.Prefix
	svcNote string // "" or " (AKS default)"
	dnsIP   netip.Addr
	pod     netip.Prefix // valid for overlay and kubenet
	podNote string
	// unknown lists ranges whose values are unknown before deployment.
	unknown []string
	vnet    *twin.VNet
}

func netOf(c *Context, cl *twin.Cluster) clusterNet {
	r := c.res(cl.ID)
	n := clusterNet{plugin: strings.ToLower(cl.NetworkPlugin)}
	if n.plugin == "" {
		n.plugin, n.overlay = "azure", true // AKS default when networkPlugin is omitted
	}
	if strings.EqualFold(cl.NetworkMode, "overlay") {
		n.overlay = true
	}
	read := func(path, have string, def netip.Prefix) (netip.Prefix, string) {
		if prop(r, path).unknown {
			n.unknown = append(n.unknown, path)
			return netip.Prefix{}, ""
		}
		if have == "" {
			return def, " (AKS default)"
		}
		p, _ := parsePrefix(have)
		return p, ""
	}
	n.service, n.svcNote = read("networkProfile.serviceCidr", cl.ServiceCIDR, defaultServiceCIDR)
	if prop(r, "networkProfile.dnsServiceIP").unknown {
		n.unknown = append(n.unknown, "networkProfile.dnsServiceIP")
	} else if cl.DNSServiceIP == "" {
		if n.svcNote != "" {
			n.dnsIP = defaultDNSIP
		}
	} else {
		n.dnsIP, _ = netip.ParseAddr(cl.DNSServiceIP)
	}
	if n.overlay || n.plugin == "kubenet" {
		n.pod, n.podNote = read("networkProfile.podCidr", cl.PodCIDR, defaultPodCIDR)
	}
	if len(cl.Pools) > 0 && cl.Pools[0].Subnet != nil {
		n.vnet = cl.Pools[0].Subnet.VNet
	}
	return n
}

func overlapping(p netip.Prefix, others []netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		return netip.Prefix{}, false
	}
	for _, o := range others {
		if o.IsValid() && o.Overlaps(p) {
			return o, true
		}
	}
	return netip.Prefix{}, false
}

// peered reports whether a peering of either VNet names the other.
func peered(a, b *twin.VNet) bool { return a.PeeringTo(b) != nil || b.PeeringTo(a) != nil }

var rulePeeredOverlap = Rule{
	ID: "PVK020", Slug: "peered-vnet-overlap", Severity: Error,
	Title:     "Peered virtual networks have disjoint address spaces",
	Rationale: "VNet peering requires address spaces that do not overlap: the peering cannot be created, and after an address space change it cannot sync, so traffic between hub and spoke stops.",
	Fix:       "Give each peered VNet its own range (privaks plan-addresses proposes one).",
	Doc:       docPeering,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			for _, p := range v.Peerings {
				if p.Remote == nil {
					continue
				}
				for _, a := range v.AddressSpace {
					if o, ok := overlapping(a, p.Remote.AddressSpace); ok {
						out = append(out, at(p.ID, "%s (%s) overlaps peered %s (%s)", v.Name, a, p.Remote.Name, o))
					}
				}
			}
		}
		return out
	},
}

var ruleVNetOverlap = Rule{
	ID: "PVK021", Slug: "vnet-overlap", Severity: Warning,
	Title:     "Virtual networks in one design do not overlap",
	Rationale: "Two VNets of one landing zone with overlapping ranges can never be peered or routed to each other later; a hub-and-spoke plan gives every VNet its own range.",
	Fix:       "Move one VNet to a free range.",
	Doc:       docPeering,
	Check: func(c *Context) []Finding {
		var out []Finding
		vs := c.Twin.VNets
		for _, pair := range overlappingVNets(vs) {
			i, j := pair[0], pair[1]
			if peered(vs[i], vs[j]) {
				continue // PVK020
			}
			for _, a := range vs[i].AddressSpace {
				if o, ok := overlapping(a, vs[j].AddressSpace); ok {
					out = append(out, at(vs[j].ID, "%s (%s) overlaps %s (%s)", vs[j].Name, o, vs[i].Name, a))
				}
			}
		}
		return out
	},
}

// overlappingVNets returns the pairs {i, j}, i < j, in order, of VNets
// whose address spaces overlap: the pairs PVK021 examines. It sorts the
// prefixes by first address and sweeps them with a stack of the prefixes
// that contain the current start: CIDR prefixes nest or are disjoint, so
// every earlier prefix overlapping a later one is on the stack when the
// later one comes. Cost: O(n log n) plus the pairs found.
func overlappingVNets(vs []*twin.VNet) [][2]int {
	type span struct {
		p    netip.Prefix // masked
		vnet int
	}
	var spans []span
	for i, v := range vs {
		for _, a := range v.AddressSpace {
			if a.IsValid() {
				spans = append(spans, span{a.Masked(), i})
			}
		}
	}
	slices.SortFunc(spans, func(x, y span) int {
		if c := x.p.Addr().Compare(y.p.Addr()); c != 0 {
			return c
		}
		return cmp.Compare(x.p.Bits(), y.p.Bits()) // the wider first
	})
	seen := map[[2]int]bool{}
	var pairs [][2]int
	var stack []span
	for _, s := range spans {
		for len(stack) > 0 && !stack[len(stack)-1].p.Contains(s.p.Addr()) {
			stack = stack[:len(stack)-1]
		}
		for _, o := range stack {
			if o.vnet == s.vnet {
				continue
			}
			pair := [2]int{min(o.vnet, s.vnet), max(o.vnet, s.vnet)}
			if !seen[pair] {
				seen[pair] = true
				pairs = append(pairs, pair)
			}
		}
		stack = append(stack, s)
	}
	slices.SortFunc(pairs, func(x, y [2]int) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	return pairs
}

var ruleOnPremOverlap = Rule{
	ID: "PVK022", Slug: "on-premises-overlap", Severity: Error,
	Title:     "Virtual networks do not overlap on-premises ranges",
	Rationale: "On-premises networks reach Azure over VPN or ExpressRoute only when their ranges are disjoint from the VNets'; an overlap makes one side unreachable and breaks DNS forwarding from on-premises.",
	Fix:       "Choose VNet ranges outside network.onPremises (privaks plan-addresses --on-prem ...).",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			for _, a := range v.AddressSpace {
				if o, ok := overlapping(a, c.OnPremises); ok {
					out = append(out, at(v.ID, "%s (%s) overlaps the on-premises range %s", v.Name, a, o))
				}
			}
		}
		return out
	},
}

var ruleServiceOverlap = Rule{
	ID: "PVK023", Slug: "service-cidr-overlap", Severity: Error,
	Title:     "AKS service CIDR overlaps no subnet, VNet or on-premises range",
	Rationale: "The Kubernetes service range is virtual and routed inside the cluster: pods cannot reach real addresses inside it. AKS rejects a service CIDR that overlaps a subnet of the cluster VNet (ServiceCidrOverlapExistingSubnetsCidr; the managedClusters API: \"It must not overlap with any Subnet IP ranges\"), an error here; one inside a VNet's address space where no subnet lies yet is accepted, but a subnet added there later is unreachable from pods, a warning.",
	Fix:       "Set networkProfile.serviceCidr (and dnsServiceIP) to an unused range, e.g. 172.16.0.0/16.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			n := netOf(c, cl)
			if !n.service.IsValid() {
				continue
			}
			out = append(out, clusterRangeOverlaps(c, cl, "service CIDR", n.service, n.svcNote)...)
		}
		return out
	},
}

var rulePodOverlap = Rule{
	ID: "PVK024", Slug: "pod-cidr-overlap", Severity: Error,
	Title:     "AKS pod CIDR (overlay, kubenet) overlaps no VNet, on-premises or service range",
	Rationale: "With Azure CNI Overlay and kubenet, pods take addresses from podCidr outside the VNet; that range must not overlap the cluster subnet, peered VNets, on-premises ranges or the service CIDR, and an overlay pod CIDR cannot be changed later.",
	Fix:       "Set networkProfile.podCidr to an unused range (default 10.244.0.0/16).",
	Doc:       docOverlay,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			n := netOf(c, cl)
			if !n.pod.IsValid() {
				continue
			}
			out = append(out, clusterRangeOverlaps(c, cl, "pod CIDR", n.pod, n.podNote)...)
			if n.service.IsValid() && n.service.Overlaps(n.pod) {
				out = append(out, at(cl.ID, "pod CIDR %s%s overlaps the service CIDR %s", n.pod, n.podNote, n.service))
			}
		}
		return out
	},
}

var ruleReserved = Rule{
	ID: "PVK025", Slug: "aks-reserved-ranges", Severity: Error,
	Title:     "AKS ranges avoid 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24",
	Rationale: "AKS reserves these ranges for itself; a service CIDR, pod CIDR or cluster VNet range that touches them (172.16.0.0/12 does) is rejected at cluster creation.",
	Fix:       "Move the range off the reserved ones, e.g. service CIDR 172.16.0.0/16.",
	Doc:       docCNIOverview,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			n := netOf(c, cl)
			check := func(what string, p netip.Prefix) {
				if o, ok := overlapping(p, reservedRanges); ok {
					out = append(out, at(cl.ID, "%s %s overlaps the AKS reserved range %s", what, p, o))
				}
			}
			check("service CIDR", n.service)
			check("pod CIDR", n.pod)
			if n.vnet != nil {
				for _, a := range n.vnet.AddressSpace {
					check("cluster VNet "+n.vnet.Name+" range", a)
				}
			}
		}
		return out
	},
}

var ruleDNSServiceIP = Rule{
	ID: "PVK026", Slug: "dns-service-ip", Severity: Error,
	Title:     "dnsServiceIP is inside the service CIDR and not its first address",
	Rationale: "CoreDNS's cluster IP must come from the service range, and the range's first address is taken by the kubernetes service; AKS rejects anything else.",
	Fix:       "Set dnsServiceIP to an address inside serviceCidr other than the first, conventionally .10.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			n := netOf(c, cl)
			if len(n.unknown) > 0 {
				for _, u := range n.unknown {
					if strings.Contains(u, "service") || strings.Contains(u, "dnsService") {
						out = append(out, undecided(cl.ID, u))
					}
				}
				continue
			}
			switch {
			case !n.service.IsValid():
				out = append(out, at(cl.ID, "serviceCidr %q is not a CIDR", cl.ServiceCIDR))
			case !n.dnsIP.IsValid():
				out = append(out, at(cl.ID, "dnsServiceIP %q is missing or not an address while serviceCidr is %s", cl.DNSServiceIP, n.service))
			case !n.service.Contains(n.dnsIP):
				out = append(out, at(cl.ID, "dnsServiceIP %s is outside the service CIDR %s", n.dnsIP, n.service))
			case n.dnsIP == n.service.Masked().Addr() || n.dnsIP == n.service.Masked().Addr().Next():
				out = append(out, at(cl.ID, "dnsServiceIP %s is the first address of %s (taken by the kubernetes service)", n.dnsIP, n.service))
			}
		}
		return out
	},
}

var ruleServiceSize = Rule{
	ID: "PVK027", Slug: "service-cidr-size", Severity: Error,
	Title:     "AKS service CIDR is smaller than /12",
	Rationale: "AKS rejects a service CIDR of /12 or larger; a /16 gives 65,536 services, more than any cluster uses.",
	Fix:       "Use a /16 (or smaller) service CIDR.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			n := netOf(c, cl)
			if n.service.IsValid() && n.service.Addr().Is4() && n.service.Bits() <= 12 {
				out = append(out, at(cl.ID, "service CIDR %s is /%d; it must be smaller than /12", n.service, n.service.Bits()))
			}
		}
		return out
	},
}

var ruleSubnetInVNet = Rule{
	ID: "PVK028", Slug: "subnet-outside-vnet", Severity: Error,
	Title:     "Every subnet lies inside its VNet's address space",
	Rationale: "A subnet prefix outside the VNet's address space is rejected by the network resource provider.",
	Fix:       "Change the subnet prefix or add the range to the VNet's addressSpace.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			for _, s := range v.Subnets {
				if !s.Prefix.IsValid() || len(v.AddressSpace) == 0 {
					continue
				}
				inside := false
				for _, a := range v.AddressSpace {
					if a.Bits() <= s.Prefix.Bits() && a.Contains(s.Prefix.Addr()) {
						inside = true
					}
				}
				if !inside {
					out = append(out, at(s.ID, "subnet %s (%s) is outside %s's address space %v", s.Name, s.Prefix, v.Name, v.AddressSpace))
				}
			}
		}
		return out
	},
}

var ruleSubnetOverlap = Rule{
	ID: "PVK029", Slug: "subnet-overlap", Severity: Error,
	Title:     "Subnets of one VNet do not overlap",
	Rationale: "Subnets of a VNet must be disjoint; ARM rejects the second one with NetcfgSubnetRangesOverlap.",
	Fix:       "Give each subnet its own range.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			for i, a := range v.Subnets {
				for _, b := range v.Subnets[i+1:] {
					if a.Prefix.IsValid() && b.Prefix.IsValid() && a.Prefix.Overlaps(b.Prefix) {
						out = append(out, at(b.ID, "subnet %s (%s) overlaps %s (%s)", b.Name, b.Prefix, a.Name, a.Prefix))
					}
				}
			}
		}
		return out
	},
}

// clusterRangeOverlaps reports a cluster's virtual range (service or pod
// CIDR) overlapping any VNet of the set or an on-premises range.
func clusterRangeOverlaps(c *Context, cl *twin.Cluster, label string, p netip.Prefix, note string) []Finding {
	var out []Finding
	for _, i := range c.vnetsOverlapping(p) {
		v := c.Twin.VNets[i]
		o, ok := overlapping(p, v.AddressSpace)
		if !ok {
			continue
		}
		var subnets []string
		for _, s := range v.Subnets {
			if s.Prefix.IsValid() && s.Prefix.Overlaps(p) {
				subnets = append(subnets, s.Name+" ("+s.Prefix.String()+")")
			}
		}
		if len(subnets) > 0 {
			out = append(out, at(cl.ID, "%s %s%s overlaps subnet %s of %s", label, p, note, strings.Join(subnets, ", "), v.Name))
			continue
		}
		f := at(cl.ID, "%s %s%s lies inside the address space of %s (%s) though no subnet overlaps it: AKS accepts it, but a subnet added there later is unreachable from pods", label, p, note, v.Name, o)
		f.Severity = Warning
		out = append(out, f)
	}
	if o, ok := overlapping(p, c.OnPremises); ok {
		out = append(out, at(cl.ID, "%s %s%s overlaps the on-premises range %s", label, p, note, o))
	}
	return out
}

// spaceIndex files the VNets' address spaces (valid ones, masked) by
// prefix and by first address, so that the VNets whose space overlaps a
// range are found without asking every VNet (clusterRangeOverlaps asked
// every VNet for every cluster: quadratic in an estate with a cluster in
// each spoke).
type spaceIndex struct {
	byPrefix map[netip.Prefix][]int // masked prefix → indices in Twin.VNets
	spans    []spaceSpan            // sorted by first address
}

type spaceSpan struct {
	p    netip.Prefix
	vnet int
}

// vnetsOverlapping returns, in ascending order, the indices in Twin.VNets
// of the VNets with an address space that overlaps p: two CIDR ranges
// overlap exactly when one contains the other, so those are the spaces
// that are p or one of its supernets (looked up by prefix) and those whose
// first address lies in p (a range of the sorted spans).
func (c *Context) vnetsOverlapping(p netip.Prefix) []int {
	if !p.IsValid() {
		return nil
	}
	if c.spaces == nil {
		x := &spaceIndex{byPrefix: map[netip.Prefix][]int{}}
		for i, v := range c.Twin.VNets {
			for _, a := range v.AddressSpace {
				if a.IsValid() {
					m := a.Masked()
					x.byPrefix[m] = append(x.byPrefix[m], i)
					x.spans = append(x.spans, spaceSpan{m, i})
				}
			}
		}
		slices.SortFunc(x.spans, func(a, b spaceSpan) int { return a.p.Addr().Compare(b.p.Addr()) })
		c.spaces = x
	}
	pm := p.Masked()
	var out []int
	for b := 0; b <= pm.Bits(); b++ {
		if q, err := pm.Addr().Prefix(b); err == nil {
			out = append(out, c.spaces.byPrefix[q]...)
		}
	}
	spans := c.spaces.spans
	i, _ := slices.BinarySearchFunc(spans, pm.Addr(), func(s spaceSpan, a netip.Addr) int { return s.p.Addr().Compare(a) })
	for ; i < len(spans) && pm.Contains(spans[i].p.Addr()); i++ {
		out = append(out, spans[i].vnet)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

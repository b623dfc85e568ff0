package twin

import (
	"fmt"
	"net/netip"
	"strings"
)

// Hop is one step of a packet trace.
type Hop struct {
	At     string // where the decision is made
	Result string // "allow", "deny", "route"
	Why    string
}

func (h Hop) String() string { return h.At + ": " + h.Result + " (" + h.Why + ")" }

// ReachResult is whether a flow gets through, with the trace.
type ReachResult struct {
	OK  bool
	Why string // the first broken step, when not OK
	// Undecided is set (with OK false) when the outcome depends on
	// something the model does not know, such as the address behind a
	// public name: neither proved nor disproved.
	Undecided bool
	Hops      []Hop
}

func (r *ReachResult) hop(at, result, why string) {
	if r.Hops == nil {
		// A packet path is four or five hops (routes, peering, NSGs out
		// and in, the target): one allocation instead of three.
		r.Hops = make([]Hop, 0, 6)
	}
	r.Hops = append(r.Hops, Hop{at, result, why})
}

func (r ReachResult) fail(why string) ReachResult { r.OK, r.Why = false, why; return r }

func (r ReachResult) undecided(why string) ReachResult {
	r.OK, r.Why, r.Undecided = false, why, true
	return r
}

// Target is what owns a destination address.
type Target struct {
	Name   string
	Subnet *Subnet
	NIC    *NIC
	// Endpoint is true for private endpoints (NSGs apply only with network
	// policies enabled).
	Endpoint bool
	// Ports the target listens on; nil means any.
	Ports []uint16
}

// TargetOf returns what owns address a in the model.
func (t *Twin) TargetOf(a netip.Addr) (Target, bool) {
	if n := t.nicAt(a); n != nil {
		tg := Target{Name: n.Name, Subnet: n.Subnet, NIC: n}
		if _, isPE := t.Lookup(n.Owner).(*PrivateEndpoint); isPE || strings.Contains(string(n.ID), "#") {
			tg.Endpoint = true
			tg.Ports = []uint16{443}
		}
		return tg, true
	}
	// A scale set's instances (one NIC configuration, modelled as one NIC
	// outside t.NICs).
	for _, ss := range t.ScaleSets {
		if ss.NIC != nil && ss.NIC.IP == a {
			return Target{Name: ss.Name, Subnet: ss.NIC.Subnet, NIC: ss.NIC}, true
		}
	}
	for _, g := range t.Gateways {
		if g.PrivateIP == a {
			return Target{Name: g.Name + " private frontend", Subnet: g.Subnet, Ports: g.Listeners["private"]}, true
		}
	}
	// A firewall DNS proxy and a resolver inbound endpoint listen on 53.
	if s := t.Servers[a.String()]; s != nil && s.Subnet != nil && (s.Kind == ServerFirewall || s.Kind == ServerInbound) {
		return Target{Name: s.Name, Subnet: s.Subnet, Ports: []uint16{53}}, true
	}
	if fw := t.firewallAt(a); fw != nil && fw.Subnet != nil {
		return Target{Name: "Azure Firewall " + fw.Name, Subnet: fw.Subnet, Ports: []uint16{}}, true
	}
	return Target{}, false
}

// vnetTagFor returns the VirtualNetwork service tag as seen by an NSG in v:
// v's address space plus the spaces of VNets peered with it both ways
// (azure-rules.md §2.3).
func (t *Twin) vnetTagFor(v *VNet) func(netip.Addr) bool {
	return func(a netip.Addr) bool {
		if v.Contains(a) {
			return true
		}
		for _, p := range v.Peerings {
			if p.Remote != nil && p.Remote.Contains(a) {
				if ok, _ := Connected(v, p.Remote); ok {
					return true
				}
			}
		}
		return false
	}
}

// Reach decides whether a packet from client c gets to dst:port: routing
// (own VNet, peering in both directions, UDRs), the source subnet's and
// NIC's outbound NSG rules, the destination's inbound NSG rules (not for
// private endpoints with network policies disabled) and whether anything
// listens there.
func (t *Twin) Reach(c Client, dst netip.Addr, proto string, port uint16) ReachResult {
	res := ReachResult{OK: true}
	if c.Subnet == nil {
		return res.fail(c.Name + " is in no subnet of the model")
	}
	tg, ok := t.TargetOf(dst)
	if !ok {
		return res.fail("nothing in the design has address " + dst.String())
	}
	if tg.Subnet == nil {
		return res.fail(tg.Name + " is in no subnet of the model")
	}
	src, dv := c.Subnet.VNet, tg.Subnet.VNet
	// Routing.
	if rt := c.Subnet.RouteTable; rt != nil {
		if r, ok := bestRoute(rt, dst); ok && r.Prefix.Bits() > routeBits(src, dv, dst) && !(tg.Endpoint && tg.Subnet.PENetworkPolicies == "Disabled" && r.Prefix.Bits() < 32) {
			switch strings.ToLower(r.NextHop) {
			case "none":
				res.hop("route table "+rt.Name, "drop", "route "+r.Name+" "+r.Prefix.String()+" → None")
				return res.fail("route " + r.Name + " in " + rt.Name + " drops traffic to " + r.Prefix.String())
			case "virtualappliance":
				if why := r.UnknownNextHop(); why != "" {
					res.hop("route table "+rt.Name, "route", "route "+r.Name+" "+r.Prefix.String()+" → appliance "+describe(r.nextRaw))
					return res.undecided(why)
				}
				res.hop("route table "+rt.Name, "route", "route "+r.Name+" "+r.Prefix.String()+" → appliance "+r.NextAddr.String())
				if _, ok := t.TargetOf(r.NextAddr); !ok && !t.isFirewall(r.NextAddr) {
					return res.fail("route " + r.Name + " sends traffic to " + r.NextAddr.String() + ", which nothing in the design owns")
				}
			}
		}
	}
	if src != dv {
		ok, why := Connected(src, dv)
		if !ok {
			res.hop(src.Name, "no route", why)
			return res.fail(why)
		}
		res.hop(src.Name+" → "+dv.Name, "route", why)
	} else {
		res.hop(src.Name, "route", "same VNet")
	}
	f := Flow{Src: Endpoint{Addr: c.Addr}, Dst: Endpoint{Addr: dst}, Protocol: proto, Port: port}
	if !t.nsgAllows(&res, c.Subnet.NSG, "subnet "+c.Subnet.Name, f, false, src) {
		return res
	}
	if c.NIC != nil && !t.nsgAllows(&res, c.NIC.NSG, "NIC "+c.NIC.Name, f, false, src) {
		return res
	}
	if tg.Endpoint && !strings.Contains(strings.ToLower(tg.Subnet.PENetworkPolicies), "networksecuritygroup") && !strings.EqualFold(tg.Subnet.PENetworkPolicies, "Enabled") {
		res.hop("subnet "+tg.Subnet.Name, "allow", "NSGs do not apply to private endpoints (privateEndpointNetworkPolicies "+tg.Subnet.PENetworkPolicies+")")
	} else {
		if !t.nsgAllows(&res, tg.Subnet.NSG, "subnet "+tg.Subnet.Name, f, true, dv) {
			return res
		}
		if tg.NIC != nil && !t.nsgAllows(&res, tg.NIC.NSG, "NIC "+tg.NIC.Name, f, true, dv) {
			return res
		}
	}
	if tg.Ports != nil && !containsPort(tg.Ports, port) {
		res.hop(tg.Name, "closed", fmt.Sprintf("listens on %v", tg.Ports))
		return res.fail(fmt.Sprintf("%s does not listen on %s %d", tg.Name, proto, port))
	}
	res.hop(tg.Name, "delivered", fmt.Sprintf("%s %d", proto, port))
	return res
}

func containsPort(ps []uint16, p uint16) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// routeBits is the prefix length of the system route that carries dst: the
// VNet or peered VNet range holding it.
func routeBits(src, dst *VNet, a netip.Addr) int {
	best := 0
	for _, v := range []*VNet{src, dst} {
		for _, p := range v.AddressSpace {
			if p.Contains(a) && p.Bits() > best {
				best = p.Bits()
			}
		}
	}
	return best
}

func bestRoute(rt *RouteTable, a netip.Addr) (Route, bool) {
	var best Route
	found := false
	for _, r := range rt.Routes {
		if r.Prefix.IsValid() && r.Prefix.Contains(a) && (!found || r.Prefix.Bits() > best.Prefix.Bits()) {
			best, found = r, true
		}
	}
	return best, found
}

func (t *Twin) nsgAllows(res *ReachResult, n *NSG, at string, f Flow, inbound bool, v *VNet) bool {
	if n == nil {
		res.hop(at, "allow", "no NSG")
		return true
	}
	r := n.Eval(f, inbound, t.vnetTagFor(v))
	where := "NSG " + n.Name + " on " + at
	if r.Allow {
		res.hop(where, "allow", r.String())
		return true
	}
	res.hop(where, "deny", r.String())
	*res = res.fail(where + " denies " + f.Src.String() + " → " + f.Dst.String() + " " + f.Protocol + " " + fmt.Sprint(f.Port) + " by rule " + r.String())
	return false
}

// InternetToNIC evaluates whether the Internet reaches a NIC with a
// public IP on port (the NSGs of its subnet and NIC).
func (t *Twin) InternetToNIC(n *NIC, port uint16) ReachResult {
	res := ReachResult{OK: true}
	if n.PublicIP == nil {
		return res.fail(n.Name + " has no public IP")
	}
	res.hop(n.Name, "public IP", n.PublicIP.Name)
	f := Flow{Src: Endpoint{Tag: "Internet"}, Dst: Endpoint{Addr: n.IP}, Protocol: "Tcp", Port: port}
	if n.Subnet != nil {
		if n.Subnet.NSG == nil && n.NSG == nil {
			if strings.EqualFold(n.PublicIP.SKU, "Standard") {
				res.hop("public IP "+n.PublicIP.Name, "deny", "a Standard public IP is closed to inbound traffic unless an NSG allows it")
				return res.fail("Standard public IP " + n.PublicIP.Name + " with no NSG admits nothing")
			}
			res.hop("subnet "+n.Subnet.Name, "allow", "no NSG on the subnet or the NIC, and a Basic (or unknown SKU) public IP is open")
			return res
		}
		if !t.nsgAllows(&res, n.Subnet.NSG, "subnet "+n.Subnet.Name, f, true, n.Subnet.VNet) {
			return res
		}
		if n.NSG != nil && !t.nsgAllows(&res, n.NSG, "NIC "+n.Name, f, true, n.Subnet.VNet) {
			return res
		}
	}
	return res
}

func (t *Twin) isFirewall(a netip.Addr) bool { return t.firewallAt(a) != nil }

// InternetToFrontend evaluates whether Internet clients reach the
// gateway's public frontend on port: a listener on that port and the
// gateway subnet's NSG.
func (t *Twin) InternetToFrontend(g *AppGateway, port uint16) ReachResult {
	res := ReachResult{OK: true}
	if g.PublicIP == nil {
		return res.fail(g.Name + " has no public frontend")
	}
	if !containsPort(g.Listeners["public"], port) {
		return res.fail(fmt.Sprintf("%s has no public listener on port %d", g.Name, port))
	}
	if g.Subnet == nil {
		return res.fail(g.Name + " is in no subnet of the model")
	}
	// The subnet's NSG sees traffic to the public frontend arrive at the
	// gateway's instances, which take addresses of the subnet: an allow
	// rule names the subnet's range, VirtualNetwork or * as destination
	// ([S32], azure-rules.md §2.7). A rule naming the public IP itself
	// cannot match here: its address is known only once deployed.
	f := Flow{Src: Endpoint{Tag: "Internet"}, Dst: Endpoint{Addr: gatewayInstance(g)}, Protocol: "Tcp", Port: port}
	if !f.Dst.Addr.IsValid() {
		return res.fail(g.Name + "'s subnet " + g.Subnet.Name + " has no address range in the model")
	}
	if !t.nsgAllows(&res, g.Subnet.NSG, "subnet "+g.Subnet.Name, f, true, g.Subnet.VNet) {
		return res
	}
	res.hop(g.Name+" public frontend", "delivered", fmt.Sprintf("listener on %d", port))
	return res
}

// gatewayInstance is an address one of g's instances takes: the first
// address of its subnet after the five Azure reserves (the network
// address and the next three, and broadcast) that is not the private
// frontend's.
func gatewayInstance(g *AppGateway) netip.Addr {
	if g.Subnet == nil || !g.Subnet.Prefix.IsValid() {
		return netip.Addr{}
	}
	p := g.Subnet.Prefix.Masked()
	a := p.Addr()
	for i := 0; i < 4; i++ {
		a = a.Next()
	}
	for a.IsValid() && p.Contains(a) && p.Contains(a.Next()) {
		if a != g.PrivateIP {
			return a
		}
		a = a.Next()
	}
	return netip.Addr{}
}

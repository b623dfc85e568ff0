package twin

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Firewall is an Azure Firewall and the rules of its policy (or its classic
// rule collections), evaluated as an allow-list: what no rule allows is
// denied.
type Firewall struct {
	ID        arm.ResourceID
	Name      string
	Subnet    *Subnet
	PrivateIP netip.Addr
	Rules     []FirewallRule // in evaluation order
}

// FirewallRule is one network or application rule with its collection's
// action.
type FirewallRule struct {
	Collection string
	Name       string
	Allow      bool
	Network    bool // network rules are evaluated before application rules
	Sources    []string
	// Network rules: destination addresses or service tags, ports,
	// protocols (TCP, UDP, Any).
	Dests     []string
	Ports     []PortRange
	Protocols []string
	// Application rules: FQDNs (wildcards "*.x"), FQDN tags, ports.
	FQDNs    []string
	FQDNTags []string
	AppPorts []uint16
	// UnknownSources name IP groups among the sources whose addresses the
	// model does not know (a group no source declares, or addresses only
	// a deployment knows): whether the rule applies is then undecided.
	UnknownSources []string

	srcGroups, dstGroups []any // sourceIpGroups, destinationIpGroups as written
}

// fqdnTags lists what each FQDN tag privaks understands covers (Azure
// Firewall's AzureKubernetesService tag is the AKS required outbound list,
// azure-rules.md [S58]).
var fqdnTags = map[string][]string{
	"azurekubernetesservice": {"mcr.microsoft.com", "*.data.mcr.microsoft.com", "mcr-0001.mcr-msedge.net", "management.azure.com",
		"login.microsoftonline.com", "packages.microsoft.com", "acs-mirror.azureedge.net", "packages.aks.azure.com", "*.hcp.*.azmk8s.io"},
}

// AKSRequiredEndpoints are the FQDNs every AKS node must reach on 443
// (azure-rules.md [S58]).
var AKSRequiredEndpoints = []string{"mcr.microsoft.com", "management.azure.com", "login.microsoftonline.com", "packages.aks.azure.com", "acs-mirror.azureedge.net"}

func (t *Twin) buildFirewalls(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/azureFirewalls") {
		fw := &Firewall{ID: r.ID, Name: r.Name}
		// Only one IP configuration names the AzureFirewallSubnet and gets
		// the private IP; the others add public IPs only (a firewall with
		// several public IPs lists them after it).
		for _, ic := range list(r.Prop("ipConfigurations")) {
			sn, _ := t.Lookup(idRef(get(ic, "properties.subnet"))).(*Subnet)
			if sn == nil {
				continue
			}
			fw.Subnet = sn
			a := sn.Prefix.Addr()
			for range 4 {
				a = a.Next()
			}
			fw.PrivateIP = a
			if lit, ok := addr(str(get(ic, "properties.privateIPAddress"))); ok {
				fw.PrivateIP = lit // read back from a live firewall
			}
			break
		}
		fw.Rules = append(fw.Rules, classicRules(r)...)
		if pol := idRef(r.Prop("firewallPolicy")); pol != "" {
			fw.Rules = append(fw.Rules, policyRules(set, pol)...)
		}
		for i := range fw.Rules {
			t.expandIPGroups(&fw.Rules[i])
		}
		t.Firewalls = append(t.Firewalls, fw)
		t.put(r.ID, fw)
	}
}

type collection struct {
	prio  int
	rules []FirewallRule
}

// policyRules reads the rule collection groups of a firewall policy, in
// priority order (group, then collection).
func policyRules(set *arm.Set, policy arm.ResourceID) []FirewallRule {
	var cols []collection
	for _, g := range set.OfType("Microsoft.Network/firewallPolicies/ruleCollectionGroups") {
		if !parentID(g.ID).Equal(policy) {
			continue
		}
		gp, _ := toInt(g.Prop("priority"))
		for _, c := range list(g.Prop("ruleCollections")) {
			cp, _ := toInt(get(c, "priority"))
			allow := !strings.EqualFold(str(get(c, "action.type")), "Deny")
			name := str(get(c, "name"))
			var rules []FirewallRule
			for _, x := range list(get(c, "rules")) {
				rules = append(rules, parseFWRule(name, x, allow, strings.EqualFold(str(get(x, "ruleType")), "NetworkRule")))
			}
			cols = append(cols, collection{prio: gp*100000 + cp, rules: rules})
		}
	}
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].prio < cols[j].prio })
	var out []FirewallRule
	for _, c := range cols {
		out = append(out, c.rules...)
	}
	return out
}

// classicRules reads rule collections written on the firewall itself.
func classicRules(r *arm.Resource) []FirewallRule {
	var out []FirewallRule
	for _, kind := range []string{"networkRuleCollections", "applicationRuleCollections"} {
		for _, c := range list(r.Prop(kind)) {
			allow := !strings.EqualFold(str(get(c, "properties.action.type")), "Deny")
			for _, x := range list(get(c, "properties.rules")) {
				out = append(out, parseFWRule(str(get(c, "name")), x, allow, kind == "networkRuleCollections"))
			}
		}
	}
	return out
}

func parseFWRule(col string, x any, allow, network bool) FirewallRule {
	r := FirewallRule{Collection: col, Name: str(get(x, "name")), Allow: allow, Network: network,
		Sources: strs(get(x, "sourceAddresses")), Dests: strs(get(x, "destinationAddresses")),
		Protocols: append(strs(get(x, "ipProtocols")), strs(get(x, "protocols"))...),
		FQDNs:     append(strs(get(x, "targetFqdns")), strs(get(x, "destinationFqdns"))...),
		FQDNTags:  strs(get(x, "fqdnTags")),
		srcGroups: list(get(x, "sourceIpGroups")), dstGroups: list(get(x, "destinationIpGroups"))}
	for _, p := range strs(get(x, "destinationPorts")) {
		if pr, ok := parsePorts(p); ok {
			r.Ports = append(r.Ports, pr)
		}
	}
	for _, p := range list(get(x, "protocols")) {
		if n, ok := toInt(get(p, "port")); ok {
			r.AppPorts = append(r.AppPorts, uint16(n))
		}
	}
	return r
}

type fwVerdict int

const (
	fwDeny fwVerdict = iota
	fwAllow
	fwUndecided
)

// decide evaluates the firewall for a TCP flow from src to dst:port.
// Network rules first, then application rules, each in collection order;
// no match is a deny (Azure Firewall denies by default). A network rule
// whose destinations are IP addresses or service tags cannot be matched
// against a name without its address: when such a rule could change the
// outcome, the verdict is undecided.
func (fw *Firewall) decide(src netip.Addr, dst Destination, port uint16) (fwVerdict, string) {
	var pending *FirewallRule // an earlier rule that may or may not match
	var pendingWhy string
	outcome := func(r *FirewallRule, allow bool, why string) (fwVerdict, string) {
		if pending != nil && pending.Allow != allow {
			return fwUndecided, pendingWhy + "; otherwise " + why
		}
		if allow {
			return fwAllow, why
		}
		return fwDeny, why
	}
	// sourceOK reports whether r's sources hold src; when that depends
	// on an IP group whose addresses are not known, r becomes pending.
	sourceOK := func(r *FirewallRule, kind string) bool {
		if sourceMatch(r.Sources, src) {
			return true
		}
		if len(r.UnknownSources) > 0 && pending == nil {
			pending = r
			pendingWhy = fmt.Sprintf("%s rule %s/%s applies to %s only if %s holds it (its addresses are not modelled)",
				kind, r.Collection, r.Name, src, strings.Join(r.UnknownSources, ", "))
		}
		return false
	}
	for i := range fw.Rules {
		r := &fw.Rules[i]
		if !r.Network || !protoOK(r.Protocols, "TCP") || !portMatch(r.Ports, port) || !sourceOK(r, "network") {
			continue
		}
		m, ok := r.networkDest(dst)
		if !ok {
			if pending == nil {
				pending = r
				pendingWhy = fmt.Sprintf("network rule %s/%s applies to %v only if %s is there (its address is not modelled)",
					r.Collection, r.Name, r.Dests, dst)
			}
			continue
		}
		if m {
			return outcome(r, r.Allow, fmt.Sprintf("network rule %s/%s %s it", r.Collection, r.Name, verb(r.Allow)))
		}
	}
	if dst.Name != "" {
		for i := range fw.Rules {
			r := &fw.Rules[i]
			if r.Network || !containsPort(r.AppPorts, port) || !fqdnMatch(*r, strings.ToLower(dst.Name)) || !sourceOK(r, "application") {
				continue
			}
			return outcome(r, r.Allow, fmt.Sprintf("application rule %s/%s %s it", r.Collection, r.Name, verb(r.Allow)))
		}
	}
	return outcome(nil, false, "no rule matches (Azure Firewall denies by default)")
}

func verb(allow bool) string {
	if allow {
		return "allows"
	}
	return "denies"
}

// networkDest reports whether a network rule's destinations cover dst; ok
// is false when that depends on an address the model does not know.
func (r *FirewallRule) networkDest(dst Destination) (match, ok bool) {
	if dst.Name != "" {
		for _, f := range r.FQDNs {
			if wildcardMatch(strings.ToLower(f), strings.ToLower(dst.Name)) {
				return true, true
			}
		}
	}
	undecided := false
	for _, d := range r.Dests {
		switch {
		case d == "*" || d == "0.0.0.0/0":
			return true, true
		case dst.Name == "":
			if p, ok := prefix(d); ok && p.Contains(dst.Addr) {
				return true, true
			}
			if a, ok := addr(d); ok && a == dst.Addr {
				return true, true
			}
			if in, ok := inRange(d, dst.Addr); ok {
				if in {
					return true, true
				}
				continue
			}
			if _, ok := prefix(d); !ok {
				if _, ok := addr(d); !ok {
					undecided = true // a service tag, or an IP group whose addresses are unknown
				}
			}
		default:
			if p, ok := prefix(d); ok && p.Addr().IsPrivate() && p.Bits() >= 8 {
				continue
			}
			if a, ok := addr(d); ok && a.IsPrivate() {
				continue
			}
			if lo, _, ok := strings.Cut(d, "-"); ok {
				if a, ok := addr(lo); ok && a.IsPrivate() {
					if _, ok := inRange(d, a); ok {
						continue
					}
				}
			}
			undecided = true
		}
	}
	return false, !undecided
}

func sourceMatch(srcs []string, a netip.Addr) bool {
	for _, s := range srcs {
		if s == "*" {
			return true
		}
		if p, ok := prefix(s); ok && p.Contains(a) {
			return true
		}
		if x, ok := addr(s); ok && x == a {
			return true
		}
		if in, ok := inRange(s, a); ok && in {
			return true
		}
	}
	return false
}

// inRange reads an address range "10.0.0.1-10.0.0.9" (Azure Firewall
// rules and IP groups accept them); ok is false when s is not one.
func inRange(s string, a netip.Addr) (in, ok bool) {
	lo, hi, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		return false, false
	}
	l, ok1 := addr(lo)
	h, ok2 := addr(hi)
	if !ok1 || !ok2 || h.Less(l) {
		return false, false
	}
	return a.IsValid() && !a.Less(l) && !h.Less(a), true
}

func protoOK(ps []string, want string) bool {
	for _, p := range ps {
		if strings.EqualFold(p, want) || strings.EqualFold(p, "Any") {
			return true
		}
	}
	return false
}

func fqdnMatch(r FirewallRule, fqdn string) bool {
	for _, f := range r.FQDNs {
		if wildcardMatch(strings.ToLower(f), fqdn) {
			return true
		}
	}
	for _, tag := range r.FQDNTags {
		for _, f := range fqdnTags[strings.ToLower(tag)] {
			if wildcardMatch(f, fqdn) {
				return true
			}
		}
	}
	return false
}

// wildcardMatch matches "*.example.com" and "a.*.b" style patterns label by
// label; "*" matches one or more labels at the front.
func wildcardMatch(pattern, name string) bool {
	if pattern == "*" || pattern == name {
		return true
	}
	if rest, ok := strings.CutPrefix(pattern, "*."); ok && !strings.Contains(rest, "*") {
		return strings.HasSuffix(name, "."+rest)
	}
	pl, nl := strings.Split(pattern, "."), strings.Split(name, ".")
	if len(pl) != len(nl) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != nl[i] {
			return false
		}
	}
	return true
}

// firewallAt returns the firewall with the given private address.
func (t *Twin) firewallAt(a netip.Addr) *Firewall {
	for _, fw := range t.Firewalls {
		if fw.PrivateIP == a {
			return fw
		}
	}
	return nil
}

// Egress decides whether client c reaches name:port on the Internet: the
// subnet's (and NIC's) outbound NSG rules, the route its subnet takes for
// an Internet destination (a UDR to a firewall, whose network and
// application rules are then evaluated as an allow-list), else an explicit
// outbound method (public IP, NAT gateway, AKS load balancer), else
// default outbound access — which subnets no longer have from Network API
// 2025-07-01 (azure-rules.md §2.10).
//
// The destination stays a name: public DNS answers are not modelled, so no
// address is invented for it. A rule that could only be decided by the
// name's address (an NSG rule to a public prefix or a service tag, a
// firewall network rule to IP addresses, a route for a public prefix) makes
// the result Undecided instead of a guess either way.
func (t *Twin) Egress(c Client, name string, port uint16) ReachResult {
	res := ReachResult{OK: true}
	if c.Subnet == nil {
		return res.fail(c.Name + " is in no subnet of the model")
	}
	s := c.Subnet
	dst := Destination{Name: name}
	if a, err := netip.ParseAddr(name); err == nil {
		dst = Destination{Addr: a}
	}
	vt := t.vnetTagFor(s.VNet)
	if !t.outboundAllows(&res, s.NSG, "subnet "+s.Name, c.Addr, dst, port, vt) {
		return res
	}
	if c.NIC != nil && !t.outboundAllows(&res, c.NIC.NSG, "NIC "+c.NIC.Name, c.Addr, dst, port, vt) {
		return res
	}
	if s.RouteTable != nil {
		r, ok, why := internetRoute(s.RouteTable, dst)
		if why != "" {
			return res.undecided(why)
		}
		if ok {
			switch strings.ToLower(r.NextHop) {
			case "virtualappliance":
				if why := r.UnknownNextHop(); why != "" {
					res.hop("route table "+s.RouteTable.Name, "route", r.Prefix.String()+" → "+describe(r.nextRaw))
					return res.undecided(why)
				}
				fw := t.firewallAt(r.NextAddr)
				if fw == nil {
					res.hop("route table "+s.RouteTable.Name, "route", r.Prefix.String()+" → "+r.NextAddr.String())
					return res.fail(fmt.Sprintf("route %s sends Internet traffic to %s, which is no firewall in the design", r.Name, r.NextAddr))
				}
				res.hop("route table "+s.RouteTable.Name, "route", fmt.Sprintf("route %s %s → firewall %s (%s)", r.Name, r.Prefix, fw.Name, fw.PrivateIP))
				if fw.Subnet != nil && fw.Subnet.VNet != s.VNet {
					if ok, why := Connected(s.VNet, fw.Subnet.VNet); !ok {
						return res.fail("the firewall's VNet is not reachable: " + why)
					}
				}
				verdict, why := fw.decide(c.Addr, dst, port)
				switch verdict {
				case fwUndecided:
					res.hop("firewall "+fw.Name, "undecided", why)
					return res.undecided(fmt.Sprintf("firewall %s: %s", fw.Name, why))
				case fwDeny:
					res.hop("firewall "+fw.Name, "deny", why)
					return res.fail(fmt.Sprintf("firewall %s does not allow %s → %s:%d: %s", fw.Name, c.Addr, dst, port, why))
				}
				res.hop("firewall "+fw.Name, "allow", why)
				return res
			case "none":
				res.hop("route table "+s.RouteTable.Name, "drop", "route "+r.Name+" "+r.Prefix.String()+" → None")
				return res.fail(fmt.Sprintf("route %s in %s drops Internet traffic", r.Name, s.RouteTable.Name))
			}
		}
	}
	switch {
	case c.NIC != nil && c.NIC.PublicIP != nil:
		res.hop(c.Name, "allow", "through its public IP "+c.NIC.PublicIP.Name)
	case s.NAT != nil:
		res.hop("subnet "+s.Name, "allow", "through NAT gateway "+s.NAT.Name)
	case strings.EqualFold(c.Outbound, "loadBalancer") || strings.EqualFold(c.Outbound, "managedNATGateway"):
		res.hop(c.Name, "allow", "through the cluster's outbound ("+c.Outbound+")")
	case strings.EqualFold(c.Outbound, "userDefinedRouting"):
		return res.fail(fmt.Sprintf("the cluster uses outboundType userDefinedRouting but subnet %s has no route to a firewall: nodes cannot reach the Internet", s.Name))
	case strings.EqualFold(c.Outbound, "userAssignedNATGateway"):
		return res.fail(fmt.Sprintf("the cluster uses outboundType userAssignedNATGateway but subnet %s has no NAT gateway", s.Name))
	case s.privateByDefault():
		why := "defaultOutboundAccess is false"
		if s.DefaultOutbound == nil {
			why = "subnets are private by default from Network API 2025-07-01 (this one is " + s.APIVersion + ")"
		}
		return res.fail(fmt.Sprintf("subnet %s is private (%s) and %s has no explicit outbound method (NAT gateway, public IP, load balancer or route to a firewall)", s.Name, why, c.Name))
	default:
		res.hop("subnet "+s.Name, "allow", "default outbound access (being retired: give the subnet a NAT gateway)")
	}
	return res
}

// Destination is where an egress flow goes: a name outside the design
// (kept as a name) or, when the user gave one, an address.
type Destination struct {
	Name string
	Addr netip.Addr
}

func (d Destination) String() string {
	if d.Name != "" {
		return d.Name
	}
	return d.Addr.String()
}

// outboundAllows evaluates an NSG's outbound rules for a flow to an
// Internet destination. For a name, a rule decides only when its
// destination covers every Internet address ("*", 0.0.0.0/0, Internet) or
// none (VirtualNetwork, private ranges); a public prefix or another
// service tag leaves the flow undecided.
func (t *Twin) outboundAllows(res *ReachResult, n *NSG, at string, src netip.Addr, dst Destination, port uint16, vnetTag func(netip.Addr) bool) bool {
	if n == nil {
		res.hop(at, "allow", "no NSG")
		return true
	}
	where := "NSG " + n.Name + " on " + at
	for _, r := range n.Rules {
		if r.Inbound || !protoMatch(r.Protocol, "Tcp") || !portMatch(r.DestPorts, port) ||
			!matchAny(r.Sources, Endpoint{Addr: src}, vnetTag) {
			continue
		}
		match, undecided := false, ""
		for _, d := range r.Dests {
			m, ok := destCovers(d, dst, vnetTag)
			if !ok {
				undecided = d
				continue
			}
			if m {
				match = true
				break
			}
		}
		switch {
		case match && r.Allow:
			res.hop(where, "allow", r.String())
			return true
		case match:
			res.hop(where, "deny", r.String())
			*res = res.fail(fmt.Sprintf("%s denies %s → %s TCP %d by rule %s", where, src, dst, port, r.String()))
			return false
		case undecided != "":
			res.hop(where, "undecided", r.String())
			*res = res.undecided(fmt.Sprintf("%s: rule %s applies to %s only if %s is in %s; the model keeps %s as a name and does not know its address",
				where, r.Name, undecided, dst, undecided, dst))
			return false
		}
	}
	*res = res.fail(where + " has no outbound rule for " + dst.String())
	return false
}

// destCovers reports whether an NSG destination prefix covers dst; ok is
// false when that cannot be decided without the name's address.
func destCovers(d string, dst Destination, vnetTag func(netip.Addr) bool) (match, ok bool) {
	if dst.Name == "" {
		return matchOne(d, Endpoint{Addr: dst.Addr}, vnetTag), true
	}
	switch strings.ToLower(d) {
	case "*", "any", "0.0.0.0/0", "internet":
		return true, true
	case "virtualnetwork", "azureloadbalancer":
		return false, true
	}
	if p, ok := prefix(d); ok {
		if p.Addr().IsPrivate() && p.Bits() >= 8 {
			return false, true // a name answered by public DNS is outside private ranges
		}
		return false, false
	}
	if a, ok := addr(d); ok && a.IsPrivate() {
		return false, true
	}
	return false, false
}

// internetRoute returns the route a subnet uses for dst: for an address
// the longest match; for a name the 0.0.0.0/0 route, unless a route for a
// narrower public prefix goes elsewhere, which leaves the path undecided
// (why is then set).
func internetRoute(rt *RouteTable, dst Destination) (Route, bool, string) {
	if dst.Name == "" {
		r, ok := bestRoute(rt, dst.Addr)
		return r, ok, ""
	}
	var def Route
	found := false
	for _, r := range rt.Routes {
		if r.Prefix.IsValid() && r.Prefix.Bits() == 0 {
			def, found = r, true
		}
	}
	for _, r := range rt.Routes {
		if !r.Prefix.IsValid() || r.Prefix.Bits() == 0 || (r.Prefix.Addr().IsPrivate() && r.Prefix.Bits() >= 8) {
			continue
		}
		if !found || !strings.EqualFold(r.NextHop, def.NextHop) || r.NextAddr != def.NextAddr {
			return Route{}, false, fmt.Sprintf("route %s in %s sends %s elsewhere than the default route; whether %s is in it depends on its address, which the model does not know",
				r.Name, rt.Name, r.Prefix, dst)
		}
	}
	return def, found, ""
}

// privateByDefault reports whether the subnet has no default outbound
// access: explicitly, or because its API version makes subnets private.
func (s *Subnet) privateByDefault() bool {
	if s.DefaultOutbound != nil {
		return !*s.DefaultOutbound
	}
	return s.APIVersion >= "2025-07-01"
}

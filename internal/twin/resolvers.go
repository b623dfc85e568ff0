package twin

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// DNS servers that are not VMs: Azure Firewall's DNS proxy and the DNS
// Private Resolver's forwarding rulesets, and what lies beyond the estate.
//
// Azure Firewall DNS proxy (https://learn.microsoft.com/azure/firewall/dns-settings):
// with DNS proxy enabled the firewall listens on port 53 of its private IP
// and forwards queries to its configured custom DNS servers, or to Azure DNS
// when none are configured; Azure DNS then answers in the context of the
// firewall's VNet (the private zones linked to it). Clients set the
// firewall's private IP as their VNet's DNS server. A firewall attached to a
// Firewall Policy takes its DNS settings from the policy
// (dnsSettings.enableProxy, dnsSettings.servers); a classic firewall from
// its additionalProperties, whose keys contain dots ("Network.DNS.EnableProxy"
// is one key, not a path; "Network.DNS.Servers" is a comma-separated list).
//
// DNS Private Resolver (azure-rules.md §1.5, [S8] dns-private-resolver-overview,
// [S9] private-resolver-endpoints-rulesets): an inbound endpoint answers in
// its resolver's VNet context; for a VNet using Azure DNS the order is the
// private zones linked to the VNet, then the forwarding rulesets linked to
// it (longest domain match wins; disabled rules do not match; a linked VNet
// needs no peering to use the ruleset), then public DNS. A rule forwards
// through the ruleset's outbound endpoint to its first target server.

// firewallDNS reads a firewall's DNS proxy settings. known is false when the
// settings live in a policy the set does not hold.
func (t *Twin) firewallDNS(r *arm.Resource) (proxy bool, servers []netip.Addr, unknown []string, src string, known bool) {
	if pol := idRef(r.Prop("firewallPolicy")); pol != "" {
		p := t.Set.Get(pol)
		if p == nil {
			return false, nil, nil, "firewall policy " + lastName(pol) + " (not in this resource set)", false
		}
		proxy, _ = boolean(p.Prop("dnsSettings.enableProxy"))
		for _, x := range list(p.Prop("dnsSettings.servers")) {
			if a, ok := addr(str(x)); ok {
				servers = append(servers, a)
			} else if a, ok := t.refAddr(x); ok {
				servers = append(servers, a) // reference() to a NIC or resolver endpoint
			} else {
				unknown = append(unknown, describe(x))
			}
		}
		return proxy, servers, unknown, "dnsSettings of firewall policy " + p.Name, true
	}
	add := obj(r.Prop("additionalProperties"))
	proxy, _ = boolean(arm.GetFold(add, "Network.DNS.EnableProxy"))
	if s := str(arm.GetFold(add, "Network.DNS.Servers")); s != "" {
		for _, x := range strings.Split(s, ",") {
			if a, ok := addr(x); ok {
				servers = append(servers, a)
			} else {
				unknown = append(unknown, strings.TrimSpace(x))
			}
		}
	}
	return proxy, servers, unknown, `additionalProperties["Network.DNS.EnableProxy"] of ` + r.Name, true
}

// addFirewallServer records what answers DNS at a firewall's private IP.
func (t *Twin) addFirewallServer(fw *Firewall) {
	r := t.Set.Get(fw.ID)
	if r == nil || fw.Subnet == nil || !fw.PrivateIP.IsValid() {
		return
	}
	proxy, servers, unknown, src, known := t.firewallDNS(r)
	s := &DNSServer{Addr: fw.PrivateIP, Kind: ServerFirewall, Owner: fw.ID, Name: fw.Name, VNet: fw.Subnet.VNet, Subnet: fw.Subnet,
		Upstreams: servers, Note: src}
	switch {
	case !known:
		s.Undecided = "Azure Firewall " + fw.Name + " takes its DNS settings from " + src + ": whether it proxies DNS is not known"
	case !proxy:
		s.Kind = ServerNone
		s.Note = "Azure Firewall " + fw.Name + " does not proxy DNS (" + src + " does not set enableProxy true), so nothing answers DNS at " + fw.PrivateIP.String()
	case len(servers) == 0 && len(unknown) > 0:
		s.Undecided = "the custom DNS servers of " + src + " are not known before deployment: " + strings.Join(unknown, ", ")
	}
	t.Servers[fw.PrivateIP.String()] = s
}

// Ruleset is a DNS forwarding ruleset of a DNS Private Resolver.
type Ruleset struct {
	ID   arm.ResourceID
	Name string
	// Outbound is the VNet of its first outbound endpoint: the context its
	// forwarded queries leave from. Nil when the endpoint is not in the set.
	Outbound     *VNet
	OutboundName string
	Rules        []*ForwardRule
	VNets        []*VNet // linked VNets
}

// ForwardRule is one forwarding rule of a ruleset.
type ForwardRule struct {
	Name    string
	Domain  string // lower case, no trailing dot; "" is the wildcard "."
	Targets []netip.Addr
	Unknown []string // targets the model cannot read
	Enabled bool
}

func (t *Twin) buildRulesets() {
	outbound := map[string]*arm.Resource{}
	for _, r := range t.Set.OfType("Microsoft.Network/dnsResolvers/outboundEndpoints") {
		outbound[r.ID.Key()] = r
	}
	for _, r := range t.Set.OfType("Microsoft.Network/dnsForwardingRulesets") {
		rs := &Ruleset{ID: r.ID, Name: r.Name}
		for _, e := range list(r.Prop("dnsResolverOutboundEndpoints")) {
			id := idRef(e)
			rs.OutboundName = lastName(id)
			if ep := outbound[id.Key()]; ep != nil {
				if sub, ok := t.Lookup(idRef(ep.Prop("subnet"))).(*Subnet); ok {
					rs.Outbound = sub.VNet
				}
			}
			break
		}
		t.Rulesets = append(t.Rulesets, rs)
		t.put(r.ID, rs)
	}
	for _, r := range t.Set.OfType("Microsoft.Network/dnsForwardingRulesets/forwardingRules") {
		rs, ok := t.Lookup(parentID(r.ID)).(*Ruleset)
		if !ok {
			continue
		}
		fr := &ForwardRule{Name: lastName(r.ID), Domain: canonical(str(r.Prop("domainName"))), Enabled: !strings.EqualFold(str(r.Prop("forwardingRuleState")), "Disabled")}
		for _, x := range list(r.Prop("targetDnsServers")) {
			v := get(x, "ipAddress")
			if a, ok := addr(str(v)); ok {
				fr.Targets = append(fr.Targets, a)
			} else if a, ok := t.refAddr(v); ok {
				fr.Targets = append(fr.Targets, a)
			} else {
				fr.Unknown = append(fr.Unknown, describe(v))
			}
		}
		rs.Rules = append(rs.Rules, fr)
	}
	for _, r := range t.Set.OfType("Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks") {
		rs, ok := t.Lookup(parentID(r.ID)).(*Ruleset)
		if !ok {
			continue
		}
		if v, ok := t.Lookup(idRef(r.Prop("virtualNetwork"))).(*VNet); ok {
			rs.VNets = append(rs.VNets, v)
			if t.rulesetsOf == nil {
				t.rulesetsOf = map[*VNet][]*Ruleset{}
			}
			t.rulesetsOf[v] = append(t.rulesetsOf[v], rs)
		}
	}
	for _, rs := range t.Rulesets {
		sort.SliceStable(rs.Rules, func(i, j int) bool { return rs.Rules[i].Name < rs.Rules[j].Name })
	}
}

// ruleFor returns the enabled rule with the longest domain matching name
// among the rulesets linked to v.
func (t *Twin) ruleFor(v *VNet, name string) (*Ruleset, *ForwardRule) {
	var best *ForwardRule
	var bestRS *Ruleset
	for _, rs := range t.rulesetsOf[v] {
		for _, fr := range rs.Rules {
			if !fr.Enabled || !(fr.Domain == "" || inZone(name, fr.Domain)) {
				continue
			}
			if best == nil || len(fr.Domain) > len(best.Domain) {
				best, bestRS = fr, rs
			}
		}
	}
	return bestRS, best
}

// forward sends name through a forwarding rule.
func (r *resolver) forward(ctx *VNet, rs *Ruleset, fr *ForwardRule, name string, depth int) []rr {
	domain := fr.Domain + "."
	if fr.Domain == "" {
		domain = "."
	}
	src := "forwarding rule " + fr.Name + " (" + domain + ") of ruleset " + rs.Name + ", linked to " + ctx.Name
	server := "Azure DNS (168.63.129.16 in " + ctx.Name + ")"
	if len(fr.Targets) == 0 {
		msg := src + " has no target the model can read: " + strings.Join(fr.Unknown, ", ")
		r.outside = true
		r.step(Step{Server: server, Question: name, Answer: "unknown", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	// The first target answers unless it does not respond; then the next
	// is tried ([S9], rule processing).
	up := r.t.Server(fr.Targets[0])
	for _, a := range fr.Targets[1:] {
		if up.Kind != ServerUnreachable && up.Kind != ServerNone {
			break
		}
		if next := r.t.Server(a); next.Kind != ServerUnreachable && next.Kind != ServerNone {
			up = next
		}
	}
	if rs.Outbound == nil {
		msg := src + ": its outbound endpoint " + rs.OutboundName + " is not in this resource set"
		r.outside = true
		r.step(Step{Server: server, Question: name, Answer: "unknown", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	if up.Kind == ServerInbound && up.VNet == ctx {
		// The inbound endpoint answers in ctx, where this rule applies
		// again: the loop the documentation warns of.
		msg := src + " targets inbound endpoint " + up.Name + " in " + ctx.Name + " itself, and the ruleset is linked to that VNet: a resolution loop (azure-rules.md §1.5, [S9])"
		r.step(Step{Server: server, Question: name, Answer: "SERVFAIL", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	if tv := r.t.vnetOf(up.Addr); tv != nil && tv != rs.Outbound {
		if ok, why := Connected(rs.Outbound, tv); !ok {
			msg := src + ": outbound endpoint " + rs.OutboundName + " in " + rs.Outbound.Name + " cannot reach " + up.String() + ": " + why
			r.step(Step{Server: server, Question: name, Answer: "no answer", Source: msg})
			return []rr{{name: name, typ: "ERR", value: msg}}
		}
	}
	r.step(Step{Server: server, Question: name, Answer: "forwards to " + up.String(), Source: src + ", through outbound endpoint " + rs.OutboundName})
	return r.ask(up, rs.Outbound, netip.Addr{}, name, depth+1)
}

func (t *Twin) vnetOf(a netip.Addr) *VNet {
	for _, v := range t.VNets {
		if v.Contains(a) {
			return v
		}
	}
	return nil
}

// refAddr reads a private IP given through reference(): an Unknown whose
// Ref is a firewall, a NIC or a resolver inbound endpoint and whose Path
// reads a private IP address.
func (t *Twin) refAddr(v any) (netip.Addr, bool) {
	u, ok := v.(arm.Unknown)
	if !ok || u.Ref == "" || !strings.Contains(strings.ToLower(u.Path), "privateipaddress") {
		return netip.Addr{}, false
	}
	switch o := t.Lookup(u.Ref).(type) {
	case *Firewall:
		return o.PrivateIP, o.PrivateIP.IsValid()
	case *NIC:
		return o.IP, o.IP.IsValid()
	case *PrivateEndpoint:
		// reference(reference(pe).networkInterfaces[0].id).ipConfigurations[0]…:
		// the endpoint's NIC, whose first IP configuration is its first
		// member's address.
		p := strings.ToLower(u.Path)
		if strings.HasPrefix(p, "networkinterfaces.0.id/ipconfigurations.0.") && len(o.NICs) > 0 {
			return o.NICs[0].IP, o.NICs[0].IP.IsValid()
		}
	}
	if s := t.inbound[u.Ref.Key()]; s != nil {
		return s.Addr, true
	}
	return netip.Addr{}, false
}

// resolveDNSRefs replaces VNet DNS servers, route next hops and zone A
// records given through reference() (a firewall's, an inbound endpoint's,
// a NIC's or a private endpoint's NIC's private IP) by the address the
// model knows for that resource.
func (t *Twin) resolveDNSRefs() {
	for _, rt := range t.RouteTables {
		for i := range rt.Routes {
			if r := &rt.Routes[i]; !r.NextAddr.IsValid() && r.nextRaw != nil {
				if a, ok := t.refAddr(r.nextRaw); ok {
					r.NextAddr = a
				}
			}
		}
	}
	for _, z := range t.Zones {
		for _, rec := range z.Records {
			if rec.Unknown != "" {
				if a, ok := t.refAddr(rec.raw); ok {
					rec.Value, rec.Unknown, rec.Predicted = a.String(), "", true
				}
			}
		}
	}
	for _, v := range t.VNets {
		if len(v.DNSUnknown) == 0 {
			continue
		}
		var known []netip.Addr
		var unknown []string
		for _, x := range v.dnsRaw {
			if a, ok := addr(str(x)); ok {
				known = append(known, a)
			} else if a, ok := t.refAddr(x); ok {
				known = append(known, a)
			} else {
				unknown = append(unknown, describe(x))
			}
		}
		v.DNSServers, v.DNSUnknown = known, unknown
	}
}

// beyond says how an address outside every VNet of the set could still be
// reached: through a VPN or ExpressRoute gateway, a Virtual WAN hub, a
// peering to a VNet the set does not hold, a route to a gateway or an
// appliance covering it, or a range the estate's NSGs name explicitly (a
// network the design declares, such as privaks' onPremises). "" means no
// path of the estate reaches it.
func (t *Twin) beyond(a netip.Addr) string {
	for _, typ := range []string{"Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/expressRouteGateways",
		"Microsoft.Network/vpnGateways", "Microsoft.Network/virtualHubs"} {
		if rs := t.Set.OfType(typ); len(rs) > 0 {
			return "the estate's gateway " + rs[0].Name + " (" + typ[strings.LastIndex(typ, "/")+1:] + ")"
		}
	}
	for _, v := range t.VNets {
		for _, p := range v.Peerings {
			if p.Remote == nil && p.RemoteID != "" {
				return "peering " + p.Name + " of " + v.Name + " to " + lastName(p.RemoteID) + ", a VNet outside this resource set"
			}
		}
	}
	for _, rt := range t.RouteTables {
		for _, r := range rt.Routes {
			if r.Prefix.IsValid() && r.Prefix.Bits() > 0 && r.Prefix.Contains(a) &&
				(strings.EqualFold(r.NextHop, "VirtualNetworkGateway") || strings.EqualFold(r.NextHop, "VirtualAppliance")) {
				return "route " + r.Name + " of " + rt.Name + " (" + r.Prefix.String() + " → " + r.NextHop + ")"
			}
		}
	}
	for _, n := range t.NSGs {
		for _, r := range n.Rules {
			for _, s := range append(append([]string{}, r.Sources...), r.Dests...) {
				if p, ok := prefix(s); ok && p.Bits() > 0 && p.Contains(a) {
					return "the range " + p.String() + " that NSG " + n.Name + " names (a network the design declares)"
				}
			}
		}
	}
	return ""
}

// Package diagram draws a landing zone from its model (package twin). Build
// turns the twin into a diagram model — boundaries, VNets holding their
// subnets and what runs in them, the services private endpoints front,
// private zones, identities, and the edges between them (peerings, DNS
// paths, routes, zone links, workload → identity → secret) — and renderers
// share it: Mermaid (text for Markdown), D2 (text for the d2 tool), DOT, and
// SVG laid out by Graphviz's dot engine (github.com/goccy/go-graphviz, the C
// library compiled to WebAssembly: a real layout engine, no hand placement).
// Drawn from the same resource set the verifier proves, the picture cannot
// drift from the design. Every renderer's output is deterministic.
package diagram

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
	"github.com/privaks/privaks/internal/twin"
)

// Kind classifies nodes and groups; the legend shows one entry per kind
// drawn.
type Kind string

// Node and group kinds.
const (
	KindInternet  Kind = "internet"
	KindOnPrem    Kind = "onprem"
	KindAzure     Kind = "azure"
	KindVNet      Kind = "vnet"
	KindSpokes    Kind = "spokes" // a VNet standing for several alike
	KindSubnet    Kind = "subnet"
	KindVM        Kind = "vm"
	KindDNS       Kind = "dns"
	KindEndpoint  Kind = "endpoint"
	KindService   Kind = "service"
	KindVault     Kind = "vault"
	KindSecret    Kind = "secret"
	KindZone      Kind = "zone"
	KindZones     Kind = "zones"
	KindPublicIP  Kind = "publicip"
	KindNAT       Kind = "nat"
	KindFirewall  Kind = "firewall"
	KindBastion   Kind = "bastion"
	KindGateway   Kind = "gateway"
	KindFrontend  Kind = "frontend"
	KindAPIServer Kind = "apiserver"
	KindPool      Kind = "pool"
	KindWorkload  Kind = "workload"
	KindIdentity  Kind = "identity"
	KindEntra     Kind = "entra"
	KindLegend    Kind = "legend"
	KindNote      Kind = "note"
)

// EdgeKind classifies edges.
type EdgeKind string

// Edge kinds.
const (
	EdgePeering  EdgeKind = "peering"
	EdgeDNS      EdgeKind = "dns"
	EdgeLink     EdgeKind = "zonelink"
	EdgePrivate  EdgeKind = "privatelink"
	EdgeRoute    EdgeKind = "route"
	EdgeTraffic  EdgeKind = "traffic"
	EdgeIdentity EdgeKind = "identity"
)

// Node is one box.
type Node struct {
	ID    string // stable within one model: n1, n2, ... in drawing order
	Key   string // the resource it stands for (ID key, or a synthetic key)
	Kind  Kind
	Label []string // lines
}

// Group is a box holding nodes and groups: a boundary, VNet, subnet, vault
// or gateway.
type Group struct {
	ID     string // c1, c2, ...
	Key    string
	Kind   Kind
	Label  []string
	Nodes  []*Node
	Groups []*Group
}

// Edge joins two nodes, or (To/FromGroup set) the group a node stands in
// for.
type Edge struct {
	From, To string // node IDs
	// FromGroup and ToGroup are group IDs when the edge means the group
	// (a VNet's DNS path, a peering, a zone link); From/To are then a node
	// inside it that renderers without group edges can use.
	FromGroup, ToGroup string
	Kind               EdgeKind
	Label              string
	Both               bool // drawn with arrows at both ends
}

// Model is the diagram of one landing zone.
type Model struct {
	Title string
	Root  Group
	Edges []Edge
	// Kinds and EdgeKinds are those drawn, for the legend.
	Kinds     []Kind
	EdgeKinds []EdgeKind
	// Collapsed says what was drawn once for many ("199 spokes like
	// vnet-spoke-001"), for the report.
	Collapsed []string
}

// Options tune Build.
type Options struct {
	// GroupAbove is the number of VNets above which alike spokes are
	// drawn once (0: DefaultGroupAbove).
	GroupAbove int
	// NoLegend leaves the legend out.
	NoLegend bool
}

// DefaultGroupAbove is the number of VNets drawn one by one before alike
// spokes are grouped.
const DefaultGroupAbove = 6

// maxZones is the number of private zones drawn one by one; above it,
// zones linked to the same VNets share one box.
const maxZones = 10

type builder struct {
	t      *twin.Twin
	m      *Model
	nodes  map[string]*Node  // by key
	groups map[string]*Group // by key
	nn, gn int
	kinds  map[Kind]bool
	ekinds map[EdgeKind]bool
	edges  map[string]bool
	// drawn is the set of VNet keys drawn (not collapsed away).
	drawn map[string]bool
	// stand maps a collapsed VNet key to the VNet drawn for it.
	stand map[string]string
}

// Build makes the diagram model of t.
func Build(t *twin.Twin, o Options) *Model {
	if o.GroupAbove == 0 {
		o.GroupAbove = DefaultGroupAbove
	}
	b := &builder{t: t, m: &Model{Title: title(t)}, nodes: map[string]*Node{}, groups: map[string]*Group{},
		kinds: map[Kind]bool{}, ekinds: map[EdgeKind]bool{}, edges: map[string]bool{}, drawn: map[string]bool{}, stand: map[string]string{}}
	root := &b.m.Root
	root.Kind = KindAzure

	internet := b.group(root, "boundary:internet", KindInternet, "Internet")
	b.node(internet, "internet", KindInternet, "Internet clients")
	azure := b.group(root, "boundary:azure", KindAzure, "Azure "+t.Scope.Location+" · "+t.Scope.ResourceGroup)
	b.onPremises(root)

	vnets := sorted(t.VNets, func(v *twin.VNet) string { return v.ID.Key() })
	for _, v := range b.collapse(vnets, o.GroupAbove) {
		b.vnet(azure, v)
	}
	b.services(azure)
	b.dnsPaths(azure, vnets)
	b.zones(azure)
	b.egress(azure)
	b.ingress()
	b.identities(root)
	b.peerings(vnets)
	if !o.NoLegend {
		b.legend(root)
	}
	return b.m
}

func title(t *twin.Twin) string {
	if t.Set != nil && t.Set.Source != "" {
		return t.Set.Source
	}
	return "landing zone"
}

func sorted[T any](xs []T, key func(T) string) []T {
	out := append([]T(nil), xs...)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func (b *builder) group(parent *Group, key string, kind Kind, label ...string) *Group {
	if g := b.groups[key]; g != nil {
		return g
	}
	b.gn++
	g := &Group{ID: fmt.Sprintf("c%d", b.gn), Key: key, Kind: kind, Label: label}
	parent.Groups = append(parent.Groups, g)
	b.groups[key] = g
	b.kinds[kind] = true
	return g
}

func (b *builder) node(parent *Group, key string, kind Kind, label ...string) *Node {
	if n := b.nodes[key]; n != nil {
		return n
	}
	b.nn++
	n := &Node{ID: fmt.Sprintf("n%d", b.nn), Key: key, Kind: kind, Label: label}
	parent.Nodes = append(parent.Nodes, n)
	b.nodes[key] = n
	b.kinds[kind] = true
	return n
}

func (b *builder) edge(e Edge) {
	if e.From == "" || e.To == "" || e.From == e.To {
		return
	}
	k := e.From + "|" + e.To + "|" + e.FromGroup + "|" + e.ToGroup + "|" + string(e.Kind) + "|" + e.Label
	if b.edges[k] {
		return
	}
	b.edges[k] = true
	b.ekinds[e.Kind] = true
	b.m.Edges = append(b.m.Edges, e)
}

// anchor returns a node inside g for edges that mean the group, adding a
// placeholder when g holds none.
func (b *builder) anchor(g *Group) *Node {
	if len(g.Nodes) > 0 {
		return g.Nodes[0]
	}
	for _, c := range g.Groups {
		if c.Kind == KindSubnet || c.Kind == KindVault {
			return b.anchor(c)
		}
	}
	for _, c := range g.Groups {
		return b.anchor(c)
	}
	return b.node(g, g.Key+"#empty", KindNote, "(empty)")
}

// onPremises draws the on-premises boundary: the DNS servers the set
// points at outside every VNet, and any VPN or ExpressRoute gateway.
func (b *builder) onPremises(root *Group) {
	g := b.group(root, "boundary:onprem", KindOnPrem, "On-premises / outside this resource set")
	var addrs []string
	for a, s := range b.t.Servers {
		if s.Kind == twin.ServerExternal {
			addrs = append(addrs, a)
		}
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		b.node(g, "server:"+a, KindDNS, "DNS server "+a, "(answers not modelled)")
	}
	gws := b.t.Set.OfType("Microsoft.Network/virtualNetworkGateways")
	if len(gws) == 0 && len(addrs) == 0 {
		b.node(g, "onprem:none", KindNote, "no VPN or ExpressRoute", "gateway in this set")
	}
	if len(gws) > 0 {
		b.node(g, "onprem:site", KindOnPrem, "on-premises network")
	}
}

// signature is what makes two spokes alike: their subnets' names and the
// kinds of what runs in them.
func (b *builder) signature(v *twin.VNet, occ map[string][]string) string {
	var parts []string
	for _, s := range v.Subnets {
		parts = append(parts, s.Name+"="+strings.Join(occ[s.ID.Key()], ","))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%d|%s|%v", len(v.Peerings), strings.Join(parts, ";"), v.DNSServers)
}

// collapse returns the VNets to draw: all of them up to limit, else the
// hub-like ones and one of each group of alike spokes.
func (b *builder) collapse(vnets []*twin.VNet, limit int) []*twin.VNet {
	for _, v := range vnets {
		b.drawn[v.ID.Key()] = true
	}
	if len(vnets) <= limit {
		return vnets
	}
	occ := b.occupantKinds()
	groups := map[string][]*twin.VNet{}
	var order []string
	for _, v := range vnets {
		sig := b.signature(v, occ)
		if groups[sig] == nil {
			order = append(order, sig)
		}
		groups[sig] = append(groups[sig], v)
	}
	var out []*twin.VNet
	for _, sig := range order {
		vs := groups[sig]
		out = append(out, vs[0])
		for _, o := range vs[1:] {
			delete(b.drawn, o.ID.Key())
			b.stand[o.ID.Key()] = vs[0].ID.Key()
		}
		if len(vs) > 1 {
			b.m.Collapsed = append(b.m.Collapsed, fmt.Sprintf("%s stands for %d alike VNets: %s … %s", vs[0].Name, len(vs), vs[0].Name, vs[len(vs)-1].Name))
		}
	}
	return out
}

func (b *builder) occupantKinds() map[string][]string {
	occ := map[string][]string{}
	add := func(s *twin.Subnet, k string) {
		if s != nil {
			occ[s.ID.Key()] = append(occ[s.ID.Key()], k)
		}
	}
	for _, n := range b.t.NICs {
		kind := "nic"
		if _, ok := b.t.Lookup(n.Owner).(*twin.PrivateEndpoint); ok {
			kind = "pe"
		}
		if _, ok := b.t.Lookup(n.Owner).(*twin.Cluster); ok {
			kind = "apiserver"
		}
		add(n.Subnet, kind)
	}
	for _, c := range b.t.Clusters {
		for _, p := range c.Pools {
			add(p.Subnet, "pool:"+p.Name)
		}
	}
	for _, g := range b.t.Gateways {
		add(g.Subnet, "agw")
	}
	for _, g := range b.t.Bastions {
		add(g.Subnet, "bastion")
	}
	for _, f := range b.t.Firewalls {
		add(f.Subnet, "firewall")
	}
	// A signature counts kinds, not how many of each: spokes with four or
	// five endpoints are alike.
	for k, kinds := range occ {
		sort.Strings(kinds)
		occ[k] = slices.Compact(kinds)
	}
	return occ
}

func prefixes(ps []netip.Prefix) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

func (b *builder) vnet(parent *Group, v *twin.VNet) {
	label := []string{"VNet " + v.Name + "  " + prefixes(v.AddressSpace)}
	kind := KindVNet
	var like []*twin.VNet
	for _, o := range b.t.VNets {
		if b.stand[o.ID.Key()] == v.ID.Key() {
			like = append(like, o)
		}
	}
	if len(like) > 0 {
		kind = KindSpokes
		label = append(label, fmt.Sprintf("drawn once for %d alike VNets (%s … %s)", len(like)+1, v.Name, like[len(like)-1].Name))
	}
	g := b.group(parent, v.ID.Key(), kind, label...)
	for _, s := range sorted(v.Subnets, func(s *twin.Subnet) string { return s.ID.Key() }) {
		sl := "subnet " + s.Name + "  " + s.Prefix.String()
		var extra []string
		if s.NSG != nil {
			extra = append(extra, "NSG "+s.NSG.Name)
		}
		if s.RouteTable != nil {
			extra = append(extra, "routes "+s.RouteTable.Name)
		}
		sg := b.group(g, s.ID.Key(), KindSubnet, sl)
		if len(extra) > 0 {
			sg.Label = append(sg.Label, strings.Join(extra, " · "))
		}
	}
	b.occupants(v)
	for _, s := range v.Subnets {
		sg := b.groups[s.ID.Key()]
		if len(sg.Nodes) == 0 && len(sg.Groups) == 0 {
			b.node(sg, s.ID.Key()+"#empty", KindNote, "(no resource in this set)")
		}
	}
}

func (b *builder) inVNet(s *twin.Subnet, v *twin.VNet) bool { return s != nil && s.VNet == v }

// occupants draws what runs in each subnet of v.
func (b *builder) occupants(v *twin.VNet) {
	t := b.t
	for _, vm := range sorted(t.VMs, func(x *twin.VM) string { return x.ID.Key() }) {
		for _, n := range vm.NICs {
			if !b.inVNet(n.Subnet, v) {
				continue
			}
			label := []string{"VM " + vm.Name, n.IP.String()}
			kind := KindVM
			if srv := t.Servers[n.IP.String()]; srv != nil && srv.Owner.Equal(vm.ID) && b.usedAsDNS(n.IP, srv) {
				kind = KindDNS
				label[0] = "VM " + vm.Name + " (DNS " + dnsKind(srv.Kind) + ")"
			}
			if n.PublicIP != nil {
				label = append(label, "public IP "+n.PublicIP.Name)
			}
			b.node(b.groups[n.Subnet.ID.Key()], n.ID.Key(), kind, label...)
		}
	}
	for _, pe := range sorted(t.Endpoints, func(x *twin.PrivateEndpoint) string { return x.ID.Key() }) {
		for _, n := range pe.NICs {
			if !b.inVNet(n.Subnet, v) {
				continue
			}
			sg := b.groups[n.Subnet.ID.Key()]
			if c, ok := t.Lookup(pe.Target).(*twin.Cluster); ok && pe.Implicit {
				b.node(sg, n.ID.Key(), KindAPIServer, "AKS API server "+c.Name, n.IP.String()+" (private endpoint)")
				continue
			}
			member := ""
			if len(pe.NICs) > 1 {
				member = " " + strings.TrimSuffix(strings.SplitN(n.Name, "(", 2)[1], ")")
			}
			b.node(sg, n.ID.Key(), KindEndpoint, "private endpoint "+pe.Name+member, n.IP.String())
		}
	}
	for _, c := range sorted(t.Clusters, func(x *twin.Cluster) string { return x.ID.Key() }) {
		for _, p := range c.Pools {
			if !b.inVNet(p.Subnet, v) {
				continue
			}
			b.node(b.groups[p.Subnet.ID.Key()], "pool:"+c.ID.Key()+"/"+p.Name, KindPool,
				"node pool "+c.Name+"/"+p.Name, fmt.Sprintf("%s · up to %d nodes · %d pods each", orDefault(p.Mode, "User"), p.MaxCount, p.MaxPods))
		}
	}
	for _, gw := range sorted(t.Gateways, func(x *twin.AppGateway) string { return x.ID.Key() }) {
		if !b.inVNet(gw.Subnet, v) {
			continue
		}
		label := "Application Gateway " + gw.Name
		if gw.WAF {
			label += " (WAF)"
		}
		g := b.group(b.groups[gw.Subnet.ID.Key()], gw.ID.Key(), KindGateway, label)
		for _, kind := range []string{"public", "private"} {
			ports := gw.Listeners[kind]
			var fe []string
			switch {
			case kind == "public" && gw.PublicIP != nil:
				fe = []string{"public frontend " + gw.PublicIP.Name}
			case kind == "private" && gw.PrivateIP.IsValid():
				fe = []string{"private frontend " + gw.PrivateIP.String()}
			default:
				continue
			}
			fe = append(fe, "listeners "+portList(ports))
			b.node(g, gw.ID.Key()+"#"+kind, KindFrontend, fe...)
		}
		if len(g.Nodes) == 0 {
			b.node(g, gw.ID.Key()+"#none", KindFrontend, "no frontend")
		}
	}
	for _, x := range sorted(t.Bastions, func(x *twin.Bastion) string { return x.ID.Key() }) {
		if b.inVNet(x.Subnet, v) {
			b.node(b.groups[x.Subnet.ID.Key()], x.ID.Key(), KindBastion, "Bastion "+x.Name, orDefault(x.SKU, "Basic")+" SKU")
		}
	}
	for _, f := range sorted(t.Firewalls, func(x *twin.Firewall) string { return x.ID.Key() }) {
		if b.inVNet(f.Subnet, v) {
			b.node(b.groups[f.Subnet.ID.Key()], f.ID.Key(), KindFirewall, "Azure Firewall "+f.Name, f.PrivateIP.String())
		}
	}
	for _, typ := range []string{"Microsoft.Network/dnsResolvers/inboundEndpoints"} {
		for _, r := range t.Set.OfType(typ) {
			for _, ic := range list(r.Prop("ipConfigurations")) {
				s, _ := t.Lookup(arm.ResourceID(str(arm.Lookup(ic, "subnet.id")))).(*twin.Subnet)
				if !b.inVNet(s, v) {
					continue
				}
				label := []string{"DNS resolver inbound " + r.Name}
				if a := str(arm.Lookup(ic, "privateIpAddress")); a != "" {
					label = append(label, a)
					b.nodes["server:"+a] = b.node(b.groups[s.ID.Key()], r.ID.Key(), KindDNS, label...)
					continue
				}
				b.node(b.groups[s.ID.Key()], r.ID.Key(), KindDNS, label...)
			}
		}
	}
}

// usedAsDNS reports whether a VM is a DNS server: privaks' forwarder, or
// an address some VNet or NIC sends its queries to.
func (b *builder) usedAsDNS(a netip.Addr, srv *twin.DNSServer) bool {
	if srv.Kind == twin.ServerBIND {
		return true
	}
	for _, v := range b.t.VNets {
		for _, d := range v.DNSServers {
			if d == a {
				return true
			}
		}
	}
	for _, n := range b.t.NICs {
		for _, d := range n.DNSServers {
			if d == a {
				return true
			}
		}
	}
	return false
}

func list(v any) []any { l, _ := v.([]any); return l }
func str(v any) string { s, _ := v.(string); return s }

func dnsKind(k twin.ServerKind) string {
	switch k {
	case twin.ServerBIND:
		return "forwarder, BIND"
	case twin.ServerVM:
		return "server, software unknown"
	}
	return string(k)
}

func portList(ps []uint16) string {
	if len(ps) == 0 {
		return "none"
	}
	s := append([]uint16(nil), ps...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var out []string
	for _, p := range s {
		out = append(out, fmt.Sprintf(":%d", p))
	}
	return strings.Join(out, " ")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// services draws each vault (with its secrets) and registry that a drawn
// private endpoint fronts, or that has none, with the edge from the
// endpoint.
func (b *builder) services(azure *Group) {
	t := b.t
	paas := b.group(azure, "boundary:paas", KindAzure, "Azure services (reached through private endpoints)")
	fronted := func(eps []*twin.PrivateEndpoint) (drawn []*twin.PrivateEndpoint, any bool) {
		for _, pe := range eps {
			any = true
			if pe.Subnet != nil && b.drawn[pe.Subnet.VNet.ID.Key()] {
				drawn = append(drawn, pe)
			}
		}
		return drawn, any
	}
	access := func(public bool) string {
		if public {
			return "public access ON"
		}
		return "public access off"
	}
	for _, v := range sorted(t.Vaults, func(x *twin.Vault) string { return x.ID.Key() }) {
		eps, has := fronted(v.Endpoints)
		if has && len(eps) == 0 && !b.wanted(v.ID) {
			continue
		}
		g := b.group(paas, v.ID.Key(), KindVault, "Key Vault "+v.Name)
		n := b.node(g, v.ID.Key()+"#svc", KindService, v.FQDN, access(v.PublicAccess))
		for _, s := range sorted(v.Secrets, func(s string) string { return s }) {
			b.node(g, v.ID.Key()+"/secrets/"+strings.ToLower(s), KindSecret, "secret "+s)
		}
		b.endpointEdges(eps, n)
	}
	for _, r := range sorted(t.Registries, func(x *twin.Registry) string { return x.ID.Key() }) {
		eps, has := fronted(r.Endpoints)
		if has && len(eps) == 0 {
			continue
		}
		n := b.node(paas, r.ID.Key(), KindService, "Container Registry "+r.Name, r.LoginFQDN, access(r.PublicAccess))
		b.endpointEdges(eps, n)
	}
	// Endpoints to anything else (storage, a service in another set).
	for _, pe := range sorted(t.Endpoints, func(x *twin.PrivateEndpoint) string { return x.ID.Key() }) {
		if pe.Implicit || len(pe.NICs) == 0 || b.nodes[pe.NICs[0].ID.Key()] == nil {
			continue
		}
		switch t.Lookup(pe.Target).(type) {
		case *twin.Vault, *twin.Registry:
			continue
		}
		label := []string{shortType(idType(pe.Target)) + " " + lastName(pe.Target)}
		if t.Set.Get(pe.Target) == nil {
			label = append(label, "(not in this set)")
		}
		n := b.node(paas, pe.Target.Key(), KindService, label...)
		b.endpointEdges([]*twin.PrivateEndpoint{pe}, n)
	}
	if len(paas.Nodes) == 0 && len(paas.Groups) == 0 {
		b.node(paas, "paas:none", KindNote, "(no service behind a private endpoint)")
	}
}

// wanted reports whether a vault is needed by a drawn identity.
func (b *builder) wanted(id arm.ResourceID) bool {
	for _, ra := range b.t.Roles {
		if k := ra.Scope.Key(); k == id.Key() || strings.HasPrefix(k, id.Key()+"/") {
			return true
		}
	}
	return false
}

func idType(id arm.ResourceID) string {
	p, err := arm.ParseResourceID(string(id))
	if err != nil {
		return "resource"
	}
	return p.Type()
}

// shortType drops the namespace: Microsoft.Storage/storageAccounts → storageAccounts.
func shortType(t string) string {
	if i := strings.Index(t, "/"); i >= 0 {
		return t[i+1:]
	}
	return t
}

func lastName(id arm.ResourceID) string {
	s := string(id)
	return s[strings.LastIndex(s, "/")+1:]
}

func (b *builder) endpointEdges(eps []*twin.PrivateEndpoint, to *Node) {
	for _, pe := range eps {
		for _, nic := range pe.NICs {
			if n := b.nodes[nic.ID.Key()]; n != nil {
				b.edge(Edge{From: n.ID, To: to.ID, Kind: EdgePrivate})
			}
		}
	}
}

// server returns the node answering DNS at a, drawing Azure DNS or a
// public resolver when that is what answers.
func (b *builder) server(azure *Group, a netip.Addr) *Node {
	if n := b.nodes["server:"+a.String()]; n != nil {
		return n
	}
	srv := b.t.Servers[a.String()]
	if srv != nil && srv.NIC != nil {
		if n := b.nodes[srv.NIC.ID.Key()]; n != nil {
			return n
		}
	}
	if srv != nil && srv.Kind == twin.ServerPublic {
		return b.node(b.groups["boundary:internet"], "server:"+a.String(), KindDNS, "public resolver "+a.String())
	}
	if srv != nil && srv.Owner != "" {
		if n := b.nodes[srv.Owner.Key()]; n != nil {
			return n
		}
	}
	return b.node(b.groups["boundary:onprem"], "server:"+a.String(), KindDNS, "DNS server "+a.String(), "(nothing in this set answers)")
}

var azureDNSAddr = netip.MustParseAddr("168.63.129.16")

func (b *builder) azureDNS(azure *Group) *Node {
	return b.node(azure, "server:azure-dns", KindDNS, "Azure DNS 168.63.129.16", "(answers from the VNet's linked zones)")
}

// dnsPaths draws each VNet's DNS path: to its custom servers, or to Azure
// DNS; and each forwarder's own path.
func (b *builder) dnsPaths(azure *Group, vnets []*twin.VNet) {
	for _, v := range vnets {
		if !b.drawn[v.ID.Key()] {
			continue
		}
		g := b.groups[v.ID.Key()]
		from := b.anchor(g)
		if len(v.DNSServers) == 0 {
			b.edge(Edge{From: from.ID, FromGroup: g.ID, To: b.azureDNS(azure).ID, Kind: EdgeDNS, Label: "DNS"})
		}
		for _, a := range v.DNSServers {
			to := b.server(azure, a)
			b.edge(Edge{From: from.ID, FromGroup: g.ID, To: to.ID, Kind: EdgeDNS, Label: "DNS " + a.String()})
		}
	}
	addrs := make([]string, 0, len(b.t.Servers))
	for a := range b.t.Servers {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		srv := b.t.Servers[a]
		if srv.Kind != twin.ServerBIND || srv.NIC == nil {
			continue
		}
		n := b.nodes[srv.NIC.ID.Key()]
		if n == nil {
			continue
		}
		if srv.Config == nil {
			b.edge(Edge{From: n.ID, To: b.azureDNS(azure).ID, Kind: EdgeDNS, Label: "forwards"})
			continue
		}
		zones := map[netip.Addr][]string{}
		var order []netip.Addr
		add := func(a netip.Addr, zone string) {
			if zones[a] == nil {
				order = append(order, a)
			}
			zones[a] = append(zones[a], zone)
		}
		for _, f := range srv.Config.Forwarders {
			add(f, "everything else")
		}
		for _, z := range srv.Config.Zones {
			for _, f := range z.Forwarders {
				add(f, z.Name)
			}
		}
		for _, a := range order {
			to := b.azureDNS(azure)
			if a != azureDNSAddr {
				to = b.server(azure, a)
			}
			label := "forwards " + zones[a][0]
			if len(zones[a]) > 1 {
				label = fmt.Sprintf("forwards %d zones", len(zones[a]))
			}
			b.edge(Edge{From: n.ID, To: to.ID, Kind: EdgeDNS, Label: label})
		}
	}
}

// zones draws the private DNS zones and their links to drawn VNets.
func (b *builder) zones(azure *Group) {
	zs := sorted(b.t.Zones, func(z *twin.Zone) string { return z.Name + "|" + z.ID.Key() })
	g := b.group(azure, "boundary:zones", KindZones, "Private DNS zones")
	linkSet := func(z *twin.Zone) []*twin.VNet {
		seen := map[string]bool{}
		var out []*twin.VNet
		for _, l := range z.Links {
			if l.VNet == nil {
				continue
			}
			k := l.VNet.ID.Key()
			if !b.drawn[k] {
				k = b.stand[k]
			}
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			for _, v := range b.t.VNets {
				if v.ID.Key() == k {
					out = append(out, v)
				}
			}
		}
		return sorted(out, func(v *twin.VNet) string { return v.ID.Key() })
	}
	type bucket struct {
		zones []*twin.Zone
		vnets []*twin.VNet
	}
	var buckets []*bucket
	if len(zs) <= maxZones {
		for _, z := range zs {
			buckets = append(buckets, &bucket{zones: []*twin.Zone{z}, vnets: linkSet(z)})
		}
	} else {
		byLinks := map[string]*bucket{}
		for _, z := range zs {
			vs := linkSet(z)
			var k []string
			for _, v := range vs {
				k = append(k, v.ID.Key())
			}
			key := strings.Join(k, ",")
			if byLinks[key] == nil {
				byLinks[key] = &bucket{vnets: vs}
				buckets = append(buckets, byLinks[key])
			}
			byLinks[key].zones = append(byLinks[key].zones, z)
		}
	}
	for _, bk := range buckets {
		z := bk.zones[0]
		var n *Node
		if len(bk.zones) == 1 {
			label := []string{"zone " + z.Name}
			if z.Implicit {
				label = append(label, "(created by AKS)")
			}
			n = b.node(g, z.ID.Key(), KindZone, label...)
		} else {
			label := []string{fmt.Sprintf("%d zones linked alike:", len(bk.zones))}
			for i, x := range bk.zones {
				if i == 4 {
					label = append(label, fmt.Sprintf("… and %d more", len(bk.zones)-4))
					break
				}
				label = append(label, x.Name)
			}
			n = b.node(g, "zones:"+z.ID.Key(), KindZone, label...)
		}
		for _, v := range bk.vnets {
			vg := b.groups[v.ID.Key()]
			b.edge(Edge{From: n.ID, To: b.anchor(vg).ID, ToGroup: vg.ID, Kind: EdgeLink, Label: "linked"})
		}
	}
	if len(zs) == 0 {
		b.node(g, "zones:none", KindNote, "(no private zone)")
	}
}

// egress draws the NAT gateways and firewalls subnets leave through, and
// the routes to them.
func (b *builder) egress(azure *Group) {
	t := b.t
	internet := b.nodes["internet"]
	for _, v := range t.VNets {
		if !b.drawn[v.ID.Key()] {
			continue
		}
		for _, s := range sorted(v.Subnets, func(s *twin.Subnet) string { return s.ID.Key() }) {
			sg := b.groups[s.ID.Key()]
			if s.NAT != nil {
				n := b.node(azure, s.NAT.ID.Key(), KindNAT, "NAT gateway "+s.NAT.Name)
				b.edge(Edge{From: b.anchor(sg).ID, FromGroup: sg.ID, To: n.ID, Kind: EdgeRoute, Label: "outbound"})
				for _, p := range s.NAT.PublicIPs {
					pn := b.publicIP(azure, p)
					b.edge(Edge{From: n.ID, To: pn.ID, Kind: EdgeTraffic, Label: "SNAT"})
					b.edge(Edge{From: pn.ID, To: internet.ID, Kind: EdgeTraffic})
				}
				if len(s.NAT.PublicIPs) == 0 {
					b.edge(Edge{From: n.ID, To: internet.ID, Kind: EdgeTraffic})
				}
			}
			if s.RouteTable == nil {
				continue
			}
			for _, r := range s.RouteTable.Routes {
				if !strings.EqualFold(r.NextHop, "VirtualAppliance") {
					continue
				}
				to := b.applianceAt(r.NextAddr)
				if to == nil {
					continue
				}
				b.edge(Edge{From: b.anchor(sg).ID, FromGroup: sg.ID, To: to.ID, Kind: EdgeRoute, Label: "UDR " + r.Prefix.String()})
			}
		}
	}
	for _, f := range sorted(t.Firewalls, func(x *twin.Firewall) string { return x.ID.Key() }) {
		if n := b.nodes[f.ID.Key()]; n != nil {
			b.edge(Edge{From: n.ID, To: internet.ID, Kind: EdgeTraffic, Label: "egress (rules allow-list)"})
		}
	}
}

func (b *builder) applianceAt(a netip.Addr) *Node {
	for _, f := range b.t.Firewalls {
		if f.PrivateIP == a {
			return b.nodes[f.ID.Key()]
		}
	}
	for _, n := range b.t.NICs {
		if n.IP == a {
			return b.nodes[n.ID.Key()]
		}
	}
	return nil
}

func (b *builder) publicIP(azure *Group, id arm.ResourceID) *Node {
	label := []string{"public IP " + lastName(id)}
	if p, ok := b.t.Lookup(id).(*twin.PublicIP); ok && p.SKU != "" {
		label = append(label, p.SKU+" SKU")
	}
	return b.node(azure, id.Key(), KindPublicIP, label...)
}

// ingress draws what the Internet reaches: public IPs of gateways, Bastion
// and VMs.
func (b *builder) ingress() {
	t := b.t
	internet := b.nodes["internet"]
	azure := b.groups["boundary:azure"]
	for _, g := range sorted(t.Gateways, func(x *twin.AppGateway) string { return x.ID.Key() }) {
		fe := b.nodes[g.ID.Key()+"#public"]
		if fe == nil || g.PublicIP == nil {
			continue
		}
		p := b.publicIP(azure, g.PublicIP.ID)
		b.edge(Edge{From: internet.ID, To: p.ID, Kind: EdgeTraffic, Label: "HTTPS " + portList(g.Listeners["public"])})
		b.edge(Edge{From: p.ID, To: fe.ID, Kind: EdgeTraffic})
	}
	for _, x := range sorted(t.Bastions, func(x *twin.Bastion) string { return x.ID.Key() }) {
		n := b.nodes[x.ID.Key()]
		r := t.Set.Get(x.ID)
		if n == nil || r == nil {
			continue
		}
		for _, ic := range list(r.Prop("ipConfigurations")) {
			if id := arm.ResourceID(str(arm.Lookup(ic, "properties.publicIPAddress.id"))); id != "" {
				p := b.publicIP(azure, id)
				b.edge(Edge{From: internet.ID, To: p.ID, Kind: EdgeTraffic, Label: "portal (TLS 443)"})
				b.edge(Edge{From: p.ID, To: n.ID, Kind: EdgeTraffic})
			}
		}
	}
	for _, vm := range sorted(t.VMs, func(x *twin.VM) string { return x.ID.Key() }) {
		for _, nic := range vm.NICs {
			if n := b.nodes[nic.ID.Key()]; n != nil && nic.PublicIP != nil {
				p := b.publicIP(azure, nic.PublicIP.ID)
				b.edge(Edge{From: internet.ID, To: p.ID, Kind: EdgeTraffic})
				b.edge(Edge{From: p.ID, To: n.ID, Kind: EdgeTraffic})
			}
		}
	}
	// Bastion → the VMs it reaches (same or peered VNet).
	for _, x := range t.Bastions {
		bn := b.nodes[x.ID.Key()]
		if bn == nil {
			continue
		}
		for _, vm := range sorted(t.VMs, func(v *twin.VM) string { return v.ID.Key() }) {
			for _, nic := range vm.NICs {
				if n := b.nodes[nic.ID.Key()]; n != nil && nic.PublicIP == nil {
					b.edge(Edge{From: bn.ID, To: n.ID, Kind: EdgeTraffic, Label: "SSH"})
				}
			}
		}
	}
}

// identities draws workload → identity → secret: the service account a
// federated credential trusts, the identity, and the secrets (or vault)
// its roles read.
func (b *builder) identities(root *Group) {
	t := b.t
	var entra *Group
	for _, id := range sorted(t.Identities, func(x *twin.Identity) string { return x.Key }) {
		var reads []*twin.RoleAssignment
		for _, ra := range t.RolesOf(id.Key) {
			if _, ok := t.Lookup(ra.Scope).(*twin.Vault); ok || strings.Contains(strings.ToLower(string(ra.Scope)), "/secrets/") {
				reads = append(reads, ra)
			}
		}
		if len(id.Credentials) == 0 && len(reads) == 0 {
			continue
		}
		if entra == nil {
			entra = b.group(root, "boundary:entra", KindEntra, "Microsoft Entra ID")
		}
		in := b.node(entra, "identity:"+id.Key, KindIdentity, "managed identity "+id.Name)
		for _, f := range id.Credentials {
			wn := b.workload(id, f)
			if wn != nil {
				b.edge(Edge{From: wn.ID, To: in.ID, Kind: EdgeIdentity, Label: "federated token"})
			}
		}
		for _, ra := range sorted(reads, func(r *twin.RoleAssignment) string { return r.Scope.Key() + r.Role }) {
			role := twin.RoleName(ra.Role)
			if v, ok := t.Lookup(ra.Scope).(*twin.Vault); ok {
				secrets := splitList(id.Tags[conventions.TagSecrets])
				if len(secrets) == 0 {
					if vn := b.nodes[v.ID.Key()+"#svc"]; vn != nil {
						b.edge(Edge{From: in.ID, To: vn.ID, Kind: EdgeIdentity, Label: role})
					}
				}
				for _, s := range secrets {
					vg := b.groups[v.ID.Key()]
					if vg == nil {
						continue
					}
					sn := b.node(vg, v.ID.Key()+"/secrets/"+strings.ToLower(s), KindSecret, "secret "+s, "(not in this set)")
					b.edge(Edge{From: in.ID, To: sn.ID, Kind: EdgeIdentity, Label: role})
				}
				continue
			}
			if sn := b.nodes[ra.Scope.Key()]; sn != nil {
				b.edge(Edge{From: in.ID, To: sn.ID, Kind: EdgeIdentity, Label: role})
			}
		}
	}
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// workload draws the service account a federated credential trusts, in the
// node subnet of the cluster whose issuer it names (or the Entra group when
// the cluster is not known).
func (b *builder) workload(id *twin.Identity, f *twin.FederatedCredential) *Node {
	ns, sa, ok := strings.Cut(strings.TrimPrefix(f.Subject, "system:serviceaccount:"), ":")
	if !ok {
		return nil
	}
	name := id.Tags[conventions.TagWorkload]
	label := []string{"workload " + orDefault(name, sa), "service account " + ns + "/" + sa}
	parent := b.groups["boundary:entra"]
	for _, c := range sorted(b.t.Clusters, func(x *twin.Cluster) string { return x.ID.Key() }) {
		if !sameIssuer(f.Issuer, c) {
			continue
		}
		for _, p := range c.Pools {
			if p.Subnet != nil && b.groups[p.Subnet.ID.Key()] != nil && !strings.EqualFold(p.Mode, "System") {
				parent = b.groups[p.Subnet.ID.Key()]
				break
			}
		}
		if parent == b.groups["boundary:entra"] && len(c.Pools) > 0 && c.Pools[0].Subnet != nil && b.groups[c.Pools[0].Subnet.ID.Key()] != nil {
			parent = b.groups[c.Pools[0].Subnet.ID.Key()]
		}
		label = append(label, "on "+c.Name)
		break
	}
	return b.node(parent, "workload:"+ns+"/"+sa+"@"+id.Key, KindWorkload, label...)
}

func sameIssuer(issuer any, c *twin.Cluster) bool {
	switch x := issuer.(type) {
	case arm.Unknown:
		if u, ok := c.Issuer.(arm.Unknown); ok {
			return x.Same(u)
		}
	case string:
		if s, ok := c.Issuer.(string); ok {
			return strings.EqualFold(strings.TrimSuffix(x, "/"), strings.TrimSuffix(s, "/"))
		}
	}
	return false
}

// peerings draws one edge per peered pair of drawn VNets (both directions
// present), and half peerings as broken.
func (b *builder) peerings(vnets []*twin.VNet) {
	for i, x := range vnets {
		for _, y := range vnets[i+1:] {
			if !b.drawn[x.ID.Key()] || !b.drawn[y.ID.Key()] {
				continue
			}
			ok, _ := twin.Connected(x, y)
			one := peeringTo(x, y) != nil || peeringTo(y, x) != nil
			if !ok && !one {
				continue
			}
			gx, gy := b.groups[x.ID.Key()], b.groups[y.ID.Key()]
			label := "peered"
			if !ok {
				label = "peering incomplete"
			}
			b.edge(Edge{From: b.anchor(gx).ID, FromGroup: gx.ID, To: b.anchor(gy).ID, ToGroup: gy.ID, Kind: EdgePeering, Label: label, Both: ok})
		}
	}
}

func peeringTo(from, to *twin.VNet) *twin.Peering {
	for _, p := range from.Peerings {
		if p.RemoteID.Equal(to.ID) {
			return p
		}
	}
	return nil
}

// LegendKinds is the text each kind stands for in the legend.
var LegendKinds = map[Kind]string{
	KindVM: "virtual machine", KindDNS: "DNS server", KindEndpoint: "private endpoint (NIC)", KindService: "Azure service",
	KindSecret: "Key Vault secret", KindZone: "private DNS zone", KindPublicIP: "public IP", KindNAT: "NAT gateway",
	KindFirewall: "firewall", KindBastion: "Bastion", KindFrontend: "gateway frontend + listeners",
	KindAPIServer: "AKS API server", KindPool: "AKS node pool", KindWorkload: "Kubernetes workload",
	KindIdentity: "managed identity", KindInternet: "Internet", KindOnPrem: "on-premises",
}

// LegendEdges is the text each edge kind stands for in the legend.
var LegendEdges = map[EdgeKind]string{
	EdgePeering: "VNet peering", EdgeDNS: "DNS query path", EdgeLink: "zone linked to VNet",
	EdgePrivate: "private endpoint → service", EdgeRoute: "route (UDR / NAT)", EdgeTraffic: "traffic",
	EdgeIdentity: "workload → identity → secret",
}

func (b *builder) legend(root *Group) {
	g := b.group(root, "legend", KindLegend, "Legend")
	var kinds []string
	for k := range b.kinds {
		if LegendKinds[k] != "" {
			kinds = append(kinds, string(k))
		}
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		b.node(g, "legend:"+k, Kind(k), LegendKinds[Kind(k)])
	}
	var eks []string
	for k := range b.ekinds {
		eks = append(eks, string(k))
	}
	sort.Strings(eks)
	for _, k := range eks {
		b.node(g, "legend-edge:"+k, KindLegend, "edge: "+LegendEdges[EdgeKind(k)]).Key = "legend-edge:" + k
		b.m.EdgeKinds = append(b.m.EdgeKinds, EdgeKind(k))
	}
	for _, k := range kinds {
		b.m.Kinds = append(b.m.Kinds, Kind(k))
	}
}

// Walk calls f on every group (depth first, parents first) and node.
func (m *Model) Walk(group func(g *Group, depth int), node func(n *Node, parent *Group)) {
	var walk func(g *Group, depth int)
	walk = func(g *Group, depth int) {
		if group != nil {
			group(g, depth)
		}
		for _, n := range g.Nodes {
			if node != nil {
				node(n, g)
			}
		}
		for _, c := range g.Groups {
			walk(c, depth+1)
		}
	}
	walk(&m.Root, 0)
}

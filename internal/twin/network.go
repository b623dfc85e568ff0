package twin

import (
	"net/netip"
	"slices"

	"github.com/privaks/privaks/internal/arm"
)

// VNet is a virtual network.
type VNet struct {
	ID           arm.ResourceID
	Name         string
	AddressSpace []netip.Prefix
	// DNSServers are the custom DNS servers (dhcpOptions.dnsServers); nil
	// means Azure-provided DNS (168.63.129.16). Entries that are not
	// addresses (expressions left unknown) are kept in DNSUnknown.
	DNSServers []netip.Addr
	DNSUnknown []string
	dnsRaw     []any // dhcpOptions.dnsServers as read, for reference() resolution
	Subnets    []*Subnet
	Peerings   []*Peering
	// Links are the private DNS zone links to this VNet.
	Links []*ZoneLink

	// key is ID.Key(), computed once at build; peerIdx indexes Peerings by
	// remote VNet key, in order, valid while it covers all len(Peerings) of
	// them (peerN).
	key     string
	peerIdx map[string][]*Peering
	peerN   int
}

// idKey is v.ID.Key(), computed once when the twin built v.
func (v *VNet) idKey() string {
	if v.key == "" {
		return v.ID.Key()
	}
	return v.key
}

// Contains reports whether a is in the VNet's address space.
func (v *VNet) Contains(a netip.Addr) bool {
	for _, p := range v.AddressSpace {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Subnet is a subnet of a VNet.
type Subnet struct {
	ID         arm.ResourceID
	Name       string
	VNet       *VNet
	Prefix     netip.Prefix
	NSG        *NSG
	RouteTable *RouteTable
	NAT        *NATGateway
	// DefaultOutbound is defaultOutboundAccess; nil when not set (then the
	// API version decides: private from Network API 2025-07-01).
	DefaultOutbound *bool
	// PENetworkPolicies is privateEndpointNetworkPolicies (Disabled when
	// unset): with Disabled, NSGs and UDRs do not apply to private
	// endpoints in the subnet (azure-rules.md §2.4).
	PENetworkPolicies string
	Delegations       []string
	APIVersion        string

	nsgID, rtID, natID arm.ResourceID
	used               map[netip.Addr]bool // addresses taken, for dynamic prediction
}

// Peering is one direction of a VNet peering.
type Peering struct {
	ID                        arm.ResourceID
	Name                      string
	From                      *VNet
	RemoteID                  arm.ResourceID
	Remote                    *VNet // nil when the remote VNet is not in the set
	AllowVirtualNetworkAccess bool
	AllowForwardedTraffic     bool
	AllowGatewayTransit       bool
	UseRemoteGateways         bool

	remoteKey string // RemoteID.Key()
}

// PublicIP is a public IP address resource. Its address is assigned by
// Azure; the model represents it by its ID.
type PublicIP struct {
	ID   arm.ResourceID
	Name string
	SKU  string
}

// NATGateway gives its subnets explicit outbound access.
type NATGateway struct {
	ID        arm.ResourceID
	Name      string
	PublicIPs []arm.ResourceID
}

// NIC is a network interface: a VM's, or the read-only NIC of a private
// endpoint.
type NIC struct {
	ID     arm.ResourceID
	Name   string
	Subnet *Subnet
	IP     netip.Addr
	// Predicted is true when IP is dynamic and the model predicted it.
	Predicted bool
	PublicIP  *PublicIP
	NSG       *NSG
	// DNSServers is the NIC's DNS override (dnsSettings.dnsServers); nil
	// inherits the VNet's. AzureProvided is true for ["AzureProvidedDNS"].
	DNSServers    []netip.Addr
	AzureProvided bool
	IPForwarding  bool
	// Owner is the resource the NIC belongs to: a VM, a private endpoint,
	// a cluster's API server endpoint.
	Owner arm.ResourceID
}

func (n *Twin) buildVNets(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/virtualNetworks") {
		v := &VNet{ID: r.ID, Name: r.Name, key: r.ID.Key()}
		for _, s := range strs(r.Prop("addressSpace.addressPrefixes")) {
			if p, ok := prefix(s); ok {
				v.AddressSpace = append(v.AddressSpace, p)
			}
		}
		if dns := r.Prop("dhcpOptions.dnsServers"); dns != nil {
			if _, isList := dns.([]any); !isList {
				// The whole list is an expression only a deployment
				// knows: custom DNS of unknown servers, not Azure's.
				dns = []any{dns}
			}
			v.dnsRaw = list(dns)
			for _, x := range list(dns) {
				if a, ok := addr(str(x)); ok {
					v.DNSServers = append(v.DNSServers, a)
				} else {
					v.DNSUnknown = append(v.DNSUnknown, describe(x))
				}
			}
			if len(v.DNSServers) == 0 && len(v.DNSUnknown) == 0 {
				v.DNSServers = nil // custom mode with an empty list = Azure-provided
			}
		}
		n.VNets = append(n.VNets, v)
		n.put(v.ID, v)
		for _, s := range list(r.Prop("subnets")) {
			id := arm.ResourceID(string(r.ID) + "/subnets/" + str(get(s, "name")))
			n.addSubnet(v, id, str(get(s, "name")), obj(get(s, "properties")), r.APIVersion)
		}
		for _, p := range list(r.Prop("virtualNetworkPeerings")) {
			id := arm.ResourceID(string(r.ID) + "/virtualNetworkPeerings/" + str(get(p, "name")))
			n.addPeering(v, id, str(get(p, "name")), obj(get(p, "properties")))
		}
	}
	for _, r := range set.OfType("Microsoft.Network/virtualNetworks/subnets") {
		if v, ok := n.Lookup(parentID(r.ID)).(*VNet); ok {
			n.addSubnet(v, r.ID, lastName(r.ID), r.Properties, r.APIVersion)
		}
	}
	for _, r := range set.OfType("Microsoft.Network/virtualNetworks/virtualNetworkPeerings") {
		if v, ok := n.Lookup(parentID(r.ID)).(*VNet); ok {
			n.addPeering(v, r.ID, lastName(r.ID), r.Properties)
		}
	}
	for _, v := range n.VNets {
		for _, p := range v.Peerings {
			p.Remote, _ = n.byID[p.remoteKey].(*VNet)
		}
	}
}

func (n *Twin) addSubnet(v *VNet, id arm.ResourceID, name string, props map[string]any, api string) {
	if n.Lookup(id) != nil {
		return
	}
	s := &Subnet{ID: id, Name: name, VNet: v, APIVersion: api, used: map[netip.Addr]bool{}}
	s.Prefix, _ = prefix(str(get(props, "addressPrefix")))
	if !s.Prefix.IsValid() {
		if l := strs(get(props, "addressPrefixes")); len(l) > 0 {
			s.Prefix, _ = prefix(l[0])
		}
	}
	s.nsgID = idRef(get(props, "networkSecurityGroup"))
	s.rtID = idRef(get(props, "routeTable"))
	s.natID = idRef(get(props, "natGateway"))
	if b, ok := boolean(get(props, "defaultOutboundAccess")); ok {
		s.DefaultOutbound = &b
	}
	s.PENetworkPolicies = str(get(props, "privateEndpointNetworkPolicies"))
	if s.PENetworkPolicies == "" {
		s.PENetworkPolicies = "Disabled"
	}
	for _, d := range list(get(props, "delegations")) {
		s.Delegations = append(s.Delegations, str(get(d, "properties.serviceName")))
	}
	v.Subnets = append(v.Subnets, s)
	n.put(id, s)
}

func (n *Twin) addPeering(v *VNet, id arm.ResourceID, name string, props map[string]any) {
	if n.Lookup(id) != nil {
		return
	}
	p := &Peering{ID: id, Name: name, From: v, RemoteID: idRef(get(props, "remoteVirtualNetwork"))}
	p.AllowVirtualNetworkAccess = true // ARM default
	if b, ok := boolean(get(props, "allowVirtualNetworkAccess")); ok {
		p.AllowVirtualNetworkAccess = b
	}
	p.AllowForwardedTraffic, _ = boolean(get(props, "allowForwardedTraffic"))
	p.AllowGatewayTransit, _ = boolean(get(props, "allowGatewayTransit"))
	p.UseRemoteGateways, _ = boolean(get(props, "useRemoteGateways"))
	p.remoteKey = p.RemoteID.Key()
	v.Peerings = append(v.Peerings, p)
	n.put(id, p)
	if v.peerIdx == nil {
		v.peerIdx = map[string][]*Peering{}
	}
	if v.peerN == len(v.Peerings)-1 {
		v.peerIdx[p.remoteKey] = append(v.peerIdx[p.remoteKey], p)
		v.peerN++
	}
}

// Connected reports whether traffic can flow between a and b over a direct
// peering: both directions must exist and allow virtual network access
// (azure-rules.md §2.1).
func Connected(a, b *VNet) (ok bool, why string) {
	ab, ba := peeringTo(a, b), peeringTo(b, a)
	switch {
	case ab == nil && ba == nil:
		return false, "no peering between " + a.Name + " and " + b.Name + " (peering is not transitive)"
	case ab == nil:
		return false, "peering " + b.Name + " → " + a.Name + " exists but " + a.Name + " → " + b.Name + " is missing (both directions are needed)"
	case ba == nil:
		return false, "peering " + a.Name + " → " + b.Name + " exists but " + b.Name + " → " + a.Name + " is missing (both directions are needed)"
	case !ab.AllowVirtualNetworkAccess:
		return false, "peering " + ab.Name + " has allowVirtualNetworkAccess false"
	case !ba.AllowVirtualNetworkAccess:
		return false, "peering " + ba.Name + " has allowVirtualNetworkAccess false"
	}
	return true, "peered both ways (" + ab.Name + ", " + ba.Name + ")"
}

// PeeringTo returns v's peering to the VNet to (the first one, if several
// name it), or nil: an index lookup.
func (v *VNet) PeeringTo(to *VNet) *Peering { return peeringTo(v, to) }

// PeeringsTo returns all of v's peerings whose remote is to, in order.
func (v *VNet) PeeringsTo(to *VNet) []*Peering {
	if v.peerIdx != nil && v.peerN == len(v.Peerings) {
		return slices.Clip(v.peerIdx[to.idKey()])
	}
	var out []*Peering
	for _, p := range v.Peerings {
		if p.RemoteID.Equal(to.ID) {
			out = append(out, p)
		}
	}
	return out
}

// peeringTo returns the first of from's peerings whose remote is to: from
// the index the build made, or by a scan if Peerings changed since.
func peeringTo(from, to *VNet) *Peering {
	if from.peerIdx != nil && from.peerN == len(from.Peerings) {
		if ps := from.peerIdx[to.idKey()]; len(ps) > 0 {
			return ps[0]
		}
		return nil
	}
	for _, p := range from.Peerings {
		if p.RemoteID.Equal(to.ID) {
			return p
		}
	}
	return nil
}

// predictIP assigns the lowest free address of the subnet that Azure would
// give a dynamic NIC (the first four and the last are reserved).
func (s *Subnet) predictIP() netip.Addr {
	if !s.Prefix.IsValid() {
		return netip.Addr{}
	}
	a := s.Prefix.Addr()
	for range 4 {
		a = a.Next()
	}
	for ; s.Prefix.Contains(a); a = a.Next() {
		if !s.used[a] && s.Prefix.Contains(a.Next()) {
			s.used[a] = true
			return a
		}
	}
	return netip.Addr{}
}

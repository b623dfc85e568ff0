package twin

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/bind"
)

// Zone is a private DNS zone.
type Zone struct {
	ID      arm.ResourceID
	Name    string // lower case, no trailing dot
	Links   []*ZoneLink
	Records []*Record
	// Implicit zones are created by Azure, not by the set (the AKS system
	// zone).
	Implicit bool

	// byName indexes Records by FQDN, in order; it is valid while it
	// covers all len(Records) of them (indexed). Records added through
	// add keep it so.
	byName  map[string][]*Record
	indexed int
}

// add appends r to the zone's records and to the index.
func (z *Zone) add(r *Record) {
	z.Records = append(z.Records, r)
	if z.indexed != len(z.Records)-1 {
		return // the index is stale: lookup scans
	}
	if z.byName == nil {
		z.byName = map[string][]*Record{}
	}
	z.byName[r.FQDN] = append(z.byName[r.FQDN], r)
	z.indexed++
}

// Record is one DNS record in a private zone.
type Record struct {
	FQDN  string // lower case, no trailing dot
	Type  string // A or CNAME
	Value string // an address for A, a name for CNAME
	// Source says where the record comes from: "record set <id>",
	// "zone group of pe-kv", "AKS API server (implicit)".
	Source string
	// Predicted is set when the value is an address the model predicted.
	Predicted bool
	// Unknown is the expression of an address only a deployment knows
	// (reference() to a NIC, say); Value is then empty. raw is that value
	// as read, for reference() resolution.
	Unknown string
	raw     any
}

// ZoneLink is a virtual network link of a private zone.
type ZoneLink struct {
	ID           arm.ResourceID
	Name         string
	Zone         *Zone
	VNetID       arm.ResourceID
	VNet         *VNet
	Registration bool
	// Fallback is resolutionPolicy NxDomainRedirect: an NXDOMAIN from the
	// zone is retried publicly (azure-rules.md §1.3).
	Fallback bool
	Implicit bool   // created by Azure (AKS links its zone to the cluster VNet)
	Source   string // who created it
}

// ServerKind says what answers DNS at an address.
type ServerKind string

// Kinds of DNS server the model knows.
const (
	ServerAzure    ServerKind = "azure-dns"        // 168.63.129.16 in a VNet's context
	ServerBIND     ServerKind = "bind"             // a VM running privaks' BIND forwarder
	ServerInbound  ServerKind = "resolver-inbound" // a DNS Private Resolver inbound endpoint
	ServerFirewall ServerKind = "firewall-proxy"   // an Azure Firewall with DNS proxy
	ServerPublic   ServerKind = "public"           // a resolver on the Internet
	ServerVM       ServerKind = "vm-unknown"       // a VM whose DNS software is unknown
	ServerNone     ServerKind = "none"             // nothing in the set owns the address
	// ServerExternal is a private address outside every VNet of the set:
	// an on-premises resolver or one in a network this set does not hold.
	// Its answers are not modelled: resolutions through it are undecided.
	ServerExternal ServerKind = "external"
	// ServerUnreachable is an address outside every VNet of the set that no
	// path of the estate reaches (no gateway, peering to another network,
	// route or declared range): queries sent there go nowhere.
	ServerUnreachable ServerKind = "unreachable"
)

// DNSServer is whatever answers queries sent to one address.
type DNSServer struct {
	Addr  netip.Addr
	Kind  ServerKind
	Owner arm.ResourceID
	Name  string
	// VNet is the context its own queries to 168.63.129.16 are answered
	// in (the VNet of its NIC or endpoint).
	VNet *VNet
	NIC  *NIC
	// Subnet is where a firewall or resolver endpoint listens (port 53).
	Subnet *Subnet
	// Upstreams are a firewall DNS proxy's custom DNS servers (none: Azure
	// DNS in the firewall's VNet).
	Upstreams []netip.Addr
	// Undecided says why the model cannot tell how the server answers.
	Undecided string
	// Config is the BIND configuration read from the VM's cloud-init.
	Config *bind.Config
	Note   string

	// fwd memoises Config.ForwarderFor by name (for fwdOf, the Config it
	// was computed from): resolution asks it on every hop.
	fwd   map[string]forwarder
	fwdOf *bind.Config
}

type forwarder struct {
	zone    string
	servers []netip.Addr
}

// ForwarderFor is s.Config.ForwarderFor(name), remembered per name: the
// zone whose forwarders BIND uses for name and those forwarders. s.Config
// must be set. Like the rest of the twin, it is not safe for concurrent use.
func (s *DNSServer) ForwarderFor(name string) (zone string, servers []netip.Addr) {
	if s.fwdOf != s.Config {
		s.fwd, s.fwdOf = map[string]forwarder{}, s.Config
	}
	f, ok := s.fwd[name]
	if !ok {
		f.zone, f.servers = s.Config.ForwarderFor(name)
		s.fwd[name] = f
	}
	return f.zone, slices.Clip(f.servers)
}

func (s *DNSServer) String() string {
	if s.Name != "" {
		return s.Addr.String() + " (" + s.Name + ", " + string(s.Kind) + ")"
	}
	return s.Addr.String() + " (" + string(s.Kind) + ")"
}

// canonical lower-cases a name and drops the trailing dot.
func canonical(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }

// inZone reports whether name is zone or below it.
func inZone(name, zone string) bool {
	n := len(name) - len(zone) // name ends in "." + zone, without building it
	return name == zone || n > 0 && name[n-1] == '.' && name[n:] == zone
}

func (t *Twin) buildZones(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/privateDnsZones") {
		z := &Zone{ID: r.ID, Name: canonical(r.Name)}
		t.Zones = append(t.Zones, z)
		t.put(r.ID, z)
	}
	for _, r := range set.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks") {
		z, _ := t.Lookup(parentID(r.ID)).(*Zone)
		if z == nil {
			continue
		}
		l := &ZoneLink{ID: r.ID, Name: lastName(r.ID), Zone: z, VNetID: idRef(r.Prop("virtualNetwork")), Source: "link " + lastName(r.ID)}
		l.Registration, _ = boolean(r.Prop("registrationEnabled"))
		l.Fallback = strings.EqualFold(str(r.Prop("resolutionPolicy")), "NxDomainRedirect")
		t.addLink(l)
	}
	for _, typ := range []string{"A", "CNAME"} {
		for _, r := range set.OfType("Microsoft.Network/privateDnsZones/" + typ) {
			z, _ := t.Lookup(parentID(r.ID)).(*Zone)
			if z == nil {
				continue
			}
			rel := lastName(r.ID)
			fqdn := z.Name
			if rel != "@" {
				fqdn = canonical(rel) + "." + z.Name
			}
			src := "record set " + rel
			if typ == "A" {
				for _, a := range list(r.Prop("aRecords")) {
					rec := &Record{FQDN: fqdn, Type: "A", Value: str(get(a, "ipv4Address")), Source: src}
					if u, ok := get(a, "ipv4Address").(arm.Unknown); ok {
						rec.Unknown, rec.raw = u.String(), u
					}
					z.add(rec)
				}
			} else if c := str(r.Prop("cnameRecord.cname")); c != "" {
				z.add(&Record{FQDN: fqdn, Type: "CNAME", Value: canonical(c), Source: src})
			}
		}
	}
}

func (t *Twin) addLink(l *ZoneLink) {
	l.VNet, _ = t.Lookup(l.VNetID).(*VNet)
	l.Zone.Links = append(l.Zone.Links, l)
	if l.VNet != nil {
		l.VNet.Links = append(l.VNet.Links, l)
	}
}

// LinkedZones returns the zones linked to v.
func (v *VNet) LinkedZones() []*Zone {
	var out []*Zone
	for _, l := range v.Links {
		out = append(out, l.Zone)
	}
	return out
}

// addRecord adds an implicit A record, replacing none: two records for one
// name are both kept, as DNS would answer both.
func (z *Zone) addRecord(fqdn, typ, value, source string, predicted bool) {
	z.add(&Record{FQDN: canonical(fqdn), Type: typ, Value: value, Source: source, Predicted: predicted})
}

// lookup returns the zone's records for fqdn, in order: from the index, or
// by a scan if Records changed other than through add.
func (z *Zone) lookup(fqdn string) []*Record {
	if z.indexed == len(z.Records) {
		if z.indexed == 0 {
			return nil
		}
		return slices.Clip(z.byName[fqdn]) // an append by the caller copies
	}
	var out []*Record
	for _, r := range z.Records {
		if r.FQDN == fqdn {
			out = append(out, r)
		}
	}
	return out
}

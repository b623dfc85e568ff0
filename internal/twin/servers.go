package twin

import (
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/cloudinit"
)

// buildServers finds what answers DNS at each address the model knows: VMs
// whose cloud-init configures BIND (the configuration is parsed, not
// assumed), DNS Private Resolver inbound endpoints, Azure Firewalls with DNS
// proxy, and any other VM (software unknown).
func (t *Twin) buildServers() {
	for _, vm := range t.VMs {
		for _, nic := range vm.NICs {
			if !nic.IP.IsValid() {
				continue
			}
			s := &DNSServer{Addr: nic.IP, Kind: ServerVM, Owner: vm.ID, Name: vm.Name, NIC: nic}
			if nic.Subnet != nil {
				s.VNet = nic.Subnet.VNet
			}
			if len(vm.CustomData) > 0 {
				if cfg, err := cloudinit.ParseDNSForwarder(vm.CustomData); err == nil {
					s.Kind, s.Config = ServerBIND, &cfg
				} else if strings.Contains(string(vm.CustomData), "bind9") || strings.Contains(string(vm.CustomData), "named.conf") {
					s.Note = "customData mentions BIND but its configuration could not be read: " + err.Error()
				}
			}
			t.Servers[nic.IP.String()] = s
		}
	}
	for _, r := range t.Set.OfType("Microsoft.Network/dnsResolvers/inboundEndpoints") {
		for _, ic := range list(r.Prop("ipConfigurations")) {
			sub, _ := t.Lookup(idRef(get(ic, "subnet"))).(*Subnet)
			a, ok := addr(str(get(ic, "privateIpAddress")))
			if !ok && sub != nil {
				a = sub.predictIP()
			}
			if !a.IsValid() {
				continue
			}
			s := &DNSServer{Addr: a, Kind: ServerInbound, Owner: r.ID, Name: r.Name, Subnet: sub}
			if sub != nil {
				s.VNet = sub.VNet
			}
			t.Servers[a.String()] = s
			if t.inbound == nil {
				t.inbound = map[string]*DNSServer{}
			}
			t.inbound[r.ID.Key()] = s
		}
	}
	for _, fw := range t.Firewalls {
		t.addFirewallServer(fw)
	}
	t.buildRulesets()
	t.resolveDNSRefs()
}

// Server returns what answers DNS at a: Azure DNS for 168.63.129.16, a
// server in the set, a public resolver for a public address, or
// ServerNone.
func (t *Twin) Server(a netip.Addr) *DNSServer {
	if a == AzureDNS {
		return &DNSServer{Addr: a, Kind: ServerAzure, Name: "Azure DNS"}
	}
	// The key is built on the stack: the map lookup does not keep it.
	var buf [48]byte
	if s := t.Servers[string(a.AppendTo(buf[:0]))]; s != nil {
		return s
	}
	if !a.IsPrivate() && !a.IsLoopback() && a.IsGlobalUnicast() && !inCGNAT(a) {
		return &DNSServer{Addr: a, Kind: ServerPublic, Name: "public resolver"}
	}
	for _, v := range t.VNets {
		if v.Contains(a) {
			return &DNSServer{Addr: a, Kind: ServerNone}
		}
	}
	if via := t.beyond(a); via != "" {
		return &DNSServer{Addr: a, Kind: ServerExternal, Name: "resolver outside this design", Note: "reachable only through " + via}
	}
	return &DNSServer{Addr: a, Kind: ServerUnreachable, Name: "unreachable address",
		Note: a.String() + " lies outside every VNet of the estate, and no gateway, peering, route or declared range of the estate reaches it"}
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func inCGNAT(a netip.Addr) bool { return cgnat.Contains(a) }

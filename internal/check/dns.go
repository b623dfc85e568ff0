package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/twin"
)

// Private DNS rules (azure-rules.md §1).

// zoneNames are the privatelink zones private endpoint DNS integration
// works with, per service, in the public, US Government and China clouds.
var zoneNames = map[string][]string{
	"vault":    {"privatelink.vaultcore.azure.net", "privatelink.vaultcore.usgovcloudapi.net", "privatelink.vaultcore.azure.cn"},
	"registry": {"privatelink.azurecr.io", "privatelink.azurecr.us", "privatelink.azurecr.cn"},
}

var rulePEZoneName = Rule{
	ID: "PVK070", Slug: "private-endpoint-zone-name", Severity: Error,
	Title:     "Private endpoint zone groups use the service's privatelink zone",
	Rationale: "Azure publishes a CNAME from the service name to <name>.privatelink.<service zone>, so a private record resolves only in the exact zone the service documents (privatelink.vaultcore.azure.net for Key Vault, privatelink.azurecr.io for ACR, and their sovereign-cloud equivalents); records in any other zone are never consulted.",
	Fix:       "Point the zone group at the documented privatelink zone for the cloud.",
	Doc:       docPEDNS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, pe := range c.Twin.Endpoints {
			var kind string
			switch c.Twin.Lookup(pe.Target).(type) {
			case *twin.Vault:
				kind = "vault"
			case *twin.Registry:
				kind = "registry"
			default:
				continue
			}
			for _, z := range pe.Zones {
				if !slices.Contains(zoneNames[kind], z.Name) {
					out = append(out, at(pe.ID, "private endpoint %s writes its %s record to zone %s; the service resolves only through %s", pe.Name, kind, z.Name, zoneNames[kind][0]))
				}
			}
		}
		return out
	},
}

var reAKSZone = lazyRegexp(`^(?:([a-z0-9-]+)\.)?(privatelink|private)\.([a-z0-9]+)\.azmk8s\.io$`)

var ruleAKSZoneName = Rule{
	ID: "PVK071", Slug: "aks-private-zone-name", Severity: Error,
	Title:     "A custom AKS private zone is privatelink.<region>.azmk8s.io or a subzone of it",
	Rationale: "With a custom private DNS zone, AKS accepts only privatelink.<region>.azmk8s.io or <subzone>.privatelink.<region>.azmk8s.io for the cluster's own region (private.<region>.azmk8s.io with API server VNet integration); any other name fails cluster creation.",
	Fix:       "Create the zone as privatelink.<cluster region>.azmk8s.io (or a subzone) and pass its resource ID.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.DNSMode != "custom" {
				continue
			}
			name := strings.ToLower(lastSegment(cl.PrivateZoneID))
			if isUnknown(string(cl.PrivateZoneID)) || name == "" {
				out = append(out, undecided(cl.ID, "privateDNSZone"))
				continue
			}
			m := reAKSZone().FindStringSubmatch(name)
			vnetInt, _ := prop(c.res(cl.ID), "apiServerAccessProfile.enableVnetIntegration").boolean()
			want := "privatelink"
			if vnetInt {
				want = "private"
			}
			if m == nil || m[2] != want || m[3] != cl.Region {
				out = append(out, at(cl.ID, "private DNS zone %s is not %s.%s.azmk8s.io or a subzone of it", name, want, cl.Region))
			}
		}
		return out
	},
}

func lastSegment(id arm.ResourceID) string {
	s := string(id)
	return s[strings.LastIndex(s, "/")+1:]
}

var ruleCustomZoneIdentity = Rule{
	ID: "PVK072", Slug: "aks-custom-zone-identity", Severity: Error,
	Title:     "A custom AKS private zone comes with a user-assigned control-plane identity",
	Rationale: "A cluster using a custom private DNS zone must write records into it before it exists, so its control-plane identity must be user-assigned and pre-authorised; a system-assigned identity is not supported with a custom zone.",
	Fix:       "Create a user-assigned identity, grant it Private DNS Zone Contributor on the zone and Network Contributor on the VNet, and set identity.type UserAssigned.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.DNSMode == "custom" && len(cl.ControlPlaneUAMIs) == 0 {
				out = append(out, at(cl.ID, "cluster %s uses custom private zone %s with a system-assigned control-plane identity", cl.Name, lastSegment(cl.PrivateZoneID)))
			}
		}
		return out
	},
}

var ruleSubzoneLabel = Rule{
	ID: "PVK073", Slug: "aks-subzone-label-length", Severity: Error,
	Title:     "A custom AKS subzone label is at most 32 characters",
	Rationale: "In <subzone>.privatelink.<region>.azmk8s.io the subzone label may have at most 32 characters; AKS rejects longer ones.",
	Fix:       "Shorten the subzone label.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.DNSMode != "custom" {
				continue
			}
			if m := reAKSZone().FindStringSubmatch(strings.ToLower(lastSegment(cl.PrivateZoneID))); m != nil && len(m[1]) > 32 {
				out = append(out, at(cl.ID, "subzone label %q is %d characters (at most 32)", m[1], len(m[1])))
			}
		}
		return out
	},
}

var ruleNoneNoFQDN = Rule{
	ID: "PVK074", Slug: "aks-none-zone-needs-public-fqdn", Severity: Error,
	Title:     "privateDNSZone none keeps the public FQDN",
	Rationale: "With privateDNSZone none there is no private zone: clients find the API server only through the public FQDN, which resolves to the private endpoint IP. Disabling the public FQDN as well leaves no name at all, and AKS does not support that combination.",
	Fix:       "Keep enablePrivateClusterPublicFQDN true with none, or use a custom zone linked to the hub with the public FQDN disabled.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if cl.Private && cl.DNSMode == "none" && !cl.PublicFQDN {
				out = append(out, at(cl.ID, "cluster %s has privateDNSZone none and enablePrivateClusterPublicFQDN false", cl.Name))
			}
		}
		return out
	},
}

var ruleOverlappingZones = Rule{
	ID: "PVK075", Slug: "overlapping-zone-links", Severity: Error,
	Title:     "A VNet is not linked to two zones with overlapping names",
	Rationale: "Azure rejects linking one VNet to two private zones whose namespaces overlap (same name, or one below the other): \"A virtual network cannot be linked to multiple zones with overlapping namespaces\". AKS's own link to its zone counts.",
	Fix:       "Keep one zone per namespace per VNet: link the VNet to the parent zone only, or use a separate VNet.",
	Doc:       docZoneLinks,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			zs := v.LinkedZones()
			for i, a := range zs {
				for _, b := range zs[i+1:] {
					if a == b {
						continue
					}
					if a.Name == b.Name || strings.HasSuffix(a.Name, "."+b.Name) || strings.HasSuffix(b.Name, "."+a.Name) {
						out = append(out, at(v.ID, "%s is linked to both %s and %s", v.Name, a.Name, b.Name))
					}
				}
			}
		}
		return out
	},
}

// sees reports whether DNS server s answers names of zone z from the
// zone's records: it is Azure DNS in a linked VNet, a resolver or
// firewall proxy in a linked VNet, or a BIND forwarder that sends the
// zone's names to Azure DNS from a linked VNet. decided is false when the
// server's software is unknown.
func sees(t *twin.Twin, s *twin.DNSServer, from *twin.VNet, z *twin.Zone) (ok, decided bool, why string) {
	linked := func(v *twin.VNet) bool {
		if v == nil {
			return false
		}
		for _, l := range z.Links {
			if l.VNet == v {
				return true
			}
		}
		return false
	}
	// why is only built for a server that cannot see the zone: the rule
	// asks this for every VNet and zone.
	switch s.Kind {
	case twin.ServerAzure:
		if linked(from) {
			return true, true, ""
		}
		return false, true, fmt.Sprintf("Azure DNS answers %s only in VNets linked to it and %s is not", z.Name, name(from))
	case twin.ServerInbound, twin.ServerFirewall:
		if linked(s.VNet) {
			return true, true, ""
		}
		return false, true, fmt.Sprintf("%s is in %s, which is not linked to %s", s, name(s.VNet), z.Name)
	case twin.ServerBIND:
		zone, fwd := s.ForwarderFor("probe." + z.Name)
		if !slices.Contains(fwd, bind.AzureDNS) {
			for _, a := range fwd {
				if next := t.Server(a); next.Kind == twin.ServerInbound && linked(next.VNet) {
					return true, true, ""
				}
			}
			return false, true, fmt.Sprintf("%s forwards %s (zone %q) to %v, not to Azure DNS", s, z.Name, zone, fwd)
		}
		if linked(s.VNet) {
			return true, true, ""
		}
		return false, true, fmt.Sprintf("%s forwards %s to Azure DNS from %s, which is not linked to it", s, z.Name, name(s.VNet))
	case twin.ServerPublic:
		return false, true, fmt.Sprintf("%s is a public resolver and cannot see private zones", s)
	}
	return false, false, ""
}

func name(v *twin.VNet) string {
	if v == nil {
		return "no VNet"
	}
	return v.Name
}

var ruleForwarderVisibility = Rule{
	ID: "PVK076", Slug: "custom-dns-cannot-see-zones", Severity: Error,
	Absent:    []string{"Microsoft.Network/privateDnsZones/virtualNetworkLinks", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "Microsoft.Network/dnsResolvers", "Microsoft.Network/dnsResolvers/inboundEndpoints", "Microsoft.Network/dnsResolvers/outboundEndpoints", "Microsoft.Network/dnsForwardingRulesets", "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", "Microsoft.Network/azureFirewalls", "Microsoft.Network/firewallPolicies", "Microsoft.Compute/virtualMachines/extensions"},
	Title:     "A VNet's custom DNS server can see the private zones",
	Rationale: "A VNet with custom DNS servers sends every query there, and its own zone links are not consulted. The server must forward to 168.63.129.16 from a VNet linked to each private zone (or be a resolver endpoint in one); otherwise clients get public addresses or NXDOMAIN for private endpoints and the AKS API server (AKS links its system zone only to the cluster VNet).",
	Fix:       "Link the forwarder's VNet to the zone and forward the zone to 168.63.129.16, or use a custom zone linked to the hub.",
	Doc:       docNameRes,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			if len(v.DNSServers) == 0 {
				continue
			}
			s := c.Twin.Server(v.DNSServers[0])
			for _, z := range c.Twin.Zones {
				if len(z.Links) == 0 || (z.Implicit && !slices.ContainsFunc(z.Links, func(l *twin.ZoneLink) bool { return l.VNet == v })) {
					continue
				}
				ok, decided, why := sees(c.Twin, s, v, z)
				switch {
				case !decided:
					out = append(out, undecided(v.ID, fmt.Sprintf("whether DNS server %s (%s) resolves zone %s", s.Addr, s.Kind, z.Name)))
				case !ok:
					out = append(out, at(v.ID, "%s uses DNS server %s, which cannot resolve zone %s: %s", v.Name, s.Addr, z.Name, why))
				}
			}
		}
		return out
	},
}

// cnamePairs are the public service names whose CNAME leads into a
// privatelink zone: public zone → privatelink zone.
func cnamePairs(t *twin.Twin) [][2]string {
	var out [][2]string
	for _, v := range t.Vaults {
		n := strings.ToLower(v.Name)
		out = append(out, [2]string{n + ".vault.azure.net", n + ".privatelink.vaultcore.azure.net"})
	}
	for _, g := range t.Registries {
		n := strings.ToLower(g.Name)
		out = append(out, [2]string{n + ".azurecr.io", n + ".privatelink.azurecr.io"})
	}
	for _, cl := range t.Clusters {
		if cl.DNSMode == "none" {
			continue
		}
		out = append(out, [2]string{strings.ToLower(cl.DNSPrefix) + ".hcp." + cl.Region + ".azmk8s.io", cl.APIFQDN})
	}
	return out
}

var ruleCNAMETarget = Rule{
	ID: "PVK077", Slug: "forwarder-cname-target-unforwarded", Severity: Error,
	Title:     "A forwarder that forwards a service zone also forwards its privatelink CNAME target",
	Rationale: "BIND does not take the rest of a CNAME chain from a forwarder's answer: it looks up each CNAME target again and sends it to the forwarder of the target's zone. Measured with BIND 9.18: with only vault.azure.net forwarded to Azure DNS and a non-Azure default upstream, myvault.vault.azure.net resolves to the public address, because myvault.privatelink.vaultcore.azure.net goes to the default upstream.",
	Fix:       "Forward the privatelink zone (e.g. privatelink.vaultcore.azure.net, or vaultcore.azure.net) to 168.63.129.16 as well.",
	Doc:       docKVPL,
	Check: func(c *Context) []Finding {
		var out []Finding
		seen := map[string]bool{}
		for _, s := range sortedServers(c.Twin) {
			if s.Kind != twin.ServerBIND || s.Config == nil || seen[s.Addr.String()] {
				continue
			}
			seen[s.Addr.String()] = true
			for _, p := range cnamePairs(c.Twin) {
				zq, fq := s.ForwarderFor(p[0])
				zt, ft := s.ForwarderFor(p[1])
				if zq != "." && slices.Contains(fq, bind.AzureDNS) && !slices.Contains(ft, bind.AzureDNS) {
					out = append(out, at(s.Owner, "forwarder %s sends %s (zone %s) to Azure DNS but its CNAME target %s goes to %v (zone %q): clients get the public address",
						s.Name, p[0], zq, p[1], ft, zt))
				}
			}
		}
		return out
	},
}

func sortedServers(t *twin.Twin) []*twin.DNSServer {
	var out []*twin.DNSServer
	for _, s := range t.Servers {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *twin.DNSServer) int { return a.Addr.Compare(b.Addr) })
	return out
}

var ruleZoneNoLinks = Rule{
	ID: "PVK079", Slug: "zone-without-links", Severity: Warning,
	Absent:    []string{"Microsoft.Network/privateDnsZones/virtualNetworkLinks"},
	Title:     "Every private zone is linked to a VNet",
	Rationale: "A private DNS zone answers no one until a virtualNetworkLinks child links it to a VNet; records written there (by zone groups or record sets) are invisible.",
	Fix:       "Link the zone to the VNet whose clients (or whose DNS forwarder) resolve it.",
	Doc:       docZoneLinks,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, z := range c.Twin.Zones {
			if !z.Implicit && len(z.Links) == 0 {
				out = append(out, at(z.ID, "zone %s has no virtual network link", z.Name))
			}
		}
		return out
	},
}

var ruleRegistrationLinks = Rule{
	ID: "PVK080", Slug: "one-registration-zone", Severity: Error,
	Title:     "A VNet has at most one registration zone link",
	Rationale: "Auto-registration of VM records can be enabled for only one private zone per VNet; a second registration link is rejected.",
	Fix:       "Keep registrationEnabled true on one link and false on the others.",
	Doc:       docZoneLinks,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			var reg []string
			for _, l := range v.Links {
				if l.Registration {
					reg = append(reg, l.Zone.Name)
				}
			}
			if len(reg) > 1 {
				out = append(out, at(v.ID, "%s has registration links to %s", v.Name, strings.Join(reg, ", ")))
			}
		}
		return out
	},
}

var ruleNegativeCache = Rule{
	ID: "PVK081", Slug: "forwarder-negative-cache", Severity: Warning,
	Title:     "A BIND forwarder caps negative caching",
	Rationale: "BIND caches NXDOMAIN for up to 3 hours by default. A node or agent that asks for a private endpoint name before the deployment has written its record then keeps failing long after the record exists (a known cause of AKS node provisioning failures behind custom DNS).",
	Fix:       "Set max-ncache-ttl to a few seconds (privaks uses 10 s).",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range sortedServers(c.Twin) {
			if s.Kind != twin.ServerBIND || s.Config == nil {
				continue
			}
			if ttl := s.Config.MaxNCacheTTL; ttl == 0 || ttl.Seconds() > 60 {
				v := "unset (BIND default 3h)"
				if ttl > 0 {
					v = ttl.String()
				}
				out = append(out, at(s.Owner, "forwarder %s has max-ncache-ttl %s", s.Name, v))
			}
		}
		return out
	},
}

var ruleForwarderSelfDNS = Rule{
	ID: "PVK082", Slug: "forwarder-uses-itself", Severity: Warning,
	Title:     "A DNS forwarder VM does not depend on itself to boot",
	Rationale: "When a VNet's DNS servers point at the forwarder VM, that VM's own boot-time lookups (package mirrors for bind9) go to a server that is not running yet. A NIC-level DNS setting (AzureProvidedDNS) takes precedence over the VNet's and breaks the loop.",
	Fix:       "Set the forwarder NIC's dnsSettings.dnsServers to [\"AzureProvidedDNS\"].",
	Doc:       docNameRes,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range sortedServers(c.Twin) {
			if (s.Kind != twin.ServerBIND && s.Kind != twin.ServerVM) || s.NIC == nil || s.NIC.Subnet == nil {
				continue
			}
			if s.NIC.AzureProvided || len(s.NIC.DNSServers) > 0 {
				continue
			}
			if slices.Contains(s.NIC.Subnet.VNet.DNSServers, s.Addr) {
				out = append(out, at(s.NIC.ID, "DNS server VM %s resolves through itself (%s is in %s's DNS servers and its NIC has no override)", s.Name, s.Addr, s.NIC.Subnet.VNet.Name))
			}
		}
		return out
	},
}

var rulePENoZone = Rule{
	ID: "PVK083", Slug: "private-endpoint-without-dns", Severity: Warning,
	Absent:    []string{"Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/A"},
	Title:     "Key Vault and ACR private endpoints write their DNS records",
	Rationale: "A private endpoint without a privateDnsZoneGroup creates no record: unless records are managed by hand, clients keep resolving the service's public address and either fail or bypass the endpoint.",
	Fix:       "Add a privateDnsZoneGroups child pointing at the service's privatelink zone.",
	Doc:       docPEDNS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, pe := range c.Twin.Endpoints {
			if pe.Implicit || len(pe.Zones) > 0 {
				continue
			}
			if len(pe.ExternalZones) > 0 {
				out = append(out, Finding{Resource: string(pe.ID), Severity: Info, Message: "private endpoint " + pe.Name + "'s zone group names zone " +
					lastSegment(pe.ExternalZones[0]) + ", declared outside this resource set: undecided (analyse the templates together)"})
				continue
			}
			switch c.Twin.Lookup(pe.Target).(type) {
			case *twin.Vault, *twin.Registry:
				if !hasRecordFor(c.Twin, pe) {
					out = append(out, at(pe.ID, "private endpoint %s has no DNS zone group and no zone holds its address", pe.Name))
				}
			}
		}
		return out
	},
}

func hasRecordFor(t *twin.Twin, pe *twin.PrivateEndpoint) bool {
	for _, n := range pe.NICs {
		for _, z := range t.Zones {
			for _, r := range z.Records {
				if a, err := netip.ParseAddr(r.Value); err == nil && a == n.IP && !r.Predicted {
					return true
				}
			}
		}
	}
	return false
}

var ruleDNSUnknown = Rule{
	ID: "PVK084", Slug: "dns-servers-unknown", Severity: Info,
	Title:     "A VNet's DNS servers are known before deployment",
	Rationale: "When a VNet's dhcpOptions.dnsServers come from reference() or another runtime value, no offline analysis can say which server answers its clients; the DNS rules skip that VNet.",
	Fix:       "Give the DNS server a static address and write it literally.",
	Doc:       docNameRes,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.VNets {
			if len(v.DNSUnknown) > 0 {
				out = append(out, undecided(v.ID, v.Name+" DNS servers "+strings.Join(v.DNSUnknown, ", ")))
			}
		}
		return out
	},
}

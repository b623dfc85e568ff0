// Package diagram draws a landing zone as a Mermaid flowchart from its
// model (package twin): VNets with their subnets and what runs in them,
// peerings, which DNS server each VNet uses, private zones and their links,
// and which service each private endpoint serves. Drawn from the same
// resource set the verifier proves, it cannot drift from the design.
package diagram

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Mermaid writes the flowchart. Output is deterministic: everything is
// sorted by resource ID.
func Mermaid(w io.Writer, t *twin.Twin) error {
	d := &drawer{ids: map[string]string{}}
	d.line("flowchart LR")
	vnets := append([]*twin.VNet(nil), t.VNets...)
	sort.Slice(vnets, func(i, j int) bool { return vnets[i].ID.Key() < vnets[j].ID.Key() })
	occupants := d.occupants(t)
	for _, v := range vnets {
		d.line("  subgraph %s[\"%s %s\"]", d.id("vnet", v.ID.Key()), v.Name, prefixes(v))
		subs := append([]*twin.Subnet(nil), v.Subnets...)
		sort.Slice(subs, func(i, j int) bool { return subs[i].ID.Key() < subs[j].ID.Key() })
		for _, s := range subs {
			d.line("    subgraph %s[\"%s %s\"]", d.id("subnet", s.ID.Key()), s.Name, s.Prefix)
			items := occupants[s.ID.Key()]
			sort.Strings(items)
			if len(items) == 0 {
				d.line("      %s[\"(empty)\"]", d.id("empty", s.ID.Key()))
			}
			for _, it := range items {
				d.line("      %s", it)
			}
			d.line("    end")
		}
		d.line("  end")
	}
	d.services(t)
	d.zones(t)
	d.peerings(vnets)
	d.dns(t, vnets)
	d.endpoints(t)
	_, err := io.WriteString(w, d.b.String())
	return err
}

type drawer struct {
	b   strings.Builder
	ids map[string]string
	n   int
}

func (d *drawer) line(format string, args ...any) { fmt.Fprintf(&d.b, format+"\n", args...) }

// id returns a stable Mermaid node ID for a key.
func (d *drawer) id(kind, key string) string {
	k := kind + "|" + key
	if id, ok := d.ids[k]; ok {
		return id
	}
	d.n++
	id := fmt.Sprintf("%s%d", kind, d.n)
	d.ids[k] = id
	return id
}

func prefixes(v *twin.VNet) string {
	var s []string
	for _, p := range v.AddressSpace {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

// occupants lists the nodes drawn inside each subnet, keyed by subnet ID.
func (d *drawer) occupants(t *twin.Twin) map[string][]string {
	out := map[string][]string{}
	add := func(s *twin.Subnet, node string) {
		if s != nil {
			out[s.ID.Key()] = append(out[s.ID.Key()], node)
		}
	}
	for _, vm := range t.VMs {
		for _, n := range vm.NICs {
			label := vm.Name + " " + n.IP.String()
			if srv := t.Servers[n.IP.String()]; srv != nil && srv.Kind == twin.ServerBIND {
				label += " (DNS forwarder, BIND)"
			}
			if n.PublicIP != nil {
				label += " public IP " + n.PublicIP.Name
			}
			add(n.Subnet, fmt.Sprintf("%s[\"%s\"]", d.id("nic", n.ID.Key()), label))
		}
	}
	for _, pe := range t.Endpoints {
		for _, n := range pe.NICs {
			shape := "%s([\"%s\"])"
			add(n.Subnet, fmt.Sprintf(shape, d.id("nic", n.ID.Key()), n.Name+" "+n.IP.String()))
		}
	}
	for _, c := range t.Clusters {
		for _, p := range c.Pools {
			add(p.Subnet, fmt.Sprintf("%s[[\"node pool %s/%s (%s, ≤%d nodes)\"]]", d.id("pool", c.ID.Key()+p.Name), c.Name, p.Name, orDefault(p.Mode, "User"), p.MaxCount))
		}
	}
	for _, g := range t.Gateways {
		label := g.Name
		if g.PublicIP != nil {
			label += " public"
		}
		if g.PrivateIP.IsValid() {
			label += " + private " + g.PrivateIP.String()
		}
		add(g.Subnet, fmt.Sprintf("%s{{\"%s\"}}", d.id("agw", g.ID.Key()), label))
	}
	for _, b := range t.Bastions {
		add(b.Subnet, fmt.Sprintf("%s{{\"%s (Bastion)\"}}", d.id("bas", b.ID.Key()), b.Name))
	}
	for _, f := range t.Firewalls {
		add(f.Subnet, fmt.Sprintf("%s{{\"%s (Azure Firewall) %s\"}}", d.id("fw", f.ID.Key()), f.Name, f.PrivateIP))
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// services draws the vaults, registries and cluster control planes that
// private endpoints serve.
func (d *drawer) services(t *twin.Twin) {
	for _, v := range sortedByID(t.Vaults, func(v *twin.Vault) arm.ResourceID { return v.ID }) {
		d.line("  %s[(\"key vault %s\")]", d.id("svc", v.ID.Key()), v.Name)
	}
	for _, g := range sortedByID(t.Registries, func(g *twin.Registry) arm.ResourceID { return g.ID }) {
		d.line("  %s[(\"registry %s\")]", d.id("svc", g.ID.Key()), g.Name)
	}
	for _, c := range sortedByID(t.Clusters, func(c *twin.Cluster) arm.ResourceID { return c.ID }) {
		d.line("  %s[(\"AKS API server %s\")]", d.id("svc", c.ID.Key()), c.Name)
	}
}

func (d *drawer) zones(t *twin.Twin) {
	for _, z := range sortedByID(t.Zones, func(z *twin.Zone) arm.ResourceID { return z.ID }) {
		d.line("  %s>\"zone %s\"]", d.id("zone", z.ID.Key()), z.Name)
		for _, l := range z.Links {
			if l.VNet == nil {
				continue
			}
			style := "-.-"
			if l.Implicit {
				style = "-.->|AKS|"
			}
			d.line("  %s %s %s", d.id("zone", z.ID.Key()), style, d.id("vnet", l.VNet.ID.Key()))
		}
	}
}

func (d *drawer) peerings(vnets []*twin.VNet) {
	for i, a := range vnets {
		for _, b := range vnets[i+1:] {
			ok, _ := twin.Connected(a, b)
			if ok {
				d.line("  %s <==>|peered| %s", d.id("vnet", a.ID.Key()), d.id("vnet", b.ID.Key()))
			}
		}
	}
}

// dns draws, for each VNet with custom DNS servers, an edge to the server.
func (d *drawer) dns(t *twin.Twin, vnets []*twin.VNet) {
	for _, v := range vnets {
		for _, a := range v.DNSServers {
			for _, n := range t.NICs {
				if n.IP == a {
					d.line("  %s -->|DNS| %s", d.id("vnet", v.ID.Key()), d.id("nic", n.ID.Key()))
				}
			}
		}
	}
}

func (d *drawer) endpoints(t *twin.Twin) {
	for _, pe := range sortedByID(t.Endpoints, func(p *twin.PrivateEndpoint) arm.ResourceID { return p.ID }) {
		if len(pe.NICs) == 0 {
			continue
		}
		if _, ok := d.ids["svc|"+pe.Target.Key()]; ok {
			d.line("  %s --> %s", d.id("nic", pe.NICs[0].ID.Key()), d.id("svc", pe.Target.Key()))
		}
	}
}

func sortedByID[T any](xs []T, id func(T) arm.ResourceID) []T {
	out := append([]T(nil), xs...)
	sort.Slice(out, func(i, j int) bool { return id(out[i]).Key() < id(out[j]).Key() })
	return out
}

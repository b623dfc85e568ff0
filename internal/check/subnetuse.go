package check

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// subnetUse is what occupies a subnet.
type subnetUse struct {
	nics      []*twin.NIC // VM NICs, private endpoint NICs, the AKS API server endpoint
	gateways  []*twin.AppGateway
	bastions  []*twin.Bastion
	pools     []*twin.NodePool
	resolvers []arm.ResourceID // DNS Private Resolver endpoints
}

// uses returns, per subnet ID key, what occupies it. Built once per run.
func (c *Context) uses() map[string]*subnetUse {
	if c.subnetUses != nil {
		return c.subnetUses
	}
	m := map[string]*subnetUse{}
	get := func(s *twin.Subnet) *subnetUse {
		k := s.ID.Key()
		if m[k] == nil {
			m[k] = &subnetUse{}
		}
		return m[k]
	}
	for _, n := range c.Twin.NICs {
		if n.Subnet != nil {
			get(n.Subnet).nics = append(get(n.Subnet).nics, n)
		}
	}
	for _, g := range c.Twin.Gateways {
		if g.Subnet != nil {
			get(g.Subnet).gateways = append(get(g.Subnet).gateways, g)
		}
	}
	for _, b := range c.Twin.Bastions {
		if b.Subnet != nil {
			get(b.Subnet).bastions = append(get(b.Subnet).bastions, b)
		}
	}
	for _, cl := range c.Twin.Clusters {
		for _, p := range cl.Pools {
			if p.Subnet != nil {
				get(p.Subnet).pools = append(get(p.Subnet).pools, p)
			}
		}
	}
	for _, typ := range []string{"Microsoft.Network/dnsResolvers/inboundEndpoints", "Microsoft.Network/dnsResolvers/outboundEndpoints"} {
		for _, r := range c.Twin.Set.OfType(typ) {
			ids := []string{}
			if s, ok := r.Prop("subnet.id").(string); ok {
				ids = append(ids, s)
			}
			for _, ic := range prop(r, "ipConfigurations").list() {
				if s, ok := arm.Lookup(ic, "subnet.id").(string); ok {
					ids = append(ids, s)
				}
			}
			for _, id := range ids {
				if s, ok := c.Twin.Lookup(arm.ResourceID(id)).(*twin.Subnet); ok {
					get(s).resolvers = append(get(s).resolvers, r.ID)
				}
			}
		}
	}
	c.subnetUses = m
	return m
}

func (c *Context) use(s *twin.Subnet) *subnetUse {
	var buf [arm.KeyBuf]byte
	if u := c.uses()[string(s.ID.AppendKey(buf[:0]))]; u != nil {
		return u
	}
	return &subnetUse{}
}

// subnets returns every subnet of the model.
func (c *Context) subnets() []*twin.Subnet {
	var out []*twin.Subnet
	for _, v := range c.Twin.VNets {
		out = append(out, v.Subnets...)
	}
	return out
}

func isBastionSubnet(s *twin.Subnet) bool { return strings.EqualFold(s.Name, "AzureBastionSubnet") }

// names lists NIC names for messages.
func nicNames(ns []*twin.NIC) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.Name)
	}
	return strings.Join(s, ", ")
}

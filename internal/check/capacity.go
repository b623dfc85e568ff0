package check

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Capacity rules: subnets large enough for what they must hold
// (azure-rules.md §2.6-§2.8, §1.5).

// rawPool returns a node pool's properties as written: from
// agentPoolProfiles or an agentPools child resource.
func rawPool(c *Context, cl *twin.Cluster, name string) map[string]any {
	for _, p := range prop(c.res(cl.ID), "agentPoolProfiles").list() {
		if n, _ := arm.Lookup(p, "name").(string); strings.EqualFold(n, name) {
			m, _ := p.(map[string]any)
			return m
		}
	}
	if r := c.res(arm.ResourceID(string(cl.ID) + "/agentPools/" + name)); r != nil {
		return r.Properties
	}
	return nil
}

// poolNeed is the VNet addresses a pool takes at its largest: nodes at the
// autoscaler maximum plus surge, and with Azure CNI (node subnet) maxPods
// addresses per node reserved up front.
type poolNeed struct {
	nodes, perNode, total int
	formula               string
	unknown               string // a count unknown before deployment
}

func needOf(c *Context, p *twin.NodePool) poolNeed {
	raw := rawPool(c, p.Cluster, p.Name)
	for _, k := range []string{"count", "maxCount", "maxPods", "minCount"} {
		if isUnknown(arm.Lookup(raw, k)) {
			return poolNeed{unknown: "node pool " + p.Name + " " + k}
		}
	}
	n := netOf(c, p.Cluster)
	nodes := p.MaxCount + p.MaxSurge
	podSubnet, _ := arm.Lookup(raw, "podSubnetID").(string)
	if n.plugin == "azure" && !n.overlay && podSubnet == "" {
		return poolNeed{nodes: nodes, perNode: p.MaxPods + 1, total: nodes * (p.MaxPods + 1),
			formula: fmt.Sprintf("%s: (%d max + %d surge) × (%d maxPods + 1) = %d", p.Name, p.MaxCount, p.MaxSurge, p.MaxPods, nodes*(p.MaxPods+1))}
	}
	return poolNeed{nodes: nodes, perNode: 1, total: nodes,
		formula: fmt.Sprintf("%s: %d max + %d surge = %d nodes (pods outside the subnet)", p.Name, p.MaxCount, p.MaxSurge, nodes)}
}

var ruleCNICapacity = Rule{
	ID: "PVK040", Slug: "node-subnet-capacity", Severity: Error,
	Title:     "Node subnet holds every node pool at its maximum, with surge and pods",
	Rationale: "With Azure CNI (node subnet) every node reserves maxPods + 1 VNet addresses when it is created, so a subnet must hold (max nodes including the autoscaler maximum + upgrade surge) × (maxPods + 1) for all pools in it, plus anything else there (the API server private endpoint goes in the first pool's subnet). Too small fails scale-out or upgrades with InsufficientSubnetSize. Overlay and kubenet take one address per node.",
	Fix:       "Enlarge the subnet (privaks plan-addresses prints the arithmetic), lower maxCount/maxPods, or move to Azure CNI Overlay.",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			u := c.use(s)
			if len(u.pools) == 0 || !s.Prefix.IsValid() {
				continue
			}
			total, formulas, others := 0, []string{}, 0
			var unknown string
			for _, p := range u.pools {
				n := needOf(c, p)
				if n.unknown != "" {
					unknown = n.unknown
					break
				}
				total += n.total
				formulas = append(formulas, n.formula)
			}
			if unknown != "" {
				out = append(out, undecided(s.ID, unknown))
				continue
			}
			others = len(u.nics)
			if have := usable(s.Prefix); total+others > have {
				out = append(out, at(s.ID, "subnet %s (%s, %d usable) needs %d addresses: %s; + %s", s.Name, s.Prefix, have, total+others,
					strings.Join(formulas, "; "), plural(others, "other NIC", "other NICs")))
			}
		}
		return out
	},
}

var ruleMaxPods = Rule{
	ID: "PVK041", Slug: "max-pods-range", Severity: Error,
	Title:     "Node pool maxPods is between 10 and 250",
	Rationale: "AKS accepts maxPods from 10 to 250 per node; values outside are rejected when the pool is created.",
	Fix:       "Set maxPods within 10-250 (30 is the Azure CNI default).",
	Doc:       docIPPlanning,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			for _, p := range cl.Pools {
				if isUnknown(arm.Lookup(rawPool(c, cl, p.Name), "maxPods")) {
					continue
				}
				if p.MaxPods < 10 || p.MaxPods > 250 {
					out = append(out, at(cl.ID, "node pool %s has maxPods %d (10-250 allowed)", p.Name, p.MaxPods))
				}
			}
		}
		return out
	},
}

var ruleBastionSize = Rule{
	ID: "PVK042", Slug: "bastion-subnet-size", Severity: Error,
	Title:     "AzureBastionSubnet is /26 or larger",
	Rationale: "Bastion hosts created since November 2021 need an AzureBastionSubnet of at least /26; a smaller subnet fails the Bastion deployment.",
	Fix:       "Make AzureBastionSubnet a /26 (or larger).",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			if isBastionSubnet(s) && s.Prefix.IsValid() && s.Prefix.Bits() > 26 {
				out = append(out, at(s.ID, "AzureBastionSubnet is %s; Bastion needs /26 or larger", s.Prefix))
			}
		}
		return out
	},
}

var ruleAppGwSize = Rule{
	ID: "PVK043", Slug: "appgw-subnet-size", Severity: Warning,
	Title:     "Application Gateway subnet fits its instances (/24 recommended)",
	Rationale: "An Application Gateway v2 takes one address per instance (up to 125), one for a private frontend and five Azure reserves; Microsoft recommends a /24 so autoscaling and maintenance never run out. A subnet too small for the configured maximum is an error.",
	Fix:       "Give the gateway a dedicated /24.",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			s := g.Subnet
			if s == nil || !s.Prefix.IsValid() {
				continue
			}
			r := c.res(g.ID)
			inst, ok := prop(r, "autoscaleConfiguration.maxCapacity").integer()
			if !ok {
				inst, ok = prop(r, "sku.capacity").integer()
			}
			if !ok {
				inst = 10 // the autoscaling default maximum
			}
			need := inst
			if g.PrivateIP.IsValid() {
				need++
			}
			switch have := usable(s.Prefix); {
			case need > have:
				out = append(out, Finding{Resource: string(g.ID), Severity: Error,
					Message: fmt.Sprintf("subnet %s (%s, %d usable) cannot hold %d instances + private frontend (%d addresses)", s.Name, s.Prefix, have, inst, need)})
			case s.Prefix.Bits() > 24:
				out = append(out, at(g.ID, "subnet %s is %s; /24 is recommended so the gateway can scale to 125 instances", s.Name, s.Prefix))
			}
		}
		return out
	},
}

var ruleResolverSubnet = Rule{
	ID: "PVK044", Slug: "resolver-subnet", Severity: Error,
	Title:     "DNS Private Resolver endpoints have dedicated, delegated /28-/24 subnets",
	Rationale: "Each inbound or outbound endpoint of a DNS Private Resolver needs its own subnet of /28 to /24, delegated to Microsoft.Network/dnsResolvers, holding nothing else; IPv6 subnets are not supported.",
	Fix:       "Create one delegated /28 per endpoint and put nothing else in it.",
	Doc:       docResolver,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			u := c.use(s)
			if len(u.resolvers) == 0 {
				continue
			}
			var why []string
			if s.Prefix.IsValid() && (s.Prefix.Bits() < 24 || s.Prefix.Bits() > 28 || !s.Prefix.Addr().Is4()) {
				why = append(why, fmt.Sprintf("prefix %s is not an IPv4 /28-/24", s.Prefix))
			}
			delegated := false
			for _, d := range s.Delegations {
				delegated = delegated || strings.EqualFold(d, "Microsoft.Network/dnsResolvers")
			}
			if !delegated {
				why = append(why, "not delegated to Microsoft.Network/dnsResolvers")
			}
			if len(u.resolvers) > 1 {
				why = append(why, fmt.Sprintf("shared by %d endpoints", len(u.resolvers)))
			}
			if n := len(u.nics) + len(u.pools) + len(u.gateways) + len(u.bastions); n > 0 {
				why = append(why, fmt.Sprintf("also holds %s", plural(n, "other resource", "other resources")))
			}
			if len(why) > 0 {
				out = append(out, at(s.ID, "resolver subnet %s: %s", s.Name, strings.Join(why, "; ")))
			}
		}
		return out
	},
}

var rulePEHeadroom = Rule{
	ID: "PVK045", Slug: "private-endpoint-subnet-headroom", Severity: Warning,
	Title:     "Private endpoint subnets keep head-room",
	Rationale: "Each private endpoint takes one address per member (ACR takes two or more: registry and one data endpoint per region and replica). A subnet that is full fails the next endpoint; one more than 80% used leaves no room for a replica or a new service.",
	Fix:       "Enlarge the subnet or spread endpoints over more subnets (privaks uses a /24).",
	Doc:       docACRPL,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			u := c.use(s)
			pes := 0
			for _, n := range u.nics {
				if strings.Contains(string(n.ID), "#") {
					pes++
				}
			}
			if pes == 0 || !s.Prefix.IsValid() || len(u.pools) > 0 {
				continue // node subnets are PVK040's
			}
			used, have := len(u.nics), usable(s.Prefix)
			switch {
			case used > have:
				out = append(out, Finding{Resource: string(s.ID), Severity: Error,
					Message: fmt.Sprintf("subnet %s (%s) has %d usable addresses for %d NICs", s.Name, s.Prefix, have, used)})
			case used*5 > have*4:
				out = append(out, at(s.ID, "subnet %s (%s) is %d%% used by %d NICs (%d private endpoint members)", s.Name, s.Prefix, used*100/have, used, pes))
			}
		}
		return out
	},
}

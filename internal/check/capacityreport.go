package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// SubnetCapacity is the IP arithmetic of one subnet, as the capacity rules
// (PVK040, PVK043) count it: what Azure leaves usable, what the design
// places there now, and what it needs at its largest.
type SubnetCapacity struct {
	VNet, Subnet string
	Prefix       string
	// Size is the prefix's address count; Usable what Azure leaves (five
	// reserved). Both 0 when the prefix is unknown.
	Size, Usable int
	// Placed counts the NICs the model places now (VMs, private endpoints,
	// the AKS API server endpoint), gateways and Bastions.
	Placed int
	// Need is the addresses needed at the largest scale: placed NICs plus
	// every node pool at its maximum with surge (and maxPods + 1 per node
	// with Azure CNI); -1 when a count is unknown before deployment.
	Need int
	// Formula spells Need out; Holds lists what the subnet holds.
	Formula []string
	Holds   []string
}

// Free returns the addresses left at the largest scale (negative: short).
func (c SubnetCapacity) Free() int { return c.Usable - c.Need }

// Capacity returns the arithmetic of every subnet of t, by VNet then
// subnet name.
func Capacity(t *twin.Twin) []SubnetCapacity {
	c := &Context{Twin: t}
	var out []SubnetCapacity
	for _, s := range c.subnets() {
		u := c.use(s)
		sc := SubnetCapacity{VNet: s.VNet.Name, Subnet: s.Name}
		if s.Prefix.IsValid() {
			sc.Prefix = s.Prefix.String()
			if s.Prefix.Addr().Is4() {
				sc.Size = 1 << (32 - s.Prefix.Bits())
			}
			sc.Usable = usable(s.Prefix)
		} else {
			sc.Prefix = "unknown"
		}
		sc.Placed = len(u.nics)
		need := len(u.nics)
		if len(u.nics) > 0 {
			sc.Formula = append(sc.Formula, plural(len(u.nics), "NIC", "NICs")+" placed ("+nicNames(u.nics)+")")
			sc.Holds = append(sc.Holds, plural(len(u.nics), "NIC", "NICs"))
		}
		for _, p := range u.pools {
			n := needOf(c, p)
			if n.unknown != "" {
				need = -1
				sc.Formula = append(sc.Formula, n.unknown+" is unknown before deployment")
				continue
			}
			if need >= 0 {
				need += n.total
			}
			sc.Formula = append(sc.Formula, n.formula)
			sc.Holds = append(sc.Holds, "node pool "+p.Cluster.Name+"/"+p.Name)
		}
		for _, g := range u.gateways {
			r := c.res(g.ID)
			inst, ok := prop(r, "autoscaleConfiguration.maxCapacity").integer()
			if !ok {
				inst, ok = prop(r, "sku.capacity").integer()
			}
			if !ok {
				inst = 10
			}
			if need >= 0 {
				need += inst
			}
			if g.PrivateIP.IsValid() {
				sc.Placed++
				if need >= 0 {
					need++
				}
			}
			sc.Formula = append(sc.Formula, fmt.Sprintf("%s: %d instances at most%s", g.Name, inst, map[bool]string{true: " + private frontend", false: ""}[g.PrivateIP.IsValid()]))
			sc.Holds = append(sc.Holds, "Application Gateway "+g.Name)
		}
		for _, b := range u.bastions {
			sc.Holds = append(sc.Holds, "Bastion "+b.Name)
			sc.Formula = append(sc.Formula, "Bastion "+b.Name+": instances scale within the subnet (/26 required)")
		}
		if len(u.resolvers) > 0 {
			sc.Holds = append(sc.Holds, plural(len(u.resolvers), "DNS resolver endpoint", "DNS resolver endpoints"))
		}
		sc.Need = need
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].VNet != out[j].VNet {
			return strings.ToLower(out[i].VNet) < strings.ToLower(out[j].VNet)
		}
		return strings.ToLower(out[i].Subnet) < strings.ToLower(out[j].Subnet)
	})
	return out
}

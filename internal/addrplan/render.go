package addrplan

import (
	"fmt"
	"io"
	"strings"
)

// WriteArithmetic prints each VNet and subnet with its need, formula and
// chosen size.
func (p Plan) WriteArithmetic(w io.Writer) error {
	var b strings.Builder
	for _, v := range []VNet{p.Hub, p.Spoke} {
		fmt.Fprintf(&b, "%s %s\n", v.Name, v.Prefix)
		for _, s := range v.Subnets {
			fmt.Fprintf(&b, "  %-18s %-16s need %5d + 5 reserved → /%d (%d usable)   %s\n", s.Name, s.Prefix, s.Need, s.Prefix.Bits(), Usable(s.Prefix.Bits()), s.Formula)
		}
	}
	fmt.Fprintf(&b, "service CIDR %s, dnsServiceIP %s (outside every VNet and on-premises range)\n", p.ServiceCIDR, p.DNSServiceIP)
	if p.PodCIDR.IsValid() {
		fmt.Fprintf(&b, "pod CIDR %s (%s)\n", p.PodCIDR, p.PodFormula)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteYAML prints the plan as the network: and aks: blocks of
// privaks.yaml: the address plan, and the cluster ranges with the node pools
// the node subnet was sized for (with overlay, networkPluginMode and the pod
// CIDR). Every value is one the spec accepts, so pasting both blocks gives
// a valid spec (a test loads it).
func (p Plan) WriteYAML(w io.Writer) error {
	if err := p.WriteNetworkYAML(w); err != nil {
		return err
	}
	return p.writeAKS(w)
}

// WriteNetworkYAML prints only the network: block.
func (p Plan) WriteNetworkYAML(w io.Writer) error {
	var b strings.Builder
	sub := func(v VNet, key string) string {
		for _, s := range v.Subnets {
			if s.Key == key {
				return s.Prefix.String()
			}
		}
		return ""
	}
	b.WriteString("network:\n  hub:\n")
	fmt.Fprintf(&b, "    addressSpace: %s\n    subnets:\n", p.Hub.Prefix)
	for _, k := range []string{"bastion", "dns", "agents", "privateEndpoints"} {
		fmt.Fprintf(&b, "      %s: %s\n", k, sub(p.Hub, k))
	}
	fmt.Fprintf(&b, "  spoke:\n    addressSpace: %s\n    subnets:\n", p.Spoke.Prefix)
	for _, k := range []string{"nodes", "appGateway"} {
		fmt.Fprintf(&b, "      %s: %s\n", k, sub(p.Spoke, k))
	}
	var op []string
	for _, o := range p.OnPrem {
		op = append(op, o.String())
	}
	fmt.Fprintf(&b, "  onPremises: [%s]\n", strings.Join(op, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAKS prints the aks: block: the cluster ranges and the pools.
func (p Plan) writeAKS(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "aks:\n  serviceCIDR: %s\n  dnsServiceIP: %s\n", p.ServiceCIDR, p.DNSServiceIP)
	if p.PodCIDR.IsValid() {
		fmt.Fprintf(&b, "  networkPluginMode: overlay\n  podCIDR: %s\n", p.PodCIDR)
	}
	if len(p.Pools) > 0 {
		b.WriteString("  nodePools:          # the pools the node subnet is sized for\n")
		for i, pl := range p.Pools {
			mode := "User"
			if i == 0 {
				mode = "System"
			}
			fmt.Fprintf(&b, "    - {name: %s, mode: %s, minCount: %d, maxCount: %d, maxPods: %d, maxSurge: %d}\n",
				pl.Name, mode, pl.Min, pl.Max, pl.MaxPods, p.MaxSurge)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

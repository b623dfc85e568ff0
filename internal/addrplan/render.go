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

// WriteYAML prints the plan as a network: block for privaks.yaml (with
// the AKS ranges as comments: they belong under aks:).
func (p Plan) WriteYAML(w io.Writer) error {
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
	fmt.Fprintf(&b, "# aks:\n#   serviceCIDR: %s\n#   dnsServiceIP: %s\n", p.ServiceCIDR, p.DNSServiceIP)
	if p.PodCIDR.IsValid() {
		fmt.Fprintf(&b, "#   podCIDR: %s   (overlay; not a privaks.yaml field yet)\n", p.PodCIDR)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

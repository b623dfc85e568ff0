package check

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// Dedicated subnets and SKUs (azure-rules.md §2.5-§2.8, §2.10).

var ruleBastionName = Rule{
	ID: "PVK050", Slug: "bastion-subnet-name", Severity: Error,
	Title:     "Azure Bastion sits in a subnet named AzureBastionSubnet",
	Rationale: "Bastion (other than the Developer SKU) deploys only into a subnet named exactly AzureBastionSubnet in the same VNet.",
	Fix:       "Create AzureBastionSubnet (/26 or larger) and point the Bastion host's ipConfiguration at it.",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, b := range c.Twin.Bastions {
			if b.Subnet != nil && !isBastionSubnet(b.Subnet) && !strings.EqualFold(b.SKU, "Developer") {
				out = append(out, at(b.ID, "Bastion host is in subnet %q, not AzureBastionSubnet", b.Subnet.Name))
			}
		}
		return out
	},
}

var ruleBastionDedicated = Rule{
	ID: "PVK051", Slug: "bastion-subnet-dedicated", Severity: Error,
	Title:     "AzureBastionSubnet holds only Bastion",
	Rationale: "No other resource may be deployed into AzureBastionSubnet: VMs, private endpoints, gateways or node pools there fail to deploy or break Bastion.",
	Fix:       "Move the other resources to their own subnets.",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			if !isBastionSubnet(s) {
				continue
			}
			u := c.use(s)
			if len(u.nics) > 0 {
				out = append(out, at(s.ID, "AzureBastionSubnet also holds %s", nicNames(u.nics)))
			}
			for _, g := range u.gateways {
				out = append(out, at(s.ID, "AzureBastionSubnet also holds application gateway %s", g.Name))
			}
			for _, p := range u.pools {
				out = append(out, at(s.ID, "AzureBastionSubnet also holds node pool %s/%s", p.Cluster.Name, p.Name))
			}
		}
		return out
	},
}

var ruleAppGwDedicated = Rule{
	ID: "PVK052", Slug: "appgw-subnet-dedicated", Severity: Error,
	Title:     "Application Gateway subnet holds only application gateways",
	Rationale: "An Application Gateway needs a dedicated subnet: only gateways (and not v1 with v2) may be in it, and it cannot be GatewaySubnet. VMs, private endpoints or node pools in it fail the gateway deployment.",
	Fix:       "Give the gateway its own subnet (a /24).",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			u := c.use(s)
			if len(u.gateways) == 0 {
				continue
			}
			g := u.gateways[0]
			if strings.EqualFold(s.Name, "GatewaySubnet") {
				out = append(out, at(g.ID, "application gateway %s is in GatewaySubnet", g.Name))
			}
			if len(u.nics) > 0 {
				out = append(out, at(g.ID, "subnet %s of application gateway %s also holds %s", s.Name, g.Name, nicNames(u.nics)))
			}
			for _, p := range u.pools {
				out = append(out, at(g.ID, "subnet %s of application gateway %s also holds node pool %s/%s", s.Name, g.Name, p.Cluster.Name, p.Name))
			}
			for _, b := range u.bastions {
				out = append(out, at(g.ID, "subnet %s of application gateway %s also holds Bastion %s", s.Name, g.Name, b.Name))
			}
		}
		return out
	},
}

var ruleACRPremium = Rule{
	ID: "PVK053", Slug: "acr-premium-private-endpoint", Severity: Error,
	Title:     "A registry with private endpoints is Premium",
	Rationale: "Private endpoints (and network rules) for Azure Container Registry need the Premium SKU; with Basic or Standard the endpoint deployment fails.",
	Fix:       "Set the registry's sku.name to Premium.",
	Doc:       docACRPL,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Registries {
			if len(g.Endpoints) > 0 && g.SKU != "" && !isUnknown(g.SKU) && !strings.EqualFold(g.SKU, "Premium") {
				out = append(out, at(g.ID, "registry %s is %s but has %s", g.Name, g.SKU, plural(len(g.Endpoints), "private endpoint", "private endpoints")))
			}
		}
		return out
	},
}

var rulePublicIPSKU = Rule{
	ID: "PVK054", Slug: "public-ip-standard", Severity: Warning,
	Title:     "Public IP addresses use the Standard SKU",
	Rationale: "Bastion and Application Gateway v2 require Standard static public IPs, and Basic public IPs are retired; a Basic (or unset, which some API versions default to Basic) SKU fails those deployments.",
	Fix:       "Set sku.name: Standard and publicIPAllocationMethod: Static.",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, p := range c.Twin.PublicIPs {
			if isUnknown(p.SKU) {
				continue
			}
			if !strings.EqualFold(p.SKU, "Standard") {
				sku := p.SKU
				if sku == "" {
					sku = "unset (Basic in older API versions)"
				}
				out = append(out, at(p.ID, "public IP %s has SKU %s", p.Name, sku))
			}
		}
		return out
	},
}

var ruleWAF = Rule{
	ID: "PVK055", Slug: "internet-gateway-waf", Severity: Warning,
	Title:     "An Internet-facing Application Gateway has a WAF",
	Rationale: "A gateway with a public listener is the landing zone's only Internet entrance; the WAF_v2 SKU with a WAF policy filters the OWASP classes of attack before they reach the cluster.",
	Fix:       "Use sku WAF_v2 with a firewallPolicy in Prevention mode.",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			if len(g.Listeners["public"]) > 0 && !g.WAF {
				out = append(out, at(g.ID, "application gateway %s (%s) listens publicly on %v without a WAF", g.Name, g.SKU, g.Listeners["public"]))
			}
		}
		return out
	},
}

// vnetTag returns the VirtualNetwork service tag of v: its space and its
// peered VNets' (azure-rules.md §2.3).
func vnetTag(v *twin.VNet) func(netip.Addr) bool {
	return func(a netip.Addr) bool {
		if v.Contains(a) {
			return true
		}
		for _, p := range v.Peerings {
			if p.Remote != nil && p.Remote.Contains(a) {
				return true
			}
		}
		return false
	}
}

// hostIn returns an address inside s for NSG evaluation (the fifth, the
// first Azure hands out).
func hostIn(s *twin.Subnet) netip.Addr {
	a := s.Prefix.Addr()
	for range 4 {
		a = a.Next()
	}
	return a
}

var ruleBastionNSG = Rule{
	ID: "PVK056", Slug: "bastion-nsg-rules", Severity: Error,
	Absent:    []string{"Microsoft.Network/networkSecurityGroups/securityRules", "Microsoft.Network/networkSecurityGroups"},
	Title:     "An NSG on AzureBastionSubnet has the rules Bastion requires",
	Rationale: "Creating or updating an NSG on AzureBastionSubnet fails unless it allows inbound 443 from Internet and GatewayManager, 443 from AzureLoadBalancer, 8080/5701 within VirtualNetwork, and outbound 22/3389 to VirtualNetwork, 443 to AzureCloud and 80 to Internet.",
	Fix:       "Add the rules listed in Microsoft's Bastion NSG article.",
	Doc:       docBastionNSG,
	Check: func(c *Context) []Finding {
		type need struct {
			inbound  bool
			src, dst twin.Endpoint
			port     uint16
			protocol string
			what     string
		}
		var out []Finding
		for _, s := range c.subnets() {
			if !isBastionSubnet(s) || s.NSG == nil || !s.Prefix.IsValid() {
				continue
			}
			host := twin.Endpoint{Addr: hostIn(s)}
			vm := twin.Endpoint{Addr: host.Addr.Next()}
			needs := []need{
				{true, twin.Endpoint{Tag: "Internet"}, host, 443, "Tcp", "inbound 443 from Internet"},
				{true, twin.Endpoint{Tag: "GatewayManager"}, host, 443, "Tcp", "inbound 443 from GatewayManager"},
				{true, twin.Endpoint{Tag: "AzureLoadBalancer"}, host, 443, "Tcp", "inbound 443 from AzureLoadBalancer"},
				{true, vm, host, 8080, "Tcp", "inbound 8080 from VirtualNetwork"},
				{false, host, vm, 22, "Tcp", "outbound 22 to VirtualNetwork"},
				{false, host, twin.Endpoint{Tag: "AzureCloud"}, 443, "Tcp", "outbound 443 to AzureCloud"},
				{false, host, twin.Endpoint{Tag: "Internet"}, 80, "Tcp", "outbound 80 to Internet"},
			}
			var missing []string
			for _, n := range needs {
				r := s.NSG.Eval(twin.Flow{Src: n.src, Dst: n.dst, Protocol: n.protocol, Port: n.port}, n.inbound, vnetTag(s.VNet))
				if !r.Allow {
					missing = append(missing, fmt.Sprintf("%s (denied by %s)", n.what, r.Name))
				}
			}
			if len(missing) > 0 {
				out = append(out, at(s.NSG.ID, "NSG %s on AzureBastionSubnet lacks: %s", s.NSG.Name, strings.Join(missing, "; ")))
			}
		}
		return out
	},
}

var ruleAppGwNSG = Rule{
	ID: "PVK057", Slug: "appgw-nsg-gateway-manager", Severity: Error,
	Absent:    []string{"Microsoft.Network/networkSecurityGroups/securityRules", "Microsoft.Network/networkSecurityGroups"},
	Title:     "An NSG on an Application Gateway v2 subnet admits GatewayManager on 65200-65535",
	Rationale: "Application Gateway v2 (outside network isolation) needs inbound TCP 65200-65535 from the GatewayManager tag and traffic from AzureLoadBalancer; without them the gateway deployment fails or its health turns unknown.",
	Fix:       "Allow inbound TCP 65200-65535 from GatewayManager and any from AzureLoadBalancer on the gateway subnet's NSG.",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			s := g.Subnet
			if s == nil || s.NSG == nil || !s.Prefix.IsValid() {
				continue
			}
			host := twin.Endpoint{Addr: hostIn(s)}
			for _, f := range []struct {
				tag  string
				port uint16
			}{{"GatewayManager", 65200}, {"GatewayManager", 65535}, {"AzureLoadBalancer", 80}} {
				r := s.NSG.Eval(twin.Flow{Src: twin.Endpoint{Tag: f.tag}, Dst: host, Protocol: "Tcp", Port: f.port}, true, vnetTag(s.VNet))
				if !r.Allow {
					out = append(out, at(s.NSG.ID, "NSG %s denies TCP %d from %s to gateway %s (rule %s)", s.NSG.Name, f.port, f.tag, g.Name, r.Name))
					break
				}
			}
		}
		return out
	},
}

var ruleNodeSubnetDelegated = Rule{
	ID: "PVK058", Slug: "node-subnet-delegated", Severity: Error,
	Title:     "AKS node subnets are not delegated",
	Rationale: "A node pool subnet cannot be delegated to a service; AKS rejects it.",
	Fix:       "Remove the delegation or use another subnet for the pool.",
	Doc:       docCNIOverview,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			if len(c.use(s).pools) > 0 && len(s.Delegations) > 0 {
				out = append(out, at(s.ID, "node subnet %s is delegated to %s", s.Name, strings.Join(s.Delegations, ", ")))
			}
		}
		return out
	},
}

var ruleNoEgress = Rule{
	ID: "PVK059", Slug: "vm-subnet-without-egress", Severity: Warning,
	Absent:    []string{"Microsoft.Network/natGateways", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes", "Microsoft.Network/loadBalancers", "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/networkInterfaces"},
	Title:     "VMs in private subnets have an explicit outbound method",
	Rationale: "Subnets are private by default from Network API 2025-07-01 (defaultOutboundAccess false): a VM with no NAT gateway, public IP or route to a firewall has no Internet access at all and cannot install packages or register a CI agent at boot.",
	Fix:       "Attach a NAT gateway to the subnet, or route 0.0.0.0/0 to a firewall.",
	Doc:       docOutbound,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.subnets() {
			private := s.DefaultOutbound != nil && !*s.DefaultOutbound
			if s.DefaultOutbound == nil && s.APIVersion >= "2025-07-01" {
				private = true
			}
			if !private || s.NAT != nil || defaultRoute(s) {
				continue
			}
			for _, n := range c.use(s).nics {
				vm, ok := c.Twin.Lookup(n.Owner).(*twin.VM)
				if ok && n.PublicIP == nil {
					out = append(out, at(vm.ID, "VM %s is in private subnet %s with no NAT gateway, public IP or default route", vm.Name, s.Name))
				}
			}
		}
		return out
	},
}

func defaultRoute(s *twin.Subnet) bool {
	if s.RouteTable == nil {
		return false
	}
	for _, r := range s.RouteTable.Routes {
		if r.Prefix.IsValid() && r.Prefix.Bits() == 0 && !strings.EqualFold(r.NextHop, "None") {
			return true
		}
	}
	return false
}

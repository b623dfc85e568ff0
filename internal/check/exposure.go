package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Exposure rules: what the Internet can reach (azure-rules.md §2.4, §2.5,
// §2.9; posture.md).

// publicUnknown reports which public-access property of r is unknown.
func publicUnknown(r *arm.Resource, acl string) string {
	for _, p := range []string{"publicNetworkAccess", acl + ".defaultAction"} {
		if prop(r, p).unknown {
			return p
		}
	}
	return ""
}

var ruleVaultPublic = Rule{
	ID: "PVK120", Slug: "keyvault-public-access", Severity: Error,
	Title:     "Key Vault's public endpoint is closed",
	Rationale: "A private endpoint does not turn public access off: unless publicNetworkAccess is Disabled or the firewall's default action is Deny with no IP rules, the vault's data plane answers the whole Internet.",
	Fix:       "Set publicNetworkAccess: Disabled and networkAcls.defaultAction: Deny.",
	Doc:       docKVNetwork,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.Vaults {
			if u := publicUnknown(c.res(v.ID), "networkAcls"); u != "" {
				out = append(out, undecided(v.ID, "key vault "+v.Name+" "+u))
			} else if v.PublicAccess {
				out = append(out, at(v.ID, "key vault %s is reachable from the Internet: %s", v.Name, v.PublicWhy))
			}
		}
		return out
	},
}

var ruleRegistryPublic = Rule{
	ID: "PVK121", Slug: "acr-public-access", Severity: Error,
	Title:     "Container registry's public endpoint is closed",
	Rationale: "A private endpoint does not turn public access off: unless publicNetworkAccess is Disabled or networkRuleSet.defaultAction is Deny with no IP rules, anyone on the Internet can reach the registry's login and data endpoints.",
	Fix:       "Set publicNetworkAccess: Disabled (Premium SKU), or networkRuleSet.defaultAction: Deny.",
	Doc:       docACRPL,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Registries {
			if u := publicUnknown(c.res(g.ID), "networkRuleSet"); u != "" {
				out = append(out, undecided(g.ID, "registry "+g.Name+" "+u))
			} else if g.PublicAccess {
				msg := "registry %s is reachable from the Internet: %s"
				if len(g.Endpoints) > 0 {
					msg = "registry %s is reachable from the Internet despite its private endpoint: %s"
				}
				out = append(out, at(g.ID, msg, g.Name, g.PublicWhy))
			}
		}
		return out
	},
}

var ruleStoragePublic = Rule{
	ID: "PVK122", Slug: "storage-public-access", Severity: Error,
	Title:     "Storage account's public endpoint is closed",
	Rationale: "A storage account (boot diagnostics, flow logs) with no network ACLs accepts requests from any address, private endpoint or not.",
	Fix:       "Set publicNetworkAccess: Disabled or networkAcls.defaultAction: Deny, and reach it through a private endpoint.",
	Doc:       docPE,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, r := range c.Twin.Set.OfType("Microsoft.Storage/storageAccounts") {
			if u := publicUnknown(r, "networkAcls"); u != "" {
				out = append(out, undecided(r.ID, "storage account "+r.Name+" "+u))
				continue
			}
			pna, def := prop(r, "publicNetworkAccess").str(), prop(r, "networkAcls.defaultAction").str()
			if strings.EqualFold(pna, "Disabled") || (strings.EqualFold(def, "Deny") && len(prop(r, "networkAcls.ipRules").list()) == 0) {
				continue
			}
			out = append(out, at(r.ID, "storage account %s is reachable from the Internet (publicNetworkAccess %q, networkAcls.defaultAction %q)", r.Name, pna, def))
		}
		return out
	},
}

var ruleACRAdmin = Rule{
	ID: "PVK123", Slug: "acr-admin-user", Severity: Warning,
	Title:     "Container registry admin user is off",
	Rationale: "The admin user is a shared username and password with push rights that bypass Entra ID and RBAC; nodes pull with their kubelet identity instead.",
	Fix:       "Set adminUserEnabled: false and grant AcrPull/AcrPush roles.",
	Doc:       docACRInteg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Registries {
			if g.AdminUser {
				out = append(out, at(g.ID, "registry %s has the admin user enabled", g.Name))
			}
		}
		return out
	},
}

var ruleACRAnonymous = Rule{
	ID: "PVK124", Slug: "acr-anonymous-pull", Severity: Warning,
	Title:     "Container registry anonymous pull is off",
	Rationale: "anonymousPullEnabled lets anyone who can reach the registry pull every image without credentials.",
	Fix:       "Set anonymousPullEnabled: false.",
	Doc:       docACRPL,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Registries {
			if b, _ := prop(c.res(g.ID), "anonymousPullEnabled").boolean(); b {
				out = append(out, at(g.ID, "registry %s allows anonymous pull", g.Name))
			}
		}
		return out
	},
}

var ruleLocalAccounts = Rule{
	ID: "PVK125", Slug: "aks-local-accounts", Severity: Warning,
	Title:     "AKS local accounts are disabled",
	Rationale: "Local accounts give a static cluster-admin kubeconfig that bypasses Microsoft Entra ID and cannot be audited per user; with Entra integration they should be off.",
	Fix:       "Set disableLocalAccounts: true with aadProfile.managed and enableAzureRBAC.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if prop(c.res(cl.ID), "disableLocalAccounts").unknown {
				continue
			}
			if cl.LocalAccounts {
				out = append(out, at(cl.ID, "cluster %s keeps local accounts (disableLocalAccounts is not true)", cl.Name))
			}
		}
		return out
	},
}

var ruleAPIUnrestricted = Rule{
	ID: "PVK126", Slug: "aks-public-api-unrestricted", Severity: Error,
	Title:     "A public API server is restricted to authorized IP ranges",
	Rationale: "A public AKS API server without authorizedIPRanges (or with 0.0.0.0/0) accepts connections from every address; credentials alone then protect the control plane.",
	Fix:       "Make the cluster private, or set apiServerAccessProfile.authorizedIPRanges to your egress ranges.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			r := c.res(cl.ID)
			if cl.Private || prop(r, "apiServerAccessProfile.enablePrivateCluster").unknown {
				continue
			}
			if prop(r, "apiServerAccessProfile.authorizedIPRanges").unknown {
				out = append(out, undecided(cl.ID, "authorizedIPRanges of "+cl.Name))
				continue
			}
			open := len(cl.AuthorizedRanges) == 0
			why := "no authorizedIPRanges"
			if v := prop(r, "apiServerAccessProfile.authorizedIPRanges").v; v != nil && prop(r, "apiServerAccessProfile.authorizedIPRanges").list() == nil {
				why = fmt.Sprintf("authorizedIPRanges is not a list (%v)", v)
			}
			for _, s := range cl.AuthorizedRanges {
				if p, ok := parsePrefix(s); ok && p.Bits() == 0 {
					open, why = true, "authorizedIPRanges contains "+s
				}
			}
			if open {
				out = append(out, at(cl.ID, "cluster %s has a public API server open to any IP address: %s", cl.Name, why))
			}
		}
		return out
	},
}

var ruleAPIPublic = Rule{
	ID: "PVK127", Slug: "aks-public-api", Severity: Warning,
	Title:     "The AKS API server is private",
	Rationale: "A private cluster exposes the API server only through a private endpoint in the node subnet; scanners (trivy enable_private_cluster) and the private landing zone expect it.",
	Fix:       "Set apiServerAccessProfile.enablePrivateCluster: true (with a private DNS zone plan), or use API server VNet integration.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if !cl.Private && !prop(c.res(cl.ID), "apiServerAccessProfile.enablePrivateCluster").unknown {
				out = append(out, at(cl.ID, "cluster %s has a public API server", cl.Name))
			}
		}
		return out
	},
}

var ruleVMPublicIP = Rule{
	ID: "PVK128", Slug: "vm-public-ip", Severity: Warning,
	Title:     "VMs have no public IP",
	Rationale: "A public IP on a VM's NIC puts the VM on the Internet, where only its NSG stands between it and scanners; administrators reach private VMs through Bastion.",
	Fix:       "Remove the NIC's publicIPAddress and connect through Azure Bastion.",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, vm := range c.Twin.VMs {
			for _, n := range vm.NICs {
				if n.PublicIP != nil {
					out = append(out, at(vm.ID, "VM %s has public IP %s on NIC %s", vm.Name, n.PublicIP.Name, n.Name))
				}
			}
		}
		for _, ss := range c.Twin.ScaleSets {
			if ss.NIC != nil && ss.NIC.PublicIP != nil {
				out = append(out, at(ss.ID, "scale set %s gives each instance a public IP (%s)", ss.Name, ss.NIC.PublicIP.Name))
			}
		}
		return out
	},
}

var ruleSSHRDP = Rule{
	ID: "PVK129", Slug: "ssh-rdp-from-internet", Severity: Error,
	Absent:    []string{"Microsoft.Network/networkSecurityGroups/securityRules", "Microsoft.Network/networkSecurityGroups"},
	Title:     "No NSG admits SSH or RDP from the Internet",
	Rationale: "SSH (22) and RDP (3389) open to Internet sources are brute-forced within minutes of deployment; administrative access belongs behind Bastion, which reaches VMs from its own subnet. An error where a NIC the NSG guards has a public IP; a warning where none has one yet (the rule admits the Internet as soon as a public IP, a public load balancer rule or a firewall DNAT rule leads there).",
	Fix:       "Restrict the rule's source to the AzureBastionSubnet prefix (or remove it).",
	Doc:       docNSG,
	Check: func(c *Context) []Finding {
		var out []Finding
		seen := map[string]bool{}
		// What leads the Internet into a subnet: a NIC's public IP, or a
		// public load balancer or firewall DNAT rule reaching a NIC there.
		public := map[*twin.Subnet]string{}
		nics := append([]*twin.NIC{}, c.Twin.NICs...)
		for _, ss := range c.Twin.ScaleSets {
			if ss.NIC != nil {
				nics = append(nics, ss.NIC)
			}
		}
		for _, n := range nics {
			if n.Subnet == nil || public[n.Subnet] != "" {
				continue
			}
			if n.PublicIP != nil {
				public[n.Subnet] = n.Name + " has a public IP"
			} else if open := c.Twin.InternetOpenPorts(n); len(open) > 0 {
				public[n.Subnet] = n.Name + " is reached through " + open[0].Via
			}
		}
		report := func(nsg *twin.NSG, dst netip.Addr, v *twin.VNet, where, exposedBy string) {
			if nsg == nil || !dst.IsValid() {
				return
			}
			for _, port := range []uint16{22, 3389} {
				r := nsg.Eval(twin.Flow{Src: twin.Endpoint{Tag: "Internet"}, Dst: twin.Endpoint{Addr: dst}, Protocol: "Tcp", Port: port}, true, vnetTag(v))
				key := fmt.Sprint(nsg.ID.Key(), port)
				if r.Allow && !seen[key] {
					seen[key] = true
					if exposedBy != "" {
						out = append(out, at(nsg.ID, "NSG %s allows TCP %d from the Internet to %s (rule %s), and %s", nsg.Name, port, where, r.Name, exposedBy))
						continue
					}
					f := at(nsg.ID, "NSG %s allows TCP %d from the Internet to %s (rule %s); nothing there has a public IP now, so the Internet reaches it only once one is added", nsg.Name, port, where, r.Name)
					f.Severity = Warning
					out = append(out, f)
				}
			}
		}
		for _, s := range c.subnets() {
			if s.Prefix.IsValid() && !isBastionSubnet(s) && len(c.use(s).gateways) == 0 {
				report(s.NSG, hostIn(s), s.VNet, "subnet "+s.Name, public[s])
			}
		}
		for _, n := range c.Twin.NICs {
			if n.Subnet != nil {
				by := ""
				if n.PublicIP != nil {
					by = "NIC " + n.Name + " has a public IP"
				}
				report(n.NSG, n.IP, n.Subnet.VNet, "NIC "+n.Name, by)
			}
		}
		return out
	},
}

var ruleListenerPorts = Rule{
	ID: "PVK130", Slug: "appgw-shared-listener-port", Severity: Error,
	Title:     "A listener port the public and private frontends share is admitted to both",
	Rationale: "Application Gateway v2 accepts the same port on its public and private frontends (frontend IP configuration docs; the AGIC errors \"Can't assign port to Private IP Listener already assigned to Public IP Listener\" date from before that). The gateway subnet's NSG must then admit the port to both frontends: Internet traffic to the public one and VNet clients to the private one. A rule narrowed to one frontend's address leaves the other's listeners unreachable.",
	Fix:       "Give the Internet rule destination * (or the public frontend's address) and the VNet rule the private frontend's address, for every shared port (privaks shares 443 and 80).",
	Doc:       docAppGwFrontend,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			if g.Subnet == nil || g.Subnet.NSG == nil {
				continue
			}
			for _, p := range g.Listeners["public"] {
				if !slices.Contains(g.Listeners["private"], p) {
					continue
				}
				if res := c.Twin.InternetToFrontend(g, p); !res.OK {
					out = append(out, at(g.ID, "application gateway %s shares port %d between its frontends but the Internet cannot reach the public one: %s", g.Name, p, res.Why))
				}
				if ok, why := vnetToPrivateFrontend(c, g, p); !ok {
					out = append(out, at(g.ID, "application gateway %s shares port %d between its frontends but VNet clients cannot reach the private one (%s): %s", g.Name, p, g.PrivateIP, why))
				}
			}
		}
		return out
	},
}

// vnetToPrivateFrontend evaluates the gateway subnet's NSG for a client of
// the gateway's own VNet reaching the private frontend on port.
func vnetToPrivateFrontend(c *Context, g *twin.AppGateway, port uint16) (bool, string) {
	v := g.Subnet.VNet
	if v == nil || len(v.AddressSpace) == 0 || !g.PrivateIP.IsValid() {
		return true, ""
	}
	src := v.AddressSpace[0].Addr()
	r := g.Subnet.NSG.Eval(twin.Flow{Src: twin.Endpoint{Addr: src}, Dst: twin.Endpoint{Addr: g.PrivateIP}, Protocol: "Tcp", Port: port}, true, func(a netip.Addr) bool {
		for _, p := range v.AddressSpace {
			if p.Contains(a) {
				return true
			}
		}
		return false
	})
	return r.Allow, "NSG " + g.Subnet.NSG.Name + " rule " + r.String()
}

var ruleIPForwarding = Rule{
	ID: "PVK131", Slug: "nic-ip-forwarding", Severity: Info,
	Absent:    []string{"Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes", "Microsoft.Network/virtualNetworks/subnets"},
	Title:     "IP forwarding is enabled only on network virtual appliances",
	Rationale: "enableIPForwarding lets a VM route traffic not addressed to it; outside an NVA that a route table points at, it only widens what a compromised VM can do.",
	Fix:       "Set enableIPForwarding: false unless a UDR uses the VM as next hop.",
	Doc:       docNSG,
	Check: func(c *Context) []Finding {
		hops := map[netip.Addr]bool{}
		for _, rt := range c.Twin.RouteTables {
			for _, r := range rt.Routes {
				hops[r.NextAddr] = true
			}
		}
		var out []Finding
		for _, n := range c.Twin.NICs {
			if n.IPForwarding && !hops[n.IP] {
				out = append(out, at(n.ID, "NIC %s forwards IP traffic but no route uses %s as next hop", n.Name, n.IP))
			}
		}
		return out
	},
}

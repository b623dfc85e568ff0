package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Egress and bring-up rules (issue "Egress and bring-up"): what decides
// whether VMs and nodes reach what they need on first boot.

const (
	docOutboundUpd = "https://learn.microsoft.com/azure/aks/egress-outboundtype"
	docVMDNS       = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-name-resolution-for-vms-and-role-instances"
)

// routesToAppliance reports whether s sends 0.0.0.0/0 to a virtual appliance.
func routesToAppliance(s *twin.Subnet) (twin.Route, bool) {
	if s == nil || s.RouteTable == nil {
		return twin.Route{}, false
	}
	for _, r := range s.RouteTable.Routes {
		if r.Prefix.IsValid() && r.Prefix.Bits() == 0 && strings.EqualFold(r.NextHop, "VirtualAppliance") {
			return r, true
		}
	}
	return twin.Route{}, false
}

var ruleFirewallAKS = Rule{
	ID: "PVK060", Slug: "firewall-blocks-aks-endpoints", Severity: Error,
	Absent:    []string{"Microsoft.Network/firewallPolicies", "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "Microsoft.Network/azureFirewalls", "Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes", "Microsoft.Network/virtualNetworks/subnets"},
	Title:     "A firewall in the node subnets' path allows the AKS required endpoints",
	Rationale: "With a UDR sending 0.0.0.0/0 to a firewall, nodes reach the AKS required endpoints (mcr.microsoft.com, management.azure.com, login.microsoftonline.com, packages.aks.azure.com, …) only if the firewall allows them. Azure Firewall denies what no rule allows, so a missing rule makes node provisioning fail (vmssCSE exit codes) after a long wait.",
	Fix:       "Add an application rule with the AzureKubernetesService FQDN tag (or the listed FQDNs) for the node subnets, and the network rules AKS documents.",
	Doc:       docAKSEgress,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			for _, p := range cl.Pools {
				if _, ok := routesToAppliance(p.Subnet); !ok {
					continue
				}
				for _, e := range twin.AKSRequiredEndpoints {
					res := c.Twin.Egress(p.Client(), e, 443)
					if res.Undecided {
						out = append(out, Finding{Resource: string(cl.ID), Severity: Info,
							Message: fmt.Sprintf("node pool %s → %s:443: cannot decide: %s", p.Name, e, res.Why)})
						break
					}
					if !res.OK {
						out = append(out, at(cl.ID, "node pool %s cannot reach %s:443: %s", p.Name, e, res.Why))
						break
					}
				}
			}
		}
		return out
	},
}

var ruleFirewallBypass = Rule{
	ID: "PVK061", Slug: "egress-bypasses-firewall", Severity: Warning,
	Absent:    []string{"Microsoft.Network/routeTables", "Microsoft.Network/routeTables/routes", "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/azureFirewalls"},
	Title:     "Every workload subnet sends its Internet traffic through the firewall",
	Rationale: "A design that controls egress with a firewall routes 0.0.0.0/0 from every subnet with VMs or nodes to it. A subnet left without that route (a route table dropped or never associated) egresses through a NAT gateway, a load balancer or default outbound access instead: its traffic bypasses the allow-list without any error.",
	Fix:       "Associate the route table that sends 0.0.0.0/0 to the firewall with the subnet.",
	Doc:       docAKSEgress,
	Check: func(c *Context) []Finding {
		if len(c.Twin.Firewalls) == 0 {
			return nil
		}
		routed := false
		for _, s := range c.subnets() {
			if _, ok := routesToAppliance(s); ok {
				routed = true
			}
		}
		if !routed {
			return nil
		}
		var out []Finding
		for _, s := range c.subnets() {
			u := c.use(s)
			hasVM := false
			for _, n := range u.nics {
				if _, ok := c.Twin.Lookup(n.Owner).(*twin.VM); ok {
					hasVM = true
				}
			}
			if !hasVM && len(u.pools) == 0 {
				continue
			}
			if _, ok := routesToAppliance(s); !ok {
				out = append(out, at(s.ID, "subnet %s has VMs or nodes but no route to the firewall: its Internet traffic bypasses the allow-list", s.Name))
			}
		}
		return out
	},
}

var ruleOutboundChanged = Rule{
	ID: "PVK062", Slug: "outbound-type-changed", Severity: Error,
	Title:     "A cluster's outboundType is not changed on an existing cluster",
	Rationale: "outboundType decides how every node reaches the Internet, and the API documents it as settable only when the cluster is created (azure-rules.md §2.8, §2.10): a template that changes it on an existing cluster fails to deploy, or, where a migration path exists, reprovisions the outbound path and changes the cluster's public egress addresses that allow-lists name.",
	Fix:       "Keep the existing outboundType, or create a new cluster with the new one and move the workloads.",
	Doc:       docOutboundUpd,
	Check: func(c *Context) []Finding {
		if c.Previous == nil {
			return nil
		}
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			prev, ok := c.Previous.Lookup(cl.ID).(*twin.Cluster)
			if !ok || prev.OutboundType == "" || cl.OutboundType == "" {
				continue
			}
			if !strings.EqualFold(prev.OutboundType, cl.OutboundType) {
				out = append(out, at(cl.ID, "outboundType changes from %s to %s on the existing cluster %s", prev.OutboundType, cl.OutboundType, cl.Name))
			}
		}
		return out
	},
}

var ruleVMDNSOrdering = Rule{
	ID: "PVK085", Slug: "vm-before-dns", Severity: Error,
	Title:     "VMs that resolve through a forwarder VM start after it answers",
	Rationale: "A VM whose DNS server is a forwarder VM resolves nothing until BIND is installed and running there. ARM deploys resources without a dependsOn path in parallel, so the VM may boot first, and its cloud-init (package installs, agent registration) fails on name resolution.",
	Fix:       "Add the forwarder's readiness extension (a VM extension that succeeds only once DNS answers) to the VM's dependsOn.",
	Doc:       docVMDNS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.Twin.Servers {
			if s.Kind != twin.ServerBIND {
				continue
			}
			ready := c.Twin.ReadinessExtension(s.Owner)
			for _, vm := range c.Twin.VMs {
				if vm.ID.Equal(s.Owner) || len(vm.NICs) == 0 {
					continue
				}
				servers, _ := c.Twin.DNSServersOf(twin.Client{Name: vm.Name, Subnet: vm.NICs[0].Subnet, NIC: vm.NICs[0]})
				uses := false
				for _, a := range servers {
					uses = uses || a == s.Addr
				}
				if !uses {
					continue
				}
				r := c.res(vm.ID)
				if r == nil {
					continue
				}
				target := ready
				if target == "" {
					target = s.Owner
				}
				if !c.Twin.DeployedBefore(r.ID)[target.Key()] {
					out = append(out, at(vm.ID, "VM %s resolves through %s but does not depend on %s", vm.Name, s.Name, describeID(target)))
				}
			}
		}
		sortFindings(out)
		return out
	},
}

func describeID(id arm.ResourceID) string {
	if p, err := arm.ParseResourceID(string(id)); err == nil {
		return fmt.Sprintf("%s %s", p.Type(), p.Name())
	}
	return string(id)
}

// sortFindings orders fs by resource, keeping the order of equal ones.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int { return strings.Compare(a.Resource, b.Resource) })
}

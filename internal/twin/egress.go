package twin

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Firewall is an Azure Firewall and the rules of its policy (or its classic
// rule collections), evaluated as an allow-list: what no rule allows is
// denied.
type Firewall struct {
	ID        arm.ResourceID
	Name      string
	Subnet    *Subnet
	PrivateIP netip.Addr
	Rules     []FirewallRule // in evaluation order
}

// FirewallRule is one network or application rule with its collection's
// action.
type FirewallRule struct {
	Collection string
	Name       string
	Allow      bool
	Network    bool // network rules are evaluated before application rules
	Sources    []string
	// Network rules: destination addresses or service tags, ports,
	// protocols (TCP, UDP, Any).
	Dests     []string
	Ports     []PortRange
	Protocols []string
	// Application rules: FQDNs (wildcards "*.x"), FQDN tags, ports.
	FQDNs    []string
	FQDNTags []string
	AppPorts []uint16
}

// fqdnTags lists what each FQDN tag privaks understands covers (Azure
// Firewall's AzureKubernetesService tag is the AKS required outbound list,
// azure-rules.md [S58]).
var fqdnTags = map[string][]string{
	"azurekubernetesservice": {"mcr.microsoft.com", "*.data.mcr.microsoft.com", "mcr-0001.mcr-msedge.net", "management.azure.com",
		"login.microsoftonline.com", "packages.microsoft.com", "acs-mirror.azureedge.net", "packages.aks.azure.com", "*.hcp.*.azmk8s.io"},
}

// AKSRequiredEndpoints are the FQDNs every AKS node must reach on 443
// (azure-rules.md [S58]).
var AKSRequiredEndpoints = []string{"mcr.microsoft.com", "management.azure.com", "login.microsoftonline.com", "packages.aks.azure.com", "acs-mirror.azureedge.net"}

func (t *Twin) buildFirewalls(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/azureFirewalls") {
		fw := &Firewall{ID: r.ID, Name: r.Name}
		for _, ic := range list(r.Prop("ipConfigurations")) {
			fw.Subnet, _ = t.byID[idRef(get(ic, "properties.subnet")).Key()].(*Subnet)
			if fw.Subnet != nil {
				a := fw.Subnet.Prefix.Addr()
				for range 4 {
					a = a.Next()
				}
				fw.PrivateIP = a
			}
			if lit, ok := addr(str(get(ic, "properties.privateIPAddress"))); ok {
				fw.PrivateIP = lit // read back from a live firewall
			}
		}
		fw.Rules = append(fw.Rules, classicRules(r)...)
		if pol := idRef(r.Prop("firewallPolicy")); pol != "" {
			fw.Rules = append(fw.Rules, policyRules(set, pol)...)
		}
		t.Firewalls = append(t.Firewalls, fw)
		t.byID[r.ID.Key()] = fw
	}
}

type collection struct {
	prio  int
	rules []FirewallRule
}

// policyRules reads the rule collection groups of a firewall policy, in
// priority order (group, then collection).
func policyRules(set *arm.Set, policy arm.ResourceID) []FirewallRule {
	var cols []collection
	for _, g := range set.OfType("Microsoft.Network/firewallPolicies/ruleCollectionGroups") {
		if !parentID(g.ID).Equal(policy) {
			continue
		}
		gp, _ := toInt(g.Prop("priority"))
		for _, c := range list(g.Prop("ruleCollections")) {
			cp, _ := toInt(get(c, "priority"))
			allow := !strings.EqualFold(str(get(c, "action.type")), "Deny")
			name := str(get(c, "name"))
			var rules []FirewallRule
			for _, x := range list(get(c, "rules")) {
				rules = append(rules, parseFWRule(name, x, allow, strings.EqualFold(str(get(x, "ruleType")), "NetworkRule")))
			}
			cols = append(cols, collection{prio: gp*100000 + cp, rules: rules})
		}
	}
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].prio < cols[j].prio })
	var out []FirewallRule
	for _, c := range cols {
		out = append(out, c.rules...)
	}
	return out
}

// classicRules reads rule collections written on the firewall itself.
func classicRules(r *arm.Resource) []FirewallRule {
	var out []FirewallRule
	for _, kind := range []string{"networkRuleCollections", "applicationRuleCollections"} {
		for _, c := range list(r.Prop(kind)) {
			allow := !strings.EqualFold(str(get(c, "properties.action.type")), "Deny")
			for _, x := range list(get(c, "properties.rules")) {
				out = append(out, parseFWRule(str(get(c, "name")), x, allow, kind == "networkRuleCollections"))
			}
		}
	}
	return out
}

func parseFWRule(col string, x any, allow, network bool) FirewallRule {
	r := FirewallRule{Collection: col, Name: str(get(x, "name")), Allow: allow, Network: network,
		Sources: strs(get(x, "sourceAddresses")), Dests: strs(get(x, "destinationAddresses")),
		Protocols: append(strs(get(x, "ipProtocols")), strs(get(x, "protocols"))...),
		FQDNs:     append(strs(get(x, "targetFqdns")), strs(get(x, "destinationFqdns"))...),
		FQDNTags:  strs(get(x, "fqdnTags"))}
	for _, p := range strs(get(x, "destinationPorts")) {
		if pr, ok := parsePorts(p); ok {
			r.Ports = append(r.Ports, pr)
		}
	}
	for _, p := range list(get(x, "protocols")) {
		if n, ok := toInt(get(p, "port")); ok {
			r.AppPorts = append(r.AppPorts, uint16(n))
		}
	}
	return r
}

// allows evaluates the firewall for a flow from src to fqdn:port
// (application traffic, TCP). Network rules first, then application rules,
// each in collection order; no match is a deny.
func (fw *Firewall) allows(src netip.Addr, fqdn string, port uint16) (bool, string) {
	for _, network := range []bool{true, false} {
		for _, r := range fw.Rules {
			if r.Network != network || !sourceMatch(r.Sources, src) {
				continue
			}
			if network {
				if !protoOK(r.Protocols, "TCP") || !portMatch(r.Ports, port) || !destAny(r.Dests) {
					continue
				}
			} else {
				if !containsPort(r.AppPorts, port) || !fqdnMatch(r, fqdn) {
					continue
				}
			}
			verb := "allows"
			if !r.Allow {
				verb = "denies"
			}
			return r.Allow, fmt.Sprintf("rule %s/%s %s it", r.Collection, r.Name, verb)
		}
	}
	return false, "no rule matches (Azure Firewall denies by default)"
}

func sourceMatch(srcs []string, a netip.Addr) bool {
	for _, s := range srcs {
		if s == "*" {
			return true
		}
		if p, ok := prefix(s); ok && p.Contains(a) {
			return true
		}
		if x, ok := addr(s); ok && x == a {
			return true
		}
	}
	return false
}

func protoOK(ps []string, want string) bool {
	for _, p := range ps {
		if strings.EqualFold(p, want) || strings.EqualFold(p, "Any") {
			return true
		}
	}
	return false
}

// destAny reports whether a network rule's destinations cover an arbitrary
// Internet address ("*" or 0.0.0.0/0); service-tag destinations do not
// cover a named FQDN in this model.
func destAny(ds []string) bool {
	for _, d := range ds {
		if d == "*" || d == "0.0.0.0/0" {
			return true
		}
	}
	return false
}

func fqdnMatch(r FirewallRule, fqdn string) bool {
	for _, f := range r.FQDNs {
		if wildcardMatch(strings.ToLower(f), fqdn) {
			return true
		}
	}
	for _, tag := range r.FQDNTags {
		for _, f := range fqdnTags[strings.ToLower(tag)] {
			if wildcardMatch(f, fqdn) {
				return true
			}
		}
	}
	return false
}

// wildcardMatch matches "*.example.com" and "a.*.b" style patterns label by
// label; "*" matches one or more labels at the front.
func wildcardMatch(pattern, name string) bool {
	if pattern == "*" || pattern == name {
		return true
	}
	if rest, ok := strings.CutPrefix(pattern, "*."); ok && !strings.Contains(rest, "*") {
		return strings.HasSuffix(name, "."+rest)
	}
	pl, nl := strings.Split(pattern, "."), strings.Split(name, ".")
	if len(pl) != len(nl) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != nl[i] {
			return false
		}
	}
	return true
}

// firewallAt returns the firewall with the given private address.
func (t *Twin) firewallAt(a netip.Addr) *Firewall {
	for _, fw := range t.Firewalls {
		if fw.PrivateIP == a {
			return fw
		}
	}
	return nil
}

// Egress decides whether client c reaches fqdn:port on the Internet: the
// route its subnet takes for an Internet address (a UDR to a firewall,
// whose rules are then evaluated as an allow-list), else an explicit
// outbound method (NAT gateway, public IP, AKS load balancer), else default
// outbound access — which subnets no longer have from Network API
// 2025-07-01 (azure-rules.md §2.10).
func (t *Twin) Egress(c Client, fqdn string, port uint16) ReachResult {
	res := ReachResult{OK: true}
	if c.Subnet == nil {
		return res.fail(c.Name + " is in no subnet of the model")
	}
	s := c.Subnet
	dst := netip.MustParseAddr(placeholderPublic(fqdn))
	f := Flow{Src: Endpoint{Addr: c.Addr}, Dst: Endpoint{Addr: dst}, Protocol: "Tcp", Port: port}
	if !t.nsgAllows(&res, s.NSG, "subnet "+s.Name, f, false, s.VNet) {
		return res
	}
	if s.RouteTable != nil {
		if r, ok := bestRoute(s.RouteTable, dst); ok {
			switch strings.ToLower(r.NextHop) {
			case "virtualappliance":
				fw := t.firewallAt(r.NextAddr)
				if fw == nil {
					res.hop("route table "+s.RouteTable.Name, "route", r.Prefix.String()+" → "+r.NextAddr.String())
					return res.fail(fmt.Sprintf("route %s sends Internet traffic to %s, which is no firewall in the design", r.Name, r.NextAddr))
				}
				res.hop("route table "+s.RouteTable.Name, "route", fmt.Sprintf("route %s %s → firewall %s (%s)", r.Name, r.Prefix, fw.Name, fw.PrivateIP))
				if fw.Subnet != nil && fw.Subnet.VNet != s.VNet {
					if ok, why := Connected(s.VNet, fw.Subnet.VNet); !ok {
						return res.fail("the firewall's VNet is not reachable: " + why)
					}
				}
				ok, why := fw.allows(c.Addr, fqdn, port)
				if !ok {
					res.hop("firewall "+fw.Name, "deny", why)
					return res.fail(fmt.Sprintf("firewall %s does not allow %s → %s:%d: %s", fw.Name, c.Addr, fqdn, port, why))
				}
				res.hop("firewall "+fw.Name, "allow", why)
				return res
			case "none":
				return res.fail(fmt.Sprintf("route %s in %s drops Internet traffic", r.Name, s.RouteTable.Name))
			}
		}
	}
	switch {
	case c.NIC != nil && c.NIC.PublicIP != nil:
		res.hop(c.Name, "allow", "through its public IP "+c.NIC.PublicIP.Name)
	case s.NAT != nil:
		res.hop("subnet "+s.Name, "allow", "through NAT gateway "+s.NAT.Name)
	case strings.EqualFold(c.Outbound, "loadBalancer") || strings.EqualFold(c.Outbound, "managedNATGateway"):
		res.hop(c.Name, "allow", "through the cluster's outbound ("+c.Outbound+")")
	case strings.EqualFold(c.Outbound, "userDefinedRouting"):
		return res.fail(fmt.Sprintf("the cluster uses outboundType userDefinedRouting but subnet %s has no route to a firewall: nodes cannot reach the Internet", s.Name))
	case strings.EqualFold(c.Outbound, "userAssignedNATGateway"):
		return res.fail(fmt.Sprintf("the cluster uses outboundType userAssignedNATGateway but subnet %s has no NAT gateway", s.Name))
	case s.privateByDefault():
		why := "defaultOutboundAccess is false"
		if s.DefaultOutbound == nil {
			why = "subnets are private by default from Network API 2025-07-01 (this one is " + s.APIVersion + ")"
		}
		return res.fail(fmt.Sprintf("subnet %s is private (%s) and %s has no explicit outbound method (NAT gateway, public IP, load balancer or route to a firewall)", s.Name, why, c.Name))
	default:
		res.hop("subnet "+s.Name, "allow", "default outbound access (being retired: give the subnet a NAT gateway)")
	}
	return res
}

// privateByDefault reports whether the subnet has no default outbound
// access: explicitly, or because its API version makes subnets private.
func (s *Subnet) privateByDefault() bool {
	if s.DefaultOutbound != nil {
		return !*s.DefaultOutbound
	}
	return s.APIVersion >= "2025-07-01"
}

package twin

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// NSG is a network security group with its rules sorted by priority.
type NSG struct {
	ID    arm.ResourceID
	Name  string
	Rules []Rule // custom rules, then the defaults, in evaluation order
}

// Rule is one NSG security rule.
type Rule struct {
	Name      string
	Priority  int
	Inbound   bool
	Allow     bool
	Protocol  string   // Tcp, Udp, Icmp, *, ...
	Sources   []string // CIDRs, addresses, service tags or "*"
	Dests     []string
	DestPorts []PortRange
	Default   bool // one of Azure's default rules

	// srcRefs, dstRefs are prefixes written as expressions only a
	// deployment knows (a subnet's addressPrefix through reference()),
	// resolved against the model's subnets by resolveNSGRefs.
	srcRefs, dstRefs []any
}

// PortRange is an inclusive range of ports.
type PortRange struct{ First, Last uint16 }

func (p PortRange) String() string {
	if p.First == 0 && p.Last == 65535 {
		return "*"
	}
	if p.First == p.Last {
		return strconv.Itoa(int(p.First))
	}
	return fmt.Sprintf("%d-%d", p.First, p.Last)
}

func (r Rule) String() string {
	dir, act := "outbound", "deny"
	if r.Inbound {
		dir = "inbound"
	}
	if r.Allow {
		act = "allow"
	}
	return fmt.Sprintf("%s (priority %d, %s %s %s from %s to %s port %s)", r.Name, r.Priority, dir, act,
		r.Protocol, strings.Join(r.Sources, ","), strings.Join(r.Dests, ","), portsString(r.DestPorts))
}

func portsString(ps []PortRange) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ",")
}

// defaultRules are Azure's rules below every NSG (azure-rules.md §2.3).
var defaultRules = []Rule{
	{Name: "AllowVNetInBound", Priority: 65000, Inbound: true, Allow: true, Protocol: "*", Sources: []string{"VirtualNetwork"}, Dests: []string{"VirtualNetwork"}, DestPorts: anyPort, Default: true},
	{Name: "AllowAzureLoadBalancerInBound", Priority: 65001, Inbound: true, Allow: true, Protocol: "*", Sources: []string{"AzureLoadBalancer"}, Dests: []string{"*"}, DestPorts: anyPort, Default: true},
	{Name: "DenyAllInBound", Priority: 65500, Inbound: true, Allow: false, Protocol: "*", Sources: []string{"*"}, Dests: []string{"*"}, DestPorts: anyPort, Default: true},
	{Name: "AllowVnetOutBound", Priority: 65000, Allow: true, Protocol: "*", Sources: []string{"VirtualNetwork"}, Dests: []string{"VirtualNetwork"}, DestPorts: anyPort, Default: true},
	{Name: "AllowInternetOutBound", Priority: 65001, Allow: true, Protocol: "*", Sources: []string{"*"}, Dests: []string{"Internet"}, DestPorts: anyPort, Default: true},
	{Name: "DenyAllOutBound", Priority: 65500, Allow: false, Protocol: "*", Sources: []string{"*"}, Dests: []string{"*"}, DestPorts: anyPort, Default: true},
}

var anyPort = []PortRange{{0, 65535}}

func buildNSG(r *arm.Resource) *NSG {
	n := &NSG{ID: r.ID, Name: r.Name}
	for _, x := range list(r.Prop("securityRules")) {
		n.Rules = append(n.Rules, parseRule(str(get(x, "name")), obj(get(x, "properties"))))
	}
	sort.SliceStable(n.Rules, func(i, j int) bool { return n.Rules[i].Priority < n.Rules[j].Priority })
	n.Rules = append(n.Rules, defaultRules...)
	return n
}

func parseRule(name string, p map[string]any) Rule {
	r := Rule{Name: name}
	r.Priority, _ = toInt(get(p, "priority"))
	r.Inbound = strings.EqualFold(str(get(p, "direction")), "Inbound")
	r.Allow = strings.EqualFold(str(get(p, "access")), "Allow")
	r.Protocol = str(get(p, "protocol"))
	r.Sources = append(nonEmpty(str(get(p, "sourceAddressPrefix"))), strs(get(p, "sourceAddressPrefixes"))...)
	r.Dests = append(nonEmpty(str(get(p, "destinationAddressPrefix"))), strs(get(p, "destinationAddressPrefixes"))...)
	r.srcRefs = unknowns(get(p, "sourceAddressPrefix"), get(p, "sourceAddressPrefixes"))
	r.dstRefs = unknowns(get(p, "destinationAddressPrefix"), get(p, "destinationAddressPrefixes"))
	for _, s := range append(nonEmpty(str(get(p, "destinationPortRange"))), strs(get(p, "destinationPortRanges"))...) {
		if pr, ok := parsePorts(s); ok {
			r.DestPorts = append(r.DestPorts, pr)
		}
	}
	return r
}

// unknowns returns the values of a prefix and a prefix list that are
// expressions left for the deployment (arm.Unknown).
func unknowns(one, many any) []any {
	var out []any
	for _, x := range append([]any{one}, list(many)...) {
		if u, ok := x.(arm.Unknown); ok {
			out = append(out, u)
		}
	}
	return out
}

// resolveNSGRefs replaces the prefixes rules read through reference() by
// the address range of the subnet they name, when the model holds it
// (aks-baseline-regulated admits SSH from the hub's Bastion subnet so).
// One it cannot read stays in the rule as "(unknown …)", which matches no
// address, and the trace names it.
func (t *Twin) resolveNSGRefs() {
	resolve := func(refs []any) []string {
		var out []string
		for _, x := range refs {
			if ps, ok := t.refPrefixes(x); ok {
				out = append(out, ps...)
			} else {
				out = append(out, "(unknown "+describe(x)+")")
			}
		}
		return out
	}
	for _, n := range t.NSGs {
		for i := range n.Rules {
			r := &n.Rules[i]
			r.Sources = append(r.Sources, resolve(r.srcRefs)...)
			r.Dests = append(r.Dests, resolve(r.dstRefs)...)
			r.srcRefs, r.dstRefs = nil, nil
		}
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func toInt(v any) (int, bool) {
	switch t := v.(type) {
	case float64:
		return int(t), true
	case int:
		return t, true
	case int64:
		return int(t), true
	case string:
		n, err := strconv.Atoi(t)
		return n, err == nil
	}
	return 0, false
}

func parsePorts(s string) (PortRange, bool) {
	s = strings.TrimSpace(s)
	if s == "*" {
		return PortRange{0, 65535}, true
	}
	lo, hi, found := strings.Cut(s, "-")
	a, err := strconv.Atoi(lo)
	if err != nil {
		return PortRange{}, false
	}
	b := a
	if found {
		if b, err = strconv.Atoi(hi); err != nil {
			return PortRange{}, false
		}
	}
	return PortRange{uint16(a), uint16(b)}, true
}

// Endpoint is one side of a flow as an NSG sees it: an address, or a
// service-tag source with no address of its own (Internet, GatewayManager,
// AzureLoadBalancer).
type Endpoint struct {
	Addr netip.Addr
	Tag  string // set for sources outside every VNet
}

func (e Endpoint) String() string {
	if e.Tag != "" {
		return e.Tag
	}
	return e.Addr.String()
}

// Flow is what an NSG evaluates.
type Flow struct {
	Src, Dst Endpoint
	Protocol string // Tcp or Udp
	Port     uint16
}

// Eval returns the first rule of the given direction that matches f. vnet
// is the address-space view that defines the VirtualNetwork tag for this
// NSG's VNet (its own space plus peered VNets', azure-rules.md §2.3).
func (n *NSG) Eval(f Flow, inbound bool, vnetTag func(netip.Addr) bool) Rule {
	for _, r := range n.Rules {
		if r.Inbound != inbound {
			continue
		}
		if !protoMatch(r.Protocol, f.Protocol) || !portMatch(r.DestPorts, f.Port) {
			continue
		}
		if matchAny(r.Sources, f.Src, vnetTag) && matchAny(r.Dests, f.Dst, vnetTag) {
			return r
		}
	}
	return Rule{Name: "(no rule)", Allow: false}
}

func protoMatch(rule, p string) bool {
	return rule == "*" || rule == "" || strings.EqualFold(rule, p)
}

func portMatch(ranges []PortRange, p uint16) bool {
	for _, r := range ranges {
		if p >= r.First && p <= r.Last {
			return true
		}
	}
	return false
}

func matchAny(prefixes []string, e Endpoint, vnetTag func(netip.Addr) bool) bool {
	for _, s := range prefixes {
		if matchOne(s, e, vnetTag) {
			return true
		}
	}
	return false
}

func matchOne(s string, e Endpoint, vnetTag func(netip.Addr) bool) bool {
	switch strings.ToLower(s) {
	case "*", "any", "0.0.0.0/0":
		return true
	case "virtualnetwork":
		return e.Tag == "" && e.Addr.IsValid() && vnetTag(e.Addr)
	case "internet":
		if e.Tag != "" {
			return strings.EqualFold(e.Tag, "Internet")
		}
		return e.Addr.IsValid() && !e.Addr.IsPrivate() && !vnetTag(e.Addr) && e.Addr != AzureDNS
	case "azureloadbalancer":
		return strings.EqualFold(e.Tag, "AzureLoadBalancer") || e.Addr == AzureDNS
	}
	if e.Tag != "" {
		return strings.EqualFold(s, e.Tag)
	}
	if p, ok := prefix(s); ok {
		return p.Contains(e.Addr)
	}
	if a, ok := addr(s); ok {
		return a == e.Addr
	}
	return false
}

// AzureDNS is 168.63.129.16, the Azure DNS virtual server.
var AzureDNS = netip.MustParseAddr("168.63.129.16")

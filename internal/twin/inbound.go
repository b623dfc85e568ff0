package twin

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Inbound exposure: which ports the Internet reaches on a NIC — through a
// public IP of its own or a public load balancer's rules — judged on every
// port the NSGs (or their absence) open, not on a list of well-known ones.

// ScaleSet is a virtual machine scale set written in the template (a
// jumpbox or CI agent pool; AKS node pools are modelled as clusters). Its
// instances share one NIC configuration, modelled as one NIC.
type ScaleSet struct {
	ID   arm.ResourceID
	Name string
	NIC  *NIC
}

// LoadBalancer is an Azure Load Balancer; Public when a frontend has a
// public IP.
type LoadBalancer struct {
	ID     arm.ResourceID
	Name   string
	SKU    string
	Public bool
	Rules  []LBRule
}

// LBRule is a load-balancing or inbound NAT rule: traffic to the frontend
// port goes to the backend port of the NICs in its pool (or the NAT rule's
// NIC).
type LBRule struct {
	Name     string
	NAT      bool
	Protocol string // Tcp, Udp, All
	Frontend uint16
	Backend  uint16
	ruleKey  string // the pool or NAT rule ID, lower case
}

// OpenPort is a range of ports the Internet reaches, and how.
type OpenPort struct {
	Protocol string
	Ports    PortRange
	Via      string // "public IP pip-x", "load balancer lb-x rule r (frontend 443)"
	Trace    ReachResult
}

func (o OpenPort) String() string {
	return fmt.Sprintf("%s %s through %s", strings.ToUpper(o.Protocol), o.Ports, o.Via)
}

func (t *Twin) buildScaleSets(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Compute/virtualMachineScaleSets") {
		ss := &ScaleSet{ID: r.ID, Name: r.Name}
		for _, nc := range list(r.Prop("virtualMachineProfile.networkProfile.networkInterfaceConfigurations")) {
			nic := &NIC{ID: arm.ResourceID(string(r.ID) + "#" + str(get(nc, "name"))), Name: r.Name + " (" + str(get(nc, "name")) + ")", Owner: r.ID}
			nic.NSG, _ = t.Lookup(idRef(get(nc, "properties.networkSecurityGroup"))).(*NSG)
			for _, s := range strs(get(nc, "properties.dnsSettings.dnsServers")) {
				if strings.EqualFold(s, "AzureProvidedDNS") {
					nic.AzureProvided = true
				} else if a, ok := addr(s); ok {
					nic.DNSServers = append(nic.DNSServers, a)
				}
			}
			for _, ic := range list(get(nc, "properties.ipConfigurations")) {
				nic.Subnet, _ = t.Lookup(idRef(get(ic, "properties.subnet"))).(*Subnet)
				if pc := get(ic, "properties.publicIPAddressConfiguration"); pc != nil {
					nic.PublicIP = &PublicIP{ID: nic.ID, Name: str(get(pc, "name")) + " (instance public IPs)", SKU: str(get(pc, "sku.name"))}
				}
				t.lbMembers(nic, ic)
				break
			}
			if nic.Subnet != nil {
				nic.IP, nic.Predicted = nic.Subnet.predictIP(), true
			}
			ss.NIC = nic
			break
		}
		t.ScaleSets = append(t.ScaleSets, ss)
		t.put(r.ID, ss)
	}
}

// Client returns the scale set's instances as a client (nil subnet when
// its NIC configuration is not modelled).
func (s *ScaleSet) Client() Client {
	c := Client{Name: s.Name}
	if s.NIC != nil {
		c.Subnet, c.Addr, c.NIC = s.NIC.Subnet, s.NIC.IP, s.NIC
	}
	return c
}

// lbMembers records the backend pools and inbound NAT rules an IP
// configuration joins.
func (t *Twin) lbMembers(n *NIC, ic any) {
	if t.lbOf == nil {
		t.lbOf = map[*NIC][]string{}
	}
	for _, k := range []string{"properties.loadBalancerBackendAddressPools", "properties.loadBalancerInboundNatRules", "properties.loadBalancerInboundNatPools"} {
		for _, x := range list(get(ic, k)) {
			if id := idRef(x); id != "" {
				t.lbOf[n] = append(t.lbOf[n], id.Key())
			}
		}
	}
}

func (t *Twin) buildLoadBalancers(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/networkInterfaces") {
		if n, ok := t.Lookup(r.ID).(*NIC); ok {
			for _, ic := range list(r.Prop("ipConfigurations")) {
				t.lbMembers(n, ic)
			}
		}
	}
	for _, r := range set.OfType("Microsoft.Network/loadBalancers") {
		lb := &LoadBalancer{ID: r.ID, Name: r.Name, SKU: str(get(r.SKU, "name"))}
		public := map[string]bool{}
		for _, fe := range list(r.Prop("frontendIPConfigurations")) {
			if idRef(get(fe, "properties.publicIPAddress")) != "" {
				lb.Public = true
				public[strings.ToLower(str(get(fe, "name")))] = true
			}
		}
		child := func(kind, name string) string {
			return arm.ResourceID(string(r.ID) + "/" + kind + "/" + name).Key()
		}
		isPublic := func(x any) bool {
			return public[strings.ToLower(lastName(idRef(get(x, "properties.frontendIPConfiguration"))))]
		}
		for _, x := range list(r.Prop("loadBalancingRules")) {
			pool := idRef(get(x, "properties.backendAddressPool"))
			if !isPublic(x) || pool == "" {
				continue
			}
			lb.Rules = append(lb.Rules, LBRule{Name: str(get(x, "name")), Protocol: str(get(x, "properties.protocol")),
				Frontend: port(get(x, "properties.frontendPort")), Backend: port(get(x, "properties.backendPort")), ruleKey: pool.Key()})
		}
		for _, x := range list(r.Prop("inboundNatRules")) {
			if !isPublic(x) {
				continue
			}
			key := child("inboundNatRules", str(get(x, "name")))
			if pool := idRef(get(x, "properties.backendAddressPool")); pool != "" {
				key = pool.Key()
			}
			lb.Rules = append(lb.Rules, LBRule{Name: str(get(x, "name")), NAT: true, Protocol: str(get(x, "properties.protocol")),
				Frontend: port(get(x, "properties.frontendPort")), Backend: port(get(x, "properties.backendPort")), ruleKey: key})
		}
		for _, x := range list(r.Prop("inboundNatPools")) {
			if !isPublic(x) {
				continue
			}
			lb.Rules = append(lb.Rules, LBRule{Name: str(get(x, "name")), NAT: true, Protocol: str(get(x, "properties.protocol")),
				Frontend: port(get(x, "properties.frontendPortRangeStart")), Backend: port(get(x, "properties.backendPort")),
				ruleKey: child("inboundNatPools", str(get(x, "name")))})
		}
		t.LoadBalancers = append(t.LoadBalancers, lb)
		t.put(r.ID, lb)
	}
}

func port(v any) uint16 {
	switch x := v.(type) {
	case float64:
		if x >= 0 && x <= 65535 {
			return uint16(x)
		}
	case int:
		if x >= 0 && x <= 65535 {
			return uint16(x)
		}
	case string:
		if p, ok := parsePorts(x); ok {
			return p.First
		}
	}
	return 0
}

// InternetOpenPorts returns every port range on which Internet traffic
// reaches NIC n: through its own public IP (its subnet's and its own NSG
// decide; with neither, a Basic public IP is open on every port and a
// Standard one on none) and through the rules of public load balancers
// whose pools or NAT rules hold it (the NSGs decide on the backend port;
// a Standard load balancer with no NSG admits nothing).
func (t *Twin) InternetOpenPorts(n *NIC) []OpenPort {
	var out []OpenPort
	if n.PublicIP != nil {
		for _, proto := range []string{"Tcp", "Udp"} {
			out = append(out, t.openSegments(n, proto, "public IP "+n.PublicIP.Name, !strings.EqualFold(n.PublicIP.SKU, "Standard"))...)
		}
	}
	out = append(out, t.dnatOpen(n)...)
	member := map[string]bool{}
	for _, k := range t.lbOf[n] {
		member[k] = true
	}
	for _, lb := range t.LoadBalancers {
		if !lb.Public {
			continue
		}
		for _, r := range lb.Rules {
			if !member[r.ruleKey] || r.Backend == 0 {
				continue
			}
			kind := "rule"
			if r.NAT {
				kind = "inbound NAT rule"
			}
			via := fmt.Sprintf("load balancer %s %s %s (frontend port %d)", lb.Name, kind, r.Name, r.Frontend)
			for _, proto := range []string{"Tcp", "Udp"} {
				if !strings.EqualFold(r.Protocol, proto) && !strings.EqualFold(r.Protocol, "All") {
					continue
				}
				res := t.internetTo(n, proto, r.Backend, "load balancer "+lb.Name, !strings.EqualFold(lb.SKU, "Standard"))
				if res.OK {
					out = append(out, OpenPort{Protocol: proto, Ports: PortRange{r.Backend, r.Backend}, Via: via, Trace: res})
				}
			}
		}
	}
	return out
}

// openSegments tests one port of every segment on which the NSGs' verdict
// is constant (the boundaries of all their rules' port ranges) and returns
// the open ranges.
func (t *Twin) openSegments(n *NIC, proto, via string, openWithoutNSG bool) []OpenPort {
	cuts := map[int]bool{1: true} // port 0 is no port
	for _, g := range []*NSG{n.NSG, subnetNSG(n)} {
		if g == nil {
			continue
		}
		for _, r := range g.Rules {
			for _, p := range r.DestPorts {
				cuts[int(p.First)] = true
				cuts[int(p.Last)+1] = true
			}
		}
	}
	var starts []int
	for c := range cuts {
		if c >= 1 && c <= 65535 {
			starts = append(starts, c)
		}
	}
	sort.Ints(starts)
	var out []OpenPort
	for i, s := range starts {
		end := 65535
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		res := t.internetTo(n, proto, uint16(s), via, openWithoutNSG)
		if !res.OK {
			continue
		}
		if k := len(out) - 1; k >= 0 && int(out[k].Ports.Last)+1 == s {
			out[k].Ports.Last = uint16(end)
			continue
		}
		out = append(out, OpenPort{Protocol: proto, Ports: PortRange{uint16(s), uint16(end)}, Via: via, Trace: res})
	}
	return out
}

func subnetNSG(n *NIC) *NSG {
	if n.Subnet == nil {
		return nil
	}
	return n.Subnet.NSG
}

// internetTo evaluates an Internet packet to n on proto/port arriving
// through via.
func (t *Twin) internetTo(n *NIC, proto string, p uint16, via string, openWithoutNSG bool) ReachResult {
	res := ReachResult{OK: true}
	res.hop(n.Name, "inbound", via)
	if n.Subnet == nil {
		return res.fail(n.Name + " is in no subnet of the model")
	}
	if n.Subnet.NSG == nil && n.NSG == nil {
		if !openWithoutNSG {
			res.hop(via, "deny", "Standard SKU: closed to inbound traffic unless an NSG allows it")
			return res.fail(via + " (Standard) with no NSG admits nothing")
		}
		res.hop("subnet "+n.Subnet.Name, "allow", "no NSG on the subnet or the NIC, and "+via+" is Basic (or of unknown SKU): open")
		return res
	}
	f := Flow{Src: Endpoint{Tag: "Internet"}, Dst: Endpoint{Addr: n.IP}, Protocol: proto, Port: p}
	if !t.nsgAllows(&res, n.Subnet.NSG, "subnet "+n.Subnet.Name, f, true, n.Subnet.VNet) {
		return res
	}
	if n.NSG != nil && !t.nsgAllows(&res, n.NSG, "NIC "+n.Name, f, true, n.Subnet.VNet) {
		return res
	}
	return res
}

// DNATRule is an Azure Firewall destination-NAT rule: Internet traffic to
// the firewall's public IP on a port is sent to a private address.
type DNATRule struct {
	Firewall  *Firewall
	Name      string
	Protocols []string // TCP, UDP, Any
	Ports     []string // public ports
	To        netip.Addr
	ToPort    uint16
	// FromInternet is set when the sources admit Internet addresses ("*",
	// a public range or an IP group the model does not read).
	FromInternet bool
}

// dnatRules reads the NAT rules of every firewall: its policy's
// FirewallPolicyNatRuleCollection rules, or classic natRuleCollections.
// Translated addresses given through reference() to a NIC resolve to it.
func (t *Twin) dnatRules() []DNATRule {
	if t.dnat != nil {
		return *t.dnat
	}
	var out []DNATRule
	add := func(fw *Firewall, x any, props string) {
		p := get(x, props)
		d := DNATRule{Firewall: fw, Name: str(get(x, "name"))}
		if props == "" {
			p = x
		}
		v := get(p, "translatedAddress")
		if a, ok := addr(str(v)); ok {
			d.To = a
		} else if a, ok := t.refAddr(v); ok {
			d.To = a
		} else {
			return
		}
		d.ToPort = port(get(p, "translatedPort"))
		d.Protocols = append(strs(get(p, "ipProtocols")), strs(get(p, "protocols"))...)
		d.Ports = strs(get(p, "destinationPorts"))
		for _, s := range strs(get(p, "sourceAddresses")) {
			if pf, ok := prefix(s); s == "*" || (ok && !pf.Addr().IsPrivate()) {
				d.FromInternet = true
			} else if a, ok := addr(s); ok && !a.IsPrivate() {
				d.FromInternet = true
			}
		}
		if len(list(get(p, "sourceIpGroups"))) > 0 {
			d.FromInternet = true
		}
		out = append(out, d)
	}
	for _, fw := range t.Firewalls {
		r := t.Set.Get(fw.ID)
		if r == nil {
			continue
		}
		for _, c := range list(r.Prop("natRuleCollections")) {
			for _, x := range list(get(c, "properties.rules")) {
				add(fw, x, "")
			}
		}
		pol := idRef(r.Prop("firewallPolicy"))
		if pol == "" {
			continue
		}
		for _, g := range t.Set.OfType("Microsoft.Network/firewallPolicies/ruleCollectionGroups") {
			if !parentID(g.ID).Equal(pol) {
				continue
			}
			for _, c := range list(g.Prop("ruleCollections")) {
				if !strings.EqualFold(str(get(c, "ruleCollectionType")), "FirewallPolicyNatRuleCollection") {
					continue
				}
				for _, x := range list(get(c, "rules")) {
					add(fw, x, "")
				}
			}
		}
	}
	t.dnat = &out
	return out
}

// dnatOpen returns the ports on which a firewall's DNAT rules bring
// Internet traffic to n. Azure Firewall SNATs DNAT traffic to its own
// private address, so the NSGs of n see the firewall as the source.
func (t *Twin) dnatOpen(n *NIC) []OpenPort {
	var out []OpenPort
	for _, d := range t.dnatRules() {
		if d.To != n.IP || !d.FromInternet || d.ToPort == 0 || n.Subnet == nil {
			continue
		}
		for _, proto := range []string{"Tcp", "Udp"} {
			match := false
			for _, p := range d.Protocols {
				match = match || strings.EqualFold(p, proto) || strings.EqualFold(p, "Any")
			}
			if !match {
				continue
			}
			via := fmt.Sprintf("Azure Firewall %s DNAT rule %s (public port %s)", d.Firewall.Name, d.Name, strings.Join(d.Ports, ","))
			res := ReachResult{OK: true}
			res.hop("firewall "+d.Firewall.Name, "dnat", via+" → "+n.IP.String()+fmt.Sprintf(":%d", d.ToPort))
			f := Flow{Src: Endpoint{Addr: d.Firewall.PrivateIP}, Dst: Endpoint{Addr: n.IP}, Protocol: proto, Port: d.ToPort}
			if !t.nsgAllows(&res, n.Subnet.NSG, "subnet "+n.Subnet.Name, f, true, n.Subnet.VNet) ||
				(n.NSG != nil && !t.nsgAllows(&res, n.NSG, "NIC "+n.Name, f, true, n.Subnet.VNet)) {
				continue
			}
			out = append(out, OpenPort{Protocol: proto, Ports: PortRange{d.ToPort, d.ToPort}, Via: via, Trace: res})
		}
	}
	return out
}

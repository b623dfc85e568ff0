package twin

import (
	"encoding/base64"
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// RouteTable is a route table (UDRs).
type RouteTable struct {
	ID     arm.ResourceID
	Name   string
	Routes []Route
}

// Route is one user-defined route.
type Route struct {
	Name     string
	Prefix   netip.Prefix
	NextHop  string // VirtualAppliance, Internet, None, VnetLocal, VirtualNetworkGateway
	NextAddr netip.Addr
	// nextRaw is nextHopIpAddress as read, for reference() resolution.
	nextRaw any
}

// UnknownNextHop says why the route's appliance address is not known (a
// reference() to a resource no source of the estate declares, or a value
// only a deployment knows); "" when it is known or not given.
func (r Route) UnknownNextHop() string {
	if r.NextAddr.IsValid() || r.nextRaw == nil {
		return ""
	}
	return "route " + r.Name + "'s next hop " + describe(r.nextRaw) + " is not known before deployment (no source of the estate declares what it reads)"
}

func (t *Twin) buildBasics(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/networkSecurityGroups") {
		n := buildNSG(r)
		t.NSGs = append(t.NSGs, n)
		t.put(r.ID, n)
	}
	for _, r := range set.OfType("Microsoft.Network/routeTables") {
		rt := &RouteTable{ID: r.ID, Name: r.Name}
		for _, x := range list(r.Prop("routes")) {
			rt.Routes = append(rt.Routes, parseRoute(str(get(x, "name")), obj(get(x, "properties"))))
		}
		t.RouteTables = append(t.RouteTables, rt)
		t.put(r.ID, rt)
	}
	for _, r := range set.OfType("Microsoft.Network/routeTables/routes") {
		if rt, ok := t.Lookup(parentID(r.ID)).(*RouteTable); ok {
			rt.Routes = append(rt.Routes, parseRoute(lastName(r.ID), r.Properties))
		}
	}
	for _, r := range set.OfType("Microsoft.Network/publicIPAddresses") {
		p := &PublicIP{ID: r.ID, Name: r.Name, SKU: str(get(r.SKU, "name"))}
		t.PublicIPs = append(t.PublicIPs, p)
		t.put(r.ID, p)
	}
	for _, r := range set.OfType("Microsoft.Network/natGateways") {
		g := &NATGateway{ID: r.ID, Name: r.Name}
		for _, x := range list(r.Prop("publicIpAddresses")) {
			g.PublicIPs = append(g.PublicIPs, idRef(x))
		}
		t.NATs = append(t.NATs, g)
		t.put(r.ID, g)
	}
}

func parseRoute(name string, p map[string]any) Route {
	rt := Route{Name: name, NextHop: str(get(p, "nextHopType"))}
	rt.Prefix, _ = prefix(str(get(p, "addressPrefix")))
	rt.NextAddr, _ = addr(str(get(p, "nextHopIpAddress")))
	rt.nextRaw = get(p, "nextHopIpAddress")
	return rt
}

// wireSubnets resolves each subnet's NSG, route table and NAT gateway.
func (t *Twin) wireSubnets() {
	for _, v := range t.VNets {
		for _, s := range v.Subnets {
			s.NSG, _ = t.Lookup(s.nsgID).(*NSG)
			s.RouteTable, _ = t.Lookup(s.rtID).(*RouteTable)
			s.NAT, _ = t.Lookup(s.natID).(*NATGateway)
		}
	}
	t.resolveNSGRefs()
}

// buildNICs reads NICs; static addresses are reserved first so that
// predicted dynamic ones never collide with them.
func (t *Twin) buildNICs(set *arm.Set) {
	var dynamic []*NIC
	for _, r := range set.OfType("Microsoft.Network/networkInterfaces") {
		nic := &NIC{ID: r.ID, Name: r.Name}
		ics := list(r.Prop("ipConfigurations"))
		if len(ics) > 0 {
			ic := ics[0]
			nic.Subnet, _ = t.Lookup(idRef(get(ic, "properties.subnet"))).(*Subnet)
			if p := idRef(get(ic, "properties.publicIPAddress")); p != "" {
				nic.PublicIP, _ = t.Lookup(p).(*PublicIP)
				if nic.PublicIP == nil {
					nic.PublicIP = &PublicIP{ID: p, Name: lastName(p)}
				}
			}
			if a, ok := addr(str(get(ic, "properties.privateIPAddress"))); ok &&
				!strings.EqualFold(str(get(ic, "properties.privateIPAllocationMethod")), "Dynamic") {
				nic.IP = a
				if nic.Subnet != nil {
					nic.Subnet.used[a] = true
				}
			} else {
				dynamic = append(dynamic, nic)
			}
		}
		nic.NSG, _ = t.Lookup(idRef(r.Prop("networkSecurityGroup"))).(*NSG)
		nic.IPForwarding, _ = boolean(r.Prop("enableIPForwarding"))
		for _, s := range strs(r.Prop("dnsSettings.dnsServers")) {
			if strings.EqualFold(s, "AzureProvidedDNS") {
				nic.AzureProvided = true
			} else if a, ok := addr(s); ok {
				nic.DNSServers = append(nic.DNSServers, a)
			}
		}
		t.NICs = append(t.NICs, nic)
		t.put(r.ID, nic)
	}
	for _, nic := range dynamic {
		if nic.Subnet != nil {
			nic.IP, nic.Predicted = nic.Subnet.predictIP(), true
		}
	}
}

func (t *Twin) buildVMs(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Compute/virtualMachines") {
		vm := &VM{ID: r.ID, Name: r.Name}
		for _, x := range list(r.Prop("networkProfile.networkInterfaces")) {
			if nic, ok := t.Lookup(idRef(x)).(*NIC); ok {
				nic.Owner = r.ID
				vm.NICs = append(vm.NICs, nic)
			}
		}
		if cd := str(r.Prop("osProfile.customData")); cd != "" {
			if b, err := base64.StdEncoding.DecodeString(cd); err == nil {
				vm.CustomData = b
			}
		}
		idType := strings.ToLower(str(get(r.Identity, "type")))
		vm.SystemIdentity = strings.Contains(idType, "systemassigned")
		for k := range obj(get(r.Identity, "userAssignedIdentities")) {
			vm.UserIdentities = append(vm.UserIdentities, arm.ResourceID(k))
		}
		vm.Windows = r.Prop("osProfile.windowsConfiguration") != nil && r.Prop("osProfile.linuxConfiguration") == nil
		if !vm.Windows {
			// Linux: password login unless disabled explicitly.
			disable, ok := boolean(r.Prop("osProfile.linuxConfiguration.disablePasswordAuthentication"))
			vm.PasswordAuth = !ok || !disable
		}
		for _, d := range r.DependsOn {
			vm.DependsOn = append(vm.DependsOn, arm.ResourceID(d))
		}
		t.VMs = append(t.VMs, vm)
		t.put(r.ID, vm)
	}
}

func (t *Twin) buildGateways(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/applicationGateways") {
		g := &AppGateway{ID: r.ID, Name: r.Name, SKU: str(r.Prop("sku.name")), Listeners: map[string][]uint16{}}
		g.WAF = strings.HasPrefix(strings.ToUpper(g.SKU), "WAF") || idRef(r.Prop("firewallPolicy")) != ""
		for _, ic := range list(r.Prop("gatewayIPConfigurations")) {
			g.Subnet, _ = t.Lookup(idRef(get(ic, "properties.subnet"))).(*Subnet)
		}
		kind := map[string]string{}
		for _, fe := range list(r.Prop("frontendIPConfigurations")) {
			name := strings.ToLower(str(get(fe, "name")))
			if p := idRef(get(fe, "properties.publicIPAddress")); p != "" {
				g.PublicIP, _ = t.Lookup(p).(*PublicIP)
				if g.PublicIP == nil {
					// A public IP from another template or group.
					g.PublicIP = &PublicIP{ID: p, Name: lastName(p)}
				}
				kind[name] = "public"
			} else if a, ok := addr(str(get(fe, "properties.privateIPAddress"))); ok {
				g.PrivateIP = a
				kind[name] = "private"
				if g.Subnet != nil {
					g.Subnet.used[a] = true
				}
			}
		}
		ports := map[string]uint16{}
		for _, fp := range list(r.Prop("frontendPorts")) {
			n, _ := toInt(get(fp, "properties.port"))
			ports[strings.ToLower(str(get(fp, "name")))] = uint16(n)
		}
		for _, l := range list(r.Prop("httpListeners")) {
			fe := strings.ToLower(lastName(idRef(get(l, "properties.frontendIPConfiguration"))))
			port := ports[strings.ToLower(lastName(idRef(get(l, "properties.frontendPort"))))]
			if k := kind[fe]; k != "" && !containsPort(g.Listeners[k], port) {
				g.Listeners[k] = append(g.Listeners[k], port)
			}
		}
		t.readListeners(g, r, kind, ports)
		t.Gateways = append(t.Gateways, g)
		t.put(r.ID, g)
	}
	for _, r := range set.OfType("Microsoft.Network/bastionHosts") {
		b := &Bastion{ID: r.ID, Name: r.Name, SKU: str(get(r.SKU, "name"))}
		for _, ic := range list(r.Prop("ipConfigurations")) {
			b.Subnet, _ = t.Lookup(idRef(get(ic, "properties.subnet"))).(*Subnet)
		}
		t.Bastions = append(t.Bastions, b)
		t.put(r.ID, b)
	}
}

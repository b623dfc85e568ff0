package twin

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

// Model elements the aks-baseline-regulated estate (testdata/arm/README.md
// M3 / F2) exercised, each with a single fault that must change the
// answer and a benign change that must not.

const fixRG = "/subscriptions/s/resourceGroups/rg/providers/"

// fixSet is a hub (firewall subnet 10.0.0.0/26, Bastion 10.0.1.0/26) and a
// spoke 10.1.0.0/16 whose jumpbox subnet's NSG admits SSH from the Bastion
// subnet written as reference() to its addressPrefix, a scale set in that
// subnet, and a classic firewall with proxy on and ipConfigs as given.
func fixSet(ipConfigs []any, sshFrom any) *arm.Set {
	set := &arm.Set{Scope: arm.Scope{Subscription: "s", ResourceGroup: "rg"}}
	add := func(typ, name string, props map[string]any) {
		id := fixRG + typ + "/" + name
		if parent, child, ok := strings.Cut(name, "/"); ok { // a child: type/parent/childType/child
			ns, childType, _ := strings.Cut(typ[len("Microsoft.Network/"):], "/")
			id = fixRG + "Microsoft.Network/" + ns + "/" + parent + "/" + childType + "/" + child
		}
		set.Add(&arm.Resource{ID: arm.ResourceID(id), Type: typ, Name: name, Properties: props})
	}
	subnet := func(name, p string, extra map[string]any) map[string]any {
		props := map[string]any{"addressPrefix": p}
		for k, v := range extra {
			props[k] = v
		}
		return map[string]any{"name": name, "properties": props}
	}
	ref := func(typ, name string) map[string]any { return map[string]any{"id": fixRG + typ + "/" + name} }
	add("Microsoft.Network/virtualNetworks", "hub", map[string]any{"addressSpace": map[string]any{"addressPrefixes": []any{"10.0.0.0/16"}},
		"subnets": []any{subnet("AzureFirewallSubnet", "10.0.0.0/26", nil), subnet("AzureBastionSubnet", "10.0.1.0/26", nil)}})
	add("Microsoft.Network/virtualNetworks", "spoke", map[string]any{"addressSpace": map[string]any{"addressPrefixes": []any{"10.1.0.0/16"}},
		"dhcpOptions": map[string]any{"dnsServers": []any{"10.0.0.4"}},
		"subnets":     []any{subnet("ops", "10.1.1.0/28", map[string]any{"networkSecurityGroup": ref("Microsoft.Network/networkSecurityGroups", "nsg-ops")})}})
	for _, p := range [][3]string{{"hub", "to-spoke", "spoke"}, {"spoke", "to-hub", "hub"}} {
		add("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", p[0]+"/"+p[1], map[string]any{
			"remoteVirtualNetwork": ref("Microsoft.Network/virtualNetworks", p[2]), "allowVirtualNetworkAccess": true})
	}
	add("Microsoft.Network/networkSecurityGroups", "nsg-ops", map[string]any{"securityRules": []any{
		map[string]any{"name": "AllowSshFromBastion", "properties": map[string]any{"priority": 100, "direction": "Inbound", "access": "Allow",
			"protocol": "Tcp", "sourceAddressPrefix": sshFrom, "destinationAddressPrefix": "*", "destinationPortRange": "22"}},
		map[string]any{"name": "DenyAllInBound", "properties": map[string]any{"priority": 1000, "direction": "Inbound", "access": "Deny",
			"protocol": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}}})
	add("Microsoft.Network/azureFirewalls", "fw", map[string]any{"additionalProperties": map[string]any{"Network.DNS.EnableProxy": "true"},
		"ipConfigurations": ipConfigs})
	add("Microsoft.Compute/virtualMachineScaleSets", "vmss-jump", map[string]any{"virtualMachineProfile": map[string]any{
		"networkProfile": map[string]any{"networkInterfaceConfigurations": []any{map[string]any{"name": "nic", "properties": map[string]any{
			"ipConfigurations": []any{map[string]any{"name": "ip", "properties": map[string]any{
				"subnet": map[string]any{"id": fixRG + "Microsoft.Network/virtualNetworks/spoke/subnets/ops"}}}}}}}}}})
	return set
}

var (
	fwSubnetConfig = map[string]any{"name": "default", "properties": map[string]any{
		"subnet": map[string]any{"id": fixRG + "Microsoft.Network/virtualNetworks/hub/subnets/AzureFirewallSubnet"}}}
	pipOnlyConfig = map[string]any{"name": "pip-01", "properties": map[string]any{
		"publicIPAddress": map[string]any{"id": fixRG + "Microsoft.Network/publicIPAddresses/pip-01"}}}
	bastionPrefix = arm.Unknown{Expr: "reference(variables('hubBastionSubnetResourceId'), '2020-05-01').addressPrefix",
		Ref: arm.ResourceID(fixRG + "Microsoft.Network/virtualNetworks/hub/subnets/AzureBastionSubnet"), Path: "addressPrefix"}
)

// A firewall with several public IPs lists the subnet on its first IP
// configuration only; the ones after it must not take the subnet (and the
// DNS proxy with it) away.
func TestFirewallSubnetFromItsIPConfiguration(t *testing.T) {
	for name, c := range map[string]struct {
		configs []any
		proxy   bool
	}{
		"one configuration":                   {[]any{fwSubnetConfig}, true},
		"public-IP-only configurations after": {[]any{fwSubnetConfig, pipOnlyConfig, pipOnlyConfig}, true},
		"public-IP-only configuration first":  {[]any{pipOnlyConfig, fwSubnetConfig}, true},
		"no configuration names the subnet":   {[]any{pipOnlyConfig}, false},
	} {
		t.Run(name, func(t *testing.T) {
			tw := Build(fixSet(c.configs, "10.0.1.0/26"))
			if len(tw.Firewalls) != 1 {
				t.Fatalf("%d firewalls", len(tw.Firewalls))
			}
			fw := tw.Firewalls[0]
			s := tw.Servers["10.0.0.4"]
			if got := s != nil && s.Kind == ServerFirewall; got != c.proxy {
				t.Errorf("firewall %s subnet %v: DNS proxy at 10.0.0.4 %v (%v), want %v", fw.PrivateIP, fw.Subnet != nil, got, s, c.proxy)
			}
		})
	}
}

// An NSG rule's prefix read through reference() from a subnet of the
// model is that subnet's range; one the model cannot read matches nothing
// and is named. A scale set's instances are a destination.
func TestNSGPrefixThroughReference(t *testing.T) {
	jump := func(tw *Twin) netip.Addr {
		if len(tw.ScaleSets) != 1 || tw.ScaleSets[0].NIC == nil {
			t.Fatalf("scale sets %v", tw.ScaleSets)
		}
		return tw.ScaleSets[0].NIC.IP
	}
	bastion := func(tw *Twin) Client {
		for _, v := range tw.VNets {
			for _, s := range v.Subnets {
				if s.Name == "AzureBastionSubnet" {
					return Client{Name: "bastion", Subnet: s, Addr: netip.MustParseAddr("10.0.1.4")}
				}
			}
		}
		t.Fatal("no Bastion subnet")
		return Client{}
	}
	for name, c := range map[string]struct {
		from any
		ok   bool
		why  string
	}{
		"reference() to the Bastion subnet": {bastionPrefix, true, ""},
		"the same prefix written literally": {"10.0.1.0/26", true, ""},
		"reference() to a subnet no source holds": {arm.Unknown{Expr: "reference('x').addressPrefix",
			Ref: arm.ResourceID(fixRG + "Microsoft.Network/virtualNetworks/other/subnets/AzureBastionSubnet"), Path: "addressPrefix"}, false, "DenyAllInBound"},
		"another subnet's prefix": {"10.0.2.0/26", false, "DenyAllInBound"},
	} {
		t.Run(name, func(t *testing.T) {
			tw := Build(fixSet([]any{fwSubnetConfig}, c.from))
			res := tw.Reach(bastion(tw), jump(tw), "Tcp", 22)
			if res.OK != c.ok || !strings.Contains(res.Why, c.why) {
				t.Errorf("bastion → scale set :22: ok %v (%s), want %v with %q", res.OK, res.Why, c.ok, c.why)
			}
		})
	}
	tw := Build(fixSet([]any{fwSubnetConfig}, arm.Unknown{Expr: "reference('x').addressPrefix"}))
	var rule Rule
	for _, n := range tw.NSGs {
		rule = n.Rules[0]
	}
	if !strings.Contains(rule.String(), "(unknown [reference('x').addressPrefix])") {
		t.Errorf("an unread prefix is not named: %s", rule)
	}
}

// An A record whose address only a deployment knows (the AKS Landing Zone
// Accelerator writes the vault's record from reference() of its endpoint's
// NIC) leaves the answer undecided, not "invalid IP"; a known record alone
// answers.
func TestRecordAddressKnownOnlyAtDeployment(t *testing.T) {
	build := func(values ...any) *Twin {
		set := fixSet([]any{fwSubnetConfig}, "10.0.1.0/26")
		zone := fixRG + "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"
		set.Add(&arm.Resource{ID: arm.ResourceID(zone), Type: "Microsoft.Network/privateDnsZones", Name: "privatelink.vaultcore.azure.net"})
		set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/virtualNetworkLinks/hub"), Type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
			Name: "privatelink.vaultcore.azure.net/hub", Properties: map[string]any{"virtualNetwork": map[string]any{"id": fixRG + "Microsoft.Network/virtualNetworks/hub"}}})
		var recs []any
		for _, v := range values {
			recs = append(recs, map[string]any{"ipv4Address": v})
		}
		set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/A/kv"), Type: "Microsoft.Network/privateDnsZones/A", Name: "privatelink.vaultcore.azure.net/kv",
			Properties: map[string]any{"aRecords": recs}})
		return Build(set)
	}
	client := func(tw *Twin) Client {
		for _, v := range tw.VNets {
			for _, s := range v.Subnets {
				if s.Name == "AzureBastionSubnet" {
					return Client{Name: "c", Subnet: s, Addr: netip.MustParseAddr("10.0.1.10")}
				}
			}
		}
		t.Fatal("no subnet")
		return Client{}
	}
	nic := arm.Unknown{Expr: "reference(parameters('nic'), '2020-05-01', 'Full').properties.ipConfigurations[0].properties.privateIPAddress"}
	tw := build("10.1.2.4")
	if res := tw.Resolve(client(tw), "kv.privatelink.vaultcore.azure.net"); !res.OK() || res.Addrs[0].String() != "10.1.2.4" {
		t.Errorf("known record: %+v", res)
	}
	for name, values := range map[string][]any{"unknown alone": {nic}, "unknown beside a known one": {"10.1.2.4", nic}} {
		tw := build(values...)
		res := tw.Resolve(client(tw), "kv.privatelink.vaultcore.azure.net")
		if !res.Outside || !strings.Contains(res.Err, "only known at deployment time: [reference(parameters('nic')") {
			t.Errorf("%s: %+v, want undecided naming the expression", name, res)
		}
	}
}

// A VNet whose whole dnsServers list is an expression only a deployment
// knows uses custom DNS servers the model cannot name: not Azure DNS.
func TestDNSServersListUnknown(t *testing.T) {
	set := fixSet([]any{fwSubnetConfig}, "10.0.1.0/26")
	for _, r := range set.OfType("Microsoft.Network/virtualNetworks") {
		if r.Name == "spoke" {
			r.Properties["dhcpOptions"] = map[string]any{"dnsServers": arm.Unknown{Expr: "parameters('servers')"}}
		}
	}
	tw := Build(set)
	for _, v := range tw.VNets {
		if v.Name == "spoke" && (len(v.DNSServers) != 0 || len(v.DNSUnknown) != 1 || v.DNSUnknown[0] != "[parameters('servers')]") {
			t.Errorf("spoke DNS %v, unknown %v: want one unknown entry", v.DNSServers, v.DNSUnknown)
		}
	}
}

// An A record whose address is reference() of a private endpoint's NIC
// (reference(reference(pe).networkInterfaces[0].id).ipConfigurations[0]…)
// holds that endpoint's address; of a NIC the model cannot name it stays
// undecided.
func TestRecordAddressOfEndpointNIC(t *testing.T) {
	pe := fixRG + "Microsoft.Network/privateEndpoints/pe-kv"
	for name, c := range map[string]struct {
		path string
		ok   bool
	}{
		"the endpoint's NIC":         {"networkInterfaces.0.id/ipConfigurations.0.properties.privateIPAddress", true},
		"a property of the endpoint": {"customDnsConfigs.0.ipAddresses.0", false},
	} {
		t.Run(name, func(t *testing.T) {
			set := fixSet([]any{fwSubnetConfig}, "10.0.1.0/26")
			set.Add(&arm.Resource{ID: arm.ResourceID(pe), Type: "Microsoft.Network/privateEndpoints", Name: "pe-kv", Properties: map[string]any{
				"subnet":                        map[string]any{"id": fixRG + "Microsoft.Network/virtualNetworks/hub/subnets/AzureBastionSubnet"},
				"privateLinkServiceConnections": []any{map[string]any{"name": "c", "properties": map[string]any{"groupIds": []any{"vault"}, "privateLinkServiceId": fixRG + "Microsoft.KeyVault/vaults/kv"}}}}})
			zone := fixRG + "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"
			set.Add(&arm.Resource{ID: arm.ResourceID(zone), Type: "Microsoft.Network/privateDnsZones", Name: "privatelink.vaultcore.azure.net"})
			set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/virtualNetworkLinks/hub"), Type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
				Name: "privatelink.vaultcore.azure.net/hub", Properties: map[string]any{"virtualNetwork": map[string]any{"id": fixRG + "Microsoft.Network/virtualNetworks/hub"}}})
			set.Add(&arm.Resource{ID: arm.ResourceID(zone + "/A/kv"), Type: "Microsoft.Network/privateDnsZones/A", Name: "privatelink.vaultcore.azure.net/kv",
				Properties: map[string]any{"aRecords": []any{map[string]any{"ipv4Address": arm.Unknown{Expr: "reference(…)", Ref: arm.ResourceID(pe), Path: c.path}}}}})
			tw := Build(set)
			var peIP netip.Addr
			for _, e := range tw.Endpoints {
				if e.Name == "pe-kv" && len(e.NICs) > 0 {
					peIP = e.NICs[0].IP
				}
			}
			sn, _ := tw.Lookup(arm.ResourceID(fixRG + "Microsoft.Network/virtualNetworks/hub/subnets/AzureBastionSubnet")).(*Subnet)
			res := tw.Resolve(Client{Name: "c", Subnet: sn, Addr: netip.MustParseAddr("10.0.1.20")}, "kv.privatelink.vaultcore.azure.net")
			if c.ok && (!res.OK() || !peIP.IsValid() || res.Addrs[0] != peIP) {
				t.Errorf("%+v, want the endpoint's %s", res, peIP)
			}
			if !c.ok && !res.Outside {
				t.Errorf("%+v, want undecided", res)
			}
		})
	}
}

// A dependsOn on a nested deployment covers what it deploys, and what its
// own nested deployments deploy; nothing else.
func TestDeployedBeforeThroughDeployments(t *testing.T) {
	id := func(n string) arm.ResourceID {
		return arm.ResourceID(fixRG + "Microsoft.Authorization/roleAssignments/" + n)
	}
	dep := func(n string) arm.ResourceID { return arm.ResourceID(fixRG + "Microsoft.Resources/deployments/" + n) }
	set := &arm.Set{DeployedBy: map[string]arm.ResourceID{id("ra1").Key(): dep("rbac"), dep("inner").Key(): dep("rbac"), id("ra2").Key(): dep("inner")}}
	for _, r := range []arm.ResourceID{id("ra1"), id("ra2"), id("ra3"), dep("rbac"), dep("inner")} {
		set.Add(&arm.Resource{ID: r, Type: "x", Name: lastName(r)})
	}
	cl := arm.ResourceID(fixRG + "Microsoft.ContainerService/managedClusters/aks")
	set.Add(&arm.Resource{ID: cl, Type: "Microsoft.ContainerService/managedClusters", Name: "aks", DependsOn: []string{string(dep("rbac"))}})
	before := Build(set).DeployedBefore(cl)
	for _, r := range []arm.ResourceID{id("ra1"), id("ra2"), dep("inner")} {
		if !before[r.Key()] {
			t.Errorf("%s not deployed before the cluster", lastName(r))
		}
	}
	if before[id("ra3").Key()] {
		t.Errorf("ra3, outside the deployment, counted as before the cluster")
	}
}

// A resource a nested deployment deploys comes after what that deployment
// depends on, and what every deployment around it depends on: a cluster in
// a spoke's deployment nested in a group deployment that depends on the
// hub's deployment comes after the hub's zone link (and what the link
// depends on), not after resources no deployment around it waits for.
func TestDeployedBeforeThroughEnclosingDeployments(t *testing.T) {
	res := func(n string) arm.ResourceID {
		return arm.ResourceID(fixRG + "Microsoft.Network/privateDnsZones/z/virtualNetworkLinks/" + n)
	}
	dep := func(n string) arm.ResourceID { return arm.ResourceID(fixRG + "Microsoft.Resources/deployments/" + n) }
	cl := arm.ResourceID(fixRG + "Microsoft.ContainerService/managedClusters/aks")
	set := &arm.Set{DeployedBy: map[string]arm.ResourceID{
		res("hub-link").Key(): dep("hub"), res("zone").Key(): dep("hub"),
		dep("spoke").Key(): dep("group"), cl.Key(): dep("spoke"), res("sibling").Key(): dep("spoke"),
		res("other").Key(): dep("unrelated"),
	}}
	set.Add(&arm.Resource{ID: res("zone"), Type: "x", Name: "zone"})
	set.Add(&arm.Resource{ID: res("hub-link"), Type: "x", Name: "hub-link", DependsOn: []string{string(res("zone"))}})
	set.Add(&arm.Resource{ID: dep("hub"), Type: "Microsoft.Resources/deployments", Name: "hub"})
	set.Add(&arm.Resource{ID: dep("group"), Type: "Microsoft.Resources/deployments", Name: "group", DependsOn: []string{string(dep("hub"))}})
	set.Add(&arm.Resource{ID: dep("spoke"), Type: "Microsoft.Resources/deployments", Name: "spoke"})
	set.Add(&arm.Resource{ID: res("sibling"), Type: "x", Name: "sibling"})
	set.Add(&arm.Resource{ID: dep("unrelated"), Type: "Microsoft.Resources/deployments", Name: "unrelated"})
	set.Add(&arm.Resource{ID: res("other"), Type: "x", Name: "other"})
	set.Add(&arm.Resource{ID: cl, Type: "Microsoft.ContainerService/managedClusters", Name: "aks"})
	before := Build(set).DeployedBefore(cl)
	for _, r := range []arm.ResourceID{dep("hub"), res("hub-link"), res("zone")} {
		if !before[r.Key()] {
			t.Errorf("%s not deployed before the cluster", lastName(r))
		}
	}
	for _, r := range []arm.ResourceID{res("sibling"), res("other"), dep("spoke"), dep("group"), dep("unrelated")} {
		if before[r.Key()] {
			t.Errorf("%s counted as deployed before the cluster", lastName(r))
		}
	}
}

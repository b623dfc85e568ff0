package verify_test

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/cloudinit"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// BenchmarkReferenceDesign is the whole offline pipeline on the embedded
// reference design: compile, evaluate, build the twin, derive and check
// every intent.
func BenchmarkReferenceDesign(b *testing.B) {
	d, _, err := spec.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var intents int
	for b.Loop() {
		tmpl, err := compile.Compile(d)
		if err != nil {
			b.Fatal(err)
		}
		set, err := armeval.Evaluate(tmpl)
		if err != nil {
			b.Fatal(err)
		}
		tw := twin.Build(set)
		intents = len(verify.Run(tw, verify.Derive(tw)))
	}
	b.ReportMetric(float64(intents), "intents")
}

// The generated estate: one hub with a BIND forwarder, 200 spokes peered
// both ways and using the forwarder, 50 privatelink-style zones linked to
// the hub, 1,000 private endpoints with zone groups (Key Vaults,
// registries, storage accounts; five per spoke), 5 private AKS clusters.
const (
	estateSpokes    = 200
	estateZones     = 50
	estateEndpoints = 1000
	estateClusters  = 5
)

// BenchmarkEstate measures the pipeline stages on the generated estate
// separately (evaluate the template, build the twin, derive the intents,
// run them) and end to end (evaluate → build → derive → run).
func BenchmarkEstate(b *testing.B) {
	tmpl := Estate(b, estateSpokes, estateZones, estateEndpoints, estateClusters)
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		b.Fatal(err)
	}
	tw := twin.Build(set)
	intents := verify.Derive(tw)
	b.Logf("estate: %d template resources, %d VNets, %d zones, %d private endpoints, %d clusters, %d intents",
		len(tmpl.Resources), len(tw.VNets), len(tw.Zones), len(tw.Endpoints), len(tw.Clusters), len(intents))

	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := armeval.Evaluate(tmpl); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			twin.Build(set)
		}
	})
	b.Run("derive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			verify.Derive(tw)
		}
	})
	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		var rs []verify.Result
		for b.Loop() {
			rs = verify.Run(tw, intents)
		}
		b.ReportMetric(float64(len(rs)), "intents")
		b.ReportMetric(float64(verify.Failed(rs)), "failed")
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		var rs []verify.Result
		for b.Loop() {
			set, err := armeval.Evaluate(tmpl)
			if err != nil {
				b.Fatal(err)
			}
			tw := twin.Build(set)
			rs = verify.Run(tw, verify.Derive(tw))
		}
		b.ReportMetric(float64(len(rs)), "intents")
	})
}

// TestEstateShape keeps the generator honest: the estate has the size the
// benchmark claims, spokes resolve a Key Vault in their own spoke privately
// through the hub forwarder, and a full verification finishes.
func TestEstateShape(t *testing.T) {
	start := time.Now()
	tmpl := Estate(t, estateSpokes, estateZones, estateEndpoints, estateClusters)
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	tw := twin.Build(set)
	if got := len(tw.VNets); got != estateSpokes+1 {
		t.Errorf("%d VNets, want %d", got, estateSpokes+1)
	}
	if got := len(tw.Zones); got != estateZones {
		t.Errorf("%d zones, want %d", got, estateZones)
	}
	explicit := 0
	for _, pe := range tw.Endpoints {
		if !pe.Implicit {
			explicit++
		}
	}
	if explicit != estateEndpoints {
		t.Errorf("%d private endpoints, want %d", explicit, estateEndpoints)
	}
	if got := len(tw.Clusters); got != estateClusters {
		t.Errorf("%d clusters, want %d", got, estateClusters)
	}
	fwd := tw.Servers["10.0.0.4"]
	if fwd == nil || fwd.Kind != twin.ServerBIND {
		t.Fatalf("no BIND forwarder at 10.0.0.4: %v", fwd)
	}
	// A client in the app subnet of the spoke holding the first vault's
	// endpoint resolves the vault privately through the hub forwarder.
	var vault *twin.Vault
	for _, v := range tw.Vaults {
		if len(v.Endpoints) > 0 && v.Endpoints[0].Subnet != nil {
			vault = v
			break
		}
	}
	if vault == nil {
		t.Fatal("no vault with an endpoint")
	}
	var sub *twin.Subnet
	for _, s := range vault.Endpoints[0].Subnet.VNet.Subnets {
		if s.Name == "snet-app" {
			sub = s
		}
	}
	if sub == nil {
		t.Fatalf("no snet-app in %s", vault.Endpoints[0].Subnet.VNet.Name)
	}
	c := twin.Client{Name: "app in " + sub.VNet.Name, Subnet: sub, Addr: sub.Prefix.Addr().Next().Next().Next().Next().Next()}
	res := tw.Resolve(c, vault.FQDN)
	if !res.OK() || res.Public || res.Addrs[0] != vault.Endpoints[0].NICs[0].IP {
		t.Errorf("%s from %s: %+v, want %s privately", vault.FQDN, sub.VNet.Name, res, vault.Endpoints[0].NICs[0].IP)
	}
	rs := verify.Run(tw, verify.Derive(tw))
	t.Logf("estate: %d resources, %d intents (%d fail: spokes are not peered with each other) in %v",
		len(set.Resources), len(rs), verify.Failed(rs), time.Since(start).Round(time.Millisecond))
}

func spokeName(i int) string { return fmt.Sprintf("vnet-spoke-%03d", i) }

// rid is a resourceId() expression in the template's resource group.
func rid(typ string, names ...string) string {
	s := "[resourceId('" + typ + "'"
	for _, n := range names {
		s += ", '" + n + "'"
	}
	return s + ")]"
}

func idOf(typ string, names ...string) map[string]any {
	return map[string]any{"id": rid(typ, names...)}
}

const (
	estateRegion  = "canadacentral"
	tVNetB        = "Microsoft.Network/virtualNetworks"
	tSubnetB      = "Microsoft.Network/virtualNetworks/subnets"
	tZoneB        = "Microsoft.Network/privateDnsZones"
	apiNet        = "2025-07-01"
	apiDNS        = "2024-06-01"
	forwarderAddr = "10.0.0.4"
)

// Estate generates an ARM template of a hub-and-spoke landing zone with
// the given numbers of spokes, private DNS zones (at least 4), private
// endpoints (spread evenly over the spokes: 40 % Key Vaults, 30 %
// registries, 30 % storage accounts) and private AKS clusters (one per
// spoke, from spoke 0, sharing the custom zone privatelink.<region>.azmk8s.io).
func Estate(tb testing.TB, spokes, zones, endpoints, clusters int) *arm.Template {
	tb.Helper()
	var rs []arm.Resource
	add := func(r arm.Resource) { rs = append(rs, r) }
	zoneVault, zoneACR, zoneBlob, zoneAKS := "privatelink.vaultcore.azure.net", "privatelink.azurecr.io",
		"privatelink.blob.core.windows.net", "privatelink."+estateRegion+".azmk8s.io"
	zoneNames := []string{zoneVault, zoneACR, zoneBlob, zoneAKS}
	for i := len(zoneNames); i < zones; i++ {
		zoneNames = append(zoneNames, fmt.Sprintf("privatelink.svc%02d.contoso.net", i))
	}

	// The forwarder: every zone and the public zones that CNAME into the
	// service zones go to Azure DNS, like compile's forwarder.
	azure := []netip.Addr{bind.AzureDNS}
	cfg := bind.Config{
		Directory: "/var/cache/bind", ListenOn: []netip.Addr{netip.MustParseAddr(forwarderAddr)},
		Allow:      []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		Forwarders: azure, ForwardOnly: true, MaxNCacheTTL: 10 * time.Second, DNSSECValidation: bind.DNSSECNo,
	}
	for _, z := range append([]string{"vault.azure.net", "vaultcore.azure.net", "azurecr.io", estateRegion + ".data.azurecr.io",
		"blob.core.windows.net", estateRegion + ".azmk8s.io"}, zoneNames...) {
		cfg.Zones = append(cfg.Zones, bind.ForwardZone{Name: z, Forwarders: azure})
	}
	doc, err := cloudinit.DNSForwarder(cfg)
	if err != nil {
		tb.Fatal(err)
	}

	subnet := func(name, prefix string) map[string]any {
		return map[string]any{"name": name, "properties": map[string]any{"addressPrefix": prefix, "defaultOutboundAccess": false}}
	}
	add(arm.Resource{Type: tVNetB, APIVersion: apiNet, Name: "vnet-hub", Location: estateRegion, Properties: map[string]any{
		"addressSpace": map[string]any{"addressPrefixes": []any{"10.0.0.0/16"}},
		"dhcpOptions":  map[string]any{"dnsServers": []any{forwarderAddr}},
		"subnets":      []any{subnet("snet-dns", "10.0.0.0/27"), subnet("snet-agents", "10.0.0.32/27")},
	}})
	vm := func(name, sub, ip string, customData []byte) {
		ic := map[string]any{"subnet": idOf(tSubnetB, "vnet-hub", sub), "privateIPAllocationMethod": "Dynamic"}
		nic := map[string]any{}
		if ip != "" {
			ic["privateIPAllocationMethod"], ic["privateIPAddress"] = "Static", ip
			nic["dnsSettings"] = map[string]any{"dnsServers": []any{"AzureProvidedDNS"}}
		}
		nic["ipConfigurations"] = []any{map[string]any{"name": "ipconfig1", "properties": ic}}
		add(arm.Resource{Type: "Microsoft.Network/networkInterfaces", APIVersion: apiNet, Name: "nic-" + name, Location: estateRegion, Properties: nic})
		osp := map[string]any{"computerName": name, "adminUsername": "azureuser",
			"linuxConfiguration": map[string]any{"disablePasswordAuthentication": true}}
		if customData != nil {
			osp["customData"] = base64.StdEncoding.EncodeToString(customData)
		}
		add(arm.Resource{Type: "Microsoft.Compute/virtualMachines", APIVersion: "2024-11-01", Name: name, Location: estateRegion, Properties: map[string]any{
			"hardwareProfile": map[string]any{"vmSize": "Standard_B2s"},
			"osProfile":       osp,
			"networkProfile":  map[string]any{"networkInterfaces": []any{idOf("Microsoft.Network/networkInterfaces", "nic-"+name)}},
		}})
	}
	vm("vm-dns", "snet-dns", forwarderAddr, doc)
	vm("vm-agent", "snet-agents", "", nil)

	for i := range spokes {
		name := spokeName(i)
		o2 := i + 1 // spoke i is 10.(i+1).0.0/16
		add(arm.Resource{Type: tVNetB, APIVersion: apiNet, Name: name, Location: estateRegion, Properties: map[string]any{
			"addressSpace": map[string]any{"addressPrefixes": []any{fmt.Sprintf("10.%d.0.0/16", o2)}},
			"dhcpOptions":  map[string]any{"dnsServers": []any{forwarderAddr}},
			"subnets": []any{subnet("snet-app", fmt.Sprintf("10.%d.0.0/24", o2)), subnet("snet-pe", fmt.Sprintf("10.%d.1.0/24", o2)),
				subnet("snet-nodes", fmt.Sprintf("10.%d.4.0/22", o2))},
		}})
		peer := func(from, to, pname string) {
			add(arm.Resource{Type: tVNetB + "/virtualNetworkPeerings", APIVersion: apiNet, Name: from + "/" + pname, Properties: map[string]any{
				"remoteVirtualNetwork": idOf(tVNetB, to), "allowVirtualNetworkAccess": true, "allowForwardedTraffic": true},
				DependsOn: []string{rid(tVNetB, from), rid(tVNetB, to)}})
		}
		peer("vnet-hub", name, "peer-hub-to-"+name)
		peer(name, "vnet-hub", "peer-"+name+"-to-hub")
	}

	for i, z := range zoneNames {
		add(arm.Resource{Type: tZoneB, APIVersion: apiDNS, Name: z, Location: "global", Properties: map[string]any{}})
		add(arm.Resource{Type: tZoneB + "/virtualNetworkLinks", APIVersion: apiDNS, Name: z + "/link-vnet-hub", Location: "global",
			Properties: map[string]any{"registrationEnabled": false, "resolutionPolicy": "Default", "virtualNetwork": idOf(tVNetB, "vnet-hub")}})
		if i >= 4 {
			add(arm.Resource{Type: tZoneB + "/A", APIVersion: apiDNS, Name: z + "/app", Properties: map[string]any{
				"ttl": 10, "aRecords": []any{map[string]any{"ipv4Address": fmt.Sprintf("10.0.2.%d", i)}}}})
		}
	}

	for i := range endpoints {
		spoke := spokeName(i % spokes)
		var typ, name, group, zone string
		switch i % 10 {
		case 0, 1, 2, 3:
			typ, name, group, zone = "Microsoft.KeyVault/vaults", fmt.Sprintf("kv-estate-%04d", i), "vault", zoneVault
			add(arm.Resource{Type: typ, APIVersion: "2024-11-01", Name: name, Location: estateRegion, Properties: map[string]any{
				"tenantId": "[subscription().tenantId]", "sku": map[string]any{"family": "A", "name": "standard"},
				"enableRbacAuthorization": true, "publicNetworkAccess": "Disabled"}})
		case 4, 5, 6:
			typ, name, group, zone = "Microsoft.ContainerRegistry/registries", fmt.Sprintf("acrestate%04d", i), "registry", zoneACR
			add(arm.Resource{Type: typ, APIVersion: "2025-04-01", Name: name, Location: estateRegion, SKU: map[string]any{"name": "Premium"},
				Properties: map[string]any{"publicNetworkAccess": "Disabled", "adminUserEnabled": false}})
		default:
			typ, name, group, zone = "Microsoft.Storage/storageAccounts", fmt.Sprintf("stestate%04d", i), "blob", zoneBlob
			add(arm.Resource{Type: typ, APIVersion: "2025-01-01", Name: name, Location: estateRegion, Kind: "StorageV2",
				SKU: map[string]any{"name": "Standard_LRS"}, Properties: map[string]any{"publicNetworkAccess": "Disabled"}})
		}
		pe := fmt.Sprintf("pe-%04d", i)
		add(arm.Resource{Type: "Microsoft.Network/privateEndpoints", APIVersion: apiNet, Name: pe, Location: estateRegion, Properties: map[string]any{
			"subnet": idOf(tSubnetB, spoke, "snet-pe"),
			"privateLinkServiceConnections": []any{map[string]any{"name": pe, "properties": map[string]any{
				"privateLinkServiceId": rid(typ, name), "groupIds": []any{group}}}},
		}})
		add(arm.Resource{Type: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", APIVersion: apiNet, Name: pe + "/default", Properties: map[string]any{
			"privateDnsZoneConfigs": []any{map[string]any{"name": zone, "properties": map[string]any{"privateDnsZoneId": rid(tZoneB, zone)}}},
		}})
	}

	for i := range clusters {
		name := fmt.Sprintf("aks-estate-%d", i)
		add(arm.Resource{Type: "Microsoft.ManagedIdentity/userAssignedIdentities", APIVersion: "2024-11-30", Name: "id-" + name, Location: estateRegion})
		add(arm.Resource{Type: "Microsoft.ContainerService/managedClusters", APIVersion: "2026-05-01", Name: name, Location: estateRegion,
			Identity: map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{
				rid("Microsoft.ManagedIdentity/userAssignedIdentities", "id-"+name): map[string]any{}}},
			Properties: map[string]any{
				"dnsPrefix": name,
				"apiServerAccessProfile": map[string]any{"enablePrivateCluster": true, "enablePrivateClusterPublicFQDN": false,
					"privateDNSZone": rid(tZoneB, zoneAKS)},
				"agentPoolProfiles": []any{map[string]any{"name": "system", "mode": "System", "count": 3, "maxPods": 30,
					"vmSize": "Standard_D4ds_v5", "osType": "Linux", "vnetSubnetID": rid(tSubnetB, spokeName(i%spokes), "snet-nodes")}},
				"networkProfile": map[string]any{"networkPlugin": "azure", "serviceCidr": "172.16.0.0/16", "dnsServiceIP": "172.16.0.10",
					"outboundType": "loadBalancer"},
				"oidcIssuerProfile": map[string]any{"enabled": true},
				"securityProfile":   map[string]any{"workloadIdentity": map[string]any{"enabled": true}},
			}})
	}
	return &arm.Template{
		Schema:         "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		ContentVersion: "1.0.0.0",
		Resources:      rs,
	}
}

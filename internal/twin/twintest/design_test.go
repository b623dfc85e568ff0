package twintest

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/cloudinit"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/spec"
)

// Addresses scenarios write into the design. They are rewritten to
// loopback stand-ins before named reads the configuration.
var (
	azureDNS = bind.AzureDNS
	publicNS = netip.MustParseAddr("1.1.1.1")
	deadNS   = netip.MustParseAddr("10.0.0.99") // nothing in the design answers here
	inbound  = netip.MustParseAddr("10.2.0.4")  // DNS Private Resolver inbound endpoint (scenario resolver-context)
)

// Names of the reference design (internal/spec/reference.yaml compiled).
const (
	region    = "canadacentral"
	hub       = "vnet-hub"
	spoke     = "vnet-aks"
	zoneVault = "privatelink.vaultcore.azure.net"
	zoneACR   = "privatelink.azurecr.io"
	zoneAKS   = "privatelink." + region + ".azmk8s.io"
)

// design is the compiled reference design being mutated by a scenario.
type design struct {
	t    testing.TB
	tmpl *arm.Template
}

func reference(t testing.TB) *design {
	t.Helper()
	d, _, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := compile.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return &design{t: t, tmpl: tmpl}
}

// find returns the template resource of a type and name; it fails the test
// when there is none.
func (d *design) find(typ, name string) *arm.Resource {
	d.t.Helper()
	for i := range d.tmpl.Resources {
		r := &d.tmpl.Resources[i]
		if r.Is(typ) && r.Name == name {
			return r
		}
	}
	d.t.Fatalf("no %s %s in the template", typ, name)
	return nil
}

func (d *design) ofType(typ string) []*arm.Resource {
	var out []*arm.Resource
	for i := range d.tmpl.Resources {
		if d.tmpl.Resources[i].Is(typ) {
			out = append(out, &d.tmpl.Resources[i])
		}
	}
	return out
}

// remove deletes the resources of a type and name; at least one must exist.
func (d *design) remove(typ, name string) {
	d.t.Helper()
	var out []arm.Resource
	for _, r := range d.tmpl.Resources {
		if !(r.Is(typ) && r.Name == name) {
			out = append(out, r)
		}
	}
	if len(out) == len(d.tmpl.Resources) {
		d.t.Fatalf("remove: no %s %s in the template", typ, name)
	}
	d.tmpl.Resources = out
}

func (d *design) add(r arm.Resource) { d.tmpl.Resources = append(d.tmpl.Resources, r) }

const (
	tZone    = "Microsoft.Network/privateDnsZones"
	tLink    = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	tZoneGrp = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
	tCluster = "Microsoft.ContainerService/managedClusters"
	tVM      = "Microsoft.Compute/virtualMachines"
	tVNet    = "Microsoft.Network/virtualNetworks"
	tACR     = "Microsoft.ContainerRegistry/registries"
)

// forwarder rewrites the BIND configuration in the forwarder VM's
// cloud-init, as an operator editing the design would.
func (d *design) forwarder(f func(c *bind.Config)) {
	d.t.Helper()
	vm := d.find(tVM, "vm-dns")
	os := vm.Properties["osProfile"].(map[string]any)
	doc, err := base64.StdEncoding.DecodeString(os["customData"].(string))
	if err != nil {
		d.t.Fatal(err)
	}
	cfg, err := cloudinit.ParseDNSForwarder(doc)
	if err != nil {
		d.t.Fatal(err)
	}
	f(&cfg)
	out, err := cloudinit.DNSForwarder(cfg)
	if err != nil {
		d.t.Fatal(err)
	}
	os["customData"] = base64.StdEncoding.EncodeToString(out)
}

// upstream sets the forwarder's default forwarders and its conditional
// forwarders: zones maps a zone name to its forwarder. A nil zones map
// keeps the compiled conditional forwarders.
func (d *design) upstream(def netip.Addr, zones ...any) {
	d.t.Helper()
	d.forwarder(func(c *bind.Config) {
		c.Forwarders = []netip.Addr{def}
		if zones == nil {
			return
		}
		c.Zones = nil
		for i := 0; i+1 < len(zones); i += 2 {
			c.Zones = append(c.Zones, bind.ForwardZone{Name: zones[i].(string), Forwarders: []netip.Addr{zones[i+1].(netip.Addr)}})
		}
	})
}

// link adds a virtual network link from zone to vnet.
func (d *design) link(zone, vnet string, fallback bool) {
	policy := "Default"
	if fallback {
		policy = "NxDomainRedirect"
	}
	d.add(arm.Resource{Type: tLink, APIVersion: "2024-06-01", Name: zone + "/link-" + vnet, Location: "global",
		Properties: map[string]any{"registrationEnabled": false, "resolutionPolicy": policy,
			"virtualNetwork": map[string]any{"id": fmt.Sprintf("[resourceId('%s', '%s')]", tVNet, vnet)}}})
}

// fallback sets resolutionPolicy NxDomainRedirect on the hub link of zone.
func (d *design) fallback(zone string) {
	d.find(tLink, zone+"/link-"+hub).Properties["resolutionPolicy"] = "NxDomainRedirect"
}

// zone adds a private zone linked to the hub.
func (d *design) zone(name string) {
	d.add(arm.Resource{Type: tZone, APIVersion: "2024-06-01", Name: name, Location: "global", Properties: map[string]any{}})
	d.link(name, hub, false)
}

// record adds an A record set (one record per value) or a CNAME record
// set to a zone.
func (d *design) record(zone, typ, rel string, values ...string) {
	props := map[string]any{"ttl": 60}
	if typ == "A" {
		var as []any
		for _, v := range values {
			as = append(as, map[string]any{"ipv4Address": v})
		}
		props["aRecords"] = as
	} else {
		props["cnameRecord"] = map[string]any{"cname": values[0]}
	}
	d.add(arm.Resource{Type: tZone + "/" + typ, APIVersion: "2024-06-01", Name: zone + "/" + rel, Properties: props})
}

// cluster edits apiServerAccessProfile of the reference cluster.
func (d *design) cluster(key string, value any) {
	d.find(tCluster, "aks-privaks").Properties["apiServerAccessProfile"].(map[string]any)[key] = value
}

// vaultName and registryName are the generated names of the reference
// design's Key Vault and registry.
func (d *design) vaultName() string { return d.ofType("Microsoft.KeyVault/vaults")[0].Name }

func (d *design) registryName() string { return d.ofType(tACR)[0].Name }

// resolverContext adds a VNet with a DNS Private Resolver inbound endpoint
// at inbound, linked to zone (and to nothing else).
func (d *design) resolverContext(zone string) {
	d.add(arm.Resource{Type: tVNet, APIVersion: "2025-07-01", Name: "vnet-dnsres", Location: region,
		Properties: map[string]any{
			"addressSpace": map[string]any{"addressPrefixes": []any{"10.2.0.0/24"}},
			"subnets": []any{map[string]any{"name": "snet-inbound", "properties": map[string]any{
				"addressPrefix": "10.2.0.0/28",
				"delegations":   []any{map[string]any{"name": "resolver", "properties": map[string]any{"serviceName": "Microsoft.Network/dnsResolvers"}}},
			}}},
		}})
	d.add(arm.Resource{Type: "Microsoft.Network/dnsResolvers", APIVersion: "2025-05-01", Name: "dnsres", Location: region,
		Properties: map[string]any{"virtualNetwork": map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-dnsres')]"}}})
	d.add(arm.Resource{Type: "Microsoft.Network/dnsResolvers/inboundEndpoints", APIVersion: "2025-05-01", Name: "dnsres/in", Location: region,
		Properties: map[string]any{"ipConfigurations": []any{map[string]any{
			"subnet":                    map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-dnsres', 'snet-inbound')]"},
			"privateIpAddress":          inbound.String(),
			"privateIpAllocationMethod": "Static",
		}}}})
	d.link(zone, "vnet-dnsres", false)
}

// replica adds a geo-replication of the registry in another region.
func (d *design) replica(loc string) {
	d.add(arm.Resource{Type: tACR + "/replications", APIVersion: "2025-04-01", Name: d.registryName() + "/" + loc, Location: loc,
		Properties: map[string]any{}})
}

type (
	bindConfig = bind.Config
	netipAddr  = netip.Addr
)

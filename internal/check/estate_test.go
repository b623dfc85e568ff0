package check_test

import (
	"fmt"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/twin"
)

// estate builds a set directly: one hub and spokes spokes, each spoke
// peered both ways with the hub, endpoints private endpoints to vaults
// spread over the spokes, and zones private zones linked to the hub and
// every spoke.
func estate(spokes, endpoints, zones int) *arm.Set {
	sc := arm.DefaultScope
	s := &arm.Set{Scope: sc, Source: "estate"}
	add := func(typ string, props map[string]any, names ...string) *arm.Resource {
		r := &arm.Resource{Type: typ, APIVersion: "2025-07-01", Name: joinNames(names), Location: sc.Location, Properties: props, ID: sc.ID(typ, names...)}
		s.Add(r)
		return r
	}
	id := func(typ string, names ...string) map[string]any {
		return map[string]any{"id": string(sc.ID(typ, names...))}
	}
	vnet := func(name, space string, subnets ...[2]string) {
		var sn []any
		for _, x := range subnets {
			sn = append(sn, map[string]any{"name": x[0], "properties": map[string]any{"addressPrefix": x[1]}})
		}
		add("Microsoft.Network/virtualNetworks", map[string]any{"addressSpace": map[string]any{"addressPrefixes": []any{space}}, "subnets": sn}, name)
	}
	vnet("vnet-hub", "10.0.0.0/22", [2]string{"AzureBastionSubnet", "10.0.0.0/26"}, [2]string{"snet-pe", "10.0.1.0/24"})
	for i := range spokes {
		name := fmt.Sprintf("vnet-spoke-%03d", i)
		vnet(name, fmt.Sprintf("10.%d.%d.0/22", 1+i/64, (i%64)*4), [2]string{"snet-pe", fmt.Sprintf("10.%d.%d.0/24", 1+i/64, (i%64)*4)})
		add("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", map[string]any{"remoteVirtualNetwork": id("Microsoft.Network/virtualNetworks", "vnet-hub")}, name, "to-hub")
		add("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", map[string]any{"remoteVirtualNetwork": id("Microsoft.Network/virtualNetworks", name)}, "vnet-hub", "to-"+name)
	}
	for z := range zones {
		zn := fmt.Sprintf("privatelink%02d.example.internal", z)
		add("Microsoft.Network/privateDnsZones", nil, zn)
		add("Microsoft.Network/privateDnsZones/virtualNetworkLinks", map[string]any{"virtualNetwork": id("Microsoft.Network/virtualNetworks", "vnet-hub")}, zn, "link-hub")
		for i := range spokes {
			v := fmt.Sprintf("vnet-spoke-%03d", i)
			add("Microsoft.Network/privateDnsZones/virtualNetworkLinks", map[string]any{"virtualNetwork": id("Microsoft.Network/virtualNetworks", v)}, zn, "link-"+v)
		}
	}
	for e := range endpoints {
		kv := fmt.Sprintf("kv-estate-%04d", e)
		add("Microsoft.KeyVault/vaults", map[string]any{"enableRbacAuthorization": true, "enablePurgeProtection": true,
			"publicNetworkAccess": "Disabled", "networkAcls": map[string]any{"defaultAction": "Deny"}}, kv).APIVersion = "2026-02-01"
		spoke := fmt.Sprintf("vnet-spoke-%03d", e%spokes)
		add("Microsoft.Network/privateEndpoints", map[string]any{"subnet": id("Microsoft.Network/virtualNetworks/subnets", spoke, "snet-pe"),
			"privateLinkServiceConnections": []any{map[string]any{"name": "c", "properties": map[string]any{"privateLinkServiceId": string(sc.ID("Microsoft.KeyVault/vaults", kv)), "groupIds": []any{"vault"}}}}}, "pe-"+kv)
	}
	return s
}

func joinNames(ns []string) string {
	out := ns[0]
	for _, n := range ns[1:] {
		out += "/" + n
	}
	return out
}

func TestEstateGenerator(t *testing.T) {
	tw := twin.Build(estate(200, 1000, 50))
	if len(tw.VNets) != 201 || len(tw.Endpoints) != 1000 || len(tw.Zones) != 50 {
		t.Fatalf("estate: %d VNets, %d endpoints, %d zones", len(tw.VNets), len(tw.Endpoints), len(tw.Zones))
	}
	fs := check.Run(tw, check.WithMinSeverity(check.Warning))
	// Each spoke's /24 holds 5 endpoints: no capacity finding; vaults are
	// private; no overlaps. The only warnings: vault endpoints without DNS.
	for _, f := range fs {
		if f.Rule != "PVK083" {
			t.Errorf("unexpected finding %s %s: %s", f.Rule, f.Resource, f.Message)
		}
	}
}

func BenchmarkCheckReference(b *testing.B) {
	tw := build(b, reference(b))
	b.ResetTimer()
	for b.Loop() {
		check.Run(tw)
	}
}

func BenchmarkCheckEstate(b *testing.B) {
	tw := twin.Build(estate(200, 1000, 50))
	b.ResetTimer()
	for b.Loop() {
		check.Run(tw)
	}
}

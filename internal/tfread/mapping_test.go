package tfread_test

import (
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
)

// TestMappingToTwin reads testdata/mapping (every type the public
// configurations lack) and checks that the twin sees what the
// configuration says, through ARM property names only.
func TestMappingToTwin(t *testing.T) {
	set, err := tfread.Read(filepath.Join("testdata", "mapping"), tfread.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !set.Coverage.Complete() || set.Coverage.Declared != len(set.Resources) {
		t.Fatalf("coverage %+v with %d resources", set.Coverage, len(set.Resources))
	}
	b, _ := json.Marshal(set.Resources)
	if strings.Contains(string(b), "never-copied") {
		t.Fatal("a password or secret value reached the resource set")
	}
	tw := twin.Build(set)
	var hub *twin.VNet
	for _, v := range tw.VNets {
		if v.Name == "vnet-hub" {
			hub = v
		}
	}
	if hub == nil || len(hub.Subnets) != 5 {
		t.Fatalf("hub subnets: %+v", hub)
	}
	sub := map[string]*twin.Subnet{}
	for _, s := range hub.Subnets {
		sub[s.Name] = s
	}
	if app := sub["snet-app"]; app.NSG == nil || app.RouteTable == nil || len(app.NSG.Rules) != 7 || app.NSG.Rules[0].Name != "https" {
		t.Errorf("snet-app NSG/route table: %+v", app)
	}
	if out := sub["snet-dns-out"]; out.NAT == nil || out.PENetworkPolicies != "Enabled" || out.RouteTable == nil {
		t.Errorf("snet-dns-out: %+v", out)
	}
	if in := sub["snet-dns-in"]; in.DefaultOutbound == nil || *in.DefaultOutbound || len(in.Delegations) != 1 {
		t.Errorf("snet-dns-in: %+v", in)
	}
	if len(tw.RouteTables) != 1 || len(tw.RouteTables[0].Routes) != 2 {
		t.Errorf("routes: %+v", tw.RouteTables)
	}
	if len(tw.NATs) != 1 || len(tw.NATs[0].PublicIPs) != 1 {
		t.Errorf("NAT public IPs: %+v", tw.NATs)
	}
	if len(tw.Firewalls) != 1 || len(tw.Firewalls[0].Rules) < 4 {
		t.Errorf("firewall rules: %+v", tw.Firewalls)
	}
	fwIP := netip.MustParseAddr("10.0.0.4")
	if s := tw.Servers[fwIP.String()]; s == nil || s.Kind != twin.ServerFirewall {
		t.Errorf("firewall DNS proxy at %s: %+v", fwIP, s)
	}
	if s := tw.Servers["10.0.2.4"]; s == nil || s.Kind != twin.ServerInbound {
		t.Errorf("resolver inbound endpoint: %+v", s)
	}
	if len(tw.Zones) != 1 || len(tw.Zones[0].Records) != 2 || !tw.Zones[0].Links[0].Registration || !tw.Zones[0].Links[0].Fallback {
		t.Errorf("zone: %+v", tw.Zones)
	}
	if len(tw.Vaults) != 1 || tw.Vaults[0].RBAC || tw.Vaults[0].PublicAccess || len(tw.Vaults[0].Secrets) != 1 {
		t.Errorf("vault: %+v", tw.Vaults)
	}
	kv := set.OfType("Microsoft.KeyVault/vaults")[0]
	if pols := kv.Prop("accessPolicies").([]any); len(pols) != 2 {
		t.Errorf("access policies (inline + azurerm_key_vault_access_policy): %v", pols)
	} else if u, ok := arm.Lookup(pols[1], "objectId").(arm.Unknown); !ok || u.Path != "identity.principalId" {
		t.Errorf("access policy objectId %#v", arm.Lookup(pols[1], "objectId"))
	}
	if len(tw.Gateways) != 1 || !tw.Gateways[0].WAF || tw.Gateways[0].PrivateIP != netip.MustParseAddr("10.0.1.254") || len(tw.Gateways[0].Listeners["private"]) != 1 {
		t.Errorf("application gateway: %+v", tw.Gateways)
	}
	if len(tw.NICs) < 1 || tw.NICs[0].IP != netip.MustParseAddr("10.0.1.10") || !tw.NICs[0].IPForwarding || tw.NICs[0].NSG == nil {
		t.Errorf("NIC: %+v", tw.NICs)
	}
	if len(tw.VMs) != 1 || !tw.VMs[0].Windows || !tw.VMs[0].SystemIdentity {
		t.Errorf("VM: %+v", tw.VMs)
	}
	// azapi: a child subnet by parent_id, a registry with a jsonencode body,
	// a role assignment as an extension of the registry.
	if sub["snet-pe"] == nil || sub["snet-pe"].Prefix != netip.MustParsePrefix("10.0.3.0/24") {
		t.Errorf("azapi subnet: %+v", sub["snet-pe"])
	}
	if len(tw.Registries) != 1 || tw.Registries[0].PublicAccess {
		t.Errorf("azapi registry: %+v", tw.Registries)
	}
	var ra *twin.RoleAssignment
	for _, r := range tw.Roles {
		if strings.HasSuffix(string(r.ID), "7e0e5a0e-0000-4000-8000-000000000001") {
			ra = r
		}
	}
	if ra == nil || !ra.Scope.Equal(tw.Registries[0].ID) || ra.Role != "7f951dda-4ed3-4680-a7ca-43fe172d538d" {
		t.Errorf("azapi role assignment: %+v", ra)
	}
}

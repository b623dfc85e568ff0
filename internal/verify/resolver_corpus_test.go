package verify_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// TestResolverQuickstart asserts the conclusions testdata/arm/README.md
// writes for R1 (the DNS Private Resolver quickstart).
func TestResolverQuickstart(t *testing.T) {
	const r1 = "Azure__azure-quickstart-templates__quickstarts__microsoft.network__azure-dns-private-resolver__azuredeploy.json"
	client := func(tw *twin.Twin) twin.Client {
		for _, v := range tw.VNets {
			for _, s := range v.Subnets {
				if s.Name == "snet-inbound" {
					return twin.Client{Name: "client", Subnet: s, Addr: netip.MustParseAddr("10.7.0.10")}
				}
			}
		}
		t.Fatal("no snet-inbound")
		return twin.Client{}
	}
	build := func(t *testing.T, mutate func(*arm.Set)) *twin.Twin {
		set := evaluated(t, r1, map[string]any{"location": "canadacentral"})
		if mutate != nil {
			mutate(set)
		}
		return twin.Build(set)
	}
	tw := build(t, nil)
	if s := tw.Server(netip.MustParseAddr("10.7.0.4")); s.Kind != twin.ServerInbound {
		t.Errorf("10.7.0.4 is %s, want the inbound endpoint", s)
	}
	res := tw.Resolve(client(tw), "app.contoso.com")
	if res.OK() || res.Outside || !strings.Contains(res.Err, "unreachable") || !strings.Contains(res.Err, "10.0.0.4") {
		t.Errorf("app.contoso.com: %+v, want a failure naming unreachable 10.0.0.4", res)
	}
	if res := tw.Resolve(client(tw), "www.example.org"); !res.OK() || !res.Public {
		t.Errorf("www.example.org: %+v, want public resolution", res)
	}
	gw := build(t, func(set *arm.Set) {
		set.Add(&arm.Resource{Type: "Microsoft.Network/virtualNetworkGateways", Name: "vgw", Properties: map[string]any{"gatewayType": "Vpn"},
			ID: arm.ResourceID("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/vgw")})
	})
	if res := gw.Resolve(client(gw), "app.contoso.com"); !res.Outside {
		t.Errorf("with a VPN gateway, app.contoso.com: %+v, want undecided (on-premises)", res)
	}
	off := build(t, func(set *arm.Set) {
		for _, r := range set.OfType("Microsoft.Network/dnsForwardingRulesets/forwardingRules") {
			r.Properties["forwardingRuleState"] = "Disabled"
		}
	})
	if res := off.Resolve(client(off), "app.contoso.com"); !res.OK() || !res.Public {
		t.Errorf("rule disabled, app.contoso.com: %+v, want public resolution", res)
	}
}

package compile

import (
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/armschema"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/spec/spectest"
	"github.com/privaks/privaks/internal/testenv"
)

// Variants of the reference design that the issues name: controlled
// egress through Azure Firewall, and a NAT gateway for the cluster.
var variants = map[string]string{
	"firewall":        "egress:\n  mode: firewall\nagent:\n  url: https://dev.azure.com/contoso\n",
	"aks-nat-gateway": "egress:\n  aksOutboundType: natGateway\nagent:\n  url: https://dev.azure.com/contoso\n",
	"github-agent":    "agent:\n  kind: github\n  url: https://github.com/contoso/app\n",
}

func variant(t testing.TB, name string) *spec.Design {
	t.Helper()
	src := "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: privaks\nworkloads:\n  - name: orders\n    secrets: [orders-db-password]\n    exposure: public\n" + variants[name]
	return spectest.Parse(t, name+".yaml", []byte(src))
}

func TestVariantsSchemaValid(t *testing.T) {
	v, err := armschema.Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	for name := range variants {
		t.Run(name, func(t *testing.T) {
			files, err := Artifacts(variant(t, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range v.ValidateTemplate(files["azuredeploy.json"]) {
				t.Errorf("schema: %s", p)
			}
		})
	}
}

func TestFirewallVariantWiring(t *testing.T) {
	tmpl, err := Compile(variant(t, "firewall"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	aks := set.OfType(tAKS)[0]
	if got := aks.Prop("networkProfile.outboundType"); got != "userDefinedRouting" {
		t.Errorf("outboundType = %v", got)
	}
	vnets := map[string]*arm.Resource{}
	for _, r := range set.OfType(tVNet) {
		vnets[r.Name] = r
	}
	routed := func(vnet, sub string) bool {
		for _, s := range vnets[vnet].Prop("subnets").([]any) {
			if arm.Lookup(s, "name") == sub {
				return arm.Lookup(s, "properties.routeTable.id") != nil
			}
		}
		return false
	}
	for _, c := range []struct{ vnet, sub string }{{nHub, nDNSSub}, {nHub, nAgentSub}, {nSpoke, nNodeSub}} {
		if !routed(c.vnet, c.sub) {
			t.Errorf("%s/%s has no route table to the firewall", c.vnet, c.sub)
		}
	}
	for _, c := range []struct{ vnet, sub string }{{nHub, nPESub}, {nSpoke, nAppGwSub}, {nHub, nBastionSub}} {
		if routed(c.vnet, c.sub) {
			t.Errorf("%s/%s must not route through the firewall", c.vnet, c.sub)
		}
	}
	if len(set.OfType(tNAT)) != 0 {
		t.Errorf("firewall mode keeps a NAT gateway")
	}
}

func TestFirewallVariantRouteTableRole(t *testing.T) {
	tmpl, err := Compile(variant(t, "firewall"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range tmpl.Resources {
		if r.Is(tRole) && r.Scope == "Microsoft.Network/routeTables/"+nRTSpoke && r.Prop("principalId") == uamiPrincipal(nIDControl).id {
			found = true
		}
	}
	if !found {
		t.Errorf("the control plane has no role on the node subnet's route table")
	}
}

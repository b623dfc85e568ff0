package verify_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// vendingTemplate is Azure Verified Modules' subscription-vending pattern
// (testdata/arm/README.md): a 2.8 MB subscription-scope template of 188
// nested deployment declarations, most behind conditions and copy loops.
const vendingTemplate = "avm-ptn-lz-sub-vending.json"

// vendingParams vend one subscription with everything on: its hub-peered
// VNet with NAT gateway and Bastion, n more VNets, and n identities, route
// tables, network security groups and role assignments each: the
// parameters a platform team gives, which make ARM evaluate about 200
// nested deployments at n = 9.
func vendingParams(n int) map[string]any {
	sub := "/subscriptions/11111111-1111-1111-1111-111111111111"
	var vnets, umis, rts, nsgs, ras []any
	for i := range n {
		vnets = append(vnets, map[string]any{"name": fmt.Sprintf("vnet-extra-%d", i), "location": "eastus2",
			"resourceGroupName": "rg-net-extra", "addressPrefixes": []any{fmt.Sprintf("10.%d.0.0/20", 100+i)},
			"subnets":          []any{map[string]any{"name": "snet-app", "addressPrefix": fmt.Sprintf("10.%d.0.0/24", 100+i)}},
			"peerToHubNetwork": true})
		umis = append(umis, map[string]any{"name": fmt.Sprintf("id-app-%d", i), "resourceGroupName": "rg-id", "location": "eastus2"})
		rts = append(rts, map[string]any{"name": fmt.Sprintf("rt-%d", i), "location": "eastus2", "routes": []any{
			map[string]any{"name": "default", "properties": map[string]any{"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.0.4"}}}})
		nsgs = append(nsgs, map[string]any{"name": fmt.Sprintf("nsg-%d", i), "location": "eastus2"})
		ras = append(ras, map[string]any{"principalId": fmt.Sprintf("22222222-2222-2222-2222-%012d", i), "definition": "Reader", "relativeScope": ""})
	}
	return map[string]any{
		"subscriptionAliasEnabled": false, "existingSubscriptionId": "11111111-1111-1111-1111-111111111111",
		"subscriptionManagementGroupAssociationEnabled": true, "subscriptionManagementGroupId": "corp",
		"virtualNetworkEnabled": true, "virtualNetworkResourceGroupName": "rg-net", "virtualNetworkName": "vnet-lz1",
		"virtualNetworkAddressSpace": []any{"10.20.0.0/16"}, "virtualNetworkLocation": "eastus2",
		"virtualNetworkSubnets": []any{map[string]any{"name": "snet-app", "addressPrefix": "10.20.1.0/24"},
			map[string]any{"name": "snet-pe", "addressPrefix": "10.20.2.0/24"}},
		"virtualNetworkPeeringEnabled": true, "hubNetworkResourceId": sub + "/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub",
		"virtualNetworkUseRemoteGateways": false,
		"virtualNetworkDeployNatGateway":  true, "virtualNetworkNatGatewayConfiguration": map[string]any{"name": "nat-lz1"},
		"virtualNetworkDeployBastion": true, "virtualNetworkBastionConfiguration": map[string]any{"name": "bas-lz1"},
		"additionalVirtualNetworks": vnets,
		"roleAssignmentEnabled":     true, "roleAssignments": ras,
		"userAssignedManagedIdentities": umis,
		"routeTables":                   rts, "routeTablesResourceGroupName": "rg-net",
		"networkSecurityGroups": nsgs, "networkSecurityGroupResourceGroupName": "rg-net",
	}
}

func evaluateVending(tb testing.TB, data []byte) *arm.Set {
	tmpl, err := armeval.ReadTemplate(data)
	if err != nil {
		tb.Fatal(err)
	}
	set, _ := armeval.Evaluate(tmpl, armeval.WithParameters(vendingParams(9)), armeval.WithSource(vendingTemplate))
	if set == nil {
		tb.Fatal("not evaluated")
	}
	return set
}

// TestVendingEvaluatesAboutTwoHundredDeployments: what
// BenchmarkReadVerifyVending measures is the issue's "~200 nested
// deployments", evaluated, not merely declared; the only resources left
// out are the role assignments named after the principal IDs of the
// identities the template creates (known at deployment only).
func TestVendingEvaluatesAboutTwoHundredDeployments(t *testing.T) {
	data, err := os.ReadFile(testenv.Testdata(t, "arm", vendingTemplate))
	if err != nil {
		t.Fatal(err)
	}
	set := evaluateVending(t, data)
	if d := set.Coverage.Deployments; d < 190 || d > 260 {
		t.Errorf("%d nested deployments evaluated, want about 200", d)
	}
	for _, l := range set.Coverage.LeftOut {
		if l.Type != "Microsoft.Authorization/roleAssignments" {
			t.Errorf("left out: %s %s: %s", l.Type, l.Resource, l.Reason)
		}
	}
	t.Logf("%d bytes, %d nested deployments, %d resources, %d left out", len(data), set.Coverage.Deployments, len(set.Resources), len(set.Coverage.LeftOut))
}

// BenchmarkReadVerifyVending is issue 10's speed target: read and verify a
// 2.7 MB subscription-scope template with ~200 nested deployments (< 1 s,
// < 200 MB on one core: go test -bench ReadVerifyVending -cpu 1). One op is
// read → evaluate → twin → verify (derive and run) → check.
func BenchmarkReadVerifyVending(b *testing.B) {
	data, err := os.ReadFile(testenv.Testdata(b, "arm", vendingTemplate))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var deployments int
	for b.Loop() {
		set := evaluateVending(b, data)
		tw := twin.Build(set)
		_ = verify.Run(tw, verify.Derive(tw))
		_ = check.Run(tw)
		deployments = set.Coverage.Deployments
	}
	b.ReportMetric(float64(deployments), "deployments")
}

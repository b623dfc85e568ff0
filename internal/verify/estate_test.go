package verify_test

import (
	"os"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

const estateSub = "00000000-0000-0000-0000-000000000000"

func rgID(rg, typ, name string) string {
	return "/subscriptions/" + estateSub + "/resourceGroups/" + rg + "/providers/" + typ + "/" + name
}

// estatePart evaluates one template of an estate in its own resource
// group.
func estatePart(t *testing.T, file, paramsFile, rg string, params map[string]any) *arm.Set {
	t.Helper()
	data, err := os.ReadFile(testenv.Testdata(t, "arm", file))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := armeval.ReadTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]any{}
	if paramsFile != "" {
		pb, _ := os.ReadFile(testenv.Testdata(t, "arm", paramsFile))
		if all, err = armeval.ReadParameters(pb); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range params {
		all[k] = v
	}
	scope := arm.DefaultScope
	scope.ResourceGroup, scope.Location = rg, "eastus2"
	set, err := armeval.Evaluate(tmpl, armeval.WithParameters(all), armeval.WithScope(scope), armeval.WithSource(file))
	if set == nil {
		t.Fatalf("%s: %v", file, err)
	}
	return set
}

// aksBaseline reads the four aks-baseline templates as one estate, each in
// the resource group its README deploys it to.
func aksBaseline(t *testing.T) *arm.Set {
	const (
		hubRG, spokeRG, appRG = "rg-enterprise-networking-hubs", "rg-enterprise-networking-spokes", "rg-bu0001a0008"
	)
	spokeVNet := rgID(spokeRG, "Microsoft.Network/virtualNetworks", "vnet-spoke-BU0001A0008-00")
	hub := estatePart(t, "mspnp__aks-baseline__networking__hub-regionA.json", "", hubRG, map[string]any{
		"nodepoolSubnetResourceIds": []any{spokeVNet + "/subnets/snet-clusternodes"}, "location": "eastus2"})
	var hubVNet string
	for _, r := range hub.OfType("Microsoft.Network/virtualNetworks") {
		hubVNet = string(r.ID)
	}
	spoke := estatePart(t, "mspnp__aks-baseline__networking__spoke-BU0001A0008.json", "", spokeRG, map[string]any{
		"hubVnetResourceId": hubVNet, "location": "eastus2"})
	acr := estatePart(t, "mspnp__aks-baseline__acr-stamp.json", "", appRG, map[string]any{
		"targetVnetResourceId": spokeVNet, "location": "eastus2"})
	cluster := estatePart(t, "mspnp__aks-baseline__cluster-stamp.json", "mspnp__aks-baseline__azuredeploy.parameters.prod.json", appRG, map[string]any{
		"targetVnetResourceId": spokeVNet, "clusterAuthorizedIPRanges": []any{"203.0.113.0/28"}, "domainName": "contoso.com"})
	set, _ := arm.Merge(hub, spoke, acr, cluster)
	return set
}

// TestAKSBaselineEstate (issue 11 §5): the aks-baseline templates read as
// one estate, each in its own resource group: the cluster stamp's node
// pools land in the spoke template's subnets, the registry's private
// endpoint and zone from the ACR stamp, the vault's from the cluster
// stamp; the nodes resolve ACR and Key Vault privately. Alone, the cluster
// stamp's pool intents are unknown (TestEveryCorpusTemplateAnalyses).
func TestAKSBaselineEstate(t *testing.T) {
	set := aksBaseline(t)
	tw := twin.Build(set)
	var hub, spoke *twin.VNet
	for _, v := range tw.VNets {
		switch {
		case strings.Contains(v.Name, "hub"):
			hub = v
		case strings.Contains(v.Name, "spoke"):
			spoke = v
		}
	}
	if hub == nil || spoke == nil {
		t.Fatalf("hub %v, spoke %v: both VNets must be in the estate", hub, spoke)
	}
	if ok, why := twin.Connected(spoke, hub); !ok {
		t.Errorf("spoke and hub not peered both ways across files: %s", why)
	}
	if got := set.Origins[tw.Registries[0].ID.Key()]; got != "mspnp__aks-baseline__acr-stamp.json" {
		t.Errorf("registry origin %q", got)
	}
	rs := verify.Run(tw, verify.Derive(tw))
	want := map[string]int{"→ registry": 0, "→ key vault": 0, "→ API server": 0}
	for _, r := range rs {
		if !strings.HasPrefix(r.Name, "node pool ") {
			continue
		}
		for k := range want {
			if strings.Contains(r.Name, k) {
				want[k]++
				if r.Status != verify.Pass {
					t.Errorf("%s: %s (%s)", r.Name, r.Status, r.Cause)
				}
			}
		}
	}
	for k, n := range want {
		if n < 2 {
			t.Errorf("%d node pool intents %q, want one per pool (2)", n, k)
		}
	}
	// The UDR's next hop is the hub firewall's IP through reference()
	// into the hub template: resolved across files.
	for _, r := range rs {
		if strings.Contains(r.Name, "AKS required endpoints") && strings.Contains(r.Cause, "no firewall in the design") {
			t.Errorf("%s: the route to the hub firewall is not resolved across files: %s", r.Name, r.Cause)
		}
	}
}

// TestAKSBaselineEstateMutations: single faults across files fail with a
// trace naming the cause; reading the files in another order is benign.
func TestAKSBaselineEstateMutations(t *testing.T) {
	status := func(set *arm.Set, prefix string) (string, string) {
		tw := twin.Build(set)
		st, cause := "", ""
		for _, r := range verify.Run(tw, verify.Derive(tw)) {
			if strings.HasPrefix(r.Name, prefix) && (st == "" || r.Status == verify.Fail) {
				st, cause = r.Status, r.Cause
			}
		}
		return st, cause
	}
	t.Run("registry zone link to the spoke removed", func(t *testing.T) {
		set := aksBaseline(t)
		if dropFromSet(set, func(r *arm.Resource) bool {
			return r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") && strings.Contains(strings.ToLower(string(r.ID)), "privatelink.azurecr.io")
		}) == 0 {
			t.Fatal("no registry zone link")
		}
		if st, cause := status(set, "node pool aks-c5vxlfucpfnvm/npuser01 → registry"); st != verify.Fail || !strings.Contains(cause, "public address") {
			t.Errorf("%s (%s), want a failure to a public address", st, cause)
		}
	})
	t.Run("spoke template left out", func(t *testing.T) {
		set := aksBaseline(t)
		dropFromSet(set, func(r *arm.Resource) bool {
			return set.Origins[r.ID.Key()] == "mspnp__aks-baseline__networking__spoke-BU0001A0008.json"
		})
		if st, cause := status(set, "node pool aks-c5vxlfucpfnvm/npuser01 → key vault"); st != verify.Unknown {
			t.Errorf("%s (%s), want unknown: the node subnet lies outside every source", st, cause)
		}
	})
	t.Run("benign: files in reverse order", func(t *testing.T) {
		set := aksBaseline(t)
		rev := &arm.Set{}
		for i := len(set.Resources) - 1; i >= 0; i-- {
			rev.Add(set.Resources[i])
		}
		rev.Scope = set.Scope
		if st, cause := status(rev, "node pool aks-c5vxlfucpfnvm/npsystem → key vault"); st != verify.Pass {
			t.Errorf("%s (%s), want pass", st, cause)
		}
	})
}

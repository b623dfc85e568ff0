package tfread_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// The expectations below are those of testdata/public/EXPECTED.md.

func readPublic(t *testing.T, dir string, vars ...string) *arm.Set {
	t.Helper()
	set, err := tfread.Read(filepath.Join("testdata", "public", dir), tfread.Options{Vars: vars})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return set
}

func leftOutNames(set *arm.Set) []string {
	var out []string
	for _, l := range set.Coverage.LeftOut {
		out = append(out, l.Resource)
	}
	return out
}

func results(set *arm.Set) map[string]verify.Result {
	t := twin.Build(set)
	out := map[string]verify.Result{}
	for _, r := range verify.Run(t, verify.Derive(t)) {
		out[r.Name] = r
	}
	return out
}

func rules(set *arm.Set) map[string][]string {
	out := map[string][]string{}
	for _, f := range check.Run(twin.Build(set)) {
		out[f.Rule] = append(out[f.Rule], f.Resource)
	}
	return out
}

func wantStatus(t *testing.T, rs map[string]verify.Result, name, status string) {
	t.Helper()
	r, ok := rs[name]
	if !ok {
		var names []string
		for n := range rs {
			names = append(names, n)
		}
		slices.Sort(names)
		t.Fatalf("no intent %q; have %s", name, strings.Join(names, "; "))
	}
	if r.Status != status {
		t.Errorf("%s: %s (%s), want %s", name, r.Status, r.Cause, status)
	}
}

func TestPublicPrivateAKSDevOps(t *testing.T) {
	set := readPublic(t, "private-aks-cluster-terraform-devops/terraform",
		"ssh_public_key=ssh-rsa AAAAB3NzaC1yc2E test", "script_storage_account_name=stscripts", "script_storage_account_key=unused")
	if !set.Coverage.Complete() {
		t.Errorf("left out: %v", set.Coverage.LeftOut)
	}
	if set.Coverage.Declared != len(set.Resources) {
		t.Errorf("declared %d, modelled %d", set.Coverage.Declared, len(set.Resources))
	}
	rs := results(set)
	wantStatus(t, rs, "Internet ↛ API server of BaboAks", verify.Pass)
	for _, pool := range []string{"system", "user"} {
		wantStatus(t, rs, "node pool BaboAks/"+pool+" → registry BaboAcr", verify.Pass)
		wantStatus(t, rs, "node pool BaboAks/"+pool+" → key vault BaboAksKeyVault", verify.Pass)
	}
	wantStatus(t, rs, "Internet ↛ key vault BaboAksKeyVault", verify.Fail)
	wantStatus(t, rs, "Internet ↛ registry BaboAcr", verify.Fail)
	// The storage account is named after a random_string (known only after
	// apply); its zone group's record carries the same name, so the blob
	// endpoint resolves privately whatever the name becomes. Its public
	// endpoint is open by its settings, whatever its name.
	const sa = "storage {random_string.storage_account_suffix.result} (blob)"
	for _, from := range []string{"TestVm", "node pool BaboAks/system", "node pool BaboAks/user"} {
		wantStatus(t, rs, from+" → "+sa, verify.Pass)
	}
	wantStatus(t, rs, "Internet ↛ storage account {random_string.storage_account_suffix.result}", verify.Fail)
	found := rules(set)
	for _, id := range []string{"PVK120", "PVK121"} {
		if len(found[id]) == 0 {
			t.Errorf("check: no %s finding", id)
		}
	}
	// Peered both ways.
	tw := twin.Build(set)
	var hub, spoke *twin.VNet
	for _, v := range tw.VNets {
		switch v.Name {
		case "HubVNet":
			hub = v
		case "AksVNet":
			spoke = v
		}
	}
	if hub == nil || spoke == nil {
		t.Fatalf("VNets: %v", tw.VNets)
	}
	if ok, why := twin.Connected(hub, spoke); !ok {
		t.Errorf("hub and spoke not connected: %s", why)
	}
	// The default route's next hop is the firewall's private IP, a named
	// unknown on the firewall.
	var hop any
	for _, r := range set.OfType("Microsoft.Network/routeTables") {
		for _, x := range r.Prop("routes").([]any) {
			if arm.Lookup(x, "properties.addressPrefix") == "0.0.0.0/0" {
				hop = arm.Lookup(x, "properties.nextHopIpAddress")
			}
		}
	}
	u, ok := hop.(arm.Unknown)
	if !ok || !strings.Contains(string(u.Ref), "/azureFirewalls/BaboFirewall") || u.Path != "ipConfigurations.0.properties.privateIPAddress" {
		t.Errorf("next hop = %#v, want the firewall's private IP as a named unknown", hop)
	}
}

func TestPublicAKSModuleWithACR(t *testing.T) {
	set := readPublic(t, "terraform-azurerm-aks/examples/with_acr")
	want := []string{
		"module.aks.azurerm_monitor_data_collection_rule.dcr[0]",
		"module.aks.azurerm_monitor_data_collection_rule_association.dcra[0]",
		"module.aks.azapi_update_resource.aks_cluster_post_create",
		"module.aks.data.azurerm_resource_group.aks_rg",
		"azapi_resource_action.register_encryption_at_host",
	}
	got := leftOutNames(set)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s not left out; left out: %v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("left out %v, want exactly %v", got, want)
	}
	tw := twin.Build(set)
	if len(tw.Clusters) != 1 || tw.Clusters[0].Private {
		t.Fatalf("want one public cluster, got %+v", tw.Clusters)
	}
	if len(rules(set)["PVK121"]) == 0 {
		t.Errorf("check: ACR public access not reported")
	}
	// AcrPull for the kubelet identity on the registry.
	key := tw.KubeletKey(tw.Clusters[0])
	if len(tw.Registries) != 1 {
		t.Fatalf("registries: %v", tw.Registries)
	}
	if _, ok := tw.HasRole(key, twin.PullRoles, tw.Registries[0].ID); !ok {
		t.Errorf("kubelet identity %s has no pull role on the registry; roles: %+v", key, tw.Roles)
	}
}

func TestPublicAKSModuleAppGatewayIngress(t *testing.T) {
	set := readPublic(t, "terraform-azurerm-aks/examples/application_gateway_ingress")
	got := leftOutNames(set)
	for _, w := range []string{"kubernetes_namespace_v1.example", "kubernetes_pod.aspnet_app", "kubernetes_service.svc",
		"kubernetes_ingress_v1.ing", "data.kubernetes_ingress_v1.ing"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s not left out; left out: %v", w, got)
		}
	}
	tw := twin.Build(set)
	if len(tw.Clusters) != 1 || tw.Clusters[0].Private {
		t.Fatalf("want one public cluster, got %+v", tw.Clusters)
	}
	f := rules(set)
	if len(f["PVK126"])+len(f["PVK127"]) == 0 {
		t.Errorf("check: public API server not reported: %v", f)
	}
}

func TestPublicAVMManagedClusterPrivate(t *testing.T) {
	set := readPublic(t, "avm-res-containerservice-managedcluster/examples/private")
	got := leftOutNames(set)
	for _, w := range []string{"module.regions", "module.naming", "module.private.module.interfaces"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s not left out; left out: %v", w, got)
		}
	}
	for _, l := range set.Coverage.LeftOut {
		if l.Resource == "module.naming" && !strings.Contains(l.Reason, "not on disk") {
			t.Errorf("module.naming reason: %s", l.Reason)
		}
	}
	// The cluster's body depends on the missing modules' outputs (names,
	// regions): it is left out, never modelled as a public cluster.
	var cl *arm.LeftOut
	for i, l := range set.Coverage.LeftOut {
		if l.Resource == "module.private.azapi_resource.this" {
			cl = &set.Coverage.LeftOut[i]
		}
	}
	if cl == nil || !strings.Contains(cl.Reason, "known only after apply") {
		t.Errorf("the azapi cluster must be left out for its unknown body: %+v", cl)
	}
	tw := twin.Build(set)
	if len(tw.Clusters) != 0 {
		t.Errorf("clusters: %+v", tw.Clusters)
	}
	if len(tw.Zones) != 1 || len(tw.Zones[0].Links) != 1 || tw.Zones[0].Links[0].VNet == nil {
		t.Errorf("the private zone must be linked to the example's VNet: %+v", tw.Zones)
	}
}

func TestPublicAVMKeyVaultPrivateEndpoint(t *testing.T) {
	set := readPublic(t, "avm-res-keyvault-vault/examples/private-endpoint")
	got := leftOutNames(set)
	for _, w := range []string{"module.regions", "module.naming", "module.keyvault.data.modtm_module_source.telemetry", "module.keyvault.modtm_telemetry.telemetry[0]"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s not left out; left out: %v", w, got)
		}
	}
	f := rules(set)
	if len(f["PVK120"]) != 0 {
		t.Errorf("Key Vault has public access off, yet PVK120: %v", f["PVK120"])
	}
	if len(f["PVK079"]) == 0 {
		t.Errorf("zone without links not reported: %v", f)
	}
	tw := twin.Build(set)
	if len(tw.Vaults) != 1 || len(tw.Vaults[0].Endpoints) != 1 || tw.Vaults[0].PublicAccess {
		t.Fatalf("want one private vault with one endpoint: %+v", tw.Vaults)
	}
	if len(tw.Vaults[0].Endpoints[0].Zones) != 1 {
		t.Errorf("endpoint zone group not read")
	}
}

func TestPublicAVMHubNetworking(t *testing.T) {
	set := readPublic(t, "avm-ptn-hubnetworking/examples/azure_landing_zone_firewall")
	if set.Coverage.Complete() {
		t.Fatal("the hub networking pattern's VNets come from registry modules not on disk: the set must be incomplete")
	}
	got := leftOutNames(set)
	for _, w := range []string{"module.spoke1_vnet", "module.spoke2_vnet", "module.hub_mesh.module.hub_virtual_networks"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s not left out; left out: %v", w, got)
		}
	}
	for _, r := range set.Resources {
		if r.Is("Microsoft.Network/virtualNetworks") || r.Is("Microsoft.Network/azureFirewalls") {
			t.Errorf("unexpected resource %s %s", r.Type, r.ID)
		}
	}
}

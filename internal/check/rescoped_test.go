package check_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
)

// TestRescopedRules: single-fault mutations of the reference design for the
// rules issue 11 re-scoped, each with a benign neighbour that must not be
// flagged (or only at the lower severity).
func TestRescopedRules(t *testing.T) {
	sshRule := func(t testing.TB, tm *arm.Template) {
		n := find(t, tm, typNSG, "nsg-snet-agents")
		n.Properties["securityRules"] = append([]any{map[string]any{"name": "AllowSshInternet", "properties": map[string]any{
			"access": "Allow", "direction": "Inbound", "priority": 90, "protocol": "Tcp", "sourceAddressPrefix": "*",
			"sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}}, n.Properties["securityRules"].([]any)...)
	}
	publicIP := func(t testing.TB, tm *arm.Template) {
		ic := find(t, tm, typNIC, "nic-vm-agent").Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
		ic["publicIPAddress"] = map[string]any{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-bastion')]"}
	}
	zoneElsewhere := func(t testing.TB, tm *arm.Template) {
		remove(tm, func(r *arm.Resource) bool {
			return (r.Is("Microsoft.Network/privateDnsZones") && r.Name == "privatelink.vaultcore.azure.net") ||
				strings.HasPrefix(r.Name, "privatelink.vaultcore.azure.net/")
		})
	}
	cacheBootstrap := func(t testing.TB, tm *arm.Template) {
		cl := cluster(t, tm)
		set(cl, "bootstrapProfile", map[string]any{"artifactSource": "Cache",
			"containerRegistryId": "[resourceId('Microsoft.ContainerRegistry/registries', '" + first(t, tm, typACR).Name + "')]"})
		var deps []string
		for _, d := range cl.DependsOn {
			if !strings.Contains(d, "privatelink.azurecr.io") {
				deps = append(deps, d)
			}
		}
		cl.DependsOn = deps
	}
	dropACRLinkDeps := func(t testing.TB, tm *arm.Template) {
		cl := cluster(t, tm)
		var deps []string
		for _, d := range cl.DependsOn {
			if !strings.Contains(d, "privatelink.azurecr.io") && !strings.Contains(d, "privatelink.vaultcore.azure.net") {
				deps = append(deps, d)
			}
		}
		cl.DependsOn = deps
	}
	scaleSet := func(publicIPs bool) func(testing.TB, *arm.Template) {
		return func(t testing.TB, tm *arm.Template) {
			ipc := `{"subnet":{"id":"[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'snet-agents')]"}`
			if publicIPs {
				ipc += `,"publicIPAddressConfiguration":{"name":"pub","sku":{"name":"Standard"},"properties":{}}`
			}
			addJSON(t, tm, `[{"type":"Microsoft.Compute/virtualMachineScaleSets","apiVersion":"2024-07-01","name":"vmss-jump","location":"canadacentral",
				"sku":{"name":"Standard_B2s","capacity":2},"properties":{"orchestrationMode":"Flexible","virtualMachineProfile":{"networkProfile":{
				"networkApiVersion":"2025-07-01","networkInterfaceConfigurations":[{"name":"nic","properties":{"primary":true,
				"ipConfigurations":[{"name":"ipc","properties":`+ipc+`}}]}}]}}}}]`)
		}
	}
	cases := []struct {
		name, rule string
		mutate     func(testing.TB, *arm.Template)
		severity   check.Severity // "" = must not fire
		text       string
	}{
		{"service CIDR on the node subnet", "PVK023", both(clusterSet("networkProfile.serviceCidr", "10.1.0.0/22"), clusterSet("networkProfile.dnsServiceIP", "10.1.0.10")), check.Error, "overlaps subnet snet-nodes"},
		{"service CIDR in the spoke space, no subnet there", "PVK023", both(clusterSet("networkProfile.serviceCidr", "10.1.128.0/20"), clusterSet("networkProfile.dnsServiceIP", "10.1.128.10")), check.Warning, "no subnet overlaps it"},
		{"benign: service CIDR outside every VNet", "PVK023", both(clusterSet("networkProfile.serviceCidr", "172.16.0.0/16"), clusterSet("networkProfile.dnsServiceIP", "172.16.0.10")), "", ""},
		{"SSH from the Internet to a VM with a public IP", "PVK129", both(sshRule, publicIP), check.Error, "has a public IP"},
		{"SSH from the Internet where nothing has a public IP", "PVK129", sshRule, check.Warning, "nothing there has a public IP"},
		{"zone group names a zone of another file", "PVK083", zoneElsewhere, check.Info, "declared outside this resource set"},
		{"nodes bootstrap from the registry before its zone link", "PVK078", cacheBootstrap, check.Error, "privatelink.azurecr.io"},
		{"benign: registry and vault zone links unordered", "PVK078", dropACRLinkDeps, "", ""},
		{"scale set instances with public IPs", "PVK128", scaleSet(true), check.Warning, "scale set vmss-jump gives each instance a public IP"},
		{"benign: scale set without public IPs", "PVK128", scaleSet(false), "", ""},
		{"SSH from the Internet where a scale set has public IPs", "PVK129", both(sshRule, scaleSet(true)), check.Error, "has a public IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := reference(t)
			c.mutate(t, tm)
			var got []check.Finding
			for _, f := range check.Run(build(t, tm)) {
				if f.Rule == c.rule {
					got = append(got, f)
				}
			}
			if c.severity == "" {
				for _, f := range got {
					t.Errorf("%s fires: %s", c.rule, f.Message)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("%s does not fire", c.rule)
			}
			for _, f := range got {
				if f.Severity != c.severity || !strings.Contains(f.Message, c.text) {
					t.Errorf("%s %s: %s; want %s with %q", c.rule, f.Severity, f.Message, c.severity, c.text)
				}
			}
		})
	}
}

// TestOrderingAcrossTemplates: in an estate, PVK078 judges dependsOn only
// between resources of the cluster's own template; prerequisites another
// template deploys are an Info (the deployment order decides).
func TestOrderingAcrossTemplates(t *testing.T) {
	tm := reference(t)
	cl := cluster(t, tm)
	var deps []string
	for _, d := range cl.DependsOn {
		if !strings.Contains(d, "virtualNetworkPeerings") {
			deps = append(deps, d)
		}
	}
	cl.DependsOn = deps
	tw := build(t, tm)
	errorsBefore := 0
	for _, f := range check.Run(tw) {
		if f.Rule == "PVK078" && f.Severity == check.Error {
			errorsBefore++
		}
	}
	if errorsBefore == 0 {
		t.Fatal("a single template without the peering dependsOn must fail PVK078")
	}
	// The same resources, the peerings declared by a "network" template.
	tw.Set.Origins = map[string]string{}
	for _, r := range tw.Set.Resources {
		tw.Set.Origins[r.ID.Key()] = "cluster.json"
		if strings.Contains(strings.ToLower(string(r.ID)), "virtualnetworkpeerings") || r.Is("Microsoft.Network/virtualNetworks") {
			tw.Set.Origins[r.ID.Key()] = "network.json"
		}
	}
	infos := 0
	for _, f := range check.Run(tw) {
		if f.Rule != "PVK078" {
			continue
		}
		if f.Severity == check.Info {
			infos++
		}
		if f.Severity == check.Error && strings.Contains(f.Message, "peering") {
			t.Errorf("peerings of another template reported as an ordering error: %s", f.Message)
		}
		if f.Severity == check.Info && !strings.Contains(f.Message, "network.json") {
			t.Errorf("info does not name the other template: %s", f.Message)
		}
	}
	if infos == 0 {
		t.Error("no Info naming the prerequisites another template deploys")
	}
}

package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// TestFirewallDNSProxyQuickstart asserts the conclusions
// testdata/arm/README.md writes for F1 (the Azure Firewall DNS proxy
// quickstart), and single faults on it.
func TestFirewallDNSProxyQuickstart(t *testing.T) {
	const f1 = "Azure__azure-quickstart-templates__quickstarts__microsoft.network__azure-firewall-dns-proxy__azuredeploy.json"
	params := map[string]any{"adminUsername": "azureuser", "adminPasswordOrKey": "NotAReal-Secret-1"}
	results := func(t *testing.T, mutate func(*arm.Set)) map[string]verify.Result {
		set := evaluated(t, f1, params)
		if mutate != nil {
			mutate(set)
		}
		tw := twin.Build(set)
		out := map[string]verify.Result{}
		for _, r := range verify.Run(tw, verify.Derive(tw)) {
			out[r.Name] = r
		}
		return out
	}
	expect := func(t *testing.T, rs map[string]verify.Result, prefix, status, cause string) {
		t.Helper()
		n := 0
		for name, r := range rs {
			if !strings.HasPrefix(name, prefix) {
				continue
			}
			n++
			if r.Status != status || !strings.Contains(r.Cause, cause) {
				t.Errorf("%s: %s (%s), want %s with %q", name, r.Status, r.Cause, status, cause)
			}
		}
		if n == 0 {
			t.Errorf("no intent %q", prefix)
		}
	}
	t.Run("as published", func(t *testing.T) {
		set := evaluated(t, f1, params)
		tw := twin.Build(set)
		var fw *twin.Firewall
		for _, f := range tw.Firewalls {
			fw = f
		}
		if fw == nil || fw.PrivateIP.String() != "192.168.0.4" {
			t.Fatalf("firewall %+v, want 192.168.0.4", fw)
		}
		for _, v := range tw.VNets {
			if v.Name != "HubVnet" && (len(v.DNSServers) != 1 || v.DNSServers[0] != fw.PrivateIP) {
				t.Errorf("%s DNS servers %v (unknown %v): the reference() to the firewall is not resolved", v.Name, v.DNSServers, v.DNSUnknown)
			}
		}
		rs := results(t, nil)
		for _, vm := range []string{"DevVm", "ProdVm"} {
			expect(t, rs, vm+" → storage adls", verify.Pass, "")
			expect(t, rs, vm+" → storage blob", verify.Pass, "")
			expect(t, rs, "Internet ↛ "+vm, verify.Fail, "DNAT rule")
		}
		expect(t, rs, "Internet ↛ storage account", verify.Pass, "")
	})
	t.Run("custom DNS forwarder VM as the proxy's server", func(t *testing.T) {
		// deployCustomDnsForwarder: the policy's servers are the DNS VM's
		// IP through reference(); the VM is configured by a script
		// downloaded at deployment: nothing is assumed about what it
		// answers, so the resolution fails naming it (as for any VM
		// whose DNS software the set does not describe).
		set := evaluated(t, f1, map[string]any{"adminUsername": "azureuser", "adminPasswordOrKey": "NotAReal-Secret-1",
			"deployCustomDnsForwarder": true, "_artifactsLocation": "https://example.invalid/azure-firewall-dns-proxy/"})
		tw := twin.Build(set)
		rs := map[string]verify.Result{}
		for _, r := range verify.Run(tw, verify.Derive(tw)) {
			rs[r.Name] = r
		}
		expect(t, rs, "DevVm → storage blob", verify.Fail, "192.168.1.4 (DnsVm, vm-unknown): the VM's DNS software is unknown")
	})
	t.Run("proxy disabled", func(t *testing.T) {
		rs := results(t, func(set *arm.Set) {
			for _, p := range set.OfType("Microsoft.Network/firewallPolicies") {
				p.Properties["dnsSettings"] = map[string]any{"enableProxy": false}
			}
		})
		expect(t, rs, "DevVm → storage blob", verify.Fail, "does not proxy DNS")
	})
	t.Run("blob zone link removed", func(t *testing.T) {
		rs := results(t, func(set *arm.Set) {
			dropFromSet(set, func(r *arm.Resource) bool {
				return r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") && strings.Contains(string(r.ID), "privatelink.blob.")
			})
		})
		expect(t, rs, "ProdVm → storage blob", verify.Fail, "public address")
		expect(t, rs, "ProdVm → storage adls3obrwiqizs2om (dfs)", verify.Pass, "")
	})
	t.Run("DNAT rules removed", func(t *testing.T) {
		rs := results(t, func(set *arm.Set) {
			dropFromSet(set, func(r *arm.Resource) bool { return strings.HasSuffix(string(r.ID), "DefaultDnatRuleCollectionGroup") })
		})
		expect(t, rs, "Internet ↛ DevVm", verify.Pass, "")
	})
	t.Run("spoke NSG denies DNS over TCP to the firewall", func(t *testing.T) {
		rs := results(t, func(set *arm.Set) {
			for _, n := range set.OfType("Microsoft.Network/networkSecurityGroups") {
				if strings.HasPrefix(n.Name, "DevelopmentVNet") {
					n.Properties = map[string]any{"securityRules": []any{map[string]any{"name": "DenyDnsTcp", "properties": map[string]any{
						"priority": 100, "direction": "Outbound", "access": "Deny", "protocol": "Tcp", "sourceAddressPrefix": "*",
						"sourcePortRange": "*", "destinationAddressPrefix": "192.168.0.4", "destinationPortRange": "53"}}}}
				}
			}
		})
		expect(t, rs, "DevVm → storage blob", verify.Fail, "TCP 53")
		expect(t, rs, "ProdVm → storage blob", verify.Pass, "")
	})
}

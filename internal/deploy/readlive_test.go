package deploy_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/deploy"
	"github.com/privaks/privaks/internal/deploy/deploytest"
)

// TestReadResourceGroupsChildren: a live read holds the child resources
// the resource-group listing does not return and the model reads: a
// firewall policy's rule collection groups, a forwarding ruleset's rules
// and VNet links, a DNS resolver's inbound endpoint and a private
// endpoint's zone group, each read under its parent with the parent's API
// version, by GET only (the SDK's fake servers and deploy's in-memory ARM:
// nothing leaves the process).
func TestReadResourceGroupsChildren(t *testing.T) {
	f := deploytest.New()
	rgp := "/subscriptions/" + deploytest.Subscription + "/resourceGroups/rg-hub/providers/Microsoft.Network/"
	policy, ruleset, resolver, pe := rgp+"firewallPolicies/fwp", rgp+"dnsForwardingRulesets/frs", rgp+"dnsResolvers/dnspr", rgp+"privateEndpoints/pe-kv"
	f.Existing = append(f.Existing, []deploytest.Resource{
		{ID: policy, Type: "Microsoft.Network/firewallPolicies", Location: "canadacentral", Properties: map[string]any{"dnsSettings": map[string]any{"enableProxy": true}}},
		{ID: ruleset, Type: "Microsoft.Network/dnsForwardingRulesets", Location: "canadacentral", Properties: map[string]any{}},
		{ID: resolver, Type: "Microsoft.Network/dnsResolvers", Location: "canadacentral", Properties: map[string]any{}},
		{ID: pe, Type: "Microsoft.Network/privateEndpoints", Location: "canadacentral", Properties: map[string]any{}},
	}...)
	item := func(id, typ string, props map[string]any) map[string]any {
		return map[string]any{"id": id, "name": id[strings.LastIndex(id, "/")+1:], "type": typ, "properties": props}
	}
	f.Children = map[string][]map[string]any{
		strings.ToLower(policy + "/ruleCollectionGroups"): {item(policy+"/ruleCollectionGroups/rcg-aks", "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
			map[string]any{"priority": 200.0, "ruleCollections": []any{}})},
		strings.ToLower(ruleset + "/forwardingRules"): {item(ruleset+"/forwardingRules/contoso", "Microsoft.Network/dnsForwardingRulesets/forwardingRules",
			map[string]any{"domainName": "contoso.com.", "targetDnsServers": []any{map[string]any{"ipAddress": "10.10.0.4", "port": 53.0}}})},
		strings.ToLower(ruleset + "/virtualNetworkLinks"): {item(ruleset+"/virtualNetworkLinks/to-spoke", "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
			map[string]any{"virtualNetwork": map[string]any{"id": rgp + "virtualNetworks/vnet-spoke"}})},
		strings.ToLower(resolver + "/inboundEndpoints"): {item(resolver+"/inboundEndpoints/in", "Microsoft.Network/dnsResolvers/inboundEndpoints",
			map[string]any{"ipConfigurations": []any{map[string]any{"privateIpAddress": "10.0.2.4"}}})},
		strings.ToLower(pe + "/privateDnsZoneGroups"): {item(pe+"/privateDnsZoneGroups/default", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
			map[string]any{"privateDnsZoneConfigs": []any{map[string]any{"name": "kv", "properties": map[string]any{"privateDnsZoneId": rgp + "privateDnsZones/privatelink.vaultcore.azure.net"}}}})},
	}
	set, err := deploy.ReadResourceGroups(context.Background(), deploytest.Subscription, []string{"rg-hub"}, conn(f))
	if err != nil {
		t.Fatal(err)
	}
	for id, check := range map[string]func(*arm.Resource) bool{
		policy + "/ruleCollectionGroups/rcg-aks":  func(r *arm.Resource) bool { return r.Prop("priority") == 200.0 },
		ruleset + "/forwardingRules/contoso":      func(r *arm.Resource) bool { return r.Prop("domainName") == "contoso.com." },
		ruleset + "/virtualNetworkLinks/to-spoke": func(r *arm.Resource) bool { return r.Prop("virtualNetwork.id") == rgp+"virtualNetworks/vnet-spoke" },
		resolver + "/inboundEndpoints/in":         func(r *arm.Resource) bool { return r.Prop("ipConfigurations.0.privateIpAddress") == "10.0.2.4" },
		pe + "/privateDnsZoneGroups/default": func(r *arm.Resource) bool {
			return r.Prop("privateDnsZoneConfigs.0.properties.privateDnsZoneId") == rgp+"privateDnsZones/privatelink.vaultcore.azure.net"
		},
	} {
		r := set.Get(arm.ResourceID(id))
		if r == nil || !check(r) {
			t.Errorf("%s not read with its properties: %+v", id, r)
		}
	}
	want := map[string]string{"/ruleCollectionGroups": "2024-05-01", "/forwardingRules": "2022-07-01", "/virtualNetworkLinks": "2022-07-01",
		"/inboundEndpoints": "2022-07-01", "/outboundEndpoints": "2022-07-01", "/privateDnsZoneGroups": "2024-05-01"}
	for _, r := range f.Snapshot() {
		if r.Method != http.MethodGet {
			t.Errorf("the live read sent %s %s: it must only read", r.Method, r.Path)
		}
		for suffix, api := range want {
			if strings.HasSuffix(r.Path, suffix) {
				if !strings.Contains(r.Query, "api-version="+api) {
					t.Errorf("%s read with %s, want api-version %s", r.Path, r.Query, api)
				}
				delete(want, suffix)
			}
		}
	}
	if len(want) != 0 {
		t.Errorf("collections not listed: %v", want)
	}

	// A failed child list is an error naming what and where, not a set
	// silently without the rules.
	g := deploytest.New()
	g.Existing = f.Existing[:1]
	g.Faults["GET children"] = []deploytest.Fault{{Status: 403, Body: `{"error": {"code": "AuthorizationFailed", "message": "no read"}}`}}
	_, err = deploy.ReadResourceGroups(context.Background(), deploytest.Subscription, []string{"rg-hub"}, conn(g))
	if err == nil || !strings.Contains(err.Error(), `rule collection groups of "fwp"`) {
		t.Errorf("error %v, want one naming the policy's rule collection groups", err)
	}
}

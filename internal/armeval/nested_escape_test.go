package armeval

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

// An inner-scope deployment written inside an outer-scope nested template:
// ARM evaluates the outer one whole in its parent's context first, so the
// inner template's "[[" escapes become expressions of the inner scope
// (Enterprise-Scale's vnetPeering.json, testdata/arm/README.md M5), and a
// "[[[" stays a literal "[" there. Alone, an inner-scope template keeps
// "[[" as a literal "[".
func TestInnerDeploymentInsideOuterTemplate(t *testing.T) {
	const inner = `{"type": "Microsoft.Resources/deployments", "apiVersion": "2020-06-01", "name": "peer",
		"properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
			"parameters": {"hubName": {"value": "[parameters('hub')]"}},
			"template": {"$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
				"parameters": {"hubName": {"type": "string"}},
				"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "[[concat(parameters('hubName'), '-x')]",
					"properties": {"tag": "[[[x]"}}]}}}`
	for name, c := range map[string]struct {
		tmpl, want, tag string
	}{
		"inside an outer-scope template": {`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
			"parameters": {"hub": {"type": "string"}},
			"resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2020-06-01", "name": "outer",
				"properties": {"mode": "Incremental", "template": {"$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
					"contentVersion": "1.0.0.0", "resources": [` + inner + `]}}}]}`, "vnet-hub-x", "[x]"},
		"at the top": {`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
			"parameters": {"hub": {"type": "string"}}, "resources": [` + inner + `]}`, "[concat(parameters('hubName'), '-x')]", "[[x]"},
	} {
		t.Run(name, func(t *testing.T) {
			tp, err := ReadTemplate([]byte(c.tmpl))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Evaluate(tp, WithParameters(map[string]any{"hub": "vnet-hub"}))
			vnets := s.OfType("Microsoft.Network/virtualNetworks")
			if c.want == "vnet-hub-x" && err != nil {
				t.Fatal(err)
			}
			if c.want != "vnet-hub-x" {
				// A literal name with '(' and '/' is no valid name:
				// the resource may be left out; it must not be
				// evaluated as an expression.
				for _, v := range vnets {
					if v.Name == "vnet-hub-x" {
						t.Errorf("a top-level inner template's [[ escape was evaluated")
					}
				}
				return
			}
			if len(vnets) != 1 || vnets[0].Name != c.want || vnets[0].Properties["tag"] != c.tag {
				t.Errorf("virtual networks %v, want one named %q with tag %q", vnets, c.want, c.tag)
			}
		})
	}
}

// array() of an IP address read through reference() is a one-element
// array whose element keeps the reference (Enterprise-Scale's corp VNet
// DNS servers); of a value that may itself be an array it stays unknown.
func TestArrayOfReferencedAddress(t *testing.T) {
	const fw = "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/azureFirewalls/fw"
	tp, err := ReadTemplate([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
		"parameters": {"fw": {"type": "string"}},
		"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-06-01", "name": "corp", "properties": {
			"dhcpOptions": {"dnsServers": "[if(not(empty(parameters('fw'))), array(reference(parameters('fw'), '2020-05-01').ipConfigurations[0].properties.privateIPAddress), createArray())]"},
			"other": "[array(reference(parameters('fw'), '2020-05-01').ipConfigurations)]"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(tp, WithParameters(map[string]any{"fw": fw}))
	if err != nil {
		t.Fatal(err)
	}
	v := s.OfType("Microsoft.Network/virtualNetworks")[0]
	dns, _ := v.Prop("dhcpOptions.dnsServers").([]any)
	if len(dns) != 1 {
		t.Fatalf("dnsServers %#v, want one element", v.Prop("dhcpOptions.dnsServers"))
	}
	if u, ok := dns[0].(arm.Unknown); !ok || !strings.EqualFold(string(u.Ref), fw) || !strings.HasSuffix(u.Path, "privateIPAddress") {
		t.Errorf("dnsServers[0] %#v, want the firewall's private IP through reference()", dns[0])
	}
	if _, ok := v.Prop("other").(arm.Unknown); !ok {
		t.Errorf("array() of a list read through reference() is %#v, want unknown", v.Prop("other"))
	}
}

// reference() of a private endpoint's NIC, named by
// reference(endpoint).networkInterfaces[0].id, reads that NIC: an Unknown
// on the endpoint whose path says so (README M4's vault A record).
func TestReferenceOfEndpointNIC(t *testing.T) {
	tp, err := ReadTemplate([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
		"resources": [
			{"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2020-05-01", "name": "pe", "properties": {}},
			{"type": "Microsoft.Network/privateDnsZones/A", "apiVersion": "2018-09-01", "name": "privatelink.vaultcore.azure.net/kv", "properties": {"aRecords": [
				{"ipv4Address": "[reference(reference('pe').networkInterfaces[0].id, '2020-05-01', 'Full').properties.ipConfigurations[0].properties.privateIPAddress]"},
				{"ipv4Address": "[reference(reference('pe').networkInterfaces[1].id).ipConfigurations[0].properties.privateIPAddress]"}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(tp)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := s.OfType("Microsoft.Network/privateDnsZones/A")[0].Prop("aRecords").([]any)
	addr := func(i int) arm.Unknown {
		u, _ := recs[i].(map[string]any)["ipv4Address"].(arm.Unknown)
		return u
	}
	if u := addr(0); !strings.HasSuffix(string(u.Ref), "/privateEndpoints/pe") || u.Path != "networkInterfaces.0.id/ipConfigurations.0.properties.privateIPAddress" {
		t.Errorf("first NIC: %#v", u)
	}
	if u := addr(1); u.Ref != "" {
		t.Errorf("a second NIC (which an endpoint does not have) is read as %#v, want a plain unknown", u)
	}
}

// The set records which nested deployment deploys each resource, so that a
// dependsOn on the deployment can cover them.
func TestDeployedByNestedDeployment(t *testing.T) {
	tp, err := ReadTemplate([]byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
		"resources": [
			{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-06-01", "name": "top", "properties": {}},
			{"type": "Microsoft.Resources/deployments", "apiVersion": "2020-06-01", "name": "rbac", "resourceGroup": "rg-net", "properties": {"mode": "Incremental",
				"template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [
					{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-06-01", "name": "inner", "properties": {}}]}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(tp)
	if err != nil {
		t.Fatal(err)
	}
	var inner, top arm.ResourceID
	for _, r := range s.OfType("Microsoft.Network/virtualNetworks") {
		if r.Name == "inner" {
			inner = r.ID
		} else {
			top = r.ID
		}
	}
	if d := s.DeployedBy[inner.Key()]; !strings.HasSuffix(string(d), "/resourceGroups/rg-net/providers/Microsoft.Resources/deployments/rbac") {
		t.Errorf("inner VNet deployed by %q", d)
	}
	if d, ok := s.DeployedBy[top.Key()]; ok {
		t.Errorf("top-level VNet deployed by %q", d)
	}
	m, _ := arm.Merge(s)
	if m.DeployedBy[inner.Key()] != s.DeployedBy[inner.Key()] {
		t.Errorf("Merge drops DeployedBy: %v", m.DeployedBy)
	}
}

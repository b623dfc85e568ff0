package armeval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
)

// evalTemplate reads and evaluates a template written in test code.
func evalTemplate(t *testing.T, src string, opts ...Option) *arm.Set {
	t.Helper()
	tp, err := ReadTemplate([]byte(src))
	if err != nil {
		t.Fatalf("read template: %v", err)
	}
	s, err := Evaluate(tp, opts...)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return s
}

func ids(s *arm.Set) []string {
	var out []string
	for _, r := range s.Resources {
		out = append(out, strings.TrimPrefix(string(r.ID), rg))
	}
	return out
}

func TestEvaluateCopyConditionChildren(t *testing.T) {
	s := evalTemplate(t, `{
	  // comment
	  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "parameters": {"names": {"type": "array", "defaultValue": ["a", "b"]}, "deployLa": {"type": "bool", "defaultValue": false}},
	  "variables": {"vnet": "vnet-hub"},
	  "resources": [
	    {"Type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "Name": "[variables('vnet')]",
	     "Location": "[resourceGroup().location]",
	     "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
	       "copy": [{"name": "subnets", "count": "[length(parameters('names'))]",
	                 "input": {"name": "[concat('snet-', parameters('names')[copyIndex('subnets')])]", "properties": {"addressPrefix": "[format('10.0.{0}.0/24', copyIndex('subnets', 1))]"}}}]},
	     "resources": [
	       {"type": "virtualNetworkPeerings", "apiVersion": "2023-04-01", "name": "to-spoke", "dependsOn": ["[variables('vnet')]"], "properties": {}}
	     ]},
	    {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "[concat('pip-', copyIndex(1))]",
	     "copy": {"name": "pips", "count": 2}, "properties": {}},
	    {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01", "name": "nic", "dependsOn": ["pips", "la"], "properties": {}},
	    {"condition": "[parameters('deployLa')]", "type": "Microsoft.OperationalInsights/workspaces", "apiVersion": "2022-10-01", "name": "la", "properties": {}},
	  ],
	  "outputs": {"vnetId": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', variables('vnet'))]"}}
	}`)
	want := []string{
		"/providers/Microsoft.Network/virtualNetworks/vnet-hub",
		"/providers/Microsoft.Network/virtualNetworks/vnet-hub/virtualNetworkPeerings/to-spoke",
		"/providers/Microsoft.Network/publicIPAddresses/pip-1",
		"/providers/Microsoft.Network/publicIPAddresses/pip-2",
		"/providers/Microsoft.Network/networkInterfaces/nic",
	}
	if diff := cmp.Diff(ids(s), want); diff != "" {
		t.Errorf("resource IDs (-got +want):\n%s", diff)
	}
	vnet := s.Get(arm.ResourceID(rg + "/providers/Microsoft.Network/virtualNetworks/vnet-hub"))
	wantSubnets := []any{
		map[string]any{"name": "snet-a", "properties": map[string]any{"addressPrefix": "10.0.1.0/24"}},
		map[string]any{"name": "snet-b", "properties": map[string]any{"addressPrefix": "10.0.2.0/24"}},
	}
	if diff := cmp.Diff(vnet.Prop("subnets"), any(wantSubnets)); diff != "" {
		t.Errorf("subnets (-got +want):\n%s", diff)
	}
	if vnet.Location != "canadacentral" || vnet.Type != "Microsoft.Network/virtualNetworks" {
		t.Errorf("vnet location %q type %q", vnet.Location, vnet.Type)
	}
	peering := s.Resources[1]
	if diff := cmp.Diff(peering.DependsOn, []string{string(vnet.ID)}); diff != "" {
		t.Errorf("peering dependsOn (-got +want):\n%s", diff)
	}
	nic := s.Resources[4]
	wantDeps := []string{rg + "/providers/Microsoft.Network/publicIPAddresses/pip-1", rg + "/providers/Microsoft.Network/publicIPAddresses/pip-2"}
	if diff := cmp.Diff(nic.DependsOn, wantDeps); diff != "" {
		t.Errorf("nic dependsOn: loop expanded, dropped resource removed (-got +want):\n%s", diff)
	}
	if got := s.Outputs["vnetId"]; got != string(vnet.ID) {
		t.Errorf("output vnetId = %v", got)
	}
}

func TestEvaluateExtensionResources(t *testing.T) {
	s := evalTemplate(t, `{
	  "resources": [
	    {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv", "properties": {},
	     "resources": [{"type": "providers/roleAssignments", "apiVersion": "2022-04-01", "name": "[concat('Microsoft.Authorization/', guid('x'))]", "properties": {}}]},
	    {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('a')]",
	     "scope": "[resourceId('Microsoft.KeyVault/vaults','kv')]", "properties": {"principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','id-x'), '2024-11-30').principalId]"}},
	    {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('b')]",
	     "scope": "Microsoft.KeyVault/vaults/kv", "properties": {}},
	    {"type": "Microsoft.Network/networkSecurityGroups/providers/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "nsg/Microsoft.Insights/default", "properties": {}}
	  ]}`)
	kv := rg + "/providers/Microsoft.KeyVault/vaults/kv"
	type got struct{ ID, Type, Name, Scope string }
	var all []got
	for _, r := range s.Resources {
		all = append(all, got{string(r.ID), r.Type, r.Name, r.Scope})
	}
	want := []got{
		{kv, "Microsoft.KeyVault/vaults", "kv", ""},
		{kv + "/providers/Microsoft.Authorization/roleAssignments/" + guid("x"), "Microsoft.Authorization/roleAssignments", guid("x"), kv},
		{kv + "/providers/Microsoft.Authorization/roleAssignments/" + guid("a"), "Microsoft.Authorization/roleAssignments", guid("a"), kv},
		{kv + "/providers/Microsoft.Authorization/roleAssignments/" + guid("b"), "Microsoft.Authorization/roleAssignments", guid("b"), kv},
		{rg + "/providers/Microsoft.Network/networkSecurityGroups/nsg/providers/Microsoft.Insights/diagnosticSettings/default", "Microsoft.Insights/diagnosticSettings", "default", rg + "/providers/Microsoft.Network/networkSecurityGroups/nsg"},
	}
	if diff := cmp.Diff(all, want); diff != "" {
		t.Errorf("extension resources (-got +want):\n%s", diff)
	}
	p := s.Resources[2].Prop("principalId")
	wantP := arm.Unknown{
		Expr: "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','id-x'), '2024-11-30').principalId",
		Ref:  arm.ResourceID(rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x"), Path: "principalId",
	}
	if diff := cmp.Diff(p, any(wantP)); diff != "" {
		t.Errorf("principalId (-got +want):\n%s", diff)
	}
	for _, r := range s.Resources {
		if !r.ID.IsValid() {
			t.Errorf("ID %s does not parse", r.ID)
		}
	}
}

func TestEvaluateNestedDeployments(t *testing.T) {
	s := evalTemplate(t, `{
	  "parameters": {"hubRg": {"type": "string", "defaultValue": "rg-hub"}},
	  "variables": {"spoke": "vnet-spoke"},
	  "resources": [
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "outerPeer", "resourceGroup": "[parameters('hubRg')]",
	     "properties": {"mode": "Incremental", "template": {"resources": [
	       {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01", "name": "vnet-hub/to-spoke",
	        "properties": {"remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', variables('spoke'))]"}, "rg": "[resourceGroup().name]"}},
	       {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid('r')]", "scope": "Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet", "properties": {}}
	     ]}}},
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner", "subscriptionId": "sub2", "resourceGroup": "rg-other",
	     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
	       "parameters": {"who": {"value": "[variables('spoke')]"}, "secret": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "pw"}}},
	       "template": {"parameters": {"who": {"type": "string"}, "secret": {"type": "securestring"}},
	         "variables": {"v": "[concat(parameters('who'), '-', resourceGroup().name)]"},
	         "resources": [{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[uniqueString(variables('v'))]", "properties": {"tag": "[variables('v')]", "pw": "[parameters('secret')]"}}],
	         "outputs": {"v": {"type": "string", "value": "[variables('v')]"}, "id": {"type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', 'x')]"}}}}}
	  ],
	  "outputs": {
	    "fromNested": {"type": "string", "value": "[reference('inner').outputs.v.value]"},
	    "fromNestedID": {"type": "string", "value": "[reference(resourceId('sub2', 'rg-other', 'Microsoft.Resources/deployments', 'inner')).outputs.id.value]"}
	  }}`)
	hub := "/subscriptions/" + sub + "/resourceGroups/rg-hub"
	other := "/subscriptions/sub2/resourceGroups/rg-other"
	want := []string{
		hub + "/providers/Microsoft.Network/virtualNetworks/vnet-hub/virtualNetworkPeerings/to-spoke",
		hub + "/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet/providers/Microsoft.Authorization/roleAssignments/" + guid("r"),
		hub + "/providers/Microsoft.Resources/deployments/outerPeer",
		other + "/providers/Microsoft.Storage/storageAccounts/" + uniqueString("vnet-spoke-rg-other"),
		other + "/providers/Microsoft.Resources/deployments/inner",
	}
	var got []string
	for _, r := range s.Resources {
		got = append(got, string(r.ID))
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Fatalf("IDs (-got +want):\n%s", diff)
	}
	peer := s.Resources[0]
	// Outer scope: expressions see the parent deployment's resource group.
	if diff := cmp.Diff(peer.Prop("remoteVirtualNetwork.id"), any(rg+"/providers/Microsoft.Network/virtualNetworks/vnet-spoke")); diff != "" {
		t.Errorf("outer-scope resourceId (-got +want):\n%s", diff)
	}
	if got := peer.Prop("rg"); got != "rg-privaks" {
		t.Errorf("outer-scope resourceGroup().name = %v, want rg-privaks", got)
	}
	if got := s.Resources[1].Scope; got != hub+"/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet" {
		t.Errorf("relative scope in nested deployment = %s", got)
	}
	st := s.Resources[3]
	if got := st.Prop("tag"); got != "vnet-spoke-rg-other" {
		t.Errorf("inner-scope variable = %v", got)
	}
	if u, ok := st.Prop("pw").(arm.Unknown); !ok || u.Ref != "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv" || u.Path != "secrets/pw" {
		t.Errorf("Key Vault reference parameter = %#v", st.Prop("pw"))
	}
	if _, ok := s.Resources[4].Properties["template"]; ok {
		t.Errorf("deployment keeps its inline template")
	}
	wantOut := map[string]any{
		"fromNested":   "vnet-spoke-rg-other",
		"fromNestedID": other + "/providers/Microsoft.Storage/storageAccounts/x",
	}
	if diff := cmp.Diff(s.Outputs, wantOut); diff != "" {
		t.Errorf("outputs via reference() of nested deployment (-got +want):\n%s", diff)
	}
}

func TestEvaluateUnknowns(t *testing.T) {
	s := evalTemplate(t, `{
	  "parameters": {"required": {"type": "string"}},
	  "resources": [
	    {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "id-x", "location": "[parameters('required')]"},
	    {"condition": "[equals(parameters('required'), 'yes')]", "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "pip"},
	    {"type": "Microsoft.Network/applicationGateways", "apiVersion": "2023-04-01", "name": "agw", "zones": "[pickZones('Microsoft.Network', 'applicationGateways', 'eastus2', 3)]",
	     "properties": {"id": "[reference('id-x').principalId]", "cert": "[concat(reference('id-x').clientId, '/x')]", "cond": "[if(equals(parameters('required'), 'a'), 'x', 'y')]"}}
	  ]}`)
	id := s.Resources[0]
	if u, ok := id.Extra["location"].(arm.Unknown); !ok || u.Expr != "parameters('required')" || id.Location != "" {
		t.Errorf("unknown location = %q / %#v, want Extra[location] Unknown", id.Location, id.Extra["location"])
	}
	pip := s.Resources[1]
	if diff := cmp.Diff(pip.Condition, any(arm.Unknown{Expr: "equals(parameters('required'), 'yes')"})); diff != "" {
		t.Errorf("resource with unknown condition: kept, Condition (-got +want):\n%s", diff)
	}
	agw := s.Resources[2]
	want := map[string]any{
		"id":   arm.Unknown{Expr: "reference('id-x').principalId", Ref: id.ID, Path: "principalId"},
		"cert": arm.Unknown{Expr: "concat(reference('id-x').clientId, '/x')"},
		"cond": arm.Unknown{Expr: "if(equals(parameters('required'), 'a'), 'x', 'y')"},
	}
	if diff := cmp.Diff(agw.Properties, want); diff != "" {
		t.Errorf("unknown properties (-got +want):\n%s", diff)
	}
	if _, ok := agw.Zones.(arm.Unknown); !ok {
		t.Errorf("pickZones zones = %#v, want Unknown", agw.Zones)
	}
}

func TestEvaluateErrors(t *testing.T) {
	tp, err := ReadTemplate([]byte(`{"resources": [
	  {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[foo('x')]"},
	  {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "ok", "properties": {"x": "[substring('a', 3)]"}},
	  {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "fine"}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(tp)
	if s == nil || len(s.Resources) != 1 || s.Resources[0].Name != "fine" {
		t.Fatalf("want the one good resource kept, got %v", s)
	}
	for _, want := range []string{
		`evaluate resource "Microsoft.Network/virtualNetworks" name "[foo('x')]": evaluate name: unknown function "foo"`,
		`evaluate resource "Microsoft.Network/virtualNetworks" name "ok": evaluate properties: call substring('a', 3): start index 3 out of range`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want containing %q", err, want)
		}
	}
	if _, err := Evaluate(nil); err == nil {
		t.Errorf("Evaluate(nil) succeeded")
	}
}

func TestEvaluateOptions(t *testing.T) {
	scope := arm.Scope{Subscription: "s1", ResourceGroup: "rg1", Location: "westeurope", TenantID: "t1"}
	s := evalTemplate(t, `{"parameters": {"p": {"type": "string"}}, "resources": [
	  {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[parameters('p')]", "location": "[resourceGroup().location]",
	   "tags": {"dep": "[deployment().name]", "t": "[subscription().tenantId]"}}]}`,
		WithScope(scope), WithParameters(map[string]any{"p": "[literal]"}), WithSource("x.json"), WithDeploymentName("d1"))
	r := s.Resources[0]
	if r.ID != "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/[literal]" || r.Location != "westeurope" {
		t.Errorf("ID %s location %s", r.ID, r.Location)
	}
	if diff := cmp.Diff(r.Tags, any(map[string]any{"dep": "d1", "t": "t1"})); diff != "" {
		t.Errorf("tags (-got +want):\n%s", diff)
	}
	if s.Source != "x.json" || s.Scope != scope {
		t.Errorf("source %q scope %+v", s.Source, s.Scope)
	}
}

// A slash at either end of a child's type or name separates no segment:
// ARM deploys mspnp/aks-baseline-multi-region's cluster stamp, which
// writes both forms (TestCorpusM1ChildSlashes reads the real one).
func TestEvaluateChildSlashes(t *testing.T) {
	s := evalTemplate(t, `{
	  "resources": [
	    {"type": "Microsoft.Network/applicationGateways", "apiVersion": "2024-05-01", "name": "agw", "properties": {},
	     "resources": [{"type": "providers/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "/Microsoft.Insights/default", "properties": {}}]},
	    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-09-01", "name": "aks", "properties": {},
	     "resources": [{"type": "/providers/diagnosticSettings", "apiVersion": "2021-05-01-preview", "name": "Microsoft.Insights/default", "properties": {}}]},
	    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet", "properties": {},
	     "resources": [{"type": "/subnets/", "apiVersion": "2024-05-01", "name": "/snet/", "properties": {}}]}
	  ]}`)
	if lo := s.Coverage.LeftOut; len(lo) != 0 {
		t.Fatalf("left out: %v", lo)
	}
	want := []string{
		"/providers/Microsoft.Network/applicationGateways/agw",
		"/providers/Microsoft.Network/applicationGateways/agw/providers/Microsoft.Insights/diagnosticSettings/default",
		"/providers/Microsoft.ContainerService/managedClusters/aks",
		"/providers/Microsoft.ContainerService/managedClusters/aks/providers/Microsoft.Insights/diagnosticSettings/default",
		"/providers/Microsoft.Network/virtualNetworks/vnet",
		"/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet",
	}
	if diff := cmp.Diff(ids(s), want); diff != "" {
		t.Errorf("IDs (-got +want):\n%s", diff)
	}
}

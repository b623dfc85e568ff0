package armeval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
)

func evalSrc(t *testing.T, src string, opts ...Option) *arm.Set {
	t.Helper()
	tp, err := ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set, err := Evaluate(tp, opts...)
	if set == nil {
		t.Fatal(err)
	}
	return set
}

func byID(s *arm.Set) map[string]*arm.Resource {
	out := map[string]*arm.Resource{}
	for _, r := range s.Resources {
		out[string(r.ID)] = r
	}
	return out
}

func TestScopeSubscription(t *testing.T) {
	set := evalSrc(t, `{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
	  "parameters": {"location": {"type": "string", "defaultValue": "[deployment().location]"}},
	  "resources": [
	    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg-hub", "location": "[parameters('location')]"},
	    {"type": "Microsoft.Authorization/policyAssignments", "apiVersion": "2022-06-01", "name": "pa",
	     "properties": {"scope": "[subscription().id]", "id": "[subscriptionResourceId('Microsoft.Authorization/policyDefinitions', 'p')]"}},
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "hub", "resourceGroup": "rg-hub",
	     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": {
	       "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet-hub",
	         "location": "[resourceGroup().location]"}]}}}]}`,
		WithScope(arm.Scope{Subscription: "s1", Location: "eastus2", TenantID: "t1"}))
	got := byID(set)
	rg := got["/subscriptions/s1/resourceGroups/rg-hub"]
	if rg == nil || rg.Location != "eastus2" {
		t.Fatalf("resource group from deployment().location: %+v", rg)
	}
	if pa := got["/subscriptions/s1/providers/Microsoft.Authorization/policyAssignments/pa"]; pa == nil ||
		pa.Prop("scope") != "/subscriptions/s1" || pa.Prop("id") != "/subscriptions/s1/providers/Microsoft.Authorization/policyDefinitions/p" {
		t.Errorf("subscription-level resource: %+v", pa)
	}
	v := got["/subscriptions/s1/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"]
	if v == nil || v.Location != "eastus2" {
		t.Errorf("nested deployment into a resource group the template creates: %+v (resources %v)", v, got)
	}
	if !set.Coverage.Complete() || set.Coverage.Declared != 4 {
		t.Errorf("coverage %+v", set.Coverage)
	}
}

func TestScopeManagementGroupAndTenant(t *testing.T) {
	set := evalSrc(t, `{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
	  "resources": [
	    {"type": "Microsoft.Authorization/policyDefinitions", "apiVersion": "2021-06-01", "name": "deny-pip",
	     "properties": {"mg": "[managementGroup().name]", "self": "[resourceId('Microsoft.Authorization/policyDefinitions', 'deny-pip')]",
	       "ext": "[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policyAssignments', 'a')]",
	       "loc": "[deployment().location]"}},
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "sub", "subscriptionId": "s2", "location": "westeurope",
	     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": {
	       "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
	       "resources": [{"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg-x", "location": "[deployment().location]"}]}}},
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "child-mg", "scope": "Microsoft.Management/managementGroups/mg-child", "location": "westeurope",
	     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": {
	       "resources": [{"type": "Microsoft.Authorization/policyDefinitions", "apiVersion": "2021-06-01", "name": "p2", "properties": {"mg": "[managementGroup().name]"}}]}}}]}`,
		WithManagementGroup("mg-top"))
	got := byID(set)
	pd := got["/providers/Microsoft.Management/managementGroups/mg-top/providers/Microsoft.Authorization/policyDefinitions/deny-pip"]
	if pd == nil {
		t.Fatalf("management group resource missing: %v", got)
	}
	if pd.Prop("mg") != "mg-top" || pd.Prop("self") != string(pd.ID) || pd.Prop("loc") != arm.DefaultScope.Location ||
		pd.Prop("ext") != "/providers/Microsoft.Management/managementGroups/mg-top/providers/Microsoft.Authorization/policyAssignments/a" {
		t.Errorf("management group functions: %v", pd.Properties)
	}
	if rg := got["/subscriptions/s2/resourceGroups/rg-x"]; rg == nil || rg.Location != "westeurope" {
		t.Errorf("deployment to a subscription from a management group: %+v", rg)
	}
	if p2 := got["/providers/Microsoft.Management/managementGroups/mg-child/providers/Microsoft.Authorization/policyDefinitions/p2"]; p2 == nil || p2.Prop("mg") != "mg-child" {
		t.Errorf("deployment to another management group: %+v", p2)
	}
	ten := evalSrc(t, `{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
	  "resources": [{"type": "Microsoft.Management/managementGroups", "apiVersion": "2021-04-01", "name": "mg-a",
	    "properties": {"t": "[tenant().tenantId]", "id": "[tenantResourceId('Microsoft.Management/managementGroups', 'mg-a')]"}}]}`)
	mg := byID(ten)["/providers/Microsoft.Management/managementGroups/mg-a"]
	if mg == nil || mg.Prop("id") != string(mg.ID) || mg.Prop("t") != arm.DefaultScope.TenantID {
		t.Errorf("tenant scope: %v", byID(ten))
	}
}

func TestLinkedTemplates(t *testing.T) {
	path := filepath.Join("testdata", "linked", "main.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := ReadTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	set, err := Evaluate(tp, WithSource(path), WithLinkedTemplates(filepath.Dir(path), nil),
		WithScope(arm.Scope{Subscription: "s1", Location: "eastus2", TenantID: "t1"}))
	if set == nil {
		t.Fatal(err)
	}
	vnet := byID(set)["/subscriptions/s1/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke"]
	if vnet == nil || vnet.Location != "westeurope" || arm.Lookup(vnet.Properties, "addressSpace.addressPrefixes.0") != "10.1.0.0/16" {
		t.Fatalf("linked template by relativePath: %+v", vnet)
	}
	if got := set.Outputs["vnetId"]; got != string(vnet.ID) {
		t.Errorf("output through reference().outputs = %v", got)
	}
	if len(set.Coverage.LeftOut) != 1 {
		t.Fatalf("left out %+v, want the remote template only", set.Coverage.LeftOut)
	}
	lo := set.Coverage.LeftOut[0]
	if !strings.Contains(lo.Missing, "templateLink.uri") || lo.Pos.File != path || lo.Pos.Line != 12 || lo.Pos.Column != 5 {
		t.Errorf("remote template entry %+v", lo)
	}
	// Without the directory, the relative link is left out naming why.
	set, _ = Evaluate(tp, WithScope(arm.Scope{Subscription: "s1", Location: "eastus2"}))
	if len(set.Coverage.LeftOut) != 2 || !strings.Contains(set.Coverage.LeftOut[0].Missing, "relativePath") {
		t.Errorf("without a directory: %+v", set.Coverage.LeftOut)
	}
}

func TestCoverageEntries(t *testing.T) {
	src := "{\n  \"resources\": [\n    {\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"ok\"},\n" +
		"    {\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"[pickZonez('x')]\"},\n" +
		"    {\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"v\", \"properties\": {\"a\": \"[concat('a', notAFunction())]\"}},\n" +
		"    {\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"[parameters('n')]\"}\n  ],\n" +
		"  \"parameters\": {\"n\": {\"type\": \"string\"}}\n}"
	set := evalSrc(t, src, WithSource("t.json"))
	c := set.Coverage
	if c.Declared != 4 || len(set.Resources) != 1 || len(c.LeftOut) != 3 {
		t.Fatalf("coverage %+v, %d resources", c, len(set.Resources))
	}
	want := []arm.LeftOut{
		{Pos: arm.Pos{File: "t.json", Line: 4, Column: 5}, Expr: "[pickZonez('x')]", Missing: "function pickZonez"},
		{Pos: arm.Pos{File: "t.json", Line: 5, Column: 5}, Expr: "[concat('a', notAFunction())]", Missing: "function notAFunction"},
		{Pos: arm.Pos{File: "t.json", Line: 6, Column: 5}, Expr: "[parameters('n')]"},
	}
	for i, w := range want {
		g := c.LeftOut[i]
		if g.Pos != w.Pos || g.Expr != w.Expr || g.Missing != w.Missing || g.Reason == "" {
			t.Errorf("left out %d = %+v, want %+v", i, g, w)
		}
	}
	if !strings.Contains(c.LeftOut[2].Reason, "only known at deployment time") {
		t.Errorf("reason %q", c.LeftOut[2].Reason)
	}
}

func TestParams(t *testing.T) {
	tp, err := ReadTemplate([]byte(`{"parameters": {
	  "s": {"type": "string"}, "n": {"type": "int", "defaultValue": 1}, "b": {"type": "bool", "defaultValue": false},
	  "o": {"$ref": "#/definitions/cfg"}, "arr": {"type": "array", "defaultValue": []}},
	  "definitions": {"cfg": {"type": "object", "nullable": true}},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[parameters('s')]",
	    "properties": {"n": "[parameters('n')]", "b": "[parameters('b')]", "o": "[parameters('o')]"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	file, err := ReadParametersFile("p.json", []byte("{\"parameters\": {\n  \"n\": {\"value\": \"7\"}\n}}"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Evaluate(tp, WithParams(map[string]Param{"s": {Value: "x"}, "n": file["n"]}))
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Name != "n" || pe.Type != "int" || pe.Pos.String() != "p.json:2:8" {
		t.Errorf("wrong type from a file: %v", err)
	}
	set, err := Evaluate(tp, WithParams(map[string]Param{
		"s": {Value: "true", Text: true}, "n": {Value: "7", Text: true}, "b": {Value: "true", Text: true}}))
	if err != nil {
		t.Fatal(err)
	}
	r := set.Resources[0]
	if r.Name != "true" || r.Prop("n") != 7.0 || r.Prop("b") != true || r.Properties["o"] != nil {
		t.Errorf("converted by declared type: %s %v", r.Name, r.Properties)
	}
	if _, err = Evaluate(tp, WithParams(map[string]Param{"s": {Value: "x"}, "zz": {Value: 1.0, Pos: arm.Pos{File: "--param"}}})); !errors.As(err, &pe) || pe.Name != "zz" {
		t.Errorf("undeclared: %v", err)
	}
	if set, _ := Evaluate(tp, WithParams(nil)); set == nil || len(set.Coverage.LeftOut) != 1 {
		t.Errorf("without WithRequiredParams a missing value is unknown: %+v", set)
	}
	if _, err = Evaluate(tp, WithParams(nil), WithRequiredParams()); !errors.As(err, &pe) || pe.Name != "s" || !strings.Contains(pe.Error(), "required") {
		t.Errorf("missing required: %v", err)
	}
	// Missing: placed at the declaration (line 2, the object after "s":).
	if _, err = Evaluate(tp, WithSource("t.json"), WithParams(nil), WithRequiredParams()); !errors.As(err, &pe) || pe.Pos.String() != "t.json:2:9" {
		t.Errorf("missing required not placed at its declaration: %v", err)
	}
	// A secure parameter is never required to analyse; a null default is
	// no default (ARM prompts for it).
	sec, err := ReadTemplate([]byte(`{"parameters": {"pw": {"type": "securestring"}, "cfg": {"type": "secureObject"},
	  "k": {"type": "string", "defaultValue": null}},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v", "properties": {"x": "[parameters('pw')]"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = Evaluate(sec, WithParams(nil), WithRequiredParams()); !errors.As(err, &pe) || pe.Name != "k" || len(pe.Missing) != 1 {
		t.Errorf("secure parameters must not be required, a null default must: %v", err)
	}
	if _, err = Evaluate(sec, WithParams(map[string]Param{"k": {Value: "x"}}), WithRequiredParams()); err != nil {
		t.Errorf("secure parameters not given: %v", err)
	}
	set, err = Evaluate(tp, WithParams(map[string]Param{"s": {Value: "[concat('a')]"}}))
	if err != nil || set.Resources[0].Name != "[concat('a')]" {
		t.Errorf("a value that looks like an expression is a literal: %v %v", err, set)
	}
}

// TestBicepForms: the forms Bicep emits for safe dereference (.? and [?]
// compile to tryGet), ?? (coalesce), nullable parameters, and whole
// property objects given as one expression.
func TestBicepForms(t *testing.T) {
	set := evalSrc(t, `{"languageVersion": "2.0",
	  "parameters": {"cfg": {"type": "object", "nullable": true}, "tags": {"$ref": "#/definitions/tags"},
	    "subnets": {"type": "array", "nullable": true}},
	  "definitions": {"tags": {"type": "object", "nullable": true}},
	  "resources": {
	    "vnet": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[coalesce(tryGet(parameters('cfg'), 'name'), 'vnet-default')]",
	      "tags": "[parameters('tags')]",
	      "properties": "[shallowMerge(createArray(createObject('addressSpace', createObject('addressPrefixes', createArray('10.0.0.0/16'))), if(empty(coalesce(parameters('subnets'), createArray())), createObject(), createObject('subnets', parameters('subnets')))))]"},
	    "vnet2": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet2",
	      "dependsOn": ["vnet"],
	      "properties": "[union(createObject('a', tryGet(tryGet(parameters('cfg'), 'x'), 'y')), createObject('b', tryGet(createArray(1), 3)), createObject('c', tryGet(createArray(1, 2), 1)))]"}}}`)
	got := byID(set)
	v := got[rg+"/providers/Microsoft.Network/virtualNetworks/vnet-default"]
	if v == nil || v.Tags != nil || arm.Lookup(v.Properties, "addressSpace.addressPrefixes.0") != "10.0.0.0/16" || v.Properties["subnets"] != nil {
		t.Fatalf("nullable parameters, tryGet and shallowMerge: %+v", v)
	}
	v2 := got[rg+"/providers/Microsoft.Network/virtualNetworks/vnet2"]
	if v2 == nil || v2.Properties["a"] != nil || v2.Properties["b"] != nil || v2.Properties["c"] != 2.0 {
		t.Fatalf("null propagation through tryGet: %+v", v2)
	}
	if len(v2.DependsOn) != 1 || v2.DependsOn[0] != string(v.ID) {
		t.Errorf("dependsOn a symbolic name: %v", v2.DependsOn)
	}
}

func TestExistingResources(t *testing.T) {
	set := evalSrc(t, `{"languageVersion": "2.0", "resources": {
	  "hub": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet-hub",
	    "subscriptionId": "s-hub", "resourceGroup": "rg-hub"},
	  "kv": {"existing": true, "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv1"},
	  "peer": {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01", "name": "spoke/to-hub",
	    "properties": {"remote": "[resourceInfo('hub')]", "remoteId": "[reference('hub', '2023-04-01', 'full').id]", "uri": "[reference('kv').vaultUri]"}}}}`)
	if len(set.Resources) != 1 || !set.Coverage.Complete() {
		t.Fatalf("resourceInfo: coverage %+v", set.Coverage)
	}
	if ri := set.Resources[0].Properties["remote"]; !cmp.Equal(ri, map[string]any{"apiVersion": "2023-04-01", "name": "vnet-hub",
		"type": "Microsoft.Network/virtualNetworks", "id": "/subscriptions/s-hub/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"}) {
		t.Errorf("resourceInfo('hub') = %v", ri)
	}
	set = evalSrc(t, `{"languageVersion": "2.0", "resources": {
	  "hub": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet-hub",
	    "subscriptionId": "s-hub", "resourceGroup": "rg-hub"},
	  "kv": {"existing": true, "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv1"},
	  "peer": {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-04-01", "name": "spoke/to-hub",
	    "properties": {"remoteId": "[reference('hub', '2023-04-01', 'full').id]", "uri": "[reference('kv').vaultUri]"}}}}`)
	if len(set.Resources) != 1 || set.Coverage.Declared != 1 {
		t.Fatalf("existing resources deploy nothing: %d resources, coverage %+v", len(set.Resources), set.Coverage)
	}
	p := set.Resources[0].Properties
	hub, _ := p["remoteId"].(arm.Unknown)
	kv, _ := p["uri"].(arm.Unknown)
	if hub.Ref != "/subscriptions/s-hub/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub" || kv.Ref != arm.ResourceID(rg+"/providers/Microsoft.KeyVault/vaults/kv1") || kv.Path != "vaultUri" {
		t.Errorf("references to existing resources: %+v %+v", hub, kv)
	}
}

// TestNullTakesTheDefault: a nested deployment given null for a parameter
// that has a default gets the default, as ARM binds it (Azure Verified
// Modules pass "[coalesce(..., null())]" to parameters defaulting to
// [1, 2, 3]); a nullable parameter without a default stays null.
func TestNullTakesTheDefault(t *testing.T) {
	set := evalSrc(t, `{"resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "m",
	  "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
	    "parameters": {"zones": {"value": "[null()]"}, "tag": {"value": null}},
	    "template": {"languageVersion": "2.0", "parameters": {"zones": {"type": "array", "defaultValue": [1, 2, 3]},
	      "tag": {"type": "string", "nullable": true}},
	      "resources": {"ip": {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "pip",
	        "zones": "[map(parameters('zones'), lambda('z', string(lambdaVariables('z'))))]",
	        "properties": {"t": "[coalesce(parameters('tag'), 'none')]"}}}}}}]}`)
	var ip *arm.Resource
	for i := range set.Resources {
		if set.Resources[i].Type == "Microsoft.Network/publicIPAddresses" {
			ip = set.Resources[i]
		}
	}
	if ip == nil || len(set.Coverage.LeftOut) != 0 {
		t.Fatalf("public IP not evaluated: %+v", set.Coverage.LeftOut)
	}
	if z := fmt.Sprint(ip.Zones); z != "[1 2 3]" || ip.Prop("t") != "none" {
		t.Errorf("zones %s, t %v: want the default [1 2 3] and none", z, ip.Prop("t"))
	}
	if set.Coverage.Deployments != 1 {
		t.Errorf("deployments evaluated %d, want 1", set.Coverage.Deployments)
	}
}

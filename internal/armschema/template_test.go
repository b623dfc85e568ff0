package armschema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const validTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "canadacentral", "metadata": {"description": "Region."}},
    "nodeCount": {"type": "int", "minValue": 1, "maxValue": 10, "defaultValue": 3}
  },
  "variables": {"vnetName": "vnet-spoke"},
  "resources": [
    {
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2025-07-01",
      "name": "[variables('vnetName')]",
      "location": "[parameters('location')]",
      "properties": {"addressSpace": {"addressPrefixes": ["10.240.0.0/16"]}},
      "resources": [
        {
          "type": "subnets",
          "apiVersion": "2025-07-01",
          "name": "snet-aks",
          "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]"],
          "properties": {"addressPrefix": "10.240.0.0/22", "defaultOutboundAccess": false}
        }
      ]
    },
    {
      "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
      "apiVersion": "2024-11-30",
      "name": "id-aks",
      "location": "[parameters('location')]",
      "properties": {}
    },
    {
      "condition": "[greater(parameters('nodeCount'), 0)]",
      "type": "Microsoft.Authorization/roleAssignments",
      "apiVersion": "2022-04-01",
      "name": "[guid(resourceGroup().id, 'id-aks')]",
      "scope": "[format('Microsoft.Network/virtualNetworks/{0}', variables('vnetName'))]",
      "dependsOn": ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-aks')]"],
      "properties": {
        "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4d97b98b-1d4f-4787-a291-c67834d212e7')]",
        "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-aks'), '2024-11-30').principalId]",
        "principalType": "ServicePrincipal"
      }
    },
    {
      "type": "Microsoft.Network/privateDnsZones",
      "apiVersion": "2024-06-01",
      "name": "privatelink.vaultcore.azure.net",
      "location": "global",
      "copy": {"name": "zones", "count": 1},
      "properties": {}
    }
  ],
  "outputs": {
    "vnetId": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]"}
  }
}`

// edit applies old->new replacements to the valid template, failing if one
// does not apply exactly once.
func edit(t *testing.T, pairs ...string) []byte {
	t.Helper()
	s := validTemplate
	for i := 0; i < len(pairs); i += 2 {
		if n := strings.Count(s, pairs[i]); n != 1 {
			t.Fatalf("edit %q: found %d times", pairs[i], n)
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

func TestValidateTemplate(t *testing.T) {
	v := testValidator(t)
	const (
		vnet   = "resources[0] (Microsoft.Network/virtualNetworks [variables('vnetName')])"
		subnet = "resources[0].resources[0] (Microsoft.Network/virtualNetworks/subnets snet-aks)"
		ra     = "resources[2] (Microsoft.Authorization/roleAssignments [guid(resourceGroup().id, 'id-aks')])"
	)
	tests := []struct {
		name string
		tmpl []byte
		want []Problem
	}{
		{name: "valid", tmpl: []byte(validTemplate)},
		{
			name: "envelope",
			tmpl: edit(t, `"contentVersion": "1.0.0.0",`, `"contentVersion": "1.0", "output": {},`),
			want: []Problem{
				{Path: "$.output", Message: `unknown template property "output": did you mean "outputs"?`},
				{Path: "$.contentVersion", Message: "want a version like 1.0.0.0, got 1.0"},
			},
		},
		{
			name: "missing required envelope keys",
			tmpl: []byte(`{"parameters": {}}`),
			want: []Problem{
				{Path: "$", Message: `missing required property "$schema"`},
				{Path: "$", Message: `missing required property "contentVersion"`},
				{Path: "$", Message: `missing required property "resources"`},
			},
		},
		{
			name: "parameter type",
			tmpl: edit(t, `"type": "int"`, `"type": "integer"`),
			want: []Problem{{Path: "$.parameters.nodeCount.type", Message: "value must be one of 'string', 'securestring', 'int', 'bool', 'object', 'secureObject', 'array'"}},
		},
		{
			name: "nested child misspelled",
			tmpl: edit(t, `"defaultOutboundAccess": false`, `"defaultOutboundAcess": false`),
			want: []Problem{{Resource: subnet, Path: "$.properties.defaultOutboundAcess", Message: `unknown property "defaultOutboundAcess": did you mean "defaultOutboundAccess"?`}},
		},
		{
			name: "top-level misspelled and wrong base key type",
			tmpl: edit(t, `"scope": "[format(`, `"scoep": "[format(`, `"condition": "[greater(parameters('nodeCount'), 0)]"`, `"condition": "yes"`),
			want: []Problem{
				{Resource: ra, Path: "$.condition", Message: "wrong type: got string, want boolean"},
				{Resource: ra, Path: "$.scoep", Message: `unknown property "scoep": did you mean "scope"?`},
			},
		},
		{
			name: "copy loop misspelled",
			tmpl: edit(t, `"count": 1`, `"count": 1, "mode": "Serial", "batchsize": 1`),
			want: []Problem{{
				Resource: "resources[3] (Microsoft.Network/privateDnsZones privatelink.vaultcore.azure.net)",
				Path:     "$.copy.batchsize", Message: `unknown property "batchsize": did you mean "batchSize"? (names are case-sensitive)`,
			}},
		},
		{
			name: "unknown apiVersion on nested child",
			tmpl: edit(t, `"type": "subnets",
          "apiVersion": "2025-07-01"`, `"type": "subnets",
          "apiVersion": "2025-09-01"`),
			want: []Problem{{Resource: subnet, Path: "$.apiVersion", Message: "no schema for Microsoft.Network/virtualNetworks/subnets at apiVersion 2025-09-01; versions in the schema folder: " + strings.Join(v.versionsOf("Microsoft.Network/virtualNetworks/subnets"), ", ") + " (newest 2025-07-01)"}},
		},
		{
			name: "resources not an array",
			tmpl: edit(t, `"properties": {"addressSpace": {"addressPrefixes": ["10.240.0.0/16"]}},`, `"properties": {"addressSpace": {"addressPrefixes": "10.240.0.0/16"}},`),
			want: []Problem{{Resource: vnet, Path: "$.properties.addressSpace.addressPrefixes", Message: "wrong type: got string, want array"}},
		},
		{
			name: "inline nested deployment",
			tmpl: edit(t, `"outputs": {`, `"outputs": {"x": {"type": "string", "value": "[reference('dns').outputs.id.value]"}, `,
				`"copy": {"name": "zones", "count": 1},`, `"copy": {"name": "zones", "count": 1},`,
				`    {
      "type": "Microsoft.Network/privateDnsZones",`, `    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2025-04-01",
      "name": "dns",
      "resourceGroup": "rg-hub",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": {"scope": "Inner"},
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "resources": [
            {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2024-06-01", "name": "privatelink.azurecr.io", "location": "global", "properties": {}, "zones": []}
          ]
        }
      }
    },
    {
      "type": "Microsoft.Network/privateDnsZones",`),
			want: []Problem{
				{Resource: "resources[3] (Microsoft.Resources/deployments dns)", Path: "$.properties.template", Message: `missing required property "contentVersion"`},
				{Resource: "resources[3].properties.template.resources[0] (Microsoft.Network/privateDnsZones privatelink.azurecr.io)", Path: "$.zones", Message: `unknown property "zones": the schema declares apiVersion, comments, condition, copy, dependsOn, etag, existing, location, name, properties, resources, scope, tags, type`},
			},
		},
		{
			name: "parse error",
			tmpl: []byte(`{"resources": [`),
			want: []Problem{{Path: "$", Message: "parse template: unexpected EOF"}},
		},
		{
			name: "symbolic names",
			tmpl: []byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "hub": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "vnet-hub", "existing": true},
    "id": {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2024-11-30", "name": "id-aks", "location": "eastus", "propertes": {}}
  }
}`),
			want: []Problem{
				{Resource: `resources["id"] (Microsoft.ManagedIdentity/userAssignedIdentities id-aks)`, Path: "$", Message: `missing required property "properties"`},
				{Resource: `resources["id"] (Microsoft.ManagedIdentity/userAssignedIdentities id-aks)`, Path: "$.propertes", Message: `unknown property "propertes": did you mean "properties"?`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := v.ValidateTemplate(tt.tmpl)
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "$.x", Message: "m"}, "$.x: m"},
		{Problem{Resource: "resources[0] (T n)", Path: "$.x", Message: "m"}, "resources[0] (T n): $.x: m"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if diff := cmp.Diff(tt.p.String(), tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

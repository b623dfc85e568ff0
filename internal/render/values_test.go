package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/render"
)

// outputsJSON is what `az deployment group show --query properties.outputs`
// and `az stack group show --query outputs` print for a privaks deployment.
const outputsJSON = `{
  "aksName": {"type": "String", "value": "aks-privaks"},
  "keyVaultName": {"type": "String", "value": "kv-privaks-0e1a84"},
  "tenantId": {"type": "String", "value": "72f988bf-86f1-41af-91ab-2d7cd011db47"},
  "workloadClientIds": {"type": "Object", "value": {
    "orders": "00000001-aaaa-4bbb-8ccc-000000000001",
    "billing": "00000002-aaaa-4bbb-8ccc-000000000002"}}
}`

func TestValuesFromOutputs(t *testing.T) {
	want := render.Values{
		TenantID:     "72f988bf-86f1-41af-91ab-2d7cd011db47",
		KeyVaultName: "kv-privaks-0e1a84",
		ClientIDs: map[string]string{
			"orders":  "00000001-aaaa-4bbb-8ccc-000000000001",
			"billing": "00000002-aaaa-4bbb-8ccc-000000000002",
		},
	}
	tests := []struct {
		name string
		doc  string
		want render.Values
	}{
		{"outputs object", outputsJSON, want},
		{"az deployment group show", `{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/d",
			"name": "d", "properties": {"provisioningState": "Succeeded", "outputs": ` + outputsJSON + `}}`, want},
		{"az stack group show (flattened)", `{"name": "privaks", "provisioningState": "succeeded",
			"deploymentId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/privaks-2026",
			"outputs": ` + outputsJSON + `}`, want},
		{"deployment stack REST", `{"name": "privaks", "properties": {"outputs": ` + outputsJSON + `}}`, want},
		{"camel-cased types and keys", strings.NewReplacer(`"tenantId"`, `"TenantId"`, `"String"`, `"string"`).Replace(outputsJSON), want},
		{"bare values", `{"tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
			"workloadClientIds": {"orders": "00000001-aaaa-4bbb-8ccc-000000000001"}}`,
			render.Values{TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
				ClientIDs: map[string]string{"orders": "00000001-aaaa-4bbb-8ccc-000000000001"}}},
		{"tenant only", `{"tenantId": {"type": "String", "value": "t"}}`, render.Values{TenantID: "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(tt.doc), &m); err != nil {
				t.Fatal(err)
			}
			got, err := render.ValuesFromOutputs(m)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("values (-got +want):\n%s", diff)
			}
		})
	}
}

func TestValuesFromOutputsErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"not privaks outputs", `{"id": "x", "properties": {"outputs": {"other": {"type": "String", "value": "v"}}}}`,
			`neither "tenantId" nor "workloadClientIds" is present`},
		{"client IDs not an object", `{"workloadClientIds": {"type": "Array", "value": ["a"]}}`,
			`read output "workloadClientIds": want an object of workload name to client ID, got an array`},
		{"client ID not a string", `{"workloadClientIds": {"type": "Object", "value": {"orders": 7}}}`,
			`read output "workloadClientIds": workload "orders": want a client ID string, got a number`},
		{"tenant not a string", `{"tenantId": {"type": "Object", "value": {}}}`,
			`read output "tenantId": want a string, got an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(tt.doc), &m); err != nil {
				t.Fatal(err)
			}
			_, err := render.ValuesFromOutputs(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

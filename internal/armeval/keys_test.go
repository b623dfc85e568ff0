package armeval

import (
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

func TestExpressionPropertyNames(t *testing.T) {
	tmpl := &arm.Template{Resources: []arm.Resource{{
		Type: "Microsoft.ContainerService/managedClusters", APIVersion: "2026-05-01", Name: "aks",
		Identity: map[string]any{"type": "UserAssigned", "userAssignedIdentities": map[string]any{
			"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id')]": map[string]any{}}},
		Properties: map[string]any{},
	}}}
	set, err := Evaluate(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	ids := arm.Lookup(set.Resources[0].Identity, "userAssignedIdentities").(map[string]any)
	want := string(arm.DefaultScope.ID("Microsoft.ManagedIdentity/userAssignedIdentities", "id"))
	if _, ok := ids[want]; !ok || len(ids) != 1 {
		t.Errorf("key not evaluated: %v, want %s", ids, want)
	}
}

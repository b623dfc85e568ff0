package armeval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
)

func TestReadTemplateJSONC(t *testing.T) {
	src := "\xef\xbb\xbf{\n" +
		"  // line comment with \"quotes\" and /* */\n" +
		"  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", /* block\n comment */\n" +
		"  \"resources\": [\n" +
		"    {\"TYPE\": \"Microsoft.Network/virtualNetworks\", \"ApiVersion\": \"2023-04-01\", \"NAME\": \"v//not-a-comment\",\n" +
		"     \"Properties\": {\"script\": \"line1\nline2\", \"url\": \"https://x/*y*/\",},},\n" +
		"  ],\n" +
		"}\n"
	tp, err := ReadTemplate([]byte(src))
	if err != nil {
		t.Fatalf("ReadTemplate: %v", err)
	}
	if len(tp.Resources) != 1 {
		t.Fatalf("resources = %d", len(tp.Resources))
	}
	r := tp.Resources[0]
	if r.Type != "Microsoft.Network/virtualNetworks" || r.Name != "v//not-a-comment" || r.APIVersion != "2023-04-01" {
		t.Errorf("resource %+v", r)
	}
	want := map[string]any{"script": "line1\nline2", "url": "https://x/*y*/"}
	if diff := cmp.Diff(r.Properties, want); diff != "" {
		t.Errorf("properties (-got +want):\n%s", diff)
	}
}

func TestReadTemplateErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax position", "{\n  // c\n  \"resources\": [\n    {\"type\": }\n  ]\n}", "read template at 4:14"},
		{"position after multi-line string", "{\"a\": \"x\ny\", \"resources\": [}", "read template at 2:"},
		{"not object", "[]", "read template"},
		{"no resources", `{"$schema": "x"}`, `no "resources"`},
		{"empty", "", "read template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTemplate([]byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadTemplate error = %v, want containing %q", err, tt.want)
			}
		})
	}
}

func TestReadTemplateSymbolic(t *testing.T) {
	tp, err := ReadTemplate([]byte(`{"languageVersion": "2.0", "resources": {
	  "b": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vb"},
	  "old": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vx"},
	  "a": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "va"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range tp.Resources {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff(names, []string{"va", "vb", "vx"}); diff != "" {
		t.Errorf("symbolic resources (-got +want):\n%s", diff)
	}
	set, err := Evaluate(tp)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Resources) != 2 || set.Coverage.Declared != 2 {
		t.Errorf("an existing resource deploys nothing: %d resources, %d declared", len(set.Resources), set.Coverage.Declared)
	}
}

func TestReadParameters(t *testing.T) {
	p, err := ReadParameters([]byte(`{
	  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
	  "contentVersion": "1.0.0.0",
	  // comment
	  "parameters": {
	    "looksLikeExpr": {"value": "[guid--security-group-objectid]"},
	    "n": {"value": 3},
	    "arr": {"value": ["a"]},
	    "pw": {"reference": {"keyVault": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "admin"}}
	  }}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"looksLikeExpr": "[guid--security-group-objectid]",
		"n":             3.0,
		"arr":           []any{"a"},
		"pw": arm.Unknown{
			Expr: "keyVaultReference('/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv', 'admin')",
			Ref:  "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv", Path: "secrets/admin",
		},
	}
	if diff := cmp.Diff(p, want); diff != "" {
		t.Errorf("parameters (-got +want):\n%s", diff)
	}
	if _, err := ReadParameters([]byte(`{"parameters": {"x": 1}}`)); err == nil || !strings.Contains(err.Error(), `read parameter "x"`) {
		t.Errorf("bad parameter entry: error %v", err)
	}
	if _, err := ReadParameters([]byte(`{"parameters": {"x": {"nothing": 1}}}`)); err == nil {
		t.Errorf("parameter without value accepted")
	}
}

package armeval_test

import (
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
)

// Every resource the evaluator deploys carries where its object starts,
// children written inside their parent and copies included, and Merge
// keeps those places; explain prints them.
func TestResourcePositions(t *testing.T) {
	src := `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.azurecr.io", "location": "global",
      "resources": [
          {"type": "virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "to-hub", "location": "global",
           "dependsOn": ["privatelink.azurecr.io"], "properties": {"registrationEnabled": false}}
      ]
    },
    {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": "[concat('pip', copyIndex())]", "location": "x",
     "copy": {"name": "pips", "count": 2}}
  ]
}`
	tm, err := armeval.ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tm, armeval.WithSource("hub.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"privatelink.azurecr.io":        "hub.json:5:5",
		"privatelink.azurecr.io/to-hub": "hub.json:8:11",
		"pip0":                          "hub.json:12:5",
		"pip1":                          "hub.json:12:5",
	}
	for _, r := range set.Resources {
		if got := set.PosOf(r.ID).String(); got != want[r.Name] {
			t.Errorf("%s %s at %q, want %q", r.Type, r.Name, got, want[r.Name])
		}
	}
	other := &arm.Set{Source: "spoke.json"}
	other.Add(&arm.Resource{Type: "Microsoft.Network/virtualNetworks", Name: "vnet", ID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"})
	merged, _ := arm.Merge(set, other)
	for _, r := range merged.Resources {
		w := want[r.Name]
		if r.Name == "vnet" {
			w = "spoke.json" // no position recorded: the origin's file
		}
		if got := merged.PosOf(r.ID).String(); got != w {
			t.Errorf("merged: %s at %q, want %q", r.Name, got, w)
		}
	}
}

// A template on one line (json.Marshal's output) places each resource by
// its column, counted in runes: marks after the first continue the count
// instead of starting over.
func TestResourcePositionsOneLine(t *testing.T) {
	src := `{"resources":[{"type":"Microsoft.Network/publicIPAddresses","apiVersion":"2024-05-01","name":"é1","location":"x"},` +
		`{"type":"Microsoft.Network/publicIPAddresses","apiVersion":"2024-05-01","name":"ü2","location":"x"}]}`
	tm, err := armeval.ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tm, armeval.WithSource("one.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"é1": "one.json:1:15", "ü2": "one.json:1:115"}
	for _, r := range set.Resources {
		if got := set.PosOf(r.ID).String(); got != want[r.Name] {
			t.Errorf("%s at %q, want %q", r.Name, got, want[r.Name])
		}
	}
}

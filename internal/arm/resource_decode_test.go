package arm

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roundTrip is how UnmarshalJSON read the known keys before decodeFields:
// lower-cased keys marshalled into one object and decoded into the struct.
func roundTrip(b []byte) (Resource, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return Resource{}, err
	}
	norm := map[string]json.RawMessage{}
	for k, v := range raw {
		if knownKeys[strings.ToLower(k)] {
			norm[strings.ToLower(k)] = v
		}
	}
	type fields struct {
		Type       string         `json:"type"`
		APIVersion string         `json:"apiversion"`
		Name       string         `json:"name"`
		Scope      string         `json:"scope"`
		Location   string         `json:"location"`
		Tags       any            `json:"tags"`
		Kind       string         `json:"kind"`
		SKU        any            `json:"sku"`
		Identity   any            `json:"identity"`
		Zones      any            `json:"zones"`
		Properties map[string]any `json:"properties"`
		DependsOn  []string       `json:"dependson"`
		Condition  any            `json:"condition"`
		Copy       map[string]any `json:"copy"`
	}
	nb, _ := json.Marshal(norm)
	var f fields
	err := json.Unmarshal(nb, &f)
	return Resource{Type: f.Type, APIVersion: f.APIVersion, Name: f.Name, Scope: f.Scope, Location: f.Location, Tags: f.Tags,
		Kind: f.Kind, SKU: f.SKU, Identity: f.Identity, Zones: f.Zones, Properties: f.Properties, DependsOn: f.DependsOn,
		Condition: f.Condition, Copy: f.Copy}, err
}

// TestUnmarshalKnownKeysAsRoundTrip: decoding each known key in place gives
// the fields, and the errors, the round trip through one object gave.
func TestUnmarshalKnownKeysAsRoundTrip(t *testing.T) {
	for _, in := range []string{
		`{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "v", "location": "[parameters('l')]",
		  "Properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "n": 1.5, "b": true, "z": null},
		  "DependsOn": ["a", "b"], "tags": {"x": "y"}, "sku": {"name": "Premium"}, "kind": "StorageV2", "zones": ["1"],
		  "identity": {"type": "SystemAssigned"}, "condition": "[equals(1, 1)]", "copy": {"name": "c", "count": 3}, "scope": "s"}`,
		`{"TYPE": "t", "NAME": "n", "properties": null, "tags": null, "dependsOn": null}`,
		`{"type": "t", "name": "n", "condition": false, "comments": "kept in Extra", "plan": {"name": "p"}}`,
		`{}`,
		`{"type": 5, "name": "n"}`,
		`{"type": "t", "properties": "[variables('p')]"}`,
		`{"type": "t", "dependsOn": "a"}`,
		`{"type": "t", "copy": [1]}`,
	} {
		var got Resource
		gotErr := got.UnmarshalJSON([]byte(in))
		want, wantErr := roundTrip([]byte(in))
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%s: error %v, want %v", in, gotErr, wantErr)
			continue
		}
		if gotErr != nil {
			continue
		}
		got.Extra = nil
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-round trip +in place):\n%s", in, diff)
		}
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplateParameterErrors: parameter values that do not fit the
// template are bad input (exit 2) naming the parameter, its declared type
// and where the value was given; --param values are converted to the
// declared type.
func TestTemplateParameterErrors(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "t.json")
	os.WriteFile(tmpl, []byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "parameters": {"name": {"type": "string", "defaultValue": "vnet"}, "count": {"type": "int", "defaultValue": 1}},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[parameters('name')]",
	    "location": "eastus2", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}]}`), 0o644)
	params := filepath.Join(dir, "p.json")
	os.WriteFile(params, []byte("{\"parameters\": {\n  \"count\": {\"value\": \"two\"}\n}}"), 0o644)
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--param", "count=two"}, []string{`parameter "count" (int)`, "--param count", `"two" is not an integer`}},
		{[]string{"--param", "nope=1"}, []string{`parameter "nope"`, "declares no such parameter"}},
		{[]string{"--parameters", params}, []string{params + ":2:12", `parameter "count" (int)`, "string, not int"}},
	} {
		code, out, errOut := run(t, append([]string{"verify", "--template", tmpl}, tt.args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s%s", tt.args, code, out, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tt.args, w, errOut)
			}
		}
	}
	// A string parameter given true stays the string "true".
	if code, out, errOut := run(t, "verify", "--template", tmpl, "--param", "name=true", "--param", "count=3"); code == 2 {
		t.Errorf("converted --param values refused: exit %d\n%s%s", code, out, errOut)
	}
}

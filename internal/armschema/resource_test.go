package armschema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/privaks/privaks/internal/testenv"
)

func TestValidateResourceEdges(t *testing.T) {
	v := testValidator(t)
	tests := []struct {
		name string
		res  string
		want []Problem
	}{
		{
			name: "type is case-insensitive",
			res:  `{"type": "microsoft.network/VIRTUALNETWORKS", "apiVersion": "2025-07-01", "name": "v", "properties": {}}`,
		},
		{
			name: "unknown type in a known namespace",
			res:  `{"type": "Microsoft.Network/virtualNetworkz", "apiVersion": "2025-07-01", "name": "v", "properties": {}}`,
			want: []Problem{{Path: "$.apiVersion", Message: "unknown resource type Microsoft.Network/virtualNetworkz: no API version of the Microsoft.Network schemas in the folder defines it"}},
		},
		{
			name: "unknown namespace",
			res:  `{"type": "Contoso.Widgets/widgets", "apiVersion": "2025-07-01", "name": "w"}`,
			want: []Problem{{Path: "$.apiVersion", Message: "unknown resource type Contoso.Widgets/widgets: the schema folder has no files for namespace Contoso.Widgets"}},
		},
		{
			name: "missing type",
			res:  `{"apiVersion": "2025-07-01", "name": "w"}`,
			want: []Problem{{Path: "$", Message: `missing required property "type"`}},
		},
		{
			name: "missing apiVersion",
			res:  `{"type": "Microsoft.Network/virtualNetworks", "name": "w"}`,
			want: []Problem{{Path: "$", Message: `missing required property "apiVersion" (Microsoft.Network/virtualNetworks)`}},
		},
		{
			name: "expression apiVersion",
			res:  `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "[variables('v')]", "name": "w"}`,
			want: []Problem{{Path: "$.apiVersion", Message: "apiVersion must be a literal API version, got [variables('v')]"}},
		},
		{
			name: "top-level child with too few name segments",
			res:  `{"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01", "name": "snet", "properties": {}}`,
			want: []Problem{{Path: "$.name", Message: `name "snet" has 1 segment(s) but type Microsoft.Network/virtualNetworks/subnets needs 2 (each parent's name, then the resource's own, separated by /)`}},
		},
		{
			name: "nested child located below the parent",
			res: `{"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2024-06-01", "name": "z", "location": "global", "properties": {},
			  "resources": [{"type": "virtualNetworkLinks", "apiVersion": "2024-06-01", "name": "l", "location": "global",
			    "properties": {"virtualNetwork": {"id": "x"}, "resolutionPolicy": "Sometimes"}}]}`,
			want: []Problem{{Path: "$.resources[0].properties.resolutionPolicy", Message: "value must be one of 'Default', 'NxDomainRedirect'"}},
		},
		{
			name: "enum casing",
			res: `{"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2024-06-01", "name": "z/l", "location": "global",
			  "properties": {"virtualNetwork": {"id": "x"}, "resolutionPolicy": "nxdomainredirect"}}`,
			want: []Problem{{Path: "$.properties.resolutionPolicy", Message: "value must be one of 'Default', 'NxDomainRedirect'; did you mean 'NxDomainRedirect'? (the schema's enums are case-sensitive)"}},
		},
		{
			name: "expressions inside arrays and maps pass",
			res: `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "v", "tags": {"a": "[parameters('t')]"},
			  "properties": {"addressSpace": {"addressPrefixes": "[parameters('prefixes')]"}, "subnets": ["[variables('subnet0')]", {"name": "s", "properties": {"addressPrefix": "[parameters('p')]", "defaultOutboundAccess": "[parameters('b')]"}}]}}`,
		},
		{
			name: "escaped [[ is a plain string",
			res:  `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "v", "properties": {"enableDdosProtection": "[[true]"}}`,
			want: []Problem{{Path: "$.properties.enableDdosProtection", Message: "wrong type: got string, want boolean"}},
		},
		{
			name: "open map values checked against additionalProperties",
			res:  `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "v", "properties": {}, "tags": {"ok": "x", "n": 1}}`,
			want: []Problem{{Path: "$.tags.n", Message: "wrong type: got number, want string"}},
		},
		{
			name: "empty-object map values are strict",
			res: `{"type": "Microsoft.Network/applicationGateways", "apiVersion": "2025-07-01", "name": "agw", "properties": {},
			  "identity": {"type": "UserAssigned", "userAssignedIdentities": {"[variables('id')]": {"principalId": "p"}, "[variables('id2')]": {}}}}`,
			want: []Problem{{Path: `$.identity.userAssignedIdentities['[variables(\'id\')]'].principalId`, Message: `unknown property "principalId": the schema declares no properties here`}},
		},
		{
			name: "property copy loop is expanded and its problems mapped back",
			res: `{"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2026-03-01", "name": "vm", "location": "x",
			  "properties": {"storageProfile": {"copy": [{"name": "dataDisks", "count": "[parameters('n')]",
			    "input": {"lun": "[copyIndex('dataDisks')]", "createOption": "Empty", "diskSizeGB": "big", "cachng": "None"}}]}}}`,
			want: []Problem{
				{Path: "$.properties.storageProfile.copy[0].input.diskSizeGB", Message: "wrong type: got string, want integer"},
				{Path: "$.properties.storageProfile.copy[0].input.cachng", Message: `unknown property "cachng": did you mean "caching"?`},
			},
		},
		{
			name: "malformed property copy loop",
			res: `{"type": "Microsoft.Network/ipGroups", "apiVersion": "2025-07-01", "name": "ipg", "location": "x",
			  "properties": {"copy": [{"name": "ipAddresses", "count": 2, "input": "[parameters('ips')[copyIndex('ipAddresses')]]", "mode": "Serial"}, {"name": "x"}]}}`,
			want: []Problem{
				{Path: "$.properties.copy[0].mode", Message: `unknown property "mode": a property copy loop has name, count, input`},
				{Path: "$.properties.copy[1]", Message: "a property copy loop needs a literal name, a count and an input"},
			},
		},
		{
			name: "nested deployment may target a resource group",
			res: `{"type": "Microsoft.Resources/deployments", "apiVersion": "2025-04-01", "name": "d", "resourceGroup": "rg-hub", "subscriptionId": 7,
			  "properties": {"mode": "Incremental", "template": {"resources": []}}}`,
			want: []Problem{{Path: "$.subscriptionId", Message: "wrong type: got integer, want string"}},
		},
		{
			name: "odd property names are quoted in paths",
			res:  `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "v", "properties": {"odd name": 1}}`,
			want: []Problem{{Path: "$.properties['odd name']", Message: `unknown property "odd name": the schema declares ` + declared(t, v, "Microsoft.Network/virtualNetworks", "2025-07-01")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := v.ValidateResource(parseJSON(t, tt.res))
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

// declared lists the names a resource's properties object declares, as the
// "unknown property" hint renders them.
func declared(t *testing.T, v *Validator, typ, api string) string {
	t.Helper()
	def, err := v.findDef(typ, api)
	if err != nil || def == nil {
		t.Fatalf("findDef(%s, %s) = %v, %v", typ, api, def, err)
	}
	w := &walker{v: v}
	top := sref{doc: def.doc, ptr: def.ptr, node: def.node}
	flat := w.flatten([]sref{top.child("properties", "properties")}, map[string]any{})
	var names []string
	for _, r := range flat {
		for k := range asMap(r.obj()["properties"]) {
			names = append(names, k)
		}
	}
	h := hint("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", names)
	return strings.TrimPrefix(h, "the schema declares ")
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func TestIsExpression(t *testing.T) {
	tests := []struct {
		v    any
		want bool
	}{
		{"[parameters('x')]", true},
		{"[]", true},
		{"[[escaped]", false},
		{"plain", false},
		{"[unterminated", false},
		{42, false},
		{nil, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.v), func(t *testing.T) {
			if got := IsExpression(tt.v); got != tt.want {
				t.Errorf("IsExpression(%v) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

func TestLoaderIsLocalOnly(t *testing.T) {
	v := testValidator(t)
	l := localLoader{v}
	for _, url := range []string{
		"https://example.com/schemas/2025-07-01/Microsoft.Network.NRP.json",
		"http://schema.management.azure.com/schemas/2025-07-01/Microsoft.Network.NRP.json",
		"file:///etc/passwd",
		SchemaBaseURL + "../../etc/passwd.json",
		SchemaBaseURL + "2025-07-01/Nope.json",
	} {
		t.Run(url, func(t *testing.T) {
			if _, err := l.Load(url); err == nil {
				t.Errorf("Load(%s) succeeded, want an error", url)
			}
		})
	}
	if _, err := l.Load(SchemaBaseURL + "common/definitions.json#/definitions/expression"); err != nil {
		t.Errorf("Load(common/definitions.json): %v", err)
	}
}

func TestLenientRegexp(t *testing.T) {
	v := testValidator(t)
	v.mu.Lock()
	re, err := v.regexpEngine(`^(?!-)[a-z]+$`)
	v.mu.Unlock()
	if err != nil {
		t.Fatalf("regexpEngine: %v", err)
	}
	if !re.MatchString("-anything") {
		t.Errorf("look-ahead pattern should match anything")
	}
	found := false
	for _, p := range v.Stats().LenientRegexps {
		found = found || p == `^(?!-)[a-z]+$`
	}
	if !found {
		t.Errorf("pattern not recorded in Stats().LenientRegexps")
	}
	v.mu.Lock()
	re, _ = v.regexpEngine(`^[a-z]+$`)
	v.mu.Unlock()
	if re.MatchString("-x") {
		t.Errorf("RE2 pattern should still be enforced")
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	noCommon := t.TempDir()
	if err := os.Mkdir(filepath.Join(noCommon, "2025-07-01"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"missing": filepath.Join(empty, "nope"), "no versions": empty, "no common": noCommon} {
		t.Run(name, func(t *testing.T) {
			if _, err := Load(dir); err == nil {
				t.Errorf("Load(%s) succeeded, want an error", dir)
			}
		})
	}
}

// TestFilesLoadedOnce checks that a second Validator reads each schema file
// once however many resources use it, and that concurrent use is safe.
func TestFilesLoadedOnce(t *testing.T) {
	v, err := Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range allFixtures() {
				if ps := v.ValidateResource(parseJSON(t, f.json)); len(ps) != 0 {
					t.Errorf("%s: %v", f.name, ps)
				}
			}
		}()
	}
	wg.Wait()
	// NRP, privateDns, Aks, ContainerRegistry, KeyVault, Compute,
	// Compute.Extensions, ManagedIdentity, Authorization, common/definitions
	// and the deployment template schema.
	if got, want := v.Stats().FilesLoaded, 11; got != want {
		t.Errorf("FilesLoaded = %d, want %d", got, want)
	}
}

package armeval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
)

// evalIn evaluates one JSON string value in a template that declares the
// given parameters (supplied as literals) and variables.
func evalIn(t *testing.T, s string, params, vars map[string]any) (any, error) {
	t.Helper()
	tp := &arm.Template{Parameters: map[string]arm.Parameter{}, Variables: vars}
	for k := range params {
		tp.Parameters[k] = arm.Parameter{Type: "string"}
	}
	tp.Parameters["missing"] = arm.Parameter{Type: "string"}
	tp.Parameters["now"] = arm.Parameter{Type: "string", DefaultValue: "[utcNow('u')]"}
	tp.Parameters["gid"] = arm.Parameter{Type: "string", DefaultValue: "[newGuid()]"}
	tp.Parameters["withDefault"] = arm.Parameter{Type: "string", DefaultValue: "[concat('d-', resourceGroup().name)]"}
	ev := newEvaluator(arm.DefaultScope, "test")
	sc := newScope(atResourceGroup, arm.DefaultScope, "")
	x := ev.newTemplate(tp, params, sc, sc, "dep", nil)
	return x.frame().evalString(s)
}

const (
	sub = "00000000-0000-0000-0000-000000000000"
	rg  = "/subscriptions/" + sub + "/resourceGroups/rg-privaks"
)

func TestFunctions(t *testing.T) {
	params := map[string]any{
		"name":   "Web",
		"list":   []any{"a", "b", "c"},
		"obj":    map[string]any{"Key": "v", "nested": map[string]any{"x": 1.0}},
		"n":      3.0,
		"looksX": "[guid--not-an-expression]",
	}
	vars := map[string]any{
		"prefix":  "[toLower(parameters('name'))]",
		"derived": "[concat(variables('prefix'), '-app')]",
		"copy": []any{map[string]any{
			"name": "disks", "count": 2.0,
			"input": map[string]any{"lun": "[copyIndex('disks')]"},
		}},
	}
	tests := []struct {
		name, expr string
		want       any
	}{
		// literals and escaping
		{"literal", "plain", "plain"},
		{"bracket escape", "[[notAnExpression]", "[notAnExpression]"},
		{"quote escape", "['it''s']", "it's"},
		{"number", "[42]", 42.0},
		// parameters and variables, case-insensitive
		{"parameter", "[parameters('name')]", "Web"},
		{"parameter case", "[PARAMETERS('NAME')]", "Web"},
		{"parameter literal", "[parameters('looksX')]", "[guid--not-an-expression]"},
		{"default", "[parameters('withDefault')]", "d-rg-privaks"},
		{"missing", "[parameters('missing')]", arm.Unknown{Expr: "parameters('missing')"}},
		{"variable chain", "[variables('derived')]", "web-app"},
		{"variable copy", "[variables('disks')]", []any{map[string]any{"lun": 0.0}, map[string]any{"lun": 1.0}}},
		{"property fold", "[parameters('obj').key]", "v"},
		{"index string", "[parameters('obj')['nested'].x]", 1.0},
		{"index int", "[parameters('list')[1]]", "b"},
		// strings
		{"concat", "[concat('a', 1, 'b', true())]", "a1bTrue"},
		{"concat arrays", "[concat(parameters('list'), createArray('d'))]", []any{"a", "b", "c", "d"}},
		{"format", "[format('{0}-{1:D3}-{{x}}', 'a', 7)]", "a-007-{x}"},
		{"format N0", "[format('{0:N0}', 8175133)]", "8,175,133"},
		{"format align", "[format('[{0,4}|{1,-3}]', 'a', 'b')]", "[   a|b  ]"},
		{"toLower", "[toLower('ABC')]", "abc"},
		{"toUpper", "[ToUpper('abc')]", "ABC"},
		{"replace", "[replace('a-b-c', '-', '')]", "abc"},
		{"substring", "[substring('hello', 1, 3)]", "ell"},
		{"substring tail", "[substring('hello', 2)]", "llo"},
		{"split", "[split('a/b//c', '/')]", []any{"a", "b", "", "c"}},
		{"split many", "[split('a,b;c', createArray(',', ';'))]", []any{"a", "b", "c"}},
		{"join", "[join(parameters('list'), '+')]", "a+b+c"},
		{"length string", "[length('héllo')]", 5.0},
		{"length array", "[length(parameters('list'))]", 3.0},
		{"startsWith fold", "[startsWith('Hello', 'he')]", true},
		{"endsWith", "[endsWith('Hello', 'LO')]", true},
		{"indexOf fold", "[indexOf('abcABC', 'C')]", 2.0},
		{"lastIndexOf", "[lastIndexOf('abcabc', 'b')]", 4.0},
		{"indexOf missing", "[indexOf('abc', 'z')]", -1.0},
		{"trim", "[trim('  a b  ')]", "a b"},
		{"padLeft", "[padLeft('7', 3, '0')]", "007"},
		{"padLeft int", "[padLeft(42, 5)]", "   42"},
		{"base64", "[base64('one, two')]", "b25lLCB0d28="},
		{"base64ToString", "[base64ToString('b25lLCB0d28=')]", "one, two"},
		{"dataUri", "[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8="},
		{"dataUriToString", "[dataUriToString('data:;base64,SGVsbG8=')]", "Hello"},
		{"uri", "[uri('http://contoso.org/firstpath', 'myscript.sh')]", "http://contoso.org/myscript.sh"},
		{"uriComponent", "[uriComponent('a b/c')]", "a%20b%2Fc"},
		{"uriComponentToString", "[uriComponentToString('a%20b%2Fc')]", "a b/c"},
		{"string int", "[string(5)]", "5"},
		{"string bool", "[string(false())]", "False"},
		{"string object", "[string(createObject('a', 1))]", `{"a":1}`},
		{"uniqueString", "[uniqueString('test')]", "rbgf3xv4ufgzg"},
		{"uniqueString args", "[uniqueString('hello', 'world')]", "a7wkljktk6wne"},
		{"guid", "[guid('a', 'b')]", guid("a-b")},
		{"json", "[json('{\"a\": [1, null]}')]", map[string]any{"a": []any{1.0, nil}}},
		{"json null", "[json('null')]", nil},
		// logic and comparison
		{"equals", "[equals('a', 'a')]", true},
		{"equals case", "[equals('a', 'A')]", false},
		{"equals arrays", "[equals(createArray(1, 'x'), createArray(1, 'x'))]", true},
		{"not", "[not(equals(1, 2))]", true},
		{"and", "[and(true(), true(), false())]", false},
		{"or", "[or(false(), true())]", true},
		{"if true", "[if(equals(1, 1), 'yes', 'no')]", "yes"},
		{"if lazy", "[if(false(), parameters('undeclared'), 'ok')]", "ok"},
		{"bool string", "[bool('TRUE')]", true},
		{"bool int", "[bool(0)]", false},
		{"int", "[int('42')]", 42.0},
		{"greater", "[greater(2, 1)]", true},
		{"greaterOrEquals", "[greaterOrEquals('a', 'b')]", false},
		{"less", "[less(1, 2)]", true},
		{"lessOrEquals", "[lessOrEquals(2, 2)]", true},
		// numbers
		{"add", "[add(1, 2)]", 3.0},
		{"sub", "[sub(1, 2)]", -1.0},
		{"mul", "[mul(3, 4)]", 12.0},
		{"div", "[div(7, 2)]", 3.0},
		{"mod", "[mod(7, 2)]", 1.0},
		{"min", "[min(3, 1, 2)]", 1.0},
		{"max array", "[max(createArray(3, 5, 2))]", 5.0},
		{"range", "[range(5, 3)]", []any{5.0, 6.0, 7.0}},
		// collections
		{"createArray", "[createArray('a', 1)]", []any{"a", 1.0}},
		{"createObject", "[createObject('a', 1, 'b', 'x')]", map[string]any{"a": 1.0, "b": "x"}},
		{"union objects", "[union(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2)))]",
			map[string]any{"a": 1.0, "b": 2.0, "n": map[string]any{"x": 1.0, "y": 2.0}}},
		{"union arrays", "[union(createArray(1, 2), createArray(2, 3))]", []any{1.0, 2.0, 3.0}},
		{"intersection", "[intersection(createArray(1, 2, 3), createArray(3, 2))]", []any{2.0, 3.0}},
		{"intersection objects", "[intersection(createObject('a', 1, 'b', 2), createObject('a', 1, 'b', 3))]", map[string]any{"a": 1.0}},
		{"first", "[first(parameters('list'))]", "a"},
		{"last string", "[last('xyz')]", "z"},
		{"first empty", "[first(createArray())]", nil},
		{"take", "[take(parameters('list'), 2)]", []any{"a", "b"}},
		{"take too many", "[take('ab', 5)]", "ab"},
		{"skip", "[skip(parameters('list'), 2)]", []any{"c"}},
		{"contains string", "[contains('OneTwo', 'Two')]", true},
		{"contains string case", "[contains('OneTwo', 'two')]", false},
		{"contains array", "[contains(parameters('list'), 'b')]", true},
		{"contains object key", "[contains(parameters('obj'), 'KEY')]", true},
		{"empty", "[empty(createArray())]", true},
		{"empty string", "[empty('')]", true},
		{"empty object", "[empty(parameters('obj'))]", false},
		{"coalesce", "[coalesce(null(), null(), 'x')]", "x"},
		{"array", "[array('x')]", []any{"x"}},
		{"items", "[items(createObject('b', 2, 'a', 1))]", []any{map[string]any{"key": "a", "value": 1.0}, map[string]any{"key": "b", "value": 2.0}}},
		{"tryGet", "[tryGet(parameters('obj'), 'nope')]", nil},
		// deployment functions
		{"resourceGroup", "[resourceGroup().id]", rg},
		{"resourceGroup location", "[resourceGroup().location]", "canadacentral"},
		{"subscription", "[subscription().subscriptionId]", sub},
		{"subscription id", "[subscription().id]", "/subscriptions/" + sub},
		{"tenant", "[subscription().tenantId]", sub},
		{"tenant()", "[tenant().tenantId]", sub},
		{"deployment", "[deployment().name]", "dep"},
		{"environment", "[environment().name]", "AzureCloud"},
		{"keyvault suffix", "[environment().suffixes.keyvaultDns]", ".vault.azure.net"},
		{"storage suffix", "[environment().suffixes.storage]", "core.windows.net"},
		{"acr suffix", "[environment().suffixes.acrLoginServer]", ".azurecr.io"},
		{"resourceId", "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]", rg + "/providers/Microsoft.Network/virtualNetworks/vnet"},
		{"resourceId child", "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]", rg + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"},
		{"resourceId rg", "[resourceId('other', 'Microsoft.Network/virtualNetworks', 'vnet')]", "/subscriptions/" + sub + "/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/vnet"},
		{"resourceId sub rg", "[resourceId('s2', 'other', 'Microsoft.Network/virtualNetworks', 'vnet')]", "/subscriptions/s2/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/vnet"},
		{"resourceId trailing slash", "[resourceId('Microsoft.OperationalInsights/workspaces/', 'la')]", rg + "/providers/Microsoft.OperationalInsights/workspaces/la"},
		{"subscriptionResourceId", "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r1')]", "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/r1"},
		{"tenantResourceId", "[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]", "/providers/Microsoft.Authorization/policyDefinitions/p"},
		{"extensionResourceId", "[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'l')]", rg + "/providers/Microsoft.Authorization/locks/l"},
		// runtime-only values
		{"utcNow", "[parameters('now')]", arm.Unknown{Expr: "utcNow('u')"}},
		{"newGuid", "[parameters('gid')]", arm.Unknown{Expr: "newGuid()"}},
		{"listKeys", "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2021-01-01').keys[0].value]",
			arm.Unknown{Expr: "listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2021-01-01').keys[0].value"}},
		{"concat unknown", "[concat('x', deployer())]", arm.Unknown{Expr: "concat('x', deployer())"}},
		{"equals unknown", "[equals(parameters('missing'), 'a')]", arm.Unknown{Expr: "equals(parameters('missing'), 'a')"}},
		{"if unknown", "[if(equals(parameters('missing'), 'a'), 1, 2)]", arm.Unknown{Expr: "if(equals(parameters('missing'), 'a'), 1, 2)"}},
		{"createArray keeps unknown", "[createArray(1, deployer())]", []any{1.0, arm.Unknown{Expr: "deployer()"}}},
		{"length of array with unknown", "[length(createArray(deployer()))]", 1.0},
		{"string of unknown", "[string(createArray(deployer()))]", arm.Unknown{Expr: "string(createArray(deployer()))"}},
		{"reference", "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','id-x'), '2024-11-30').principalId]",
			arm.Unknown{
				Expr: "reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','id-x'), '2024-11-30').principalId",
				Ref:  rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x", Path: "principalId",
			}},
		{"reference full", "[reference('/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm', '2020-01-01', 'Full').identity.principalId]",
			arm.Unknown{
				Expr: "reference('/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm', '2020-01-01', 'Full').identity.principalId",
				Ref:  "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm", Path: "identity.principalId",
			}},
		{"reference full properties", "[reference('/subscriptions/s/x', '1', 'Full').properties.identityProfile.kubeletidentity.objectId]",
			arm.Unknown{Expr: "reference('/subscriptions/s/x', '1', 'Full').properties.identityProfile.kubeletidentity.objectId", Ref: "/subscriptions/s/x", Path: "identityProfile.kubeletidentity.objectId"}},
		{"reference index", "[reference('/subscriptions/s/st').primaryEndpoints['blob']]",
			arm.Unknown{Expr: "reference('/subscriptions/s/st').primaryEndpoints['blob']", Ref: "/subscriptions/s/st", Path: "primaryEndpoints.blob"}},
		{"reference in concat", "[concat(reference('/subscriptions/s/kv').vaultUri, 'secrets/x')]",
			arm.Unknown{Expr: "concat(reference('/subscriptions/s/kv').vaultUri, 'secrets/x')"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalIn(t, tt.expr, params, vars)
			if err != nil {
				t.Fatalf("evaluate %s: %v", tt.expr, err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("evaluate %s (-got +want):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestFunctionErrors(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"unknown function", "[foo(1)]", `unknown function "foo"`},
		{"arity", "[toLower('a', 'b')]", "toLower takes 1 arguments, got 2"},
		{"type", "[toLower(1)]", "must be a string"},
		{"substring range", "[substring('abc', 5)]", "out of range"},
		{"div zero", "[div(1, 0)]", "division by zero"},
		{"no such variable", "[variables('nope')]", `variable "nope" is not declared`},
		{"no such property", "[resourceGroup().nope]", `property "nope" does not exist`},
		{"index range", "[createArray(1)[3]]", "out of range"},
		{"copyIndex outside loop", "[copyIndex()]", "not inside a copy loop"},
		{"resourceId names", "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]", "needs 2 name segments"},
		{"bad syntax", "[concat('a']", "want ',' or ')'"},
		{"if not bool", "[if('x', 1, 2)]", "not bool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evalIn(t, tt.expr, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("evaluate %s: error %v, want containing %q", tt.expr, err, tt.want)
			}
		})
	}
}

func TestLambdas(t *testing.T) {
	tests := []struct {
		name, expr string
		want       any
	}{
		{"map", "[map(createArray(1, 2), lambda('x', mul(lambdaVariables('x'), 10)))]", []any{10.0, 20.0}},
		{"map index", "[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]", []any{"a0", "b1"}},
		{"filter", "[filter(createArray(1, 5, 3), lambda('x', greater(lambdaVariables('x'), 2)))]", []any{5.0, 3.0}},
		{"reduce", "[reduce(createArray(1, 2, 3), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))]", 6.0},
		{"sort", "[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]", []any{1.0, 2.0, 3.0}},
		{"toObject", "[toObject(createArray('a', 'b'), lambda('x', lambdaVariables('x')), lambda('x', length(lambdaVariables('x'))))]", map[string]any{"a": 1.0, "b": 1.0}},
		{"mapValues", "[mapValues(createObject('a', 1), lambda('v', add(lambdaVariables('v'), 1)))]", map[string]any{"a": 2.0}},
		{"map unknown", "[map(createArray(deployer()), lambda('x', concat(lambdaVariables('x'), '!')))]", []any{arm.Unknown{Expr: "concat(lambdaVariables('x'), '!')"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalIn(t, tt.expr, nil, nil)
			if err != nil {
				t.Fatalf("evaluate %s: %v", tt.expr, err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("evaluate %s (-got +want):\n%s", tt.expr, diff)
			}
		})
	}
}

package armeval

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
)

// TestFunctionsAddedForIssue10 covers the functions of the ARM template
// function reference added for issue 10, with the examples of their
// reference pages where they give one.
func TestFunctionsAddedForIssue10(t *testing.T) {
	tests := []struct {
		name, expr string
		want       any
	}{
		{"flatten", "[flatten(createArray(createArray('a', 'b'), createArray('c'), createArray()))]", []any{"a", "b", "c"}},
		{"indexFromEnd", "[indexFromEnd(createArray('a', 'b', 'c'), 1)]", "c"},
		{"tryIndexFromEnd", "[tryIndexFromEnd(createArray('a'), 2)]", nil},
		{"tryIndexFromEnd hit", "[tryIndexFromEnd(createArray('a', 'b'), 2)]", "a"},
		{"shallowMerge", "[shallowMerge(createArray(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2))))]",
			map[string]any{"a": 1.0, "b": 2.0, "n": map[string]any{"y": 2.0}}},
		{"parseCidr v4", "[parseCidr('10.144.0.0/20')]", map[string]any{
			"network": "10.144.0.0", "netmask": "255.255.240.0", "broadcast": "10.144.15.255",
			"firstUsable": "10.144.0.1", "lastUsable": "10.144.15.254", "cidr": 20.0}},
		{"parseCidr v6", "[parseCidr('fdad:3236:5555::/48')]", map[string]any{
			"network": "fdad:3236:5555::", "netmask": "ffff:ffff:ffff::",
			"firstUsable": "fdad:3236:5555::", "lastUsable": "fdad:3236:5555:ffff:ffff:ffff:ffff:ffff", "cidr": 48.0}},
		{"cidrSubnet", "[cidrSubnet('10.144.0.0/20', 24, 3)]", "10.144.3.0/24"},
		{"cidrSubnet v6", "[cidrSubnet('fdad:3236:5555::/48', 52, 1)]", "fdad:3236:5555:1000::/52"},
		{"cidrHost", "[cidrHost('10.144.3.0/24', 0)]", "10.144.3.1"},
		{"cidrHost v6", "[cidrHost('fdad:3236:5555:3000::/52', 4)]", "fdad:3236:5555:3000::5"},
		{"dateTimeFromEpoch", "[dateTimeFromEpoch(1683040573)]", "2023-05-02T15:16:13Z"},
		{"dateTimeToEpoch", "[dateTimeToEpoch('2023-05-02T15:16:13Z')]", 1683040573.0},
		{"dateTimeAdd", "[dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')]", nil}, // not ISO: error below
		{"dateTimeAdd ISO", "[dateTimeAdd('2020-04-07T14:53:14Z', 'P3Y')]", "2023-04-07T14:53:14Z"},
		{"dateTimeAdd negative", "[dateTimeAdd('2020-04-07T14:53:14Z', '-PT1H')]", "2020-04-07T13:53:14Z"},
		{"groupBy", "[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]",
			map[string]any{"f": []any{"foo"}, "b": []any{"bar", "baz"}}},
		{"managementGroup by name", "[managementGroup('mg1').id]", "/providers/Microsoft.Management/managementGroups/mg1"},
		{"tenant", "[tenant().tenantId]", arm.DefaultScope.TenantID},
		{"float", "[float('3.5')]", 3.5},
		{"objectKeys", "[objectKeys(createObject('b', 1, 'a', 2))]", []any{"a", "b"}},
		{"base64ToJson", "[base64ToJson(base64('{\"a\": [1]}'))]", map[string]any{"a": []any{1.0}}},
		{"providers", "[providers('Microsoft.Network', 'virtualNetworks')]", arm.Unknown{Expr: "providers('Microsoft.Network', 'virtualNetworks')"}},
		{"managementGroupResourceId", "[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]",
			"/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p"},
		{"extensions", "[extensions('k8s').config.namespace]", arm.Unknown{Expr: "extensions('k8s').config.namespace"}},
		{"references", "[references('vnets')]", arm.Unknown{Expr: "references('vnets')"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalIn(t, tt.expr, nil, nil)
			if tt.name == "dateTimeAdd" {
				if err == nil {
					t.Errorf("dateTimeAdd of a non-ISO date = %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("%s (-got +want):\n%s", tt.expr, diff)
			}
		})
	}
}

// TestRuntimeFunctionsOnlyInDefaults: utcNow() and newGuid() are allowed
// in a parameter's defaultValue only, as in ARM.
func TestRuntimeFunctionsOnlyInDefaults(t *testing.T) {
	for _, e := range []string{"[utcNow()]", "[newGuid()]"} {
		if v, err := evalIn(t, e, nil, nil); err == nil || !strings.Contains(err.Error(), "only allowed in a parameter's defaultValue") {
			t.Errorf("%s = %v, %v: want an error", e, v, err)
		}
	}
}

// TestEveryFunctionHasATest: each built-in function is called in some test
// expression of this package (a test per function of the reference).
func TestEveryFunctionHasATest(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	src := strings.ToLower(all.String())
	names := []string{"if", "reference", "lambda"}
	for n := range functions {
		names = append(names, n)
	}
	for n := range lambdaFunctions {
		names = append(names, n)
	}
	for _, n := range names {
		if n == "list" {
			n = "listkeys"
		}
		if !regexp.MustCompile(`[^a-z.]` + regexp.QuoteMeta(n) + `\(`).MatchString(src) {
			t.Errorf("function %s is called in no test expression", n)
		}
	}
}

func TestAndOrShortCircuit(t *testing.T) {
	for expr, want := range map[string]any{
		"[and(false(), not(null()))]":               false,
		"[or(true(), not(null()))]":                 true,
		"[and(true(), true(), false())]":            false,
		"[or(false(), false())]":                    false,
		"[and(parameters('missing'), false())]":     false,
		"[and(parameters('missing'), true())]":      arm.Unknown{Expr: "and(parameters('missing'), true())"},
		"[and(parameters('missing'), not(null()))]": arm.Unknown{Expr: "and(parameters('missing'), not(null()))"},
	} {
		got, err := evalIn(t, expr, nil, nil)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("%s (-got +want):\n%s", expr, diff)
		}
	}
	if _, err := evalIn(t, "[and(true(), not(null()))]", nil, nil); err == nil {
		t.Errorf("and(true(), not(null())) evaluated")
	}
}

package armeval

import (
	"runtime"
	"testing"
	"time"
)

// Per-input budgets of the fuzz targets: far above what any real template
// needs (the 2.7 MB AVM pattern reads and evaluates in well under a
// second), far below what a runaway input would take.
const (
	fuzzTime  = 5 * time.Second
	fuzzBytes = 512 << 20
)

// budget runs fn in the fuzz function's own goroutine and fails when it
// took longer or allocated more than the per-input budget.
func budget(t *testing.T, fn func()) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if took > fuzzTime {
		t.Fatalf("took %v, budget %v", took, fuzzTime)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > fuzzBytes {
		t.Fatalf("allocated %d MB, budget %d MB", alloc>>20, fuzzBytes>>20)
	}
}

var fuzzTemplates = []string{
	`{"resources": []}`,
	"// c\n{\"resources\": [/* x */ {\"type\": \"Microsoft.Network/virtualNetworks\", \"name\": \"v\",},],}",
	`{"$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
	  "parameters": {"n": {"type": "int", "defaultValue": 3}, "o": {"$ref": "#/definitions/t"}},
	  "definitions": {"t": {"type": "object", "nullable": true}},
	  "variables": {"copy": [{"name": "xs", "count": "[parameters('n')]", "input": "[concat('x', copyIndex('xs'))]"}]},
	  "functions": [{"namespace": "u", "members": {"f": {"parameters": [{"name": "a", "type": "string"}],
	    "output": {"type": "string", "value": "[toUpper(parameters('a'))]"}}}}],
	  "resources": [
	    {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2022-09-01", "name": "rg", "location": "[deployment().location]"},
	    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "[u.f('d')]", "resourceGroup": "rg",
	     "copy": {"name": "ds", "count": 2},
	     "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
	       "parameters": {"p": {"value": "[variables('xs')[copyIndex()]]"}},
	       "template": {"languageVersion": "2.0", "parameters": {"p": {"type": "string"}},
	         "resources": {"v": {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[parameters('p')]",
	           "properties": "[union(createObject('a', 1), coalesce(tryGet(createObject(), 'x'), createObject()))]"},
	           "e": {"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "old"}},
	         "outputs": {"id": {"type": "string", "value": "[reference('v').id]"}}}}}],
	  "outputs": {"o": {"type": "array", "copy": {"count": 2, "input": "[copyIndex()]"}}}}`,
	`{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[string(map(range(0, 3), lambda('i', mul(lambdaVariables('i'), 2))))]",
	  "properties": {"copy": [{"name": "subnets", "count": 2, "input": {"name": "[format('s{0}', copyIndex('subnets'))]",
	    "prefix": "[cidrSubnet('10.0.0.0/16', 24, copyIndex('subnets'))]"}}]}}]}`,
}

func FuzzReadTemplate(f *testing.F) {
	for _, s := range fuzzTemplates {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		budget(t, func() { _, _ = ReadTemplate(data) })
	})
}

func FuzzEvaluate(f *testing.F) {
	for _, s := range fuzzTemplates {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		budget(t, func() {
			tp, err := ReadTemplate(data)
			if err != nil {
				return
			}
			set, err := Evaluate(tp, WithParameters(map[string]any{"n": 2.0}))
			if set == nil && err == nil {
				t.Fatal("no set and no error")
			}
			if set != nil && set.Coverage.Declared < len(set.Resources) {
				t.Fatalf("declared %d < modelled %d", set.Coverage.Declared, len(set.Resources))
			}
		})
	})
}

func FuzzReadParameters(f *testing.F) {
	f.Add([]byte(`{"parameters": {"a": {"value": "[x]"}, "b": {"value": [1, {"c": null}]}}}`))
	f.Add([]byte(`{"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {"pw": {"reference": {"keyVault": {"id": "/subscriptions/s"}, "secretName": "n"}}}}`))
	f.Add([]byte("{\"a\": {\"value\": \"multi\nline\"},}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		budget(t, func() { _, _ = ReadParametersFile("p.json", data) })
	})
}

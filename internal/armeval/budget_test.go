package armeval

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// evalLimit reads and evaluates src and requires a *LimitError naming
// want.
func evalLimit(t *testing.T, src, want string) {
	t.Helper()
	tp, err := ReadTemplate([]byte(src))
	if err == nil {
		var set any
		set, err = Evaluate(tp)
		if err == nil {
			t.Fatalf("evaluated (%v), want a limit error", set)
		}
	}
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T), want *LimitError", err, err)
	}
	if !strings.Contains(le.Error(), want) {
		t.Errorf("limit error %q, want it to name %q", le.Error(), want)
	}
}

func TestBudgetSelfRecursiveFunction(t *testing.T) {
	evalLimit(t, `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "functions": [{"namespace": "x", "members": {"f": {"parameters": [{"name": "n", "type": "int"}],
	    "output": {"type": "int", "value": "[x.f(add(parameters('n'), 1))]"}}}}],
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[string(x.f(0))]"}]}`,
		"call depth 64")
}

func TestBudgetNestedConcat(t *testing.T) {
	// 1 MB of nested concat: longer than ARM allows an expression to be.
	n := (1 << 20) / len("concat(")
	expr := strings.Repeat("concat(", n) + "'a'" + strings.Repeat(")", n)
	evalLimit(t, `{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[`+expr+`]"}]}`,
		"24576 characters in an expression")
	// Within ARM's length, still nested too deep for the evaluator.
	n = 3000
	expr = strings.Repeat("concat(", n) + "'a'" + strings.Repeat(")", n)
	evalLimit(t, `{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[`+expr+`]"}]}`,
		"expression nesting depth")
}

func TestBudgetStringDoubling(t *testing.T) {
	var vars []string
	vars = append(vars, `"v0": "ab"`)
	for i := 1; i <= 40; i++ {
		vars = append(vars, fmt.Sprintf(`"v%d": "[concat(variables('v%d'), variables('v%d'))]"`, i, i-1, i-1))
	}
	evalLimit(t, `{"variables": {`+strings.Join(vars, ",")+`},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet",
	    "properties": {"x": "[length(variables('v40'))]"}}]}`, "string of 4 MB")
}

func TestBudgetArrayDoubling(t *testing.T) {
	var vars []string
	vars = append(vars, `"v0": ["a"]`)
	for i := 1; i <= 40; i++ {
		vars = append(vars, fmt.Sprintf(`"v%d": "[createArray(variables('v%d'), variables('v%d'))]"`, i, i-1, i-1))
	}
	evalLimit(t, `{"variables": {`+strings.Join(vars, ",")+`},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet",
	    "properties": {"x": "[variables('v40')]"}}]}`, "evaluation work")
}

func TestBudgetCopyCount(t *testing.T) {
	evalLimit(t, `{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
	  "name": "[concat('v', copyIndex())]", "copy": {"name": "many", "count": 1000000000}}]}`, "copy count 800")
	evalLimit(t, `{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v",
	  "properties": {"copy": [{"name": "subnets", "count": 1000000000, "input": {"name": "[copyIndex('subnets')]"}}]}}]}`, "copy count 800")
	evalLimit(t, `{"variables": {"copy": [{"name": "xs", "count": 1000000000, "input": "[copyIndex('xs')]"}]},
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[string(length(variables('xs')))]"}]}`, "copy count 800")
}

func TestBudgetControlCharacters(t *testing.T) {
	src := `{"resources": [], "variables": {"x": "` + strings.Repeat("\x01", 20<<20) + `"}}`
	_, err := ReadTemplate([]byte(src))
	var le *LimitError
	if !errors.As(err, &le) || !strings.Contains(le.Error(), "template size 4 MB") {
		t.Fatalf("error %v, want the template size limit", err)
	}
	// Under the size limit, control characters are read in linear time
	// and kept.
	src = `{"resources": [], "variables": {"x": "` + strings.Repeat("\x01\n", 1<<20) + `"}}`
	tp, err := ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tp.Variables["x"].(string)); got != 2<<20 {
		t.Errorf("string of %d bytes, want %d", got, 2<<20)
	}
}

func TestBudgetJSONDepth(t *testing.T) {
	src := `{"resources": [], "variables": {"x": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}}`
	_, err := ReadTemplate([]byte(src))
	var le *LimitError
	if !errors.As(err, &le) || !strings.Contains(le.Error(), "JSON nesting depth") {
		t.Fatalf("error %v, want the JSON depth limit", err)
	}
}

func TestBudgetDeploymentDepth(t *testing.T) {
	inner := `{"resources": []}`
	for range 60 {
		inner = `{"resources": [{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d",
		  "properties": {"mode": "Incremental", "template": ` + inner + `}}]}`
	}
	evalLimit(t, inner, "nested deployment depth 50")
}

func TestBudgetCounts(t *testing.T) {
	var ps []string
	for i := range MaxParameters + 1 {
		ps = append(ps, fmt.Sprintf(`"p%d": {"type": "string", "defaultValue": "x"}`, i))
	}
	evalLimit(t, `{"parameters": {`+strings.Join(ps, ",")+`}, "resources": []}`, "256 parameters")
	var os []string
	for i := range MaxOutputs + 1 {
		os = append(os, fmt.Sprintf(`"o%d": {"type": "string", "value": "x"}`, i))
	}
	evalLimit(t, `{"outputs": {`+strings.Join(os, ",")+`}, "resources": []}`, "64 outputs")
}

// TestBudgetBombs: expressions that would build gigabytes from a few
// bytes stop with a limit error before they allocate it.
func TestBudgetBombs(t *testing.T) {
	res := func(expr string) string {
		return `{"resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v",
		  "properties": {"x": "[` + expr + `]"}}]}`
	}
	mb := "padLeft('a', 1048576, 'x')"
	for name, tt := range map[string]struct{ expr, want string }{
		"format alignment":          {"format('" + strings.Repeat("{0,1048576}", 2000) + "', 'a')", "string of 4 MB"},
		"concat":                    {"concat(" + strings.Repeat(mb+", ", 10) + "'a')", "string of 4 MB"},
		"replace":                   {"replace(" + mb + ", 'x', " + mb + ")", "string of 4 MB"},
		"join":                      {"join(createArray(" + strings.Repeat(mb+", ", 10) + "'a'), ',')", "string of 4 MB"},
		"shared doubling in reduce": {"string(reduce(range(0, 60), createArray('a'), lambda('acc', 'i', createArray(lambdaVariables('acc'), lambdaVariables('acc')))))", "evaluation work"},
		"union of large arrays":     {"length(union(range(0, 10000), range(5000, 10000), concat(range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000))))", "evaluation work"},
	} {
		t.Run(name, func(t *testing.T) { evalLimit(t, res(tt.expr), tt.want) })
	}
	evalLimit(t, `{"functions": [{"namespace": "u", "members": {"d": {"parameters": [{"name": "x", "type": "array"}],
	    "output": {"type": "array", "value": "[createArray(parameters('x'), parameters('x'))]"}}}}],
	  "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v",
	    "properties": {"x": "[string(`+strings.Repeat("u.d(", 60)+"createArray('a')"+strings.Repeat(")", 60)+`)]"}}]}`, "evaluation work")
}

// TestBudgetResources: ARM's 800 resources, copies included, hold per
// template: the file's and each nested deployment's on its own; 800 in
// each of two nested deployments pass.
func TestBudgetResources(t *testing.T) {
	vnets := func(n int, prefix string) string {
		return `[{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "[concat('` + prefix +
			`', copyIndex())]", "copy": {"name": "v", "count": 400}}, {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
			"name": "[concat('` + prefix + `x', copyIndex())]", "copy": {"name": "w", "count": ` + fmt.Sprint(n-400) + `}}]`
	}
	deployment := func(name string, n int) string {
		return `{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "` + name + `",
		  "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": {"resources": ` + vnets(n, name) + `}}}`
	}
	tp, err := ReadTemplate([]byte(`{"resources": [` + deployment("a", 800) + `,` + deployment("b", 800) + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(tp)
	if err != nil {
		t.Fatalf("two nested deployments of 800: %v", err)
	}
	if len(s.Resources) != 1602 {
		t.Errorf("%d resources, want 1,602", len(s.Resources))
	}
	evalLimit(t, `{"resources": `+vnets(801, "r")+`}`, "800 resources in one template, including copies (ARM limit)")
	tp, err = ReadTemplate([]byte(`{"resources": [` + deployment("a", 800) + `,` + deployment("b", 801) + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Evaluate(tp, WithSource("main.json"))
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("error %v, want *LimitError", err)
	}
	for _, want := range []string{"main.json:", "800 resources in one template", "nested deployment b", "bx400"} {
		if !strings.Contains(le.Error(), want) {
			t.Errorf("limit error %q does not name %q", le.Error(), want)
		}
	}
	// Nested deployments within ARM's limit each still add up to
	// privaks's bound on one evaluation.
	var ds []string
	for i := range MaxResourcesBound/800 + 1 {
		ds = append(ds, deployment(fmt.Sprintf("d%02d", i), 800))
	}
	evalLimit(t, `{"resources": [`+strings.Join(ds, ",")+`]}`, "8000 resources in one deployment, nested deployments included")
}

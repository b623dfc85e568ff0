package armeval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"string", "'abc'", "'abc'"},
		{"escaped quote", "'it''s'", "'it''s'"},
		{"empty string", "''", "''"},
		{"integer", "42", "42"},
		{"negative", "-7", "-7"},
		{"call no args", "resourceGroup()", "resourceGroup()"},
		{"call args", "concat('a', 'b')", "concat('a', 'b')"},
		{"nested", "toLower(concat(parameters('x'), '-', variables('y')))", "toLower(concat(parameters('x'), '-', variables('y')))"},
		{"property", "resourceGroup().location", "resourceGroup().location"},
		{"index string", "variables('m')['k']", "variables('m')['k']"},
		{"index int", "parameters('a')[0]", "parameters('a')[0]"},
		{"chain", "reference('x', '2020-01-01', 'Full').identity.principalId", "reference('x', '2020-01-01', 'Full').identity.principalId"},
		{"spaces", "  concat ( 'a' , 1 )  ", "concat('a', 1)"},
		{"newlines", "concat(\n'a',\n'b')", "concat('a', 'b')"},
		{"udf", "ns.fn('a')", "ns.fn('a')"},
		{"bare true", "if(true, 1, 2)", "if(true(), 1, 2)"},
		{"index of index", "x()[0][1].a", "x()[0][1].a"},
		{"brackets in string", "concat('[', ']')", "concat('[', ']')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := parseExpr(tt.src)
			if err != nil {
				t.Fatalf("parseExpr(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(render(n), tt.want); diff != "" {
				t.Errorf("render (-got +want):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "unexpected end"},
		{"unterminated", "concat('a", "unterminated string"},
		{"missing paren", "concat('a'", "want ',' or ')'"},
		{"bare ident", "foo", "want '(' after function name"},
		{"trailing", "concat('a') x", "unexpected"},
		{"dot nothing", "a().", "want property name"},
		{"bad index", "a()[1", "want ']'"},
		{"junk", "#", "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseExpr(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseExpr(%q) error = %v, want containing %q", tt.src, err, tt.want)
			}
		})
	}
}

func TestIsExpression(t *testing.T) {
	tests := []struct {
		s       string
		expr    bool
		literal string
	}{
		{"[concat('a')]", true, ""},
		{"[[concat('a')]", false, "[concat('a')]"},
		{"[[literal", false, "[[literal"},
		{"plain", false, "plain"},
		{"[not closed", false, "[not closed"},
		{"[]", true, ""},
		{"[", false, "["},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := isExpression(tt.s); got != tt.expr {
				t.Errorf("isExpression(%q) = %v, want %v", tt.s, got, tt.expr)
			}
			if !tt.expr {
				if got := unescapeLiteral(tt.s); got != tt.literal {
					t.Errorf("unescapeLiteral(%q) = %q, want %q", tt.s, got, tt.literal)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"concat('a', 'b')", "resourceGroup().id", "parameters('x')[0]['y']", "'it''s'", "-1",
		"if(equals(1, 2), 'a', 'b')", "ns.f()", "a(", "'", "x()[", "reference('a').b.c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := parseExpr(src)
		if err != nil {
			return
		}
		// What parses renders to text that parses to the same rendering.
		again, err := parseExpr(render(n))
		if err != nil {
			t.Fatalf("render %q of %q does not parse: %v", render(n), src, err)
		}
		if render(again) != render(n) {
			t.Fatalf("round trip of %q: %q != %q", src, render(again), render(n))
		}
		// Every string literal round-trips through quote.
		lit, err := parseExpr(quote(src))
		if err != nil {
			t.Fatalf("quote(%q) does not parse: %v", src, err)
		}
		if s, ok := lit.(*strLit); !ok || s.val != src {
			t.Fatalf("quote(%q) parsed to %#v", src, lit)
		}
	})
}

func FuzzLiteral(f *testing.F) {
	for _, s := range []string{"", "a", "'", "''", "[x]", "a'b'c", "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseExpr(quote(s))
		if err != nil {
			t.Fatalf("quote(%q): %v", s, err)
		}
		if lit, ok := n.(*strLit); !ok || lit.val != s {
			t.Fatalf("quote(%q) parsed to %#v", s, n)
		}
	})
}

// FuzzEvaluateExpression checks that evaluating any expression returns a value or an
// error, never panics.
func FuzzEvaluateExpression(f *testing.F) {
	for _, s := range []string{
		"concat('a', 1)", "format('{0:D3}', 7)", "padLeft('a', 5, 'x')", "substring('abc', 1, 1)",
		"split('a,b', ',')[1]", "union(createObject('a', 1), createObject('b', 2))", "range(1, 3)",
		"reference('x').y['z']", "copyIndex()", "if(true(), 1, 2)", "take('abc', -1)", "json('[1]')[0]",
		"map(createArray(1), lambda('x', lambdaVariables('x')))", "base64ToString('!!')", "uri('a', 'b')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		budget(t, func() {
			_, _ = evalIn(t, "["+src+"]", map[string]any{"p": "v"}, map[string]any{"v": "[parameters('p')]"})
		})
	})
}

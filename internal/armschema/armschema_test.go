package armschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/privaks/privaks/internal/testenv"
)

// fixture is a valid resource plus the positions its mutated copies change.
type fixture struct {
	name       string
	json       string
	misspell   []any  // path to a property whose name is replaced by misspellTo
	misspellTo string //
	wrongType  []any  // path to a string value replaced by the number 42
	expression []any  // path to an object value replaced by an ARM expression
}

var (
	sharedOnce sync.Once
	sharedV    *Validator
	sharedErr  error
)

// testValidator returns one Validator shared by the package's tests, so
// schema files are read once per test binary (as they would be in a CLI run).
func testValidator(t testing.TB) *Validator {
	t.Helper()
	dir := testenv.Testdata(t, "arm-schemas")
	sharedOnce.Do(func() { sharedV, sharedErr = Load(dir) })
	if sharedErr != nil {
		t.Fatalf("Load: %v", sharedErr)
	}
	return sharedV
}

func parseJSON(t testing.TB, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("parse fixture: %v", err)
	}
	return m
}

// container returns the map or slice holding the value at path, and the last token.
func container(t testing.TB, v any, path []any) (any, any) {
	t.Helper()
	for _, tok := range path[:len(path)-1] {
		switch tok := tok.(type) {
		case string:
			v = v.(map[string]any)[tok]
		case int:
			v = v.([]any)[tok]
		}
		if v == nil {
			t.Fatalf("fixture path %v: nothing at %v", path, tok)
		}
	}
	return v, path[len(path)-1]
}

func setAt(t testing.TB, v any, path []any, val any) {
	t.Helper()
	c, last := container(t, v, path)
	switch last := last.(type) {
	case string:
		if _, ok := c.(map[string]any)[last]; !ok {
			t.Fatalf("fixture path %v: no property %q", path, last)
		}
		c.(map[string]any)[last] = val
	case int:
		c.([]any)[last] = val
	}
}

func renameAt(t testing.TB, v any, path []any, to string) {
	t.Helper()
	c, last := container(t, v, path)
	m := c.(map[string]any)
	val, ok := m[last.(string)]
	if !ok {
		t.Fatalf("fixture path %v: no property %q", path, last)
	}
	delete(m, last.(string))
	m[to] = val
}

// jsonPath renders a fixture path the way Problems do.
func jsonPath(path []any) string {
	var b strings.Builder
	b.WriteString("$")
	for _, tok := range path {
		switch tok := tok.(type) {
		case string:
			b.WriteString(member(tok))
		case int:
			b.WriteString("[" + strconv.Itoa(tok) + "]")
		}
	}
	return b.String()
}

func allFixtures() []fixture {
	return append(append([]fixture(nil), networkFixtures...), otherFixtures...)
}

func TestFixtures(t *testing.T) {
	v := testValidator(t)
	for _, f := range allFixtures() {
		t.Run(f.name, func(t *testing.T) {
			t.Run("valid", func(t *testing.T) {
				got := v.ValidateResource(parseJSON(t, f.json))
				if diff := cmp.Diff(got, []Problem(nil)); diff != "" {
					t.Errorf("problems (-got +want):\n%s", diff)
				}
			})
			t.Run("misspelled property", func(t *testing.T) {
				// Renaming a required property also leaves it missing:
				// that problem is expected at the parent, nothing else.
				res := parseJSON(t, f.json)
				renameAt(t, res, f.misspell, f.misspellTo)
				parent := f.misspell[:len(f.misspell)-1]
				wantPath := jsonPath(append(append([]any(nil), parent...), f.misspellTo))
				var unknown []string
				for _, p := range v.ValidateResource(res) {
					switch {
					case strings.HasPrefix(p.Message, fmt.Sprintf("unknown property %q: ", f.misspellTo)):
						unknown = append(unknown, p.Path)
					case p.Path == jsonPath(parent) && p.Message == fmt.Sprintf("missing required property %q", f.misspell[len(f.misspell)-1]):
					default:
						t.Errorf("unexpected problem %v", p)
					}
				}
				if diff := cmp.Diff(unknown, []string{wantPath}); diff != "" {
					t.Errorf("unknown-property paths (-got +want):\n%s", diff)
				}
			})
			t.Run("number where string", func(t *testing.T) {
				res := parseJSON(t, f.json)
				setAt(t, res, f.wrongType, json.Number("42"))
				got := v.ValidateResource(res)
				want := []Problem{{Path: jsonPath(f.wrongType), Message: "wrong type: got number, want string"}}
				if diff := cmp.Diff(got, want); diff != "" {
					t.Errorf("problems (-got +want):\n%s", diff)
				}
			})
			t.Run("expression in place of object", func(t *testing.T) {
				res := parseJSON(t, f.json)
				if c, last := container(t, res, f.expression); c != nil {
					var old any
					switch last := last.(type) {
					case string:
						old = c.(map[string]any)[last]
					case int:
						old = c.([]any)[last]
					}
					if _, ok := old.(map[string]any); !ok {
						t.Fatalf("fixture path %v holds %T, want an object", f.expression, old)
					}
				}
				setAt(t, res, f.expression, "[parameters('value')]")
				if diff := cmp.Diff(v.ValidateResource(res), []Problem(nil)); diff != "" {
					t.Errorf("problems (-got +want):\n%s", diff)
				}
			})
			t.Run("unknown apiVersion", func(t *testing.T) {
				res := parseJSON(t, f.json)
				api := res["apiVersion"].(string)
				res["apiVersion"] = "2099-01-01"
				got := v.ValidateResource(res)
				if diff := cmp.Diff(paths(got), []string{"$.apiVersion"}); diff != "" {
					t.Fatalf("problem paths (-got +want):\n%s\nproblems: %v", diff, got)
				}
				for _, want := range []string{"no schema for " + res["type"].(string) + " at apiVersion 2099-01-01", api, "(newest "} {
					if !strings.Contains(got[0].Message, want) {
						t.Errorf("message %q does not mention %q", got[0].Message, want)
					}
				}
			})
		})
	}
}

func paths(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

// mustJSON marshals v for building templates in tests.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

package armschema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/privaks/privaks/internal/testenv"
)

// stripComments removes // and /* */ comments outside JSON strings, as ARM
// accepts them in templates.
func stripComments(b []byte) []byte {
	var out bytes.Buffer
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString && (c == '\n' || c == '\r' || c == '\t'):
			// A raw control character inside a string: ARM accepts it
			// (multi-line expressions), strict JSON wants it escaped.
			out.WriteString(map[byte]string{'\n': `\n`, '\r': `\r`, '\t': `\t`}[c])
		case inString:
			out.WriteByte(c)
			if c == '\\' && i+1 < len(b) {
				i++
				out.WriteByte(b[i])
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			out.WriteByte(c)
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				i++
			}
			if i < len(b) {
				out.WriteByte('\n')
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end := bytes.Index(b[i+2:], []byte("*/"))
			if end < 0 {
				return out.Bytes()
			}
			i += 2 + end + 1
			out.WriteByte(' ')
		default:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}

func TestStripComments(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a": 1} // trailing`, `{"a": 1} `},
		{"{\"a\": /* inline */ 1}", `{"a":   1}`},
		{"{\"url\": \"https://x//y\", // c\n\"b\": \"/* not */\"}", "{\"url\": \"https://x//y\", \n\"b\": \"/* not */\"}"},
		{`{"q": "say \"//hi\""}`, `{"q": "say \"//hi\""}`},
		{"{\"e\": \"[concat(\n 'a')]\"}", `{"e": "[concat(\n 'a')]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(string(stripComments([]byte(tt.in))), tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

// corpusResource is one resource found in a corpus template.
type corpusResource struct {
	res        map[string]any
	parentType string
}

// collectResources gathers a template's resources, nested child resources
// (with their parent's type) and the resources of inline nested deployments.
func collectResources(tmpl map[string]any) []corpusResource {
	var out []corpusResource
	var visit func(list any, parentType string)
	visit = func(list any, parentType string) {
		var items []any
		switch l := list.(type) {
		case []any:
			items = l
		case map[string]any:
			for _, k := range sortedKeys(l) {
				items = append(items, l[k])
			}
		}
		for _, it := range items {
			res, ok := it.(map[string]any)
			if !ok {
				continue
			}
			out = append(out, corpusResource{res, parentType})
			typ := fullType(res, parentType)
			visit(res["resources"], typ)
			if props, ok := res["properties"].(map[string]any); ok && strings.EqualFold(typ, "Microsoft.Resources/deployments") {
				if inner, ok := props["template"].(map[string]any); ok {
					visit(inner["resources"], "")
				}
			}
		}
	}
	visit(tmpl["resources"], "")
	return out
}

// TestCorpus validates every resource of the third-party templates. The
// corpus predates the schema folder (its API versions are 2015-2022 and
// none has a folder here), so each resource is validated twice:
//
//   - at its own apiVersion, which must yield exactly the one "no schema"
//     problem naming the versions that exist (or "unknown type");
//   - re-targeted to the newest apiVersion defining its type (what an
//     upgrade would be checked against). These are not expected to be
//     clean (properties renamed or dropped since); the test requires the
//     validator to get through them with well-formed problems, and logs
//     the counts and the problems.
func TestCorpus(t *testing.T) {
	v := testValidator(t)
	files, err := filepath.Glob(filepath.Join(testenv.Testdata(t, "arm"), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus templates: %v", err)
	}
	totalOwn, totalNewest := 0, 0
	for _, file := range files {
		name := filepath.Base(file)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl map[string]any
		dec := json.NewDecoder(bytes.NewReader(stripComments(b)))
		dec.UseNumber()
		if err := dec.Decode(&tmpl); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, ok := tmpl["resources"]; !ok {
			t.Logf("%s: parameter file, skipped", name)
			continue
		}
		var own, newest, clean, unknown, problems int
		byMsg := map[string]int{}
		for _, cr := range collectResources(tmpl) {
			typ := fullType(cr.res, cr.parentType)
			api, _ := cr.res["apiVersion"].(string)
			nested := cr.parentType != ""
			if _, err := os.Stat(filepath.Join(v.dir, api)); err == nil && api != "" && !IsExpression(api) {
				own++
				ps := v.resource(cr.res, typ, "$", nested)
				check(t, name, ps)
				problems += len(ps)
				if len(ps) == 0 {
					clean++
				}
				for _, p := range ps {
					byMsg[typ+"@"+api+" "+p.String()]++
				}
				continue
			}
			ps := v.resource(cr.res, typ, "$", nested)
			if len(ps) != 1 || ps[0].Path != "$.apiVersion" && ps[0].Path != "$" && ps[0].Path != "$.type" {
				t.Errorf("%s: %s@%s: want one apiVersion/type problem, got %v", name, typ, api, ps)
			}
			vers := v.versionsOf(typ)
			if len(vers) == 0 {
				unknown++
				continue
			}
			newest++
			re := map[string]any{}
			for k, x := range cr.res {
				re[k] = x
			}
			re["apiVersion"] = vers[len(vers)-1]
			ps = v.resource(re, typ, "$", nested)
			check(t, name, ps)
			problems += len(ps)
			if len(ps) == 0 {
				clean++
			}
			for _, p := range ps {
				byMsg[typ+"@"+vers[len(vers)-1]+" "+p.String()]++
			}
		}
		totalOwn += own
		totalNewest += newest
		t.Logf("%s: %d at own apiVersion, %d re-targeted to newest, %d unknown types; %d clean, %d problems",
			name, own, newest, unknown, clean, problems)
		msgs := make([]string, 0, len(byMsg))
		for m := range byMsg {
			msgs = append(msgs, m)
		}
		sort.Strings(msgs)
		for _, m := range msgs {
			t.Logf("    %s", m)
		}
	}
	if totalOwn+totalNewest == 0 {
		t.Errorf("no corpus resource was validated")
	}
	t.Logf("corpus: %d resources at their own apiVersion, %d re-targeted; %+v", totalOwn, totalNewest, v.Stats())
}

func check(t *testing.T, file string, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if !strings.HasPrefix(p.Path, "$") || p.Message == "" {
			t.Errorf("%s: malformed problem %#v", file, p)
		}
	}
}

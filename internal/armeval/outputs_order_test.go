package armeval

import (
	"strings"
	"testing"
)

// TestFailingOutputsReportedInNameOrder: every output that cannot be
// evaluated is reported, in name order on every run (they were reported
// in map order, so privaks's warnings changed order between two runs of
// the same command).
func TestFailingOutputsReportedInNameOrder(t *testing.T) {
	src := `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "zulu":   {"type": "string", "value": "[noSuchFunction('z')]"},
    "alpha":  {"type": "string", "value": "[noSuchFunction('a')]"},
    "mike":   {"type": "string", "value": "[noSuchFunction('m')]"},
    "bravo":  {"type": "string", "value": "[noSuchFunction('b')]"},
    "yankee": {"type": "string", "value": "[noSuchFunction('y')]"},
    "ok":     {"type": "string", "value": "fine"}
  }
}`
	tp, err := ReadTemplate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"alpha", "bravo", "mike", "yankee", "zulu"}
	for range 20 {
		_, err := Evaluate(tp)
		if err == nil {
			t.Fatal("no error for outputs calling an unknown function")
		}
		var got []string
		for _, line := range strings.Split(err.Error(), "\n") {
			if _, rest, ok := strings.Cut(line, `evaluate output "`); ok {
				name, _, _ := strings.Cut(rest, `"`)
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("outputs reported in order %v, want %v\n%v", got, want, err)
		}
	}
}

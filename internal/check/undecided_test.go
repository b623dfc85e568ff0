package check_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
)

// zoneWithoutLink is the reference design with one more private zone and
// no link to it: PVK079 finds it.
func zoneWithoutLink(t *testing.T, leftOut ...arm.LeftOut) *twin.Twin {
	t.Helper()
	tm := reference(t)
	fixtures["PVK079"].bad(t, tm)
	tw := build(t, tm)
	tw.Set.Coverage.LeftOut = leftOut
	tw.Set.Coverage.Declared = len(tw.Set.Resources) + len(leftOut)
	return tw
}

func findingOf(fs []check.Finding, rule string) (check.Finding, bool) {
	for _, f := range fs {
		if f.Rule == rule {
			return f, true
		}
	}
	return check.Finding{}, false
}

var leftOutLink = arm.LeftOut{Pos: arm.Pos{File: "zones.json", Line: 42, Column: 7},
	Resource: "virtualNetworkLinks [concat('to_', variables('vnetName'))]", Type: "virtualNetworkLinks",
	Expr: "[concat('to_', variables('vnetName'))]", Reason: "name is only known at deployment time"}

// TestUndecidedWhenInputLeftOut: "zone … has no virtual network link" is a
// confident finding only while no link (nor anything that may hold one)
// was left out of the analysis.
func TestUndecidedWhenInputLeftOut(t *testing.T) {
	cases := []struct {
		name      string
		leftOut   []arm.LeftOut
		undecided bool
	}{
		{"nothing left out", nil, false},
		{"a link left out (relative child type)", []arm.LeftOut{leftOutLink}, true},
		{"a link left out (full type)", []arm.LeftOut{{Resource: "l", Type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks", Reason: "x"}}, true},
		{"a nested deployment left out", []arm.LeftOut{{Resource: "d", Type: "Microsoft.Resources/deployments", Reason: "templateLink.uri is never fetched"}}, true},
		{"a resource of unknown type left out", []arm.LeftOut{{Resource: "resources[3]", Reason: "type is an expression"}}, true},
		{"an unrelated public IP left out", []arm.LeftOut{{Resource: "pip", Type: "Microsoft.Network/publicIPAddresses", Reason: "x"}}, false},
		{"a diagnostic setting left out", []arm.LeftOut{{Resource: "diag", Type: "Microsoft.Insights/diagnosticSettings", Reason: "x"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := check.Run(zoneWithoutLink(t, c.leftOut...))
			f, ok := findingOf(fs, "PVK079")
			if !ok {
				t.Fatal("PVK079 did not report the zone at all")
			}
			if got := f.Status == check.Undecided; got != c.undecided {
				t.Fatalf("PVK079 status %q, want undecided %v: %+v", f.Status, c.undecided, f)
			}
			if c.undecided {
				if len(f.UndecidedBecause) == 0 || check.Count(fs, check.Warning) != countWarnings(fs) {
					t.Errorf("undecided finding without its reason, or counted: %+v", f)
				}
				if check.CountUndecided(fs) == 0 {
					t.Error("CountUndecided misses it")
				}
			} else if f.Status != check.Found {
				t.Errorf("status %q, want %q", f.Status, check.Found)
			}
		})
	}
}

// countWarnings counts decided, active warnings by hand.
func countWarnings(fs []check.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == check.Warning && f.Suppressed == "" && f.Status == check.Found {
			n++
		}
	}
	return n
}

// TestPresenceFindingsStayDecided: a finding about a property the set
// holds (a public key vault) is not made undecided by a left-out
// nested deployment, and an undecided error never counts as an error.
func TestPresenceFindingsStayDecided(t *testing.T) {
	tm := reference(t)
	fixtures["PVK120"].bad(t, tm)
	fixtures["PVK101"].bad(t, tm)
	tw := build(t, tm)
	tw.Set.Coverage.LeftOut = []arm.LeftOut{{Resource: "roles", Type: "Microsoft.Authorization/roleAssignments", Reason: "name unknown"}}
	fs := check.Run(tw)
	if f, ok := findingOf(fs, "PVK120"); !ok || f.Status != check.Found {
		t.Errorf("PVK120 (public vault) must stay a confident finding: %+v", f)
	}
	f, ok := findingOf(fs, "PVK101")
	if !ok || f.Status != check.Undecided {
		t.Fatalf("PVK101 (missing role) with a role assignment left out must be undecided: %+v", f)
	}
	errs := 0
	for _, f := range fs {
		if f.Severity == check.Error && f.Status == check.Found && f.Suppressed == "" {
			errs++
		}
	}
	if check.Count(fs, check.Error) != errs {
		t.Errorf("Count(Error) = %d, want %d (undecided errors do not count)", check.Count(fs, check.Error), errs)
	}
}

// TestUndecidedInEveryFormat: text says "undecided" and what was left
// out; JSON has status and undecidedBecause; SARIF marks it kind review,
// level none (a kind other than fail has level none, SARIF 2.1.0
// §3.27.10), validates against the schema and carries the coverage.
func TestUndecidedInEveryFormat(t *testing.T) {
	tw := zoneWithoutLink(t, leftOutLink)
	fs := check.Run(tw)
	cov := tw.Coverage()
	rep := check.Report{Findings: fs, Coverage: &cov, Verdict: "incomplete", Incomplete: []string{"1 resource left out"}}

	var text bytes.Buffer
	if err := rep.WriteText(&text, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"undecided PVK079", "left out: zones.json:42:7: virtualNetworkLinks", "1 undecided", "coverage: ", "1 left out"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}

	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Verdict  string
		Coverage struct {
			Declared, Modelled int
			LeftOut            []arm.LeftOut
		}
		Findings []check.Finding
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Verdict != "incomplete" || len(doc.Coverage.LeftOut) != 1 || doc.Coverage.LeftOut[0].Pos.Line != 42 || doc.Coverage.Declared != len(tw.Set.Resources)+1 {
		t.Errorf("JSON verdict/coverage wrong: %s", js.String())
	}
	if f, _ := findingOf(doc.Findings, "PVK079"); f.Status != check.Undecided || len(f.UndecidedBecause) != 1 {
		t.Errorf("JSON finding: %+v", f)
	}

	var sarif bytes.Buffer
	if err := rep.WriteSARIF(&sarif, "zones.json"); err != nil {
		t.Fatal(err)
	}
	sch, err := jsonschema.NewCompiler().Compile(testenv.Testdata(t, "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(sarif.Bytes()))
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF with undecided results does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				Notes []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn int }
						}
					}
				} `json:"toolExecutionNotifications"`
			}
			Results []struct {
				RuleID, Kind, Level string
				Properties          map[string]any
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	found := false
	for _, r := range run.Results {
		if r.RuleID == "PVK079" {
			found = true
			if r.Kind != "review" || r.Level != "none" || r.Properties["privaks.status"] != "undecided" || r.Properties["privaks.severity"] != "warning" {
				t.Errorf("SARIF undecided result: %+v", r)
			}
		} else if r.Kind != "fail" {
			t.Errorf("SARIF decided result %s has kind %q", r.RuleID, r.Kind)
		}
	}
	if !found {
		t.Error("no PVK079 result in SARIF")
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].Notes) != 1 {
		t.Fatalf("SARIF left-out notifications: %+v", run.Invocations)
	}
	loc := run.Invocations[0].Notes[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "zones.json" || loc.Region.StartLine != 42 || loc.Region.StartColumn != 7 {
		t.Errorf("left-out notification location: %+v", loc)
	}
	if run.Properties["privaks.verdict"] != "incomplete" || run.Properties["privaks.coverage"] == nil {
		t.Errorf("SARIF run properties: %v", run.Properties)
	}
}

// TestAbsentTypesAreReal: every type a rule declares in Absent is a
// resource type (provider namespace and type), so a typo cannot silently
// keep a rule confident.
func TestAbsentTypesAreReal(t *testing.T) {
	for _, r := range check.All() {
		for _, typ := range r.Absent {
			if !strings.HasPrefix(typ, "Microsoft.") || strings.Count(typ, "/") < 1 {
				t.Errorf("%s: Absent type %q is not a resource type", r.ID, typ)
			}
		}
	}
}

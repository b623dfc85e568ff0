package check_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
)

func TestSARIFValidAgainstSchema(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(testenv.Testdata(t, "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	bogus, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"info"}]}]}`))
	if sch.Validate(bogus) == nil {
		t.Fatal("the schema accepts level \"info\": the validator is not checking")
	}
	tm := reference(t)
	fixtures["PVK120"].bad(t, tm)
	fixtures["PVK125"].bad(t, tm)
	fs := check.Run(build(t, tm), check.WithDisabled(map[string]string{"PVK125": "break-glass access"}))
	for _, artifact := range []string{"", "privaks.yaml"} {
		var buf bytes.Buffer
		if err := check.WriteSARIF(&buf, fs, artifact); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("artifact %q: SARIF does not validate: %v", artifact, err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct{ ID string } `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID       string `json:"ruleId"`
					Level        string `json:"level"`
					Suppressions []struct {
						Justification string `json:"justification"`
					} `json:"suppressions"`
					Locations []struct {
						PhysicalLocation *struct {
							ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						} `json:"physicalLocation"`
						LogicalLocations []struct {
							FullyQualifiedName string `json:"fullyQualifiedName"`
						} `json:"logicalLocations"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		if len(run.Tool.Driver.Rules) != len(check.All()) {
			t.Errorf("driver lists %d rules, want %d", len(run.Tool.Driver.Rules), len(check.All()))
		}
		var sawKV, sawSuppressed bool
		for _, r := range run.Results {
			loc := r.Locations[0]
			if r.RuleID == "PVK120" && r.Level == "error" && strings.Contains(loc.LogicalLocations[0].FullyQualifiedName, "Microsoft.KeyVault/vaults/") {
				sawKV = true
			}
			if r.RuleID == "PVK125" && len(r.Suppressions) == 1 && r.Suppressions[0].Justification == "break-glass access" {
				sawSuppressed = true
			}
			if (loc.PhysicalLocation != nil) != (artifact != "") || (artifact != "" && loc.PhysicalLocation.ArtifactLocation.URI != artifact) {
				t.Errorf("result %s: physical location %+v, want artifact %q", r.RuleID, loc.PhysicalLocation, artifact)
			}
		}
		if !sawKV || !sawSuppressed {
			t.Errorf("results lack the vault error (%v) or the suppressed local-accounts warning (%v)", sawKV, sawSuppressed)
		}
	}
}

func TestJSONArraysNeverNull(t *testing.T) {
	var buf bytes.Buffer
	if err := check.WriteJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(strings.Fields(buf.String()), ""), `{"formatVersion":"1","findings":[]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestSARIFIntents: a report of check --verify lists the intent rule and,
// as its results, the intents that fail (kind fail, level error) or are
// unknown (kind review, level none, with what was left out), and stays
// valid SARIF 2.1.0; intents that hold are counted, not listed.
func TestSARIFIntents(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile(testenv.Testdata(t, "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	rep := check.Report{Verified: true, Intents: []check.IntentOutcome{
		{Name: "vm-agent → key vault kv", From: "vm-agent", To: "kv.vault.azure.net:443", Status: "pass"},
		{Name: "Internet ↛ storage st", From: "Internet", To: "st", Status: "fail", Cause: "public network access is enabled"},
		{Name: "pod → key vault kv2", From: "pod", To: "kv2", Status: "unknown", Cause: "the vault's network rules were left out", LeftOut: []string{"kv2"}},
	}}
	var buf bytes.Buffer
	if err := rep.WriteSARIF(&buf, "azuredeploy.json"); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID     string
				RuleIndex  int
				Kind       string
				Level      string
				Properties map[string]any
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var got []string
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != check.IntentRuleID || r.RuleID != check.IntentRuleID {
			t.Errorf("result %s at rule index %d", r.RuleID, r.RuleIndex)
		}
		got = append(got, r.Kind+" "+r.Level+" "+r.Properties["privaks.from"].(string))
	}
	if want := []string{"fail error Internet", "review none pod"}; !slices.Equal(got, want) {
		t.Errorf("results %q, want %q", got, want)
	}
	if lo, _ := run.Results[1].Properties["privaks.undecidedBecause"].([]any); len(lo) != 1 {
		t.Errorf("unknown intent without what was left out: %v", run.Results[1].Properties)
	}
	counts, _ := run.Properties["privaks.intents"].(map[string]any)
	if counts["total"] != 3.0 || counts["pass"] != 1.0 || counts["fail"] != 1.0 || counts["unknown"] != 1.0 {
		t.Errorf("privaks.intents = %v", counts)
	}
	// A report that did not verify lists no intent rule.
	buf.Reset()
	if err := (check.Report{}).WriteSARIF(&buf, ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"id": "intent"`) {
		t.Errorf("a check without --verify lists the intent rule")
	}
}

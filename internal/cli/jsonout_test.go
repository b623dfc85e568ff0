package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// -o json on every command that prints results: stdout is one JSON
// document (notes stay on stderr), and -o rejects what it does not know.
func TestJSONOutputs(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, "plan", "-o", "json", "--out", dir)
	var plan planJSON
	if err := json.Unmarshal([]byte(out), &plan); code != 0 || err != nil {
		t.Fatalf("plan -o json: exit %d, %v\n%s\n%s", code, err, out, errOut)
	}
	if plan.Total < 30 || len(plan.Components) < 5 || plan.Intents == 0 || len(plan.Written) != 2 || plan.Written[0] != filepath.Join(dir, "azuredeploy.json") {
		t.Errorf("plan -o json: %+v", plan)
	}
	if len(plan.Placeholders) != 1 || plan.Placeholders[0] != "agent.url" {
		t.Errorf("plan -o json placeholders = %v", plan.Placeholders)
	}
	sum := 0
	for _, c := range plan.Components {
		sum += c.Resources
	}
	if sum != plan.Total {
		t.Errorf("components add up to %d, total %d", sum, plan.Total)
	}

	code, out, _ = run(t, "rules", "-o", "json")
	var rules struct{ Rules []ruleJSON }
	if err := json.Unmarshal([]byte(out), &rules); code != 0 || err != nil || len(rules.Rules) < 60 || rules.Rules[0].ID != "PVK001" || rules.Rules[0].Fix == "" {
		t.Errorf("rules -o json: exit %d, %v, %d rules", code, err, len(rules.Rules))
	}
	code, out, _ = run(t, "rules", "PVK001", "-o", "json")
	if err := json.Unmarshal([]byte(out), &rules); code != 0 || err != nil || len(rules.Rules) != 1 {
		t.Errorf("rules PVK001 -o json: exit %d, %v\n%s", code, err, out)
	}

	code, out, _ = run(t, "plan-addresses", "--on-prem", "10.0.0.0/12", "-o", "json")
	var ap struct {
		Hub, Spoke struct {
			AddressSpace string
			Subnets      []subnetJSON
		}
		OnPremises []string
	}
	if err := json.Unmarshal([]byte(out), &ap); code != 0 || err != nil || ap.Hub.AddressSpace == "" || len(ap.Spoke.Subnets) == 0 || len(ap.OnPremises) != 1 {
		t.Errorf("plan-addresses -o json: exit %d, %v\n%s", code, err, out)
	}
	if strings.HasPrefix(ap.Hub.AddressSpace, "10.0.") {
		t.Errorf("the plan overlaps the on-premises range: %s", ap.Hub.AddressSpace)
	}

	for _, args := range [][]string{{"plan", "-o", "yaml"}, {"rules", "-o", "xml"}, {"plan-addresses", "-o", "csv"}, {"status", "--subscription", "x", "--resource-group", "y", "-o", "table"}} {
		if code, _, _ := run(t, args...); code != ExitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, ExitBadInput)
		}
	}
}

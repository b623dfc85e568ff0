package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/testenv"
)

// agicArgs is check --verify of the 90 KB aks-agic sample with the two
// parameters it requires.
func agicArgs(t *testing.T, extra ...string) []string {
	tmpl := testenv.Testdata(t, "arm", "Azure-Samples__aks-agic__templates__azuredeploy.json")
	return append([]string{"check", "--verify", "--template", tmpl,
		"--param", "aksClusterSshPublicKey=" + testSSHKey, "--param", "vmAdminUsername=azureuser"}, extra...)
}

// TestCheckVerifyIsBothInOneRun: check --verify reports what check and
// verify report run apart, in each format, and judges both.
func TestCheckVerifyIsBothInOneRun(t *testing.T) {
	args := agicArgs(t)
	alone := func(verb string, extra ...string) (int, string) {
		a := append([]string{verb}, args[2:]...)
		code, out, _ := checkCLI(t, append(a, extra...)...)
		return code, out
	}
	checkCode, checkOut := alone("check")
	verifyCode, verifyOut := alone("verify")
	if checkCode != ExitFailed || verifyCode != ExitFailed {
		t.Fatalf("check exit %d, verify exit %d: the sample fails both (a public storage account)", checkCode, verifyCode)
	}

	t.Run("text", func(t *testing.T) {
		code, out, errs := checkCLI(t, args...)
		if code != ExitFailed {
			t.Fatalf("exit %d, want %d\n%s", code, ExitFailed, errs)
		}
		// verify's lines, then check's report, then one verdict.
		intents := strings.TrimSuffix(verifyOut, verifyOut[strings.Index(verifyOut, "coverage:"):])
		if !strings.HasPrefix(out, intents) {
			t.Errorf("does not start with verify's intents:\n%s", out)
		}
		if !strings.HasSuffix(out, checkOut) {
			t.Errorf("does not end with check's findings, coverage and verdict:\n%s", out)
		}
		if strings.Count(out, "result: ") != 1 || strings.Count(out, "coverage: ") != 1 {
			t.Errorf("want one coverage and one result line:\n%s", out)
		}
		if want := "privaks: 2 error findings; 1 of 20 intents fail\n"; errs != want {
			t.Errorf("stderr %q, want %q", errs, want)
		}
	})

	t.Run("json", func(t *testing.T) {
		code, out, _ := checkCLI(t, agicArgs(t, "-o", "json")...)
		if code != ExitFailed {
			t.Fatalf("exit %d", code)
		}
		var doc struct {
			FormatVersion, Verdict string
			Findings               []struct{ Rule string }
			Intents                []struct{ Name, Status string }
			Coverage               struct{ Declared int }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		var checkDoc struct{ Findings []struct{ Rule string } }
		var verifyDoc struct {
			Intents []struct{ Name, Status string }
		}
		_, c := alone("check", "-o", "json")
		_, v := alone("verify", "-o", "json")
		if err := json.Unmarshal([]byte(c), &checkDoc); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(v), &verifyDoc); err != nil {
			t.Fatal(err)
		}
		if doc.FormatVersion != "1" || doc.Verdict != "fail" || doc.Coverage.Declared != 46 {
			t.Errorf("formatVersion %q, verdict %q, %d declared", doc.FormatVersion, doc.Verdict, doc.Coverage.Declared)
		}
		if diff := cmp.Diff(checkDoc.Findings, doc.Findings); diff != "" {
			t.Errorf("findings differ from check's (-check +check --verify):\n%s", diff)
		}
		if diff := cmp.Diff(verifyDoc.Intents, doc.Intents); diff != "" || len(doc.Intents) != 20 {
			t.Errorf("%d intents; differ from verify's (-verify +check --verify):\n%s", len(doc.Intents), diff)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		code, out, _ := checkCLI(t, agicArgs(t, "-o", "sarif")...)
		if code != ExitFailed {
			t.Fatalf("exit %d", code)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct{ Rules []struct{ ID string } }
				}
				Results []struct {
					RuleID    string
					RuleIndex int
					Kind      string
					Level     string
					Message   struct{ Text string }
				}
				Properties map[string]any
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		var intents []string
		for _, r := range run.Results {
			if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("result of %s points at rule %d", r.RuleID, r.RuleIndex)
			}
			if r.RuleID == "intent" {
				intents = append(intents, r.Kind+" "+r.Level+" "+r.Message.Text)
			}
		}
		want := []string{"fail error Internet ↛ storage account boot3obrwiqizs2om: "}
		if len(intents) != 1 || !strings.HasPrefix(intents[0], want[0]) {
			t.Errorf("intent results %q, want one starting %q", intents, want[0])
		}
		counts, _ := run.Properties["privaks.intents"].(map[string]any)
		if counts["total"] != 20.0 || counts["fail"] != 1.0 || counts["pass"] != 19.0 {
			t.Errorf("privaks.intents = %v", counts)
		}
		// check alone lists no intent rule.
		_, c := alone("check", "-o", "sarif")
		if strings.Contains(c, `"id": "intent"`) {
			t.Errorf("check without --verify lists the intent rule")
		}
	})
}

// TestCheckVerifySpec: on a spec, check --verify proves the spec's own
// intents too, as verify does, and the reference design passes both.
func TestCheckVerifySpec(t *testing.T) {
	code, out, errs := checkCLI(t, "check", "--verify")
	if code != ExitOK || !strings.Contains(out, "result: pass") {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
	_, vout, _ := checkCLI(t, "verify")
	summary := func(s string) string {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, " intents, ") {
				return l
			}
		}
		return ""
	}
	if summary(out) == "" || summary(out) != summary(vout) {
		t.Errorf("intent summary %q, verify's %q", summary(out), summary(vout))
	}
	blocked := writeSpec(t, "intents:\n  - name: agent cannot reach the Internet on 25\n    from: vm-agent\n    to: 198.51.100.7:25\n    expect: blocked\n")
	code, out, _ = checkCLI(t, "check", "--verify", "-f", blocked)
	if !strings.Contains(out, "agent cannot reach the Internet on 25") {
		t.Errorf("exit %d: the spec's own intent is missing:\n%s", code, out)
	}
}

func TestVerdictAnd(t *testing.T) {
	gap := "1 resource left out of the analysis (listed under coverage)"
	a := verdict{failed: 2, failWhat: "2 error findings", incomplete: []string{gap}}
	b := verdict{failed: 0, failWhat: "0 of 3 intents fail", incomplete: []string{gap, "1 intent unknown"}}
	got := a.and(b)
	if got.failed != 2 || got.failWhat != "2 error findings" || !cmp.Equal(got.incomplete, []string{gap, "1 intent unknown"}) {
		t.Errorf("and = %+v", got)
	}
	if got := b.and(verdict{}); got.name() != verdictIncomplete {
		t.Errorf("incomplete and pass = %s", got.name())
	}
	if got := (verdict{}).and(verdict{}); got.name() != verdictPass {
		t.Errorf("pass and pass = %s", got.name())
	}
	c := verdict{failed: 1, failWhat: "1 of 3 intents fail"}
	if got := a.and(c); got.failWhat != "2 error findings; 1 of 3 intents fail" || got.name() != verdictFail {
		t.Errorf("fail and fail = %+v", got)
	}
}

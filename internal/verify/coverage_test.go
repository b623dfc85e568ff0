package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

// TestFailureOnLeftOutInputIsUnknown: the vault's zone link removed makes
// the clients' vault intents fail on DNS; when a link was left out of the
// analysis (not known to be absent), the same intents are unknown, naming
// what was left out. A failure of another kind (the vault open to the
// Internet) still fails.
func TestFailureOnLeftOutInputIsUnknown(t *testing.T) {
	for _, leftOut := range []bool{false, true} {
		tm := referenceTemplate(t)
		remove(tm, func(r *arm.Resource) bool { return r.Name != "privatelink.vaultcore.azure.net/link-vnet-hub" })
		kv := fixture.Find(t, tm, "Microsoft.KeyVault/vaults", vaultName(tm))
		kv.Properties["publicNetworkAccess"] = "Enabled"
		kv.Properties["networkAcls"] = map[string]any{"defaultAction": "Allow"}
		tw := fixture.Model(t, tm)
		if leftOut {
			tw.Set.Coverage.LeftOut = []arm.LeftOut{{Pos: arm.Pos{File: "zones.json", Line: 9}, Resource: "virtualNetworkLinks link-hub",
				Type: "virtualNetworkLinks", Reason: "name is only known at deployment time"}}
		}
		rs := verify.Run(tw, verify.Derive(tw))
		dnsFails, unknowns, exposure := 0, 0, ""
		for _, r := range rs {
			switch {
			case strings.HasPrefix(r.Name, "Internet ↛ key vault"):
				exposure = r.Status
			case strings.Contains(r.Name, "→ key vault") && r.Status == verify.Fail:
				dnsFails++
			case strings.Contains(r.Name, "→ key vault") && r.Status == verify.Unknown:
				unknowns++
				if len(r.LeftOut) != 1 || !strings.Contains(r.LeftOut[0], "zones.json:9") || !strings.Contains(r.Cause, "undecided") {
					t.Errorf("unknown result does not name what was left out: %+v", r)
				}
			}
		}
		if exposure != verify.Fail {
			t.Errorf("left out %v: Internet ↛ key vault is %q; a public vault fails whatever was left out", leftOut, exposure)
		}
		if !leftOut && (dnsFails == 0 || unknowns != 0) {
			t.Errorf("without a left-out link: %d vault intents fail, %d unknown; want failures", dnsFails, unknowns)
		}
		if leftOut && (dnsFails != 0 || unknowns == 0) {
			t.Errorf("with a left-out link: %d vault intents fail, %d unknown; want all unknown", dnsFails, unknowns)
		}
	}
}

package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

// userResult runs one user intent against a template.
func userResult(t *testing.T, tmpl *arm.Template, from, to string, blocked bool) verify.Result {
	t.Helper()
	tw := fixture.Model(t, tmpl)
	return verify.Run(tw, []verify.Intent{verify.UserIntent("", from, to, blocked)})[0]
}

func derived(t *testing.T, tmpl *arm.Template, name string) verify.Result {
	t.Helper()
	for _, r := range run(t, tmpl) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no derived intent %q", name)
	return verify.Result{}
}

// Intents to names outside the design follow the real egress path: with
// the reference design's NAT gateway (egress wide open) github.com:22 is
// reachable, so "expect: blocked" fails; behind the firewall, which allows
// only what the design needs, it is blocked.
func TestUserIntentsFollowTheEgressPath(t *testing.T) {
	nat, fw := referenceTemplate(t), variantTemplate(t, firewallSpec)
	cases := []struct {
		name    string
		tmpl    *arm.Template
		to      string
		blocked bool
		want    string
		cause   string
	}{
		{"NAT: github.com:22 blocked expected but open", nat, "github.com:22", true, verify.Fail, "must be blocked"},
		{"NAT: dev.azure.com reachable", nat, "dev.azure.com:443", false, verify.Pass, ""},
		{"firewall: github.com:22 blocked", fw, "github.com:22", true, verify.Pass, ""},
		{"firewall: github.com:22 expected reachable", fw, "github.com:22", false, verify.Fail, "does not allow"},
		{"firewall: dev.azure.com reachable", fw, "dev.azure.com:443", false, verify.Pass, ""},
		{"firewall: example.org:443 blocked", fw, "example.org:443", true, verify.Pass, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := userResult(t, c.tmpl, "vm-agent", c.to, c.blocked)
			if r.Status != c.want || !strings.Contains(r.Cause, c.cause) {
				t.Fatalf("status %s (cause %q), want %s with %q; trace %v", r.Status, r.Cause, c.want, c.cause, r.Trace)
			}
			for _, s := range r.Trace {
				if strings.Contains(s.Text, "203.0.113.") {
					t.Errorf("the trace invents an address: %s", s.Text)
				}
			}
		})
	}
}

// A user intent and the derived intent for the same path agree, and
// explain gives the verdict verify gives.
func TestUserAndDerivedIntentsAgree(t *testing.T) {
	for name, tmpl := range map[string]*arm.Template{"nat": referenceTemplate(t), "firewall": variantTemplate(t, firewallSpec)} {
		t.Run(name, func(t *testing.T) {
			d := derived(t, tmpl, "vm-agent → CI service dev.azure.com")
			u := userResult(t, tmpl, "vm-agent", "dev.azure.com:443", false)
			e, err := verify.Explain(fixture.Model(t, tmpl), "vm-agent", "dev.azure.com:443")
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != verify.Pass || u.Status != d.Status || e.Status != d.Status {
				t.Fatalf("derived %s, user %s (%s), explain %s (%s)", d.Status, u.Status, u.Cause, e.Status, e.Cause)
			}
		})
	}
}

// A NAT gateway removed: the user intent fails with the cause the derived
// intent gives, and a blocked expectation holds.
func TestUserIntentWithoutEgress(t *testing.T) {
	tmpl := referenceTemplate(t)
	remove(tmpl, func(r *arm.Resource) bool { return r.Name != "ng-hub" })
	hub := find(t, tmpl, "Microsoft.Network/virtualNetworks", "vnet-hub")
	for _, s := range hub.Properties["subnets"].([]any) {
		delete(s.(map[string]any)["properties"].(map[string]any), "natGateway")
	}
	d := derived(t, tmpl, "vm-agent → CI service dev.azure.com")
	u := userResult(t, tmpl, "vm-agent", "dev.azure.com:443", false)
	if d.Status != verify.Fail || u.Status != verify.Fail || !strings.Contains(u.Cause, "is private") {
		t.Fatalf("derived %s (%s), user %s (%s)", d.Status, d.Cause, u.Status, u.Cause)
	}
	if b := userResult(t, tmpl, "vm-agent", "github.com:22", true); b.Status != verify.Pass {
		t.Fatalf("blocked intent: %s (%s)", b.Status, b.Cause)
	}
}

// An NSG outbound rule to a service tag cannot be matched against a name
// whose address the model does not know: the intent is undecided, never
// a pass either way.
func TestEgressToServiceTagIsUndecided(t *testing.T) {
	tmpl := referenceTemplate(t)
	nsg := find(t, tmpl, "Microsoft.Network/networkSecurityGroups", "nsg-snet-agents")
	nsg.Properties["securityRules"] = append(nsg.Properties["securityRules"].([]any), map[string]any{
		"name": "DenyStorage", "properties": map[string]any{
			"priority": 200, "direction": "Outbound", "access": "Deny", "protocol": "Tcp",
			"sourcePortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "Storage", "destinationPortRange": "443",
		}})
	for _, blocked := range []bool{false, true} {
		r := userResult(t, tmpl, "vm-agent", "dev.azure.com:443", blocked)
		if r.Status != verify.Unknown || !strings.Contains(r.Cause, "Storage") {
			t.Fatalf("blocked=%v: %s (%s)", blocked, r.Status, r.Cause)
		}
	}
}

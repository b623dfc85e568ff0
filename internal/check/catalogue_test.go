package check_test

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/check"
)

var (
	reID   = regexp.MustCompile(`^PVK[0-9]{3}$`)
	reSlug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func TestCatalogueWellFormed(t *testing.T) {
	rules := check.All()
	if len(rules) < 60 {
		t.Errorf("catalogue has %d rules, want at least 60", len(rules))
	}
	ids, slugs := map[string]bool{}, map[string]bool{}
	for i, r := range rules {
		if !reID.MatchString(r.ID) {
			t.Errorf("rule %q: ID is not PVK + 3 digits", r.ID)
		}
		if ids[r.ID] || slugs[r.Slug] {
			t.Errorf("rule %s: duplicate ID or slug %q", r.ID, r.Slug)
		}
		ids[r.ID], slugs[r.Slug] = true, true
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rule %s listed after %s: the catalogue must be sorted", r.ID, rules[i-1].ID)
		}
		if !reSlug.MatchString(r.Slug) {
			t.Errorf("rule %s: slug %q is not kebab-case", r.ID, r.Slug)
		}
		if _, ok := check.ParseSeverity(string(r.Severity)); !ok {
			t.Errorf("rule %s: severity %q", r.ID, r.Severity)
		}
		if r.Title == "" || len(r.Rationale) < 60 || r.Fix == "" || r.Check == nil {
			t.Errorf("rule %s: title, rationale (a paragraph), fix and check are required", r.ID)
		}
		if !strings.HasPrefix(r.Doc, "https://") {
			t.Errorf("rule %s: doc %q is not a URL", r.ID, r.Doc)
		}
		if fx, ok := fixtures[r.ID]; !ok || fx.bad == nil {
			t.Errorf("rule %s has no fixtures", r.ID)
		}
	}
}

func TestRunOptions(t *testing.T) {
	tm := reference(t)
	fixtures["PVK125"].bad(t, tm) // local accounts: a warning
	fixtures["PVK144"].bad(t, tm) // RBAC off: an error
	tw := build(t, tm)

	summary := func(fs []check.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Rule+" "+string(f.Severity)+" "+f.Suppressed)
		}
		return out
	}
	tests := []struct {
		name string
		opts []check.Option
		want []string
	}{
		{"errors only", []check.Option{check.WithMinSeverity(check.Error), check.WithOnly("PVK125", "PVK144")}, []string{"PVK144 error "}},
		{"warnings and up", []check.Option{check.WithMinSeverity(check.Warning), check.WithOnly("PVK125", "PVK144")}, []string{"PVK125 warning ", "PVK144 error "}},
		{"disabled rule is suppressed, not dropped", []check.Option{check.WithOnly("PVK125", "PVK144"), check.WithDisabled(map[string]string{"pvk144": "break-glass cluster"})},
			[]string{"PVK125 warning ", "PVK144 error break-glass cluster"}},
		{"on-premises ranges", []check.Option{check.WithOnly("PVK022"), check.WithOnPremises(netip.MustParsePrefix("10.1.128.0/17"))}, []string{"PVK022 error "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(summary(check.Run(tw, tc.opts...)), tc.want); diff != "" {
				t.Errorf("findings (-got +want):\n%s", diff)
			}
		})
	}
	fs := check.Run(tw, check.WithDisabled(map[string]string{"PVK144": "x"}))
	if check.Count(fs, check.Error) != 0 {
		t.Errorf("suppressed errors are counted: %d", check.Count(fs, check.Error))
	}
}

func TestUnknownsAreNeverViolations(t *testing.T) {
	tm := reference(t)
	ref := "[reference(resourceId('Microsoft.Network/networkInterfaces', 'nic-vm-dns'), '2025-07-01').ipConfigurations[0].properties.privateIPAddress]"
	cl := cluster(t, tm)
	set(cl, "networkProfile.serviceCidr", ref)
	set(cl, "networkProfile.dnsServiceIP", ref)
	set(first(t, tm, typVault), "publicNetworkAccess", ref)
	fs := check.Run(build(t, tm), check.WithOnly("PVK023", "PVK025", "PVK026", "PVK027", "PVK120"))
	for _, f := range fs {
		if f.Severity != check.Info || !strings.Contains(f.Message, "cannot decide before deployment") {
			t.Errorf("unknown value reported as %s: %s", f.Severity, f.Message)
		}
	}
	if len(fs) == 0 {
		t.Error("unknown values are not reported as undecided")
	}
}

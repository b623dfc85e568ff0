package verify_test

import (
	"os"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// evaluated reads a template of testdata/arm and evaluates it.
func evaluated(t *testing.T, name string, params map[string]any) *arm.Set {
	t.Helper()
	data, err := os.ReadFile(testenv.Testdata(t, "arm", name))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := armeval.ReadTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := armeval.Evaluate(tmpl, armeval.WithParameters(params))
	if set == nil {
		t.Fatal("not evaluated")
	}
	return set
}

func dropFromSet(set *arm.Set, drop func(*arm.Resource) bool) int {
	var keep []*arm.Resource
	for _, r := range set.Resources {
		if !drop(r) {
			keep = append(keep, r)
		}
	}
	n := len(set.Resources) - len(keep)
	*set = arm.Set{Scope: set.Scope, Resources: keep, Outputs: set.Outputs, Source: set.Source, Coverage: set.Coverage}
	return n
}

// TestStoragePrivateEndpoint: A3 (201-key-vault-private-endpoint) puts the
// boot-diagnostics account's blob service behind a private endpoint with
// its privatelink.blob zone linked to the VNet: the VM resolves
// <account>.blob.core.windows.net through the CNAME Azure publishes to the
// privatelink name and the zone's A record. Single faults must fail with
// a trace naming the cause; benign changes must not.
func TestStoragePrivateEndpoint(t *testing.T) {
	const a3 = "Azure__azure-quickstart-templates__201-key-vault-private-endpoint__azuredeploy.json"
	blobLink := func(r *arm.Resource) bool {
		return r.Is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") && strings.Contains(string(r.ID), "privatelink.blob.")
	}
	storage := func(set *arm.Set) *arm.Resource {
		r := set.OfType("Microsoft.Storage/storageAccounts")[0]
		if r.Properties == nil {
			r.Properties = map[string]any{}
		}
		return r
	}
	cases := []struct {
		name   string
		mutate func(t *testing.T, set *arm.Set)
		intent string
		status string
		cause  string
	}{
		{"as published", func(*testing.T, *arm.Set) {}, "TestVm → storage", verify.Pass, ""},
		{"as published: public endpoint open", func(*testing.T, *arm.Set) {}, "Internet ↛ storage account", verify.Fail, "publicNetworkAccess is unset"},
		{"blob zone link removed", func(t *testing.T, set *arm.Set) {
			if dropFromSet(set, blobLink) == 0 {
				t.Fatal("no blob zone link")
			}
		}, "TestVm → storage", verify.Fail, "public address"},
		{"blob zone group removed", func(t *testing.T, set *arm.Set) {
			if dropFromSet(set, func(r *arm.Resource) bool {
				return r.Is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups") && strings.Contains(strings.ToLower(string(r.ID)), "blob")
			}) == 0 {
				t.Fatal("no blob zone group")
			}
		}, "TestVm → storage", verify.Fail, "NXDOMAIN"},
		{"public network access disabled", func(t *testing.T, set *arm.Set) {
			storage(set).Properties["publicNetworkAccess"] = "Disabled"
		}, "Internet ↛ storage account", verify.Pass, ""},
		{"benign: network rules deny by default", func(t *testing.T, set *arm.Set) {
			storage(set).Properties["networkAcls"] = map[string]any{"defaultAction": "Deny", "bypass": "AzureServices"}
		}, "Internet ↛ storage account", verify.Pass, ""},
		{"network rules admit an Internet range", func(t *testing.T, set *arm.Set) {
			storage(set).Properties["networkAcls"] = map[string]any{"defaultAction": "Deny", "ipRules": []any{map[string]any{"value": "198.51.100.0/24"}}}
		}, "Internet ↛ storage account", verify.Fail, "IP rules admit"},
		{"benign: disabling public access keeps the private path", func(t *testing.T, set *arm.Set) {
			storage(set).Properties["publicNetworkAccess"] = "Disabled"
		}, "TestVm → storage", verify.Pass, ""},
		// A name known only after apply (Terraform's random_string, which
		// tfread renders "{expr}"): the zone group's record carries the
		// same name, so the private path holds whatever it becomes.
		{"benign: account name known only after apply", func(t *testing.T, set *arm.Set) {
			renameEverywhere(set, storage(set).Name, "{random_string.sa.result}")
		}, "TestVm → storage", verify.Pass, ""},
		// Without the zone group the name does not resolve privately; with
		// the name unknown that failure may rest on the name alone
		// (public DNS knows no such name): unknown, never a failure.
		{"account name known only after apply, zone group removed", func(t *testing.T, set *arm.Set) {
			renameEverywhere(set, storage(set).Name, "{random_string.sa.result}")
			dropFromSet(set, func(r *arm.Resource) bool {
				return r.Is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups") && strings.Contains(strings.ToLower(string(r.ID)), "blob")
			})
		}, "TestVm → storage", verify.Unknown, "known only after apply (random_string.sa.result)"},
		// The exposure rests on the account's settings, not its name.
		{"account name known only after apply: public endpoint open", func(t *testing.T, set *arm.Set) {
			renameEverywhere(set, storage(set).Name, "{random_string.sa.result}")
		}, "Internet ↛ storage account", verify.Fail, "publicNetworkAccess is unset"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := evaluated(t, a3, map[string]any{"workspaceName": "la-kv-pe"})
			c.mutate(t, set)
			tw := twin.Build(set)
			found := false
			for _, r := range verify.Run(tw, verify.Derive(tw)) {
				if !strings.HasPrefix(r.Name, c.intent) {
					continue
				}
				found = true
				if r.Status != c.status || !strings.Contains(r.Cause, c.cause) {
					t.Errorf("%s: %s (%s), want %s with %q\n%v", r.Name, r.Status, r.Cause, c.status, c.cause, r.Trace)
				}
			}
			if !found {
				t.Errorf("no intent %q", c.intent)
			}
		})
	}
}

// renameEverywhere replaces name in every ID, name and string property of
// set (a resource renamed as a reader would write it).
func renameEverywhere(set *arm.Set, old, name string) {
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			return strings.ReplaceAll(t, old, name)
		case map[string]any:
			for k, x := range t {
				t[k] = walk(x)
			}
		case []any:
			for i, x := range t {
				t[i] = walk(x)
			}
		}
		return v
	}
	keep := set.Resources
	*set = arm.Set{Scope: set.Scope, Outputs: set.Outputs, Source: set.Source, Coverage: set.Coverage}
	for _, r := range keep {
		r.ID = arm.ResourceID(strings.ReplaceAll(string(r.ID), old, name))
		r.Name = strings.ReplaceAll(r.Name, old, name)
		if r.Properties != nil {
			walk(r.Properties)
		}
		set.Add(r)
	}
}

package render_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/render"
)

func TestWorkloads(t *testing.T) {
	set := setOf(t, testSpec(t))
	got, err := render.Workloads(set)
	if err != nil {
		t.Fatal(err)
	}
	vault := set.OfType("Microsoft.KeyVault/vaults")[0].Name
	want := []render.Workload{
		{Name: "batch", Namespace: "finance", ServiceAccount: "batch", Exposure: "none",
			Subject: "system:serviceaccount:finance:batch", Vault: vault},
		{Name: "billing", Namespace: "finance", ServiceAccount: "billing-sa", Secrets: []string{"billing-api-key"},
			Exposure: "private", Subject: "system:serviceaccount:finance:billing-sa", Vault: vault,
			Host: "billing.privaks.internal", Certificate: "tls-default"},
		{Name: "orders", Namespace: "orders", ServiceAccount: "orders", Secrets: []string{"orders-db-password", "1234"},
			Exposure: "public", Subject: "system:serviceaccount:orders:orders", Vault: vault,
			Host: "orders.privaks.internal", Certificate: "tls-default"},
	}
	if diff := cmp.Diff(got, want, cmpopts.IgnoreFields(render.Workload{}, "Identity")); diff != "" {
		t.Errorf("workloads (-got +want):\n%s", diff)
	}
	for _, w := range got {
		if !strings.HasSuffix(string(w.Identity), "/userAssignedIdentities/id-wl-"+w.Name) {
			t.Errorf("workload %s: identity %s", w.Name, w.Identity)
		}
	}
}

// identity returns the workload identity resource of a workload.
func identity(t *testing.T, set *arm.Set, workload string) *arm.Resource {
	t.Helper()
	for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities") {
		if r.Name == "id-wl-"+workload {
			return r
		}
	}
	t.Fatalf("no identity for %s", workload)
	return nil
}

func TestWorkloadsRejectsBrokenChains(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, set *arm.Set)
		want   string
	}{
		{"subject differs by one character", func(t *testing.T, set *arm.Set) {
			for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials") {
				if r.Name == "id-wl-billing/fic-billing" {
					r.Properties["subject"] = "system:serviceaccount:finance:billing-sa2"
				}
			}
		}, `read workload "billing": identity id-wl-billing has no federated credential for system:serviceaccount:finance:billing-sa`},
		{"no role on the vault", func(t *testing.T, set *arm.Set) {
			var keep []*arm.Resource
			for _, r := range set.Resources {
				if r.Is("Microsoft.Authorization/roleAssignments") && strings.Contains(r.Properties["description"].(string), "Workload orders") {
					continue
				}
				keep = append(keep, r)
			}
			set.Resources = keep
		}, `read workload "orders": identity id-wl-orders may read secrets of no Key Vault in the set`},
		{"bad exposure tag", func(t *testing.T, set *arm.Set) {
			identity(t, set, "orders").Tags.(map[string]any)["privaks-exposure"] = "internet"
		}, `read workload "orders": privaks-exposure tag "internet": want public, private or none`},
		{"shared service account", func(t *testing.T, set *arm.Set) {
			tags := identity(t, set, "batch").Tags.(map[string]any)
			tags["privaks-service-account"] = "billing-sa"
			for _, r := range set.OfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials") {
				if r.Name == "id-wl-batch/fic-batch" {
					r.Properties["subject"] = "system:serviceaccount:finance:billing-sa"
				}
			}
		}, `read workload "billing": it shares service account finance/billing-sa with workload "batch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := setOf(t, testSpec(t))
			tt.change(t, set)
			ws, err := render.Workloads(set)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %d workloads, error %v; want an error containing %q", len(ws), err, tt.want)
			}
			if _, err := render.Kubernetes(set, testValues(t, setOf(t, testSpec(t)))); err == nil {
				t.Errorf("Kubernetes rendered a set Workloads rejects")
			}
		})
	}
}

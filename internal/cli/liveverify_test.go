package cli

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

var liveScope = arm.Scope{Subscription: "3f2c6a1e-5b7d-4c1e-9a2f-8d4b6e1c0a97", ResourceGroup: "rg-privaks", Location: "canadacentral", TenantID: "7a1d2c3b-4e5f-4a6b-8c9d-0e1f2a3b4c5d"}

// liveSet turns the compiled reference design into what apply reads back
// after a successful deployment: reference() values replaced by real-looking
// object IDs and URLs, the records Azure writes (API server, private
// endpoints) present as record sets, zone groups and customData absent
// (ARM does not list or return them).
func liveSet(t *testing.T) (*arm.Template, *arm.Set) {
	t.Helper()
	d, _, err := spec.Default()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := compile.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tmpl, armeval.WithScope(liveScope))
	if err != nil {
		t.Fatal(err)
	}
	live := &arm.Set{Scope: set.Scope, Source: "subscription:test"}
	var aksFQDN string
	for _, r := range set.Resources {
		r.Properties = resolveUnknowns(r.Properties).(map[string]any)
		r.Identity = resolveUnknowns(r.Identity)
		switch {
		case r.Is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups"):
			continue // not listed by ARM; the records below are
		case r.Is("Microsoft.ManagedIdentity/userAssignedIdentities"):
			r.Properties["principalId"] = fakeGUID(string(r.ID) + "principalId")
			r.Properties["clientId"] = fakeGUID(string(r.ID) + "clientId")
		case r.Is("Microsoft.Compute/virtualMachines"):
			delete(r.Properties["osProfile"].(map[string]any), "customData")
			if id, ok := r.Identity.(map[string]any); ok {
				id["principalId"] = fakeGUID(string(r.ID) + "identity.principalId")
			}
		case r.Is("Microsoft.ContainerService/managedClusters"):
			r.Properties["oidcIssuerProfile"].(map[string]any)["issuerURL"] = fakeValue(arm.Unknown{Ref: r.ID, Path: "oidcIssuerProfile.issuerURL"})
			agic := r.Properties["addonProfiles"].(map[string]any)["ingressApplicationGateway"].(map[string]any)
			agic["identity"] = map[string]any{"objectId": fakeGUID(string(r.ID) + "addonProfiles.ingressApplicationGateway.identity.objectId")}
			aksFQDN = "aks-privaks-1a2b3c4d." + fakeGUID("guid") + ".privatelink.canadacentral.azmk8s.io"
			r.Properties["privateFQDN"] = aksFQDN
		case r.Is("Microsoft.Network/privateEndpoints"):
			ips := map[string][]any{"pe-kv": {"10.0.1.40"}, "pe-acr": {"10.0.1.50", "10.0.1.60"}}[r.Name]
			r.Properties["customDnsConfigs"] = []any{map[string]any{"ipAddresses": ips}}
		}
		live.Add(r)
	}
	zone := func(name string) arm.ResourceID { return liveScope.ID("Microsoft.Network/privateDnsZones", name) }
	record := func(z, rel, ip string) {
		live.Add(&arm.Resource{ID: arm.ResourceID(string(zone(z)) + "/A/" + rel), Type: "Microsoft.Network/privateDnsZones/A", Name: z + "/" + rel,
			Properties: map[string]any{"aRecords": []any{map[string]any{"ipv4Address": ip}}}})
	}
	record("privatelink.canadacentral.azmk8s.io", strings.TrimSuffix(aksFQDN, ".privatelink.canadacentral.azmk8s.io"), "10.1.0.77")
	record("privatelink.vaultcore.azure.net", d.KeyVaultName, "10.0.1.40")
	record("privatelink.azurecr.io", d.RegistryName, "10.0.1.50")
	record("privatelink.azurecr.io", d.RegistryName+".canadacentral.data", "10.0.1.60")
	live.Sort()
	return tmpl, live
}

func fakeGUID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// fakeValue is what Azure returns where the template had reference().
func fakeValue(u arm.Unknown) any {
	p := strings.ToLower(u.Path)
	switch {
	case strings.HasSuffix(p, "issuerurl"):
		return "https://oidc.prod-aks.azure.com/" + fakeGUID(string(u.Ref)) + "/"
	case strings.HasSuffix(p, "principalid") || strings.HasSuffix(p, "objectid"):
		return fakeGUID(string(u.Ref) + u.Path)
	case strings.HasSuffix(p, "clientid"):
		return fakeGUID(string(u.Ref) + "clientId")
	}
	return "live-" + u.Path
}

func resolveUnknowns(v any) any {
	switch t := v.(type) {
	case arm.Unknown:
		return fakeValue(t)
	case map[string]any:
		for k, x := range t {
			t[k] = resolveUnknowns(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = resolveUnknowns(x)
		}
		return t
	}
	return v
}

func TestLiveVerification(t *testing.T) {
	tmpl, live := liveSet(t)
	ok, report, err := liveVerifier{deployed: tmpl}.Verify(context.Background(), live)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("the deployed reference design fails live verification:\n%s", report)
	}
	for _, want := range []string{"cloud-init of vm-dns taken from the deployed template", "✓ workload orders → secret orders-db-password", "✓ vm-agent → API server"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}

	// Without the deployed template the forwarder's software is unknown:
	// nothing is assumed.
	_, live = liveSet(t)
	ok, report, _ = liveVerifier{}.Verify(context.Background(), live)
	if ok || !strings.Contains(report, "DNS software is unknown") {
		t.Errorf("without the deployed cloud-init the forwarder must be unknown:\n%s", report)
	}

	// A role assignment missing in Azure fails the workload's intent.
	tmpl, live = liveSet(t)
	var kept []*arm.Resource
	for _, r := range live.Resources {
		if d, _ := r.Prop("description").(string); !strings.HasPrefix(d, "Workload orders") {
			kept = append(kept, r)
		}
	}
	pruned := &arm.Set{Scope: live.Scope}
	for _, r := range kept {
		pruned.Add(r)
	}
	ok, report, _ = liveVerifier{deployed: tmpl}.Verify(context.Background(), pruned)
	if ok || !strings.Contains(report, "holds no role that reads secrets") {
		t.Errorf("missing role assignment not caught:\n%s", report)
	}
}

func TestLiveAddressesAreRead(t *testing.T) {
	tmpl, live := liveSet(t)
	r, err := explainLive(tmpl, live)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r, "10.1.0.77") || !strings.Contains(r, "10.0.1.40") {
		t.Errorf("live addresses not used:\n%s", r)
	}
}

func explainLive(tmpl *arm.Template, live *arm.Set) (string, error) {
	v := liveVerifier{deployed: tmpl}
	v.restoreCustomData(live)
	var b strings.Builder
	for _, to := range []string{"aks-privaks", "kv-privaks-0e1a84"} {
		res, err := verifyExplain(live, "vm-agent", to)
		if err != nil {
			return "", err
		}
		b.WriteString(res)
	}
	return b.String(), nil
}

// verifyExplain traces one path on a set, as text.
func verifyExplain(set *arm.Set, from, to string) (string, error) {
	r, err := verify.Explain(twin.Build(set), from, to)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range r.Trace {
		fmt.Fprintf(&b, "%v %s %s\n", s.OK, s.Kind, s.Text)
	}
	return b.String(), nil
}

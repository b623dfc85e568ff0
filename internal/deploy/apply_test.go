package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/deploy"
	"github.com/privaks/privaks/internal/deploy/deploytest"
)

const (
	rg     = "rg-test"
	secret = "s3cr3t-agent-token-DO-NOT-PRINT"
)

// template is a small landing zone: a VNet, a registry whose name comes
// from a parameter, a key vault, a role assignment and a cluster, plus a
// securestring parameter.
const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "acrName": {"type": "string"},
    "agentToken": {"type": "securestring"},
    "replicas": {"type": "int", "defaultValue": 1}
  },
  "resources": [
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-09-01", "name": "vnet-hub", "location": "canadacentral", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}},
    {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2025-11-01", "name": "[parameters('acrName')]", "location": "canadacentral", "sku": {"name": "Premium"}},
    {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2026-02-01", "name": "kv-privaks-test", "location": "canadacentral", "properties": {"tenantId": "00000000-0000-0000-0000-000000000000"}},
    {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "9a1b2c3d-0000-0000-0000-000000000001", "properties": {"roleDefinitionId": "x", "principalId": "y"}},
    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2026-05-01", "name": "aks-privaks", "location": "canadacentral", "properties": {"dnsPrefix": "aks"}}
  ]
}`

const parameters = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"acrName": {"value": "acrprivakstest"}}
}`

func writeArtifact(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	tp, pp := filepath.Join(dir, "azuredeploy.json"), filepath.Join(dir, "azuredeploy.parameters.json")
	if err := os.WriteFile(tp, []byte(template), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pp, []byte(parameters), 0o600); err != nil {
		t.Fatal(err)
	}
	return tp, pp
}

func loadArtifact(t *testing.T) *deploy.Artifact {
	t.Helper()
	tp, pp := writeArtifact(t)
	a, err := deploy.LoadArtifact(tp, pp)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func conn(f *deploytest.Fake) deploy.Connection {
	return deploy.Connection{Credential: deploytest.Credential(), Options: f.ClientOptions()}
}

func target() deploy.Target {
	return deploy.Target{Subscription: deploytest.Subscription, ResourceGroup: rg, Location: "canadacentral"}
}

// run applies with fast polling and returns the result, error and progress.
func run(t *testing.T, ctx context.Context, f *deploytest.Fake, opts ...deploy.Option) (*deploy.Result, string, error) {
	t.Helper()
	var progress bytes.Buffer
	all := append([]deploy.Option{deploy.WithProgress(&progress, false), deploy.WithPollInterval(time.Millisecond), deploy.WithSecret("agentToken", secret)}, opts...)
	res, err := deploy.Apply(ctx, conn(f), target(), loadArtifact(t), all...)
	return res, progress.String(), err
}

func stackPuts(f *deploytest.Fake) []deploytest.Request {
	var out []deploytest.Request
	for _, r := range f.Snapshot() {
		if r.Method == http.MethodPut && strings.Contains(r.Path, "/deploymentStacks/") {
			out = append(out, r)
		}
	}
	return out
}

func TestApplyFirstDeploy(t *testing.T) {
	f := deploytest.New()
	f.DeployPolls = 2
	var previewed *deploy.Preview
	res, progress, err := run(t, context.Background(), f, deploy.WithPreviewHandler(func(p *deploy.Preview) (bool, error) {
		previewed = p
		return true, nil
	}))
	if err != nil {
		t.Fatalf("Apply: %v\nprogress:\n%s", err, progress)
	}
	if got := f.CreatedGroups; len(got) != 1 || got[0] != rg {
		t.Errorf("created groups = %v, want [%s]", got, rg)
	}
	if previewed == nil || previewed.Count(deploy.ChangeCreate) != 5 || !strings.Contains(previewed.Note, "does not exist") {
		t.Errorf("preview = %+v, want 5 creates with a new-group note", previewed)
	}
	if previewed.Changes[0].Name == "[parameters('acrName')]" {
		t.Errorf("preview shows an unresolved name")
	}
	puts := stackPuts(f)
	if len(puts) != 1 {
		t.Fatalf("stack PUTs = %d, want 1", len(puts))
	}
	if !strings.Contains(puts[0].Query, "api-version=2024-03-01") {
		t.Errorf("stack PUT query = %q", puts[0].Query)
	}
	var body struct {
		Properties struct {
			Template         map[string]any            `json:"template"`
			Parameters       map[string]map[string]any `json:"parameters"`
			ActionOnUnmanage map[string]string         `json:"actionOnUnmanage"`
			DenySettings     map[string]string         `json:"denySettings"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(puts[0].Body), &body); err != nil {
		t.Fatal(err)
	}
	p := body.Properties
	if p.ActionOnUnmanage["resources"] != "detach" || p.DenySettings["mode"] != "none" {
		t.Errorf("actionOnUnmanage = %v, denySettings = %v; want detach, none", p.ActionOnUnmanage, p.DenySettings)
	}
	if p.Parameters["agentToken"]["value"] != secret || p.Parameters["acrName"]["value"] != "acrprivakstest" {
		t.Errorf("parameters = %v", p.Parameters)
	}
	if rs, _ := p.Template["resources"].([]any); len(rs) != 5 {
		t.Errorf("template sent with %d resources, want 5", len(rs))
	}
	if res.State != "succeeded" || res.Managed != 5 || res.ReadBack == nil || len(res.ReadBack.Resources) != 5 {
		t.Errorf("result = %+v", res)
	}
	aks := res.ReadBack.OfType("Microsoft.ContainerService/managedClusters")
	if len(aks) != 1 || aks[0].APIVersion != "2026-05-01" || aks[0].Prop("provisioningState") != "Succeeded" {
		t.Errorf("read-back cluster = %+v", aks)
	}
	for _, want := range []string{"✓ created resource group rg-test", "running", "✓ succeeded Microsoft.ContainerService/managedClusters aks-privaks"} {
		if !strings.Contains(strings.Join(strings.Fields(progress), " "), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress)
		}
	}
	// Plain (non-terminal) progress never redraws.
	if strings.Contains(progress, "\x1b[") {
		t.Errorf("plain progress contains ANSI escapes")
	}
}

func TestApplyUpdateDetachesAndPrunes(t *testing.T) {
	f := deploytest.New()
	if _, _, err := run(t, context.Background(), f); err != nil {
		t.Fatal(err)
	}
	// Second run: the group and stack exist; what-if says the VNet changes
	// and no longer mentions the role assignment (it left the template).
	vnet := deploytest.ResourceID(rg, "Microsoft.Network/virtualNetworks", "vnet-hub")
	f.WhatIf = armdeployments.WhatIfOperationResult{Status: to.Ptr("Succeeded"), Properties: &armdeployments.WhatIfOperationProperties{Changes: []*armdeployments.WhatIfChange{
		{ResourceID: to.Ptr(vnet), ChangeType: to.Ptr(armdeployments.ChangeTypeModify), Delta: []*armdeployments.WhatIfPropertyChange{
			{Path: to.Ptr("properties.addressSpace.addressPrefixes"), PropertyChangeType: to.Ptr(armdeployments.PropertyChangeTypeModify), Before: []any{"10.0.0.0/16"}, After: []any{"10.1.0.0/16"}},
		}},
		{ResourceID: to.Ptr(deploytest.ResourceID(rg, "Microsoft.ContainerRegistry/registries", "acrprivakstest")), ChangeType: to.Ptr(armdeployments.ChangeTypeNoChange)},
		{ResourceID: to.Ptr(deploytest.ResourceID(rg, "Microsoft.KeyVault/vaults", "kv-privaks-test")), ChangeType: to.Ptr(armdeployments.ChangeTypeNoChange)},
		{ResourceID: to.Ptr(deploytest.ResourceID(rg, "Microsoft.ContainerService/managedClusters", "aks-privaks")), ChangeType: to.Ptr(armdeployments.ChangeTypeNoChange)},
	}}}
	// Names are now taken (by our own resources): the preflight must not
	// complain about them.
	f.TakenNames["acrprivakstest"] = "The registry name is already in use."
	f.TakenNames["kv-privaks-test"] = "The vault name is already in use."
	before := f.Count(http.MethodPost, "checkNameAvailability")

	for _, tc := range []struct {
		name     string
		opts     []deploy.Option
		kind     string
		unmanage string
	}{
		{name: "detach by default", kind: deploy.ChangeDetach, unmanage: "detach"},
		{name: "prune deletes", opts: []deploy.Option{deploy.WithPrune(), deploy.WithDenySettings(deploy.DenyDelete)}, kind: deploy.ChangeDelete, unmanage: "delete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var preview *deploy.Preview
			opts := append(tc.opts, deploy.WithPreviewHandler(func(p *deploy.Preview) (bool, error) { preview = p; return true, nil }))
			if _, progress, err := run(t, context.Background(), f, opts...); err != nil {
				t.Fatalf("Apply: %v\n%s", err, progress)
			}
			if preview.Count(deploy.ChangeModify) != 1 || preview.Count(deploy.ChangeNoChange) != 3 || preview.Count(tc.kind) != 1 {
				t.Fatalf("preview changes = %+v", preview.Changes)
			}
			var out bytes.Buffer
			deploy.WritePreview(&out, preview)
			for _, want := range []string{
				"1 to modify",
				"~ Microsoft.Network/virtualNetworks vnet-hub",
				`~ properties.addressSpace.addressPrefixes: ["10.0.0.0/16"] => ["10.1.0.0/16"]`,
				"Microsoft.Authorization/roleAssignments 9a1b2c3d-0000-0000-0000-000000000001",
			} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("preview lacks %q:\n%s", want, out.String())
				}
			}
			puts := stackPuts(f)
			last := puts[len(puts)-1]
			if !strings.Contains(last.Body, `"resources":"`+tc.unmanage+`"`) {
				t.Errorf("PUT body actionOnUnmanage: want resources=%s in %s", tc.unmanage, last.Body[:200])
			}
		})
	}
	if n := f.Count(http.MethodPost, "checkNameAvailability"); n != before {
		t.Errorf("name checks on update = %d, want none (the names are the stack's own)", n-before)
	}
	if len(f.CreatedGroups) != 1 {
		t.Errorf("the existing group was created again: %v", f.CreatedGroups)
	}
}

func TestApplyNotConfirmedChangesNothing(t *testing.T) {
	f := deploytest.New()
	_, _, err := run(t, context.Background(), f, deploy.WithPreviewHandler(func(*deploy.Preview) (bool, error) { return false, nil }))
	if !errors.Is(err, deploy.ErrNotConfirmed) {
		t.Fatalf("err = %v, want ErrNotConfirmed", err)
	}
	if len(stackPuts(f)) != 0 || len(f.CreatedGroups) != 0 {
		t.Errorf("declined apply changed Azure: puts=%d groups=%v", len(stackPuts(f)), f.CreatedGroups)
	}
}

func TestApplyDryRunStopsAfterPreview(t *testing.T) {
	f := deploytest.New()
	f.Providers["microsoft.keyvault"] = &deploytest.Provider{State: "NotRegistered"}
	called := false
	_, _, err := run(t, context.Background(), f, deploy.WithDryRun(), deploy.WithPreviewHandler(func(*deploy.Preview) (bool, error) { called = true; return true, nil }))
	var pe *deploy.PreflightError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "resource provider Microsoft.KeyVault is NotRegistered") {
		t.Fatalf("dry run with an unregistered provider: err = %v", err)
	}
	if len(f.RegisterCalls) != 0 {
		t.Errorf("dry run registered %v", f.RegisterCalls)
	}
	delete(f.Providers, "microsoft.keyvault")
	res, _, err := run(t, context.Background(), f, deploy.WithDryRun())
	if err != nil || !res.DryRun || res.Preview == nil {
		t.Fatalf("dry run = %+v, %v", res, err)
	}
	if called || len(stackPuts(f)) != 0 || len(f.CreatedGroups) != 0 {
		t.Errorf("dry run went past the preview")
	}
}

type verifierFunc func(n int) (bool, string)

func (v verifierFunc) Verify(_ context.Context, set *arm.Set) (bool, string, error) {
	ok, report := v(len(set.Resources))
	return ok, report, nil
}

func TestApplyRunsVerifierOnReadBack(t *testing.T) {
	f := deploytest.New()
	seen := -1
	res, _, err := run(t, context.Background(), f, deploy.WithVerifier(verifierFunc(func(n int) (bool, string) {
		seen = n
		return false, "PK-DNS-001 failed"
	})))
	if err != nil {
		t.Fatal(err)
	}
	if seen != 5 || res.Verification == nil || res.Verification.OK || res.Verification.Report != "PK-DNS-001 failed" {
		t.Errorf("verifier saw %d resources, verification = %+v", seen, res.Verification)
	}
}

// TestReadBackIncludesRolesAndZoneChildren: the read-back set holds what
// the resource-group listing does not return — role assignments and each
// private zone's records and links — so live verification sees real
// principals and records.
func TestReadBackIncludesRolesAndZoneChildren(t *testing.T) {
	f := deploytest.New()
	rgp := "/subscriptions/" + deploytest.Subscription + "/resourceGroups/" + rg + "/providers/"
	f.Existing = append(f.Existing, deploytest.Resource{ID: rgp + "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net",
		Type: "Microsoft.Network/privateDnsZones", Location: "global", Properties: map[string]any{}})
	f.RoleAssignments = []map[string]any{{
		"id": rgp + "Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/ra1", "name": "ra1",
		"type":       "Microsoft.Authorization/roleAssignments",
		"properties": map[string]any{"scope": rgp + "Microsoft.KeyVault/vaults/kv", "principalId": "p1", "roleDefinitionId": "/x/4633458b-17de-408a-b874-0445c86b69e6"},
	}}
	f.ZoneRecords = map[string][]map[string]any{"privatelink.vaultcore.azure.net": {{
		"id": rgp + "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/A/kv", "name": "kv",
		"type": "Microsoft.Network/privateDnsZones/A", "properties": map[string]any{"aRecords": []any{map[string]any{"ipv4Address": "10.0.1.5"}}},
	}}}
	var got *arm.Set
	_, _, err := run(t, context.Background(), f, deploy.WithVerifier(setVerifier(func(s *arm.Set) { got = s })))
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("verifier not called")
	}
	ra := got.Get(arm.ResourceID(rgp + "Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/ra1"))
	if ra == nil || ra.Scope != rgp+"Microsoft.KeyVault/vaults/kv" {
		t.Errorf("role assignment not read back with its scope: %+v", ra)
	}
	rec := got.Get(arm.ResourceID(rgp + "Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/A/kv"))
	if rec == nil || rec.Prop("aRecords.0.ipv4Address") != "10.0.1.5" {
		t.Errorf("zone record not read back: %+v", rec)
	}
}

type setVerifier func(*arm.Set)

func (v setVerifier) Verify(_ context.Context, set *arm.Set) (bool, string, error) {
	v(set)
	return true, "", nil
}

// TestReadBackNodeResourceGroup: the API server's private endpoint lives in
// the cluster's node resource group; read-back includes it (and nothing
// from unrelated groups).
func TestReadBackNodeResourceGroup(t *testing.T) {
	f := deploytest.New()
	sub := "/subscriptions/" + deploytest.Subscription + "/resourceGroups/"
	f.Existing = append(f.Existing,
		deploytest.Resource{ID: sub + rg + "/providers/Microsoft.ContainerService/managedClusters/aks-x", Type: "Microsoft.ContainerService/managedClusters",
			Location: "canadacentral", Properties: map[string]any{"nodeResourceGroup": "MC_rg_aks-x"}},
		deploytest.Resource{ID: sub + "MC_rg_aks-x/providers/Microsoft.Network/privateEndpoints/kube-apiserver", Type: "Microsoft.Network/privateEndpoints",
			Location: "canadacentral", Properties: map[string]any{"customDnsConfigs": []any{map[string]any{"ipAddresses": []any{"10.1.0.77"}}}}},
		deploytest.Resource{ID: sub + "MC_rg_aks-x/providers/Microsoft.Compute/virtualMachineScaleSets/vmss", Type: "Microsoft.Compute/virtualMachineScaleSets", Location: "canadacentral"},
		deploytest.Resource{ID: sub + "other/providers/Microsoft.Network/privateEndpoints/unrelated", Type: "Microsoft.Network/privateEndpoints", Location: "canadacentral"},
	)
	var got *arm.Set
	if _, _, err := run(t, context.Background(), f, deploy.WithVerifier(setVerifier(func(s *arm.Set) { got = s }))); err != nil {
		t.Fatal(err)
	}
	pe := got.Get(arm.ResourceID(sub + "MC_rg_aks-x/providers/Microsoft.Network/privateEndpoints/kube-apiserver"))
	if pe == nil || pe.Prop("customDnsConfigs.0.ipAddresses.0") != "10.1.0.77" {
		t.Errorf("API server endpoint not read back from the node resource group: %+v", pe)
	}
	if got.Get(arm.ResourceID(sub+"MC_rg_aks-x/providers/Microsoft.Compute/virtualMachineScaleSets/vmss")) != nil {
		t.Errorf("node resource group types privaks does not model were read")
	}
	if got.Get(arm.ResourceID(sub+"other/providers/Microsoft.Network/privateEndpoints/unrelated")) != nil {
		t.Errorf("a resource of an unrelated group was read")
	}
}

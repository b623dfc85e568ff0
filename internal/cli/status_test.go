package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/deploy/deploytest"
)

func TestStatusAndDestroyCommands(t *testing.T) {
	f := deploytest.New()
	useFakeAzure(t, f, false)
	target := []string{"--subscription", deploytest.Subscription, "--resource-group", "rg-cli"}

	code, _, stderr := runCLI(t, context.Background(), "", append([]string{"status"}, target...)...)
	if code != 1 || !strings.Contains(stderr, "no privaks deployment stack in resource group rg-cli: run `privaks apply` first") {
		t.Errorf("status without a stack: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, context.Background(), "", "status", "--subscription", deploytest.Subscription); code != 2 || !strings.Contains(stderr, `"resource-group" not set`) {
		t.Errorf("status without --resource-group: exit %d, %s", code, stderr)
	}

	if code, out, errOut := runCLI(t, context.Background(), "", append(append([]string{"apply"}, writeTestArtifact(t)...), "--yes")...); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	code, stdout, _ := runCLI(t, context.Background(), "", append([]string{"status"}, target...)...)
	for _, want := range []string{"Stack privaks in resource group rg-cli: succeeded", "last deployment: 2026-08-21T10:00:00Z", "3 managed resource(s)", "Microsoft.KeyVault/vaults kv-privaks-cli"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("status: exit %d, stdout lacks %q:\n%s", code, want, stdout)
		}
	}

	code, stdout, _ = runCLI(t, context.Background(), "", append([]string{"status", "-o", "json"}, target...)...)
	var st struct {
		FormatVersion, Stack, ResourceGroup, State string
		Resources                                  []struct{ Type, Name string }
	}
	if err := json.Unmarshal([]byte(stdout), &st); code != 0 || err != nil || st.FormatVersion != "1" || st.State != "succeeded" || st.ResourceGroup != "rg-cli" || len(st.Resources) != 3 {
		t.Errorf("status -o json: exit %d, %v\n%s", code, err, stdout)
	}

	code, _, stderr = runCLI(t, context.Background(), "", append([]string{"destroy"}, target...)...)
	if code != 2 || !strings.Contains(stderr, "refusing to destroy without confirmation") || f.Count(http.MethodDelete, "") != 0 {
		t.Errorf("non-interactive destroy without --yes: exit %d, %s", code, stderr)
	}
	code, stdout, stderr = runCLI(t, context.Background(), "", append([]string{"destroy", "--yes"}, target...)...)
	if code != 0 || f.Count(http.MethodDelete, "/deploymentStacks/privaks") != 1 {
		t.Fatalf("destroy --yes: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Destroy deletes stack privaks and these 3 resource(s) in resource group rg-cli:", "- Microsoft.ContainerService/managedClusters aks-privaks", "✓ deleted stack privaks and its resources; resource group rg-cli is kept"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("destroy stdout lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, _ := runCLI(t, context.Background(), "", append([]string{"status"}, target...)...); code != 1 {
		t.Errorf("status after destroy: exit %d, want 1", code)
	}
}

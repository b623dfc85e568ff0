package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/privaks/privaks/internal/deploy/deploytest"
)

// useFakeAzure points the Azure verbs at f through the unexported seam for
// the duration of the test: a fake credential, f as transport, millisecond
// polling, and terminal detection answering terminal.
func useFakeAzure(t *testing.T, f *deploytest.Fake, terminal bool) {
	t.Helper()
	old := azure
	azure = azureSeam{
		credential:   func(cloud.Configuration) (azcore.TokenCredential, error) { return deploytest.Credential(), nil },
		transport:    f,
		retry:        f.ClientOptions().Retry,
		pollInterval: time.Millisecond,
		isTerminal:   func(any) bool { return terminal },
	}
	t.Cleanup(func() { azure = old })
}

// runCLI runs one privaks command line with stdin and returns what the user
// sees.
func runCLI(t *testing.T, ctx context.Context, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(ctx, Streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut}, args)
	return code, out.String(), errOut.String()
}

const testSecret = "agent-token-9f8e7d-NEVER-SHOWN"

const testTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"agentToken": {"type": "securestring"}},
  "resources": [
    {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-09-01", "name": "vnet-hub", "location": "canadacentral"},
    {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2026-02-01", "name": "kv-privaks-cli", "location": "canadacentral"},
    {"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2026-05-01", "name": "aks-privaks", "location": "canadacentral"}
  ]
}`

// writeTestArtifact writes the plan artifact and a secret file; it returns
// the flags that point apply at them.
func writeTestArtifact(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"azuredeploy.json":            testTemplate,
		"azuredeploy.parameters.json": `{"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {}}`,
		"token.txt":                   testSecret + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return []string{
		"--template", filepath.Join(dir, "azuredeploy.json"),
		"--parameters", filepath.Join(dir, "azuredeploy.parameters.json"),
		"--subscription", deploytest.Subscription, "--resource-group", "rg-cli", "--location", "canadacentral",
		// These tests are about deploying; live verification has its own
		// test (TestApplyVerifiesReadBack).
		"--no-verify", "--skip-check",
		"--secret", "agentToken=@" + filepath.Join(dir, "token.txt"),
	}
}

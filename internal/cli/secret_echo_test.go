package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/deploy/deploytest"
)

// No message apply prints may contain a secret value, however the user
// mistyped the flag and whatever Azure answers.
func TestApplyNeverEchoesASecret(t *testing.T) {
	const value = "tok-Zq81-NOT-FOR-EYES"
	for _, tc := range []struct {
		name  string
		flags []string
		fail  bool
	}{
		{"value after the name", []string{"--secret", "agentToken=" + value}, false},
		{"value after a known parameter name", []string{"--secret", "agentRegistrationToken=" + value}, false},
		{"value alone", []string{"--secret", value}, false},
		{"value with an empty name", []string{"--secret", "=" + value}, false},
		{"value as the name", []string{"--secret", value + "=-"}, false},
		{"value given twice", []string{"--secret", "agentToken=" + value, "--secret", "agentToken=" + value}, false},
		{"value with spaces", []string{"--secret", "agentToken=" + value + " and more"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := deploytest.New()
			useFakeAzure(t, f, false)
			args := append([]string{"apply"}, writeTestArtifact(t)...)
			args = append(args[:len(args)-2], tc.flags...)
			args = append(args, "--yes")
			code, stdout, stderr := runCLI(t, context.Background(), "", args...)
			if code != ExitBadInput {
				t.Errorf("exit %d, want %d\n%s", code, ExitBadInput, stderr)
			}
			if strings.Contains(stdout+stderr, value) || strings.Contains(stdout+stderr, "Zq81") {
				t.Errorf("the value was echoed:\n%s%s", stdout, stderr)
			}
			if !strings.Contains(stderr, "--secret") {
				t.Errorf("the message does not name the flag:\n%s", stderr)
			}
		})
	}
	t.Run("Azure quotes the value", func(t *testing.T) {
		f := deploytest.New()
		f.Fail = []deploytest.OpError{{Type: "Microsoft.KeyVault/vaults", Name: "kv-privaks-cli", Error: map[string]any{
			"code": "InvalidParameter", "message": "The value '" + testSecret + "' of parameter agentToken is invalid.",
		}}}
		useFakeAzure(t, f, false)
		args := append(append([]string{"apply"}, writeTestArtifact(t)...), "--yes")
		code, stdout, stderr := runCLI(t, context.Background(), "", args...)
		if code != ExitFailed {
			t.Fatalf("exit %d, want %d\n%s", code, ExitFailed, stderr)
		}
		if strings.Contains(stdout+stderr, testSecret) {
			t.Errorf("Azure's message carried the value to the user:\n%s%s", stdout, stderr)
		}
		if !strings.Contains(stderr, "InvalidParameter") {
			t.Errorf("the root cause is lost:\n%s", stderr)
		}
	})
}

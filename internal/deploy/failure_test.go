package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/deploy"
	"github.com/privaks/privaks/internal/deploy/deploytest"
)

func TestApplyRetries429HonouringRetryAfter(t *testing.T) {
	f := deploytest.New()
	f.Faults["GET permissions"] = []deploytest.Fault{{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}, Body: `{"error":{"code":"TooManyRequests","message":"slow down"}}`}}
	if _, _, err := run(t, context.Background(), f, deploy.WithDryRun()); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	var at []time.Time
	for _, r := range f.Snapshot() {
		if strings.HasSuffix(r.Path, "/Microsoft.Authorization/permissions") {
			at = append(at, r.At)
		}
	}
	if len(at) != 2 {
		t.Fatalf("permission requests = %d, want 2 (the 429, then the retry)", len(at))
	}
	// The retry delay configured is 1ms; waiting ~1s proves Retry-After won.
	if gap := at[1].Sub(at[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %s, want >= 1s (Retry-After: 1)", gap)
	}
}

func TestApplyRetries5xx(t *testing.T) {
	f := deploytest.New()
	f.Faults["PUT stack"] = []deploytest.Fault{{Status: http.StatusServiceUnavailable, Body: `{"error":{"code":"ServiceUnavailable","message":"try again"}}`}}
	res, _, err := run(t, context.Background(), f)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if n := len(stackPuts(f)); n != 2 || res.State != "succeeded" {
		t.Errorf("stack PUTs = %d (state %s), want 2 and succeeded", n, res.State)
	}
}

func TestApplyFailureShowsRootCause(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fail   deploytest.OpError
		code   string
		typ    string
		inHint string
	}{
		{
			name: "nested details",
			fail: deploytest.OpError{Type: "Microsoft.ContainerService/managedClusters", Name: "aks-privaks", Error: map[string]any{
				"code": "ResourceDeploymentFailure", "message": "The resource operation completed with terminal provisioning state 'Failed'.",
				"details": []any{map[string]any{"code": "BadRequest", "message": "Bad request.", "details": []any{
					map[string]any{"code": "InsufficientSubnetSize", "message": "Pre-allocated IPs 930 exceeds IPs available 251 in Subnet snet-aks."},
				}}},
			}},
			code: "InsufficientSubnetSize", typ: "Microsoft.ContainerService/managedClusters", inHint: "enlarge the subnet",
		},
		{
			name: "JSON error inside a message",
			fail: deploytest.OpError{Type: "Microsoft.ContainerService/managedClusters", Name: "aks-privaks", Error: map[string]any{
				"code": "VMExtensionProvisioningError", "message": `{"code":"VMExtensionError_K8SAPIServerDNSLookupFail","message":"nodes cannot resolve the API server"}`,
			}},
			code: "VMExtensionError_K8SAPIServerDNSLookupFail", typ: "Microsoft.ContainerService/managedClusters", inHint: "azmk8s.io",
		},
		{
			name: "role assignment exists",
			fail: deploytest.OpError{Type: "Microsoft.Authorization/roleAssignments", Name: "9a1b2c3d-0000-0000-0000-000000000001", Error: map[string]any{
				"code": "RoleAssignmentExists", "message": "The role assignment already exists.",
			}},
			code: "RoleAssignmentExists", typ: "Microsoft.Authorization/roleAssignments", inHint: "delete the old assignment",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := deploytest.New()
			f.DeployPolls = 1
			f.Fail = []deploytest.OpError{tc.fail}
			_, _, err := run(t, context.Background(), f)
			var de *deploy.DeploymentError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want *DeploymentError", err)
			}
			if len(de.Causes) != 1 {
				t.Fatalf("causes = %+v, want 1", de.Causes)
			}
			c := de.Causes[0]
			if c.Code != tc.code || c.ResourceType != tc.typ || !strings.Contains(c.Hint, tc.inHint) {
				t.Errorf("cause = %+v, want code %s on %s with a hint about %q", c, tc.code, tc.typ, tc.inHint)
			}
			msg := err.Error()
			for _, want := range []string{tc.code, tc.fail.Name, "fix: "} {
				if !strings.Contains(msg, want) {
					t.Errorf("error text lacks %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error text contains the secret")
			}
		})
	}
}

func TestApplyInterruptedLeavesDeploymentRunning(t *testing.T) {
	f := deploytest.New()
	f.DeployPolls = 100
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.OnStatusPoll = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	_, _, err := run(t, ctx, f)
	var ie *deploy.InterruptedError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want *InterruptedError", err)
	}
	if !strings.Contains(err.Error(), "continues in Azure") {
		t.Errorf("message = %q", err.Error())
	}
	for _, r := range f.Snapshot() {
		if r.Method == http.MethodDelete || strings.Contains(strings.ToLower(r.Path), "/cancel") {
			t.Errorf("sent %s %s to Azure after the interrupt", r.Method, r.Path)
		}
	}
	if f.StackState != "deploying" {
		t.Errorf("stack state = %q, want still deploying", f.StackState)
	}
}

func TestPreflightProblems(t *testing.T) {
	f := deploytest.New()
	f.Providers["microsoft.containerservice"] = &deploytest.Provider{State: "Registered", Types: map[string][]string{"managedClusters": {"East US", "West Europe"}}}
	f.TakenNames["acrprivakstest"] = "The registry acrprivakstest is already in use."
	f.DeletedVaults["kv-privaks-test"] = true
	f.Permissions = []deploytest.Permission{{Actions: []string{"*"}, NotActions: []string{"Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"}}}
	_, _, err := run(t, context.Background(), f)
	var pe *deploy.PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *PreflightError", err)
	}
	want := map[string][]string{
		"region":      {"Microsoft.ContainerService/managedclusters is not offered in region canadacentral", "East US"},
		"permissions": {"cannot create role assignments", "Role Based Access Control Administrator"},
		"names":       {`container registry name "acrprivakstest" is not available`, "choose another name"},
	}
	got := map[string]int{}
	for _, p := range pe.Problems {
		got[p.Check]++
		if p.Check == "names" && strings.Contains(p.Message, "key vault") {
			for _, w := range []string{"soft-deleted", "az keyvault recover --name kv-privaks-test", "az keyvault purge"} {
				if !strings.Contains(p.Message, w) {
					t.Errorf("vault problem lacks %q: %s", w, p.Message)
				}
			}
			continue
		}
		for _, w := range want[p.Check] {
			if !strings.Contains(p.Message, w) {
				t.Errorf("%s problem lacks %q: %s", p.Check, w, p.Message)
			}
		}
	}
	if got["region"] != 1 || got["permissions"] != 1 || got["names"] != 2 {
		t.Errorf("problems by check = %v, want region 1, permissions 1, names 2:\n%v", got, pe)
	}
	if len(stackPuts(f)) != 0 || len(f.CreatedGroups) != 0 {
		t.Errorf("a failed preflight changed Azure")
	}
}

func TestPreflightRegistersMissingProvider(t *testing.T) {
	f := deploytest.New()
	f.Providers["microsoft.containerservice"] = &deploytest.Provider{State: "NotRegistered"}
	_, progress, err := run(t, context.Background(), f)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(f.RegisterCalls) != 1 || f.RegisterCalls[0] != "Microsoft.ContainerService" {
		t.Errorf("register calls = %v", f.RegisterCalls)
	}
	if !strings.Contains(progress, "✓ registered resource provider Microsoft.ContainerService (was NotRegistered)") {
		t.Errorf("progress:\n%s", progress)
	}
}

func TestSecretsAreCheckedAndNeverShown(t *testing.T) {
	a := loadArtifact(t)
	for _, tc := range []struct {
		name    string
		secrets map[string]string
		want    string
	}{
		{"unknown name", map[string]string{"agentToken": "x", "nope": "x"}, `--secret names a parameter the template does not have`},
		{"not secure", map[string]string{"agentToken": "x", "acrName": "x"}, `parameter "acrName" is a string, not a securestring`},
		{"missing", nil, `securestring parameter "agentToken" has no value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := a.CheckSecrets(tc.secrets)
			if !errors.Is(err, deploy.ErrBadSecret) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrBadSecret with %q", err, tc.want)
			}
		})
	}

	f := deploytest.New()
	f.DeployPolls = 1
	var shown bytes.Buffer
	res, progress, err := run(t, context.Background(), f, deploy.WithPreviewHandler(func(p *deploy.Preview) (bool, error) {
		deploy.WritePreview(&shown, p)
		return true, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	st, err := deploy.Status(context.Background(), conn(f), target())
	if err != nil {
		t.Fatal(err)
	}
	deploy.WriteStatus(&shown, st)
	for name, text := range map[string]string{"progress": progress, "preview/status": shown.String()} {
		if strings.Contains(text, secret) {
			t.Errorf("%s shows the secret", name)
		}
	}
	for _, r := range res.ReadBack.Resources {
		if strings.Contains(r.ID.String()+r.Type, secret) {
			t.Errorf("read-back shows the secret")
		}
	}
	carriers := 0
	for _, r := range f.Snapshot() {
		if !strings.Contains(r.Body+r.Query+r.Path, secret) {
			continue
		}
		if (r.Method == http.MethodPut && strings.Contains(r.Path, "/deploymentStacks/")) || strings.HasSuffix(r.Path, "/whatIf") {
			carriers++
			continue
		}
		t.Errorf("secret sent in %s %s", r.Method, r.Path)
	}
	if carriers == 0 {
		t.Errorf("the secret never reached ARM")
	}
}

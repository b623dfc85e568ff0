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

func TestStatusAndDestroy(t *testing.T) {
	f := deploytest.New()
	if _, err := deploy.Status(context.Background(), conn(f), target()); !errors.Is(err, deploy.ErrNoStack) {
		t.Fatalf("status without a stack: err = %v, want ErrNoStack", err)
	}
	if _, _, err := run(t, context.Background(), f); err != nil {
		t.Fatal(err)
	}
	st, err := deploy.Status(context.Background(), conn(f), target())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	deploy.WriteStatus(&out, st)
	for _, want := range []string{
		"Stack privaks in resource group rg-test: succeeded",
		"last deployment: 2026-08-21T10:00:00Z by ops@example.com, took 1m5s",
		"5 managed resource(s)",
		"Microsoft.ContainerService/managedClusters aks-privaks",
		"resources removed from the template are detached",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}

	// Declined: nothing deleted.
	err = deploy.Destroy(context.Background(), conn(f), target(), deploy.WithDestroyConfirm(func(s *deploy.StackStatus) (bool, error) {
		if len(s.Resources) != 5 {
			t.Errorf("confirm shown %d resources, want 5", len(s.Resources))
		}
		return false, nil
	}))
	if !errors.Is(err, deploy.ErrNotConfirmed) || f.Count(http.MethodDelete, "/deploymentStacks/") != 0 {
		t.Fatalf("declined destroy: err = %v, deletes = %d", err, f.Count(http.MethodDelete, "/deploymentStacks/"))
	}

	f.DeployPolls = 2
	var progress bytes.Buffer
	err = deploy.Destroy(context.Background(), conn(f), target(), deploy.WithPollInterval(time.Millisecond), deploy.WithProgress(&progress, false),
		deploy.WithDestroyConfirm(func(*deploy.StackStatus) (bool, error) { return true, nil }))
	if err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	var del *deploytest.Request
	for _, r := range f.Snapshot() {
		if r.Method == http.MethodDelete {
			del = &r
		}
	}
	if del == nil || !strings.Contains(del.Query, "unmanageAction.Resources=delete") || !strings.Contains(del.Query, "api-version=2024-03-01") {
		t.Fatalf("DELETE = %+v, want unmanageAction.Resources=delete", del)
	}
	if f.Stack != nil {
		t.Errorf("stack still exists after destroy")
	}
	if !strings.Contains(progress.String(), "✓ deleted stack privaks") {
		t.Errorf("progress:\n%s", progress.String())
	}
	if err := deploy.Destroy(context.Background(), conn(f), target()); !errors.Is(err, deploy.ErrNoStack) {
		t.Errorf("second destroy: err = %v, want ErrNoStack", err)
	}
}

func TestStatusOfFailedStackShowsRootCause(t *testing.T) {
	f := deploytest.New()
	f.Fail = []deploytest.OpError{{Type: "Microsoft.KeyVault/vaults", Name: "kv-privaks-test", Error: map[string]any{
		"code": "Conflict", "message": "conflict", "details": []any{map[string]any{"code": "RequestDisallowedByPolicy", "message": "Resource 'kv-privaks-test' was disallowed by policy 'deny-public-kv'."}},
	}}}
	if _, _, err := run(t, context.Background(), f); err == nil {
		t.Fatal("Apply succeeded, want a failure")
	}
	st, err := deploy.Status(context.Background(), conn(f), target())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	deploy.WriteStatus(&out, st)
	for _, want := range []string{": failed", "Microsoft.KeyVault/vaults kv-privaks-test: RequestDisallowedByPolicy", "fix: an Azure Policy assignment denied"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
}

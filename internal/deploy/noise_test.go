package deploy

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
)

func delta(path string, kind armdeployments.PropertyChangeType, before, after any, children ...*armdeployments.WhatIfPropertyChange) *armdeployments.WhatIfPropertyChange {
	return &armdeployments.WhatIfPropertyChange{Path: to.Ptr(path), PropertyChangeType: to.Ptr(kind), Before: before, After: after, Children: children}
}

func TestWhatIfNoiseFiltered(t *testing.T) {
	const sub = "/subscriptions/s/resourceGroups/rg/providers/"
	aksAfter := map[string]any{"properties": map[string]any{"agentPoolProfiles": []any{
		map[string]any{"name": "system", "enableAutoScaling": true},
		map[string]any{"name": "user", "enableAutoScaling": false},
	}}}
	props := &armdeployments.WhatIfOperationProperties{Changes: []*armdeployments.WhatIfChange{
		{ResourceID: to.Ptr(sub + "Microsoft.ContainerService/managedClusters/aks"), ChangeType: to.Ptr(armdeployments.ChangeTypeModify), After: aksAfter, Delta: []*armdeployments.WhatIfPropertyChange{
			delta("properties.powerState.code", armdeployments.PropertyChangeTypeModify, "Stopped", "Running"),
			delta("properties.identityProfile", armdeployments.PropertyChangeTypeDelete, map[string]any{"kubeletidentity": "x"}, nil),
			delta("properties.agentPoolProfiles", armdeployments.PropertyChangeTypeArray, nil, nil,
				delta("0", armdeployments.PropertyChangeTypeModify, nil, nil,
					delta("count", armdeployments.PropertyChangeTypeModify, 5, 3)),
				delta("1", armdeployments.PropertyChangeTypeModify, nil, nil,
					delta("count", armdeployments.PropertyChangeTypeModify, 2, 4))),
			delta("properties.nodeResourceGroup", armdeployments.PropertyChangeTypeDelete, "MC_rg_aks_canadacentral", nil),
			delta("properties.kubernetesVersion", armdeployments.PropertyChangeTypeModify, "1.32", "1.33"),
		}},
		{ResourceID: to.Ptr(sub + "Microsoft.Authorization/roleAssignments/ra1"), ChangeType: to.Ptr(armdeployments.ChangeTypeModify), Delta: []*armdeployments.WhatIfPropertyChange{
			delta("properties.principalId", armdeployments.PropertyChangeTypeModify, "0000", "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-aks'), '2024-11-30').principalId]"),
			delta("properties.provisioningState", armdeployments.PropertyChangeTypeNoEffect, "Succeeded", nil),
		}},
		{ResourceID: to.Ptr(sub + "Microsoft.Network/virtualNetworks/vnet"), ChangeType: to.Ptr(armdeployments.ChangeTypeCreate)},
		{ResourceID: to.Ptr(sub + "Microsoft.Network/networkSecurityGroups/old"), ChangeType: to.Ptr(armdeployments.ChangeTypeIgnore)},
	}}
	p := buildPreview("rg", props)
	if p.Count(ChangeModify) != 1 || p.Count(ChangeNoChange) != 1 || p.Count(ChangeCreate) != 1 || p.Count(ChangeIgnore) != 1 {
		t.Fatalf("counts wrong: %+v", p.Changes)
	}
	var kept []string
	for _, c := range p.Changes {
		for _, d := range c.Deltas {
			kept = append(kept, d.Path)
		}
	}
	want := []string{"properties.agentPoolProfiles.1.count", "properties.kubernetesVersion"}
	if strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Errorf("kept deltas = %v, want %v (autoscaled count, powerState, identityProfile, server defaults, reference() and NoEffect hidden)", kept, want)
	}
	if n := hiddenTotal(p.Hidden); n != 6 {
		t.Errorf("hidden = %d (%v), want 6", n, p.Hidden)
	}
	var out bytes.Buffer
	WritePreview(&out, p)
	for _, line := range []string{
		"Preview of resource group rg: 1 to create, 1 to modify, 0 to delete, 1 unchanged, 1 ignored",
		"  + Microsoft.Network/virtualNetworks vnet",
		"  ~ Microsoft.ContainerService/managedClusters aks",
		`      ~ properties.kubernetesVersion: "1.32" => "1.33"`,
		"      ~ properties.agentPoolProfiles.1.count: 2 => 4",
		"6 known what-if noise property change(s) hidden",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("preview lacks %q:\n%s", line, out.String())
		}
	}
	if strings.Contains(out.String(), "roleAssignments") {
		t.Errorf("a resource whose only changes are noise is listed:\n%s", out.String())
	}
}

func TestWildcardMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		ok      bool
	}{
		{"*", true},
		{"Microsoft.Authorization/*", true},
		{"Microsoft.Authorization/*/Write", true},
		{"microsoft.authorization/roleassignments/write", true},
		{"Microsoft.Authorization/*/read", false},
		{"Microsoft.Network/*", false},
		{"*/write", true},
	} {
		if got := matchesAny([]string{tc.pattern}, roleAssignmentWrite); got != tc.ok {
			t.Errorf("match(%q) = %v, want %v", tc.pattern, got, tc.ok)
		}
	}
	contributor := []permission{{Actions: []string{"*"}, NotActions: []string{"Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"}}}
	if allowed(contributor, roleAssignmentWrite) {
		t.Errorf("Contributor allowed to write role assignments")
	}
	if !allowed(append(contributor, permission{Actions: []string{"Microsoft.Authorization/roleAssignments/*"}}), roleAssignmentWrite) {
		t.Errorf("Contributor + RBAC Administrator denied")
	}
}

func TestParseISODuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"PT1M2.5S": 62500 * time.Millisecond, "PT10S": 10 * time.Second, "PT1H": time.Hour, "P1DT2H": 26 * time.Hour} {
		if got, ok := parseISODuration(in); !ok || got != want {
			t.Errorf("parseISODuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if _, ok := parseISODuration("soon"); ok {
		t.Errorf("parsed a non-duration")
	}
}

func TestTerminalProgressRedraws(t *testing.T) {
	var out bytes.Buffer
	now := time.Unix(0, 0)
	v := newProgressView(&out, true, func() time.Time { return now })
	ops := []opState{{ID: "a", Type: "T", Name: "a", State: "running"}, {ID: "b", Type: "T", Name: "b", State: "running"}}
	v.update("deploying", ops)
	ops[0].State, ops[0].Elapsed = "succeeded", 3*time.Second
	now = now.Add(5 * time.Second)
	v.update("deploying", ops)
	s := out.String()
	if !strings.Contains(s, "\x1b[3A") || strings.Count(s, "\x1b[2K") != 6 {
		t.Errorf("terminal view did not redraw its 3 lines in place: %q", s)
	}
	if !strings.Contains(s, "✓ succeeded T a (3s)") || !strings.Contains(s, "stack deploying (5s)") {
		t.Errorf("terminal view: %q", s)
	}
}

package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// liveVerifier runs the offline verifier on the resources apply reads back
// from Azure: the same intents, now with real addresses, FQDNs and object
// IDs instead of predictions.
//
// ARM never returns a VM's customData, so the forwarder's BIND
// configuration cannot be read back: it is taken from the template apply
// deployed (same resource ID), and the report says so.
type liveVerifier struct {
	deployed *arm.Template
}

func (v liveVerifier) Verify(_ context.Context, set *arm.Set) (bool, string, error) {
	restored := v.restoreCustomData(set)
	t := twin.Build(set)
	rs := verify.Run(t, verify.Derive(t))
	var b strings.Builder
	fmt.Fprintf(&b, "live verification of %d resource(s):\n", len(set.Resources))
	for _, name := range restored {
		fmt.Fprintf(&b, "  (cloud-init of %s taken from the deployed template: ARM does not return customData)\n", name)
	}
	writeVerifyText(&b, rs)
	return verify.Failed(rs) == 0, strings.TrimRight(b.String(), "\n"), nil
}

// restoreCustomData copies osProfile.customData from the deployed template
// into read-back VMs that lack it, and returns their names.
func (v liveVerifier) restoreCustomData(set *arm.Set) []string {
	if v.deployed == nil {
		return nil
	}
	deployed, _ := armeval.Evaluate(v.deployed, armeval.WithScope(set.Scope))
	if deployed == nil {
		return nil
	}
	var names []string
	for _, vm := range set.OfType("Microsoft.Compute/virtualMachines") {
		if vm.Prop("osProfile.customData") != nil {
			continue
		}
		src := deployed.Get(vm.ID)
		if src == nil {
			continue
		}
		cd, ok := src.Prop("osProfile.customData").(string)
		if !ok {
			continue
		}
		if vm.Properties == nil {
			vm.Properties = map[string]any{}
		}
		os, _ := vm.Properties["osProfile"].(map[string]any)
		if os == nil {
			os = map[string]any{}
			vm.Properties["osProfile"] = os
		}
		os["customData"] = cd
		names = append(names, vm.Name)
	}
	return names
}

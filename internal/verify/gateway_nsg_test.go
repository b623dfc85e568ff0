package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/verify"
)

// setGatewayRuleDest rewrites the destination of the reference design's
// rule admitting the Internet to the gateway's public listeners.
func setGatewayRuleDest(t *testing.T, tm *arm.Template, dest string) {
	t.Helper()
	nsg := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-appgw")
	for _, x := range nsg.Properties["securityRules"].([]any) {
		r := x.(map[string]any)
		if r["name"] == "AllowInternetToPublicListeners" {
			r["properties"].(map[string]any)["destinationAddressPrefix"] = dest
			return
		}
	}
	t.Fatal("no rule AllowInternetToPublicListeners on nsg-snet-appgw")
}

// The subnet's NSG sees traffic for the public frontend arrive at the
// gateway's instances (addresses of the gateway subnet): the destinations
// the Application Gateway documentation gives (the subnet's range,
// VirtualNetwork, Any) all admit it; aks-baseline writes VirtualNetwork.
func TestGatewayPublicFrontendNSGDestinations(t *testing.T) {
	for _, dest := range []string{"*", "VirtualNetwork", "10.1.4.0/24", "10.1.0.0/16"} {
		t.Run(dest, func(t *testing.T) {
			tm := referenceTemplate(t)
			setGatewayRuleDest(t, tm, dest)
			if r := result(t, run(t, tm), "Internet → agw-aks public frontend"); r.Status != verify.Pass {
				t.Errorf("destination %s: %s %q\n%v", dest, r.Status, r.Cause, r.Trace)
			}
		})
	}
}

// Single faults: destinations that do not contain the gateway's instances
// leave the public frontend to the default DenyAllInBound.
func TestGatewayPublicFrontendNSGMutations(t *testing.T) {
	for _, dest := range []string{
		"10.1.4.254",  // the private frontend's address: for private listeners only
		"10.1.0.0/22", // the node subnet
		"AzureLoadBalancer",
	} {
		t.Run(dest, func(t *testing.T) {
			tm := referenceTemplate(t)
			setGatewayRuleDest(t, tm, dest)
			r := result(t, run(t, tm), "Internet → agw-aks public frontend")
			if r.Status != verify.Fail || !strings.Contains(r.Cause, "nsg-snet-appgw") || !strings.Contains(r.Cause, "DenyAllInBound") {
				t.Errorf("destination %s: %s %q, want a failure naming nsg-snet-appgw's DenyAllInBound\n%v", dest, r.Status, r.Cause, r.Trace)
			}
		})
	}
}

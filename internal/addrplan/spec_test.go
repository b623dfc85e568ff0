package addrplan

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/privaks/privaks/internal/spec"
)

const specHeader = "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: planned\nagent:\n  url: https://dev.azure.com/contoso\n"

// loadsAsSpec fails the test unless the plan's YAML is a valid spec.
func loadsAsSpec(t *testing.T, p Plan) *spec.Design {
	t.Helper()
	var b bytes.Buffer
	if err := p.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	d, _, err := spec.Parse("planned.yaml", append([]byte(specHeader), b.Bytes()...))
	if err != nil {
		t.Fatalf("the plan is not a valid spec: %v\n%s", err, b.String())
	}
	return d
}

// plan-addresses proposes only what the spec accepts: the blocks it prints,
// pasted into a spec, load without a diagnostic, for Azure CNI and overlay,
// small and large pools, with on-premises ranges to avoid.
func TestPlanLoadsAsSpec(t *testing.T) {
	for name, in := range map[string]Input{
		"defaults":      Defaults(),
		"overlay":       {Base: netip.MustParsePrefix("10.20.0.0/16"), CNI: CNIOverlay, MaxSurge: 1, Pools: []Pool{{"system", 3, 5, 110}, {"user", 2, 100, 250}}},
		"overlay small": {Base: netip.MustParsePrefix("10.0.0.0/8"), CNI: CNIOverlay, Pools: []Pool{{"sys", 1, 1, 30}}},
		"azure on-prem": {Base: netip.MustParsePrefix("10.0.0.0/8"), CNI: CNIAzure, MaxSurge: 2, OnPrem: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/12"), netip.MustParsePrefix("10.244.0.0/16")},
			Pools: []Pool{{"system", 3, 5, 30}, {"apps", 0, 20, 50}}},
		"overlay on-prem": {Base: netip.MustParsePrefix("10.0.0.0/8"), CNI: CNIOverlay, OnPrem: []netip.Prefix{netip.MustParsePrefix("10.244.0.0/14")},
			Pools: []Pool{{"system", 3, 5, 250}}},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Make(in)
			if err != nil {
				t.Fatal(err)
			}
			d := loadsAsSpec(t, p)
			if in.CNI == CNIOverlay && (d.NetworkPluginMode != "overlay" || d.PodCIDR != p.PodCIDR) {
				t.Errorf("overlay lost: mode %q pod CIDR %s, planned %s", d.NetworkPluginMode, d.PodCIDR, p.PodCIDR)
			}
			if d.NodeSubnet != p.Spoke.Subnets[0].Prefix {
				t.Errorf("node subnet %s, planned %s", d.NodeSubnet, p.Spoke.Subnets[0].Prefix)
			}
		})
	}
}

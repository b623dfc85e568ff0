package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/spec"
)

func TestPlanAddresses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"defaults", []string{"plan-addresses"}, 0, []string{"snet-nodes", "(5+1)×(30+1)", "network:\n  hub:\n    addressSpace: 10.0.0.0/24", "nodes: 10.0.4.0/23", "serviceCIDR: 172.16.0.0/16"}},
		{"overlay with on-premises", []string{"plan-addresses", "--cni", "overlay", "--on-prem", "10.0.0.0/16,10.244.0.0/16", "--pools", "system:3-5:110"},
			0, []string{"pod CIDR 10.245.0.0/16", "addressSpace: 10.1.0.0/24", "onPremises: [10.0.0.0/16, 10.244.0.0/16]"}},
		{"bad pool", []string{"plan-addresses", "--pools", "system:3-x:30"}, 2, nil},
		{"bad base", []string{"plan-addresses", "--base", "10.0.0.0"}, 2, nil},
		{"base too small", []string{"plan-addresses", "--base", "10.0.0.0/26"}, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := checkCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// The network: block plan-addresses prints is a valid privaks.yaml section.
func TestPlanAddressesYAMLLoads(t *testing.T) {
	_, out, _ := checkCLI(t, "plan-addresses", "--base", "10.20.0.0/16", "--on-prem", "10.0.0.0/12")
	block := out[strings.Index(out, "network:") : strings.Index(out, "\naks:")+1]
	ref := string(spec.ReferenceYAML())
	i, j := strings.Index(ref, "network:"), strings.Index(ref, "\ndns:")
	p := filepath.Join(t.TempDir(), "privaks.yaml")
	if err := os.WriteFile(p, []byte(ref[:i]+block+ref[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _, err := spec.Load(p)
	if err != nil {
		t.Fatalf("load planned spec: %v\n%s", err, block)
	}
	if got := d.OnPremises; len(got) != 1 || got[0].String() != "10.0.0.0/12" {
		t.Errorf("on-premises %v", got)
	}
	if code, out, _ := checkCLI(t, "check", "-f", p, "--severity", "warning"); code != 0 {
		t.Errorf("check of the planned design: exit %d\n%s", code, out)
	}
}

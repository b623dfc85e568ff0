package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

func variantTemplate(t testing.TB, extra string) *arm.Template { return fixture.Variant(t, extra) }

const firewallSpec = "egress:\n  mode: firewall\n"

func TestEgressVariantsPassEveryIntent(t *testing.T) {
	for name, extra := range map[string]string{"nat-gateway": "", "firewall": firewallSpec, "aks-nat": "egress:\n  aksOutboundType: natGateway\n"} {
		t.Run(name, func(t *testing.T) {
			rs := run(t, variantTemplate(t, extra))
			egress := 0
			for _, r := range rs {
				if r.Status != verify.Pass {
					t.Errorf("%s: %s", r.Name, r.Cause)
				}
				if strings.Contains(r.Name, "package mirror") || strings.Contains(r.Name, "AKS required endpoints") || strings.Contains(r.Name, "CI service") {
					egress++
				}
			}
			if egress < 4 {
				t.Errorf("only %d egress intents derived", egress)
			}
		})
	}
}

func TestEgressMutations(t *testing.T) {
	cases := []struct {
		name, spec string
		mutate     func(t *testing.T, tm *arm.Template)
		intent     string
		cause      string
	}{
		{"NAT gateway removed", "", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool { return r.Name != "ng-hub" })
			hub := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-hub")
			for _, s := range hub.Properties["subnets"].([]any) {
				delete(s.(map[string]any)["properties"].(map[string]any), "natGateway")
			}
		}, "vm-dns → package mirror", "is private"},
		{"forwarder NIC DNS override removed", "", func(t *testing.T, tm *arm.Template) {
			nic := find(t, tm, "Microsoft.Network/networkInterfaces", "nic-vm-dns")
			delete(nic.Properties, "dnsSettings")
		}, "vm-dns → package mirror", "resolves through itself"},
		{"firewall's AKS rule removed", firewallSpec, func(t *testing.T, tm *arm.Template) {
			g := find(t, tm, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "afwp-hub/privaks")
			for _, c := range g.Properties["ruleCollections"].([]any) {
				cm := c.(map[string]any)
				var keep []any
				for _, r := range cm["rules"].([]any) {
					if r.(map[string]any)["name"] != "aks-required" {
						keep = append(keep, r)
					}
				}
				cm["rules"] = keep
			}
		}, "node pool aks-privaks/system → AKS required endpoints", "firewall afw-hub does not allow"},
		{"spoke route table dropped", firewallSpec, func(t *testing.T, tm *arm.Template) {
			spoke := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-aks")
			for _, s := range spoke.Properties["subnets"].([]any) {
				delete(s.(map[string]any)["properties"].(map[string]any), "routeTable")
			}
		}, "node pool aks-privaks/system → AKS required endpoints", "has no route to a firewall"},
		{"CI service not allowed through the firewall", firewallSpec, func(t *testing.T, tm *arm.Template) {
			g := find(t, tm, "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "afwp-hub/privaks")
			for _, c := range g.Properties["ruleCollections"].([]any) {
				cm := c.(map[string]any)
				var keep []any
				for _, r := range cm["rules"].([]any) {
					if r.(map[string]any)["name"] != "ci-service" {
						keep = append(keep, r)
					}
				}
				cm["rules"] = keep
			}
		}, "vm-agent → CI service", "no rule matches"},
		{"cluster no longer waits for DNS", "", func(t *testing.T, tm *arm.Template) {
			a := find(t, tm, "Microsoft.ContainerService/managedClusters", "aks-privaks")
			var keep []string
			for _, d := range a.DependsOn {
				if !strings.Contains(d, "dns-ready") && !strings.Contains(d, "virtualMachines") {
					keep = append(keep, d)
				}
			}
			a.DependsOn = keep
		}, "bring-up: cluster aks-privaks starts after DNS", "may start before DNS works"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := variantTemplate(t, c.spec)
			c.mutate(t, tm)
			rs := run(t, tm)
			matched := false
			for _, r := range rs {
				if !strings.HasPrefix(r.Name, c.intent) {
					continue
				}
				matched = true
				if r.Status != verify.Fail || !strings.Contains(r.Cause, c.cause) {
					t.Errorf("%s: status %s cause %q; want fail naming %q", r.Name, r.Status, r.Cause, c.cause)
				}
			}
			if !matched {
				t.Fatalf("no intent %q", c.intent)
			}
		})
	}
}

// TestOnPremisesUpstream: with the forwarder's default upstream on premises,
// private names still resolve (conditional forwarders to Azure DNS) while
// public names depend on a resolver outside the design: those intents are
// unknown, not failed.
func TestOnPremisesUpstream(t *testing.T) {
	rs := run(t, variantTemplate(t, "network:\n  onPremises: [192.168.0.0/16]\ndns:\n  upstream: [192.168.10.53]\n"))
	status := map[string]string{}
	for _, r := range rs {
		status[r.Name] = r.Status
		if r.Status == verify.Fail {
			t.Errorf("%s fails: %s", r.Name, r.Cause)
		}
	}
	for name, want := range map[string]string{
		"node pool aks-privaks/user → key vault kv-privaks-0e1a84": verify.Pass,
		"node pool aks-privaks/system → AKS required endpoints":    verify.Unknown,
		"vm-agent → CI service dev.azure.com":                      verify.Unknown,
		"vm-dns → package mirror azure.archive.ubuntu.com":         verify.Pass,
	} {
		if status[name] != want {
			t.Errorf("%s: %q, want %q", name, status[name], want)
		}
	}
}

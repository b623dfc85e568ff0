package verify_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

func result(t *testing.T, rs []verify.Result, prefix string) verify.Result {
	t.Helper()
	for _, r := range rs {
		if strings.HasPrefix(r.Name, prefix) {
			return r
		}
	}
	t.Fatalf("no intent %q derived", prefix)
	return verify.Result{}
}

// The exposure intents each variant derives: every public workload from
// the Internet, every private one from the VNet and not from the Internet.
func TestExposureIntentsPerWorkload(t *testing.T) {
	rs := run(t, fixture.Named(t, "hosts"))
	for _, name := range []string{
		"Internet → workload shop (https://shop.contoso.com)",
		"Internet → workload api (https://api.contoso.com)",
		"vm-agent → workload admin (https://admin.corp.contoso.com)",
		"Internet ↛ workload admin (https://admin.corp.contoso.com)",
	} {
		if r := result(t, rs, name); r.Status != verify.Pass {
			t.Errorf("%s: %s %s", name, r.Status, r.Cause)
		}
	}
	for _, r := range rs {
		if strings.Contains(r.Name, "workload batch (") {
			t.Errorf("unexposed workload batch has an exposure intent: %s", r.Name)
		}
	}
	private := run(t, fixture.Named(t, "private-only"))
	if r := result(t, private, "Internet ↛ workload orders"); r.Status != verify.Pass || !strings.Contains(r.Trace[0].Text, "has no public frontend") {
		t.Errorf("private-only: %s %v", r.Status, r.Trace)
	}
}

func gateway(t *testing.T, tm *arm.Template) *arm.Resource {
	return find(t, tm, "Microsoft.Network/applicationGateways", "agw-aks")
}

// Mutations that must fail the exposure intent naming their cause.
func TestExposureMutations(t *testing.T) {
	cases := []struct {
		name, variant string
		mutate        func(t *testing.T, tm *arm.Template)
		intent, cause string
	}{
		{"public workload without a public frontend", "reference", func(t *testing.T, tm *arm.Template) {
			g := gateway(t, tm)
			var keep []any
			for _, fe := range g.Properties["frontendIPConfigurations"].([]any) {
				if fe.(map[string]any)["name"] != "fe-public" {
					keep = append(keep, fe)
				}
			}
			g.Properties["frontendIPConfigurations"] = keep
		}, "Internet → workload orders", "agw-aks has no public frontend: public workload orders cannot be reached"},
		{"private workload published on the public frontend", "hosts", func(t *testing.T, tm *arm.Template) {
			g := gateway(t, tm)
			sub := func(kind, name string) map[string]any {
				return map[string]any{"id": "[resourceId('Microsoft.Network/applicationGateways/" + kind + "', 'agw-aks', '" + name + "')]"}
			}
			g.Properties["httpListeners"] = append(g.Properties["httpListeners"].([]any), map[string]any{"name": "https-admin-public", "properties": map[string]any{
				"frontendIPConfiguration": sub("frontendIPConfigurations", "fe-public"), "frontendPort": sub("frontendPorts", "port-443"),
				"protocol": "Https", "hostName": "admin.corp.contoso.com", "sslCertificate": sub("sslCertificates", "tls-default"),
			}})
			g.Properties["requestRoutingRules"] = append(g.Properties["requestRoutingRules"].([]any), map[string]any{"name": "rule-admin-public", "properties": map[string]any{
				"ruleType": "Basic", "priority": 900, "httpListener": sub("httpListeners", "https-admin-public"),
				"backendAddressPool": sub("backendAddressPools", "pool-default"), "backendHttpSettings": sub("backendHttpSettingsCollection", "http-default"),
			}})
		}, "Internet ↛ workload admin", "private workload admin is reachable from the Internet: listener https-admin-public"},
		{"gateway's Key Vault role missing", "reference", func(t *testing.T, tm *arm.Template) {
			n := remove(tm, func(r *arm.Resource) bool {
				p, _ := r.Properties["principalId"].(string)
				return !(r.Is("Microsoft.Authorization/roleAssignments") && strings.Contains(p, "'id-agw'"))
			})
			if n != 1 {
				t.Fatalf("removed %d role assignments", n)
			}
			g := gateway(t, tm)
			g.DependsOn = nil
		}, "Internet → workload orders", "identity id-agw of agw-aks holds no role that reads secrets (Key Vault Secrets User)"},
		{"AGIC without Managed Identity Operator on the gateway's identity", "reference", func(t *testing.T, tm *arm.Template) {
			if n := remove(tm, func(r *arm.Resource) bool {
				d, _ := r.Properties["description"].(string)
				return !strings.HasPrefix(d, "AGIC keeps the gateway's identity")
			}); n != 1 {
				t.Fatalf("removed %d role assignments", n)
			}
		}, "Internet → workload orders", "holds no role with userAssignedIdentities/assign/action (Managed Identity Operator) on id-agw"},
		{"gateway without identity", "reference", func(t *testing.T, tm *arm.Template) {
			gateway(t, tm).Identity = nil
		}, "Internet → workload orders", "agw-aks has no user-assigned identity"},
		{"plain HTTP served instead of a redirect", "reference", func(t *testing.T, tm *arm.Template) {
			for _, x := range gateway(t, tm).Properties["requestRoutingRules"].([]any) {
				p := x.(map[string]any)["properties"].(map[string]any)
				if p["redirectConfiguration"] != nil {
					delete(p, "redirectConfiguration")
					p["backendAddressPool"] = map[string]any{"id": "[resourceId('Microsoft.Network/applicationGateways/backendAddressPools', 'agw-aks', 'pool-default')]"}
					p["backendHttpSettings"] = map[string]any{"id": "[resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', 'agw-aks', 'http-default')]"}
				}
			}
		}, "Internet → workload orders", "serves http://orders.contoso.com:80 in plain HTTP"},
		{"Internet rule removed", "reference", func(t *testing.T, tm *arm.Template) {
			nsg := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-appgw")
			var keep []any
			for _, x := range nsg.Properties["securityRules"].([]any) {
				if x.(map[string]any)["name"] != "AllowInternetToPublicListeners" {
					keep = append(keep, x)
				}
			}
			nsg.Properties["securityRules"] = keep
		}, "Internet → workload orders", "Internet cannot reach agw-aks on port 443"},
		{"two public workloads on one listener without a host", "hosts", func(t *testing.T, tm *arm.Template) {
			g := gateway(t, tm)
			var ls, rs []any
			for _, x := range g.Properties["httpListeners"].([]any) {
				p := x.(map[string]any)["properties"].(map[string]any)
				switch x.(map[string]any)["name"] {
				case "https-api":
					continue
				case "https-shop":
					delete(p, "hostName")
				}
				ls = append(ls, x)
			}
			for _, x := range g.Properties["requestRoutingRules"].([]any) {
				if x.(map[string]any)["name"] != "rule-api" {
					rs = append(rs, x)
				}
			}
			g.Properties["httpListeners"], g.Properties["requestRoutingRules"] = ls, rs
		}, "Internet → workload api", "answers every host: workloads api and shop would both route /"},
		{"HTTPS listener without the workload's host", "hosts", func(t *testing.T, tm *arm.Template) {
			for _, x := range gateway(t, tm).Properties["httpListeners"].([]any) {
				if x.(map[string]any)["name"] == "https-shop" {
					x.(map[string]any)["properties"].(map[string]any)["hostName"] = "shop.example.org"
				}
			}
		}, "Internet → workload shop", "no HTTPS listener on agw-aks's public frontend (port 443) answers shop.contoso.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tm := referenceTemplate(t)
			if c.variant != "reference" {
				tm = fixture.Named(t, c.variant)
			}
			c.mutate(t, tm)
			r := result(t, run(t, tm), c.intent)
			if r.Status != verify.Fail || !strings.Contains(r.Cause, c.cause) {
				t.Fatalf("%s: %s %q, want a failure naming %q\n%v", c.intent, r.Status, r.Cause, c.cause, r.Trace)
			}
		})
	}
}

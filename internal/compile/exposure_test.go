package compile_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/fixture"
)

func evaluated(t *testing.T, variant string) *arm.Set {
	t.Helper()
	set, err := armeval.Evaluate(fixture.Named(t, variant))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func named(set *arm.Set, typ, name string) *arm.Resource {
	for _, r := range set.OfType(typ) {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func names(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, arm.Lookup(x, "name").(string))
	}
	return out
}

func hasRule(nsg *arm.Resource, name string) bool {
	for _, n := range names(nsg.Prop("securityRules")) {
		if n == name {
			return true
		}
	}
	return false
}

// With every workload private the gateway has no public IP, no public
// frontend and no Internet rule, and its subnet is delegated as a Private
// Application Gateway requires.
func TestPrivateOnlyExposure(t *testing.T) {
	set := evaluated(t, "private-only")
	if named(set, "Microsoft.Network/publicIPAddresses", "pip-appgw") != nil {
		t.Errorf("private-only design has the gateway's public IP")
	}
	g := named(set, "Microsoft.Network/applicationGateways", "agw-aks")
	if fes := names(g.Prop("frontendIPConfigurations")); len(fes) != 1 || fes[0] != "fe-private" {
		t.Errorf("frontends %v, want only fe-private", fes)
	}
	for _, l := range g.Prop("httpListeners").([]any) {
		if fe := arm.Lookup(l, "properties.frontendIPConfiguration.id").(string); !strings.Contains(fe, "fe-private") {
			t.Errorf("listener %v on %s", arm.Lookup(l, "name"), fe)
		}
	}
	nsg := named(set, "Microsoft.Network/networkSecurityGroups", "nsg-snet-appgw")
	if hasRule(nsg, "AllowInternetToPublicListeners") || !hasRule(nsg, "AllowVNetToPrivateListeners") {
		t.Errorf("appgw NSG rules %v", names(nsg.Prop("securityRules")))
	}
	for _, s := range named(set, "Microsoft.Network/virtualNetworks", "vnet-aks").Prop("subnets").([]any) {
		if arm.Lookup(s, "name") == "snet-appgw" && arm.Lookup(s, "properties.delegations") == nil {
			t.Errorf("the private gateway's subnet is not delegated to Microsoft.Network/applicationGateways")
		}
	}
}

// Several workloads: each exposed one has its own HTTPS listener on 443
// with its host and the Key Vault certificate, an HTTP listener on 80 that
// redirects to it, and its own rules; the gateway reads the certificate
// with its user-assigned identity, which holds a role on the vault first.
func TestWorkloadListeners(t *testing.T) {
	set := evaluated(t, "hosts")
	g := named(set, "Microsoft.Network/applicationGateways", "agw-aks")
	hosts := map[string]string{}
	for _, l := range g.Prop("httpListeners").([]any) {
		name := arm.Lookup(l, "name").(string)
		hosts[name] = arm.Lookup(l, "properties.hostName").(string)
		if strings.HasPrefix(name, "https-") && (arm.Lookup(l, "properties.protocol") != "Https" || arm.Lookup(l, "properties.sslCertificate") == nil) {
			t.Errorf("listener %s: not HTTPS with a certificate", name)
		}
	}
	want := map[string]string{"https-shop": "shop.contoso.com", "http-shop": "shop.contoso.com", "https-api": "api.contoso.com",
		"http-api": "api.contoso.com", "https-admin": "admin.corp.contoso.com", "http-admin": "admin.corp.contoso.com"}
	if len(hosts) != len(want) {
		t.Errorf("listeners %v, want %v", hosts, want)
	}
	for l, h := range want {
		if hosts[l] != h {
			t.Errorf("listener %s host %q, want %q", l, hosts[l], h)
		}
	}
	prios := map[string]bool{}
	for _, r := range g.Prop("requestRoutingRules").([]any) {
		p := fmt.Sprint(arm.Lookup(r, "properties.priority"))
		if prios[p] {
			t.Errorf("two rules with priority %v", p)
		}
		prios[p] = true
	}
	if len(prios) != 6 || len(g.Prop("redirectConfigurations").([]any)) != 3 {
		t.Errorf("%d rules, %v redirects", len(prios), g.Prop("redirectConfigurations"))
	}
	vault := set.OfType("Microsoft.KeyVault/vaults")[0].Name
	if got := arm.Lookup(g.Prop("sslCertificates"), "0.properties.keyVaultSecretId"); got != "https://"+vault+".vault.azure.net/secrets/contoso-wildcard/" {
		t.Errorf("keyVaultSecretId %v", got)
	}
	ids, _ := arm.Lookup(g.Identity, "userAssignedIdentities").(map[string]any)
	if arm.Lookup(g.Identity, "type") != "UserAssigned" || len(ids) != 1 {
		t.Errorf("gateway identity %v", g.Identity)
	}
	waits := false
	for _, d := range g.DependsOn {
		waits = waits || strings.Contains(string(d), "roleAssignments")
	}
	if !waits {
		t.Errorf("the gateway does not wait for its Key Vault role: %v", g.DependsOn)
	}
}

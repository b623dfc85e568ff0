package verify_test

import (
	"encoding/base64"
	"net/netip"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/cloudinit"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/verify"
)

func referenceTemplate(t testing.TB) *arm.Template { return fixture.Reference(t) }

func run(t testing.TB, tmpl *arm.Template) []verify.Result {
	t.Helper()
	tw := fixture.Model(t, tmpl)
	return verify.Run(tw, verify.Derive(tw))
}

func TestReferenceDesignAllIntentsPass(t *testing.T) {
	rs := run(t, referenceTemplate(t))
	if len(rs) < 15 {
		t.Fatalf("only %d intents derived", len(rs))
	}
	want := []string{"vm-agent → API server", "node pool aks-privaks/system → registry", "node pool aks-privaks/user → key vault",
		"workload orders → secret orders-db-password", "bas-hub → vm-dns:22", "Internet → agw-aks public frontend",
		"Internet → workload orders (https://orders.contoso.com)", "Internet ↛ key vault", "Internet ↛ registry", "Internet ↛ API server", "Internet ↛ vm-agent"}
	for _, w := range want {
		found := false
		for _, r := range rs {
			if strings.HasPrefix(r.Name, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no intent %q derived", w)
		}
	}
	for _, r := range rs {
		if r.Status != verify.Pass {
			t.Errorf("%s: %s\n%v", r.Name, r.Cause, r.Trace)
		}
	}
}

func find(t testing.TB, tmpl *arm.Template, typ, name string) *arm.Resource {
	return fixture.Find(t, tmpl, typ, name)
}

func remove(tmpl *arm.Template, keep func(*arm.Resource) bool) int { return fixture.Remove(tmpl, keep) }

func vaultName(tmpl *arm.Template) string {
	for _, r := range tmpl.Resources {
		if r.Is("Microsoft.KeyVault/vaults") {
			return r.Name
		}
	}
	return ""
}

func registryName(tmpl *arm.Template) string {
	for _, r := range tmpl.Resources {
		if r.Is("Microsoft.ContainerRegistry/registries") {
			return r.Name
		}
	}
	return ""
}

// mutateForwarder rewrites the DNS VM's BIND configuration.
func mutateForwarder(t testing.TB, tmpl *arm.Template, f func(*forwarder)) {
	t.Helper()
	vm := find(t, tmpl, "Microsoft.Compute/virtualMachines", "vm-dns")
	os := vm.Properties["osProfile"].(map[string]any)
	doc, err := base64.StdEncoding.DecodeString(os["customData"].(string))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := cloudinit.ParseDNSForwarder(doc)
	if err != nil {
		t.Fatal(err)
	}
	fw := &forwarder{cfg: &cfg}
	f(fw)
	out, err := cloudinit.DNSForwarder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	os["customData"] = base64.StdEncoding.EncodeToString(out)
}

type forwarder struct{ cfg *bind.Config }

// publicUpstreamWithout points the forwarder's default upstream at a public
// resolver and drops the conditional forwarders whose zone contains drop.
func publicUpstreamWithout(drop string) func(*testing.T, *arm.Template) {
	return func(t *testing.T, tm *arm.Template) {
		mutateForwarder(t, tm, func(f *forwarder) {
			f.cfg.Forwarders = []netip.Addr{netip.MustParseAddr("1.1.1.1")}
			var zs []bind.ForwardZone
			for _, z := range f.cfg.Zones {
				if !strings.Contains(z.Name, drop) {
					zs = append(zs, z)
				}
			}
			f.cfg.Zones = zs
		})
	}
}

func TestMutationsFailTheRightIntent(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(t *testing.T, tmpl *arm.Template)
		intent string // prefix of the intent that must fail
		cause  string // substring of its cause
	}{
		{"vault zone hub link removed", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool { return r.Name != "privatelink.vaultcore.azure.net/link-vnet-hub" })
		}, "node pool aks-privaks/user → key vault", "public address"},
		{"conditional forwarders for the vault missing, upstream public", publicUpstreamWithout("vault"),
			"node pool aks-privaks/user → key vault", "public address"},
		{"only vault.azure.net forwarded (measured §1.4a)", publicUpstreamWithout("vaultcore"),
			"node pool aks-privaks/user → key vault", "public address"},
		{"spoke DNS points at a wrong IP", func(t *testing.T, tm *arm.Template) {
			v := find(t, tm, "Microsoft.Network/virtualNetworks", "vnet-aks")
			v.Properties["dhcpOptions"] = map[string]any{"dnsServers": []any{"10.0.0.99"}}
		}, "node pool aks-privaks/system → API server", "nothing in the design answers DNS at 10.0.0.99"},
		{"spoke-to-hub peering missing", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool { return r.Name != "vnet-aks/peer-aks-to-hub" })
		}, "node pool aks-privaks/system → API server", "is missing (both directions are needed)"},
		{"NSG denies DNS to the forwarder subnet", func(t *testing.T, tm *arm.Template) {
			n := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-dns")
			n.Properties["securityRules"] = append(n.Properties["securityRules"].([]any), map[string]any{
				"name": "DenyDns", "properties": map[string]any{"priority": 105, "direction": "Inbound", "access": "Deny",
					"protocol": "Udp", "sourcePortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*", "destinationPortRange": "53"}})
		}, "node pool aks-privaks/system → API server", "denies"},
		{"key vault public access on", func(t *testing.T, tm *arm.Template) {
			v := find(t, tm, "Microsoft.KeyVault/vaults", vaultName(tm))
			v.Properties["publicNetworkAccess"] = "Enabled"
			v.Properties["networkAcls"] = map[string]any{"defaultAction": "Allow", "bypass": "AzureServices"}
		}, "Internet ↛ key vault", "accepts Internet traffic"},
		{"registry public access on", func(t *testing.T, tm *arm.Template) {
			g := find(t, tm, "Microsoft.ContainerRegistry/registries", registryName(tm))
			g.Properties["publicNetworkAccess"] = "Enabled"
		}, "Internet ↛ registry", "accepts Internet traffic"},
		{"Key Vault Secrets User missing", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool {
				d, _ := r.Prop("description").(string)
				return !strings.HasPrefix(d, "Workload orders")
			})
		}, "workload orders → secret", "holds no role that reads secrets"},
		{"federated credential with the wrong namespace", func(t *testing.T, tm *arm.Template) {
			f := find(t, tm, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", "id-wl-orders/fic-orders")
			f.Properties["subject"] = "system:serviceaccount:default:orders"
		}, "workload orders → secret", "AADSTS70021"},
		{"federated credential trusts another cluster", func(t *testing.T, tm *arm.Template) {
			f := find(t, tm, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", "id-wl-orders/fic-orders")
			f.Properties["issuer"] = "https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/other/"
		}, "workload orders → secret", "no cluster's"},
		{"two overlapping zones linked to the hub", func(t *testing.T, tm *arm.Template) {
			tm.Resources = append(tm.Resources,
				arm.Resource{Type: "Microsoft.Network/privateDnsZones", APIVersion: "2024-06-01", Name: "vaultcore.azure.net", Location: "global", Properties: map[string]any{}},
				arm.Resource{Type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks", APIVersion: "2024-06-01", Name: "vaultcore.azure.net/link-vnet-hub", Location: "global",
					Properties: map[string]any{"virtualNetwork": map[string]any{"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')]"}, "registrationEnabled": false}})
		}, "node pool aks-privaks/user → key vault", "overlapping namespaces"},
		{"AcrPull missing for the kubelet identity", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool {
				d, _ := r.Prop("description").(string)
				return !strings.HasPrefix(d, "Nodes pull images")
			})
		}, "node pool aks-privaks/system → registry", "AcrPull"},
		{"agent VM given a public IP with SSH open", func(t *testing.T, tm *arm.Template) {
			tm.Resources = append(tm.Resources, arm.Resource{Type: "Microsoft.Network/publicIPAddresses", APIVersion: "2025-07-01", Name: "pip-agent",
				Location: "canadacentral", SKU: map[string]any{"name": "Standard"}, Properties: map[string]any{"publicIPAllocationMethod": "Static"}})
			nic := find(t, tm, "Microsoft.Network/networkInterfaces", "nic-vm-agent")
			ic := nic.Properties["ipConfigurations"].([]any)[0].(map[string]any)["properties"].(map[string]any)
			ic["publicIPAddress"] = map[string]any{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-agent')]"}
			n := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-agents")
			n.Properties["securityRules"] = append(n.Properties["securityRules"].([]any), map[string]any{
				"name": "AllowSshInternet", "properties": map[string]any{"priority": 200, "direction": "Inbound", "access": "Allow",
					"protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}})
		}, "Internet ↛ vm-agent", "reachable from the Internet on port 22"},
		{"vault zone group removed", func(t *testing.T, tm *arm.Template) {
			remove(tm, func(r *arm.Resource) bool { return r.Name != "pe-kv/default" })
		}, "node pool aks-privaks/user → key vault", "NXDOMAIN"},
		{"cluster uses the system zone instead of the hub-linked one", func(t *testing.T, tm *arm.Template) {
			a := find(t, tm, "Microsoft.ContainerService/managedClusters", "aks-privaks")
			a.Properties["apiServerAccessProfile"].(map[string]any)["privateDNSZone"] = "system"
		}, "vm-agent → API server", "NXDOMAIN"},
		{"key vault in access-policy mode", func(t *testing.T, tm *arm.Template) {
			v := find(t, tm, "Microsoft.KeyVault/vaults", vaultName(tm))
			v.Properties["enableRbacAuthorization"] = false
		}, "workload orders → secret", "access-policy mode"},
		{"SSH from Bastion no longer allowed", func(t *testing.T, tm *arm.Template) {
			n := find(t, tm, "Microsoft.Network/networkSecurityGroups", "nsg-snet-agents")
			var rules []any
			for _, r := range n.Properties["securityRules"].([]any) {
				if r.(map[string]any)["name"] != "AllowSshFromBastion" {
					rules = append(rules, r)
				}
			}
			n.Properties["securityRules"] = rules
		}, "bas-hub → vm-agent:22", "DenyAllOtherInbound"},
		{"forwarder refuses the spoke", func(t *testing.T, tm *arm.Template) {
			mutateForwarder(t, tm, func(f *forwarder) {
				f.cfg.Allow = f.cfg.Allow[:1] // hub only
			})
		}, "node pool aks-privaks/system → API server", "not in allow-query"},
	}
	if len(cases) < 15 {
		t.Fatalf("the issue asks for at least 15 mutations, have %d", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmpl := referenceTemplate(t)
			c.mutate(t, tmpl)
			rs := run(t, tmpl)
			matched := false
			for _, r := range rs {
				if !strings.HasPrefix(r.Name, c.intent) {
					continue
				}
				matched = true
				if r.Status != verify.Fail {
					t.Errorf("%s passes; want it to fail with %q", r.Name, c.cause)
					continue
				}
				if !strings.Contains(r.Cause, c.cause) {
					t.Errorf("%s fails with\n  %s\nwant the cause to name %q", r.Name, r.Cause, c.cause)
				}
			}
			if !matched {
				t.Fatalf("no intent %q", c.intent)
			}
		})
	}
}

func TestExplainFromTheInternet(t *testing.T) {
	tw := fixture.Model(t, referenceTemplate(t))
	cases := []struct {
		to    string
		pass  bool
		words string
	}{
		{"agw-aks", true, "listener on 443"},
		{"agw-aks:8080", false, "no public listener on port 8080"},
		{"vm-agent", false, "has no public IP"},
		{"aks-privaks", false, "is private"},
	}
	for _, c := range cases {
		r, err := verify.Explain(tw, "Internet", c.to)
		if err != nil {
			t.Fatal(err)
		}
		text := ""
		for _, s := range r.Trace {
			text += s.Text + "\n"
		}
		if (r.Status == verify.Pass) != c.pass || !strings.Contains(text+r.Cause, c.words) {
			t.Errorf("Internet → %s: %s %q\n%s", c.to, r.Status, r.Cause, text)
		}
	}
	if _, err := verify.Explain(tw, "Internet", "nothing-here"); err == nil {
		t.Errorf("an unknown target must be an error")
	}
}

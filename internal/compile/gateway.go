package compile

import (
	"strings"

	"github.com/privaks/privaks/internal/spec"
)

func stdSKU() map[string]any { return map[string]any{"name": "Standard", "tier": "Regional"} }

func publicIPProps() map[string]any {
	return map[string]any{"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
}

// bastion writes Azure Bastion (Standard, native-client tunnelling on, so
// `az network bastion ssh` works) with its static Standard public IP.
func (b *builder) bastion() {
	b.resource(tPIP, apiNetwork, nPIPBastion, publicIPProps()).SKU = stdSKU()
	bas := b.resource(tBastion, apiNetwork, nBastion, map[string]any{
		"enableTunneling": true,
		"ipConfigurations": []any{map[string]any{
			"name": "ipconfig",
			"properties": map[string]any{
				"subnet":          idOf(tSubnet, nHub, nBastionSub),
				"publicIPAddress": idOf(tPIP, nPIPBastion),
			},
		}},
	})
	bas.SKU = map[string]any{"name": "Standard"}
}

// appGateway writes the WAF policy and a WAF_v2 Application Gateway that
// publishes each exposed workload on its own host name:
//
//   - a private frontend (static IP in its subnet) always, and a public
//     frontend (static Standard public IP) only when a workload is public
//     (v2 without any public IP needs the subscription feature
//     EnableApplicationGatewayNetworkIsolation, azure-rules.md §2.7 [S33];
//     docs/deploy.md says how to register it);
//   - per workload an HTTPS listener on 443 with its host name and the
//     gateway's certificate, an HTTP listener on 80 for the same host that
//     redirects permanently to it, and a routing rule each. Public and
//     private listeners share 443 and 80: Application Gateway v2 accepts
//     the same port on both frontends (learn.microsoft.com, "Application
//     Gateway frontend IP address configuration"; azure-rules.md §2.7), and
//     host names keep two workloads from both routing "/";
//   - the certificate by reference, sslCertificates[].keyVaultSecretId, a
//     versionless secret URI so the gateway follows renewals (it polls
//     every four hours), read with its own user-assigned identity, which
//     holds Key Vault Secrets User on the vault ("TLS termination with Key
//     Vault certificates"; Key Vault references need a user-assigned
//     identity on the v2 SKU). The user imports or issues the certificate
//     (docs/deploy.md); until it exists the HTTPS listeners stay disabled.
//
// AGIC takes over listeners and rules once the cluster runs; the Ingresses
// privaks renders (internal/render) ask it for the same listeners.
func (b *builder) appGateway() {
	d := b.d
	b.resource(tWAFPolicy, apiNetwork, nWAF, map[string]any{
		"policySettings": map[string]any{
			"state": "Enabled", "mode": d.WAFMode, "requestBodyCheck": true,
		},
		"managedRules": map[string]any{
			"managedRuleSets": []any{map[string]any{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1"}},
		},
	})
	public := hasPublicWorkload(d)
	if public {
		b.resource(tPIP, apiNetwork, nPIPAppGw, publicIPProps()).SKU = stdSKU()
	}
	b.resource(tUAMI, apiIdentity, nIDAppGw, map[string]any{})
	certRole := b.roleAssignment(tVault, []string{d.KeyVaultName}, roleKeyVaultSecretsUser, uamiPrincipal(nIDAppGw),
		"Application Gateway reads its TLS certificate "+d.TLSCertificate+" from Key Vault")

	sub := func(kind, name string) map[string]any { return idOf(tAppGw+"/"+kind, nAppGw, name) }
	var listeners, rules, redirects []any
	prio := 100
	rule := func(name, lis string, extra map[string]any) {
		p := map[string]any{"ruleType": "Basic", "priority": prio, "httpListener": sub("httpListeners", lis)}
		for k, v := range extra {
			p[k] = v
		}
		rules = append(rules, map[string]any{"name": name, "properties": p})
		prio += 10
	}
	backend := map[string]any{
		"backendAddressPool":  sub("backendAddressPools", "pool-default"),
		"backendHttpSettings": sub("backendHttpSettingsCollection", "http-default"),
	}
	for _, w := range d.Workloads {
		fe := frontendOf(w.Exposure)
		if fe == "" {
			continue
		}
		https, http := ListenerName(w.Name, "https"), ListenerName(w.Name, "http")
		listeners = append(listeners,
			map[string]any{"name": https, "properties": map[string]any{
				"frontendIPConfiguration": sub("frontendIPConfigurations", fe),
				"frontendPort":            sub("frontendPorts", nPortHTTPS),
				"protocol":                "Https",
				"hostName":                w.Host,
				"sslCertificate":          sub("sslCertificates", nCert),
			}},
			map[string]any{"name": http, "properties": map[string]any{
				"frontendIPConfiguration": sub("frontendIPConfigurations", fe),
				"frontendPort":            sub("frontendPorts", nPortHTTP),
				"protocol":                "Http",
				"hostName":                w.Host,
			}})
		redirects = append(redirects, map[string]any{"name": "redirect-" + w.Name, "properties": map[string]any{
			"redirectType":       "Permanent",
			"targetListener":     sub("httpListeners", https),
			"includePath":        true,
			"includeQueryString": true,
		}})
		rule("rule-"+w.Name, https, backend)
		rule("rule-"+w.Name+"-redirect", http, map[string]any{"redirectConfiguration": sub("redirectConfigurations", "redirect-"+w.Name)})
	}
	if len(listeners) == 0 {
		// A gateway needs one listener and rule; with nothing exposed it
		// answers on its private frontend only.
		listeners = append(listeners, map[string]any{"name": "listener-default", "properties": map[string]any{
			"frontendIPConfiguration": sub("frontendIPConfigurations", nFEPrivate),
			"frontendPort":            sub("frontendPorts", nPortHTTP),
			"protocol":                "Http",
		}})
		rule("rule-default", "listener-default", backend)
	}
	fes := []any{map[string]any{"name": nFEPrivate, "properties": map[string]any{
		"privateIPAllocationMethod": "Static",
		"privateIPAddress":          d.AppGwPrivateIP.String(),
		"subnet":                    idOf(tSubnet, nSpoke, nAppGwSub),
	}}}
	if public {
		fes = append([]any{map[string]any{"name": nFEPublic, "properties": map[string]any{"publicIPAddress": idOf(tPIP, nPIPAppGw)}}}, fes...)
	}
	props := map[string]any{
		"sku":                    map[string]any{"name": "WAF_v2", "tier": "WAF_v2"},
		"autoscaleConfiguration": map[string]any{"minCapacity": d.AppGwMin, "maxCapacity": d.AppGwMax},
		"firewallPolicy":         idOf(tWAFPolicy, nWAF),
		"sslPolicy":              map[string]any{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"},
		"gatewayIPConfigurations": []any{map[string]any{
			"name": "gateway-ipconfig", "properties": map[string]any{"subnet": idOf(tSubnet, nSpoke, nAppGwSub)},
		}},
		"frontendIPConfigurations": fes,
		"frontendPorts": []any{
			map[string]any{"name": nPortHTTPS, "properties": map[string]any{"port": HTTPSPort}},
			map[string]any{"name": nPortHTTP, "properties": map[string]any{"port": HTTPPort}},
		},
		"sslCertificates": []any{map[string]any{"name": nCert, "properties": map[string]any{
			"keyVaultSecretId": CertificateSecretID(d.KeyVaultName, d.TLSCertificate),
		}}},
		"backendAddressPools": []any{map[string]any{"name": "pool-default", "properties": map[string]any{}}},
		"backendHttpSettingsCollection": []any{map[string]any{"name": "http-default", "properties": map[string]any{
			"port": 80, "protocol": "Http", "cookieBasedAffinity": "Disabled", "requestTimeout": 30,
		}}},
		"httpListeners":       listeners,
		"requestRoutingRules": rules,
	}
	if len(redirects) > 0 {
		props["redirectConfigurations"] = redirects
	}
	gw := b.resource(tAppGw, apiNetwork, nAppGw, props)
	gw.Identity = map[string]any{
		"type":                   "UserAssigned",
		"userAssignedIdentities": map[string]any{rid(tUAMI, nIDAppGw): map[string]any{}},
	}
	// The gateway fetches its certificate when it is created: its
	// identity must already hold the role.
	b.dependOn(gw, certRole)
}

// CertificateSecretID is the versionless secret URI of a Key Vault
// certificate in the public cloud (the vault DNS suffix privaks targets).
func CertificateSecretID(vault, cert string) string {
	return "https://" + strings.ToLower(vault) + ".vault.azure.net/secrets/" + cert + "/"
}

// ListenerName is the name of a workload's listener (kind https or http).
func ListenerName(workload, kind string) string { return kind + "-" + workload }

func hasPublicWorkload(d *spec.Design) bool {
	for _, w := range d.Workloads {
		if w.Exposure == "public" {
			return true
		}
	}
	return false
}

// frontendOf is the frontend a workload's listeners use.
func frontendOf(exposure string) string {
	switch exposure {
	case "public":
		return nFEPublic
	case "private":
		return nFEPrivate
	}
	return ""
}

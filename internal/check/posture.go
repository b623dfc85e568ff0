package check

import (
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// Posture rules: the settings scanners (trivy, PSRule, checkov, Defender
// for Cloud) expect of these resources (posture.md). Optional hardening
// that needs a subscription feature or a key the platform team owns is
// Info: the finding says what was not done and why it may be acceptable.

// clusterRule builds a rule body that reports each cluster whose raw
// resource fails ok; skip returns true when the values are unknown.
func clusterCheck(msg func(*twin.Cluster, *arm.Resource) string) func(*Context) []Finding {
	return func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if m := msg(cl, c.res(cl.ID)); m != "" {
				out = append(out, at(cl.ID, "%s", m))
			}
		}
		return out
	}
}

var ruleNetworkPolicy = Rule{
	ID: "PVK140", Slug: "aks-network-policy", Severity: Warning,
	Title:     "AKS has a network policy engine",
	Rationale: "Without networkProfile.networkPolicy (azure, calico or cilium) Kubernetes NetworkPolicy objects are accepted but not enforced: every pod can reach every other pod (trivy configured_network_policy). The cilium engine goes with the cilium dataplane (Azure CNI Powered by Cilium) and only with it.",
	Fix:       "Set networkProfile.networkPolicy to azure, calico or cilium at creation.",
	Doc:       docCNIOverview,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		p := prop(r, "networkProfile.networkPolicy")
		if p.unknown {
			return ""
		}
		v := strings.ToLower(p.str())
		if v == "" || v == "none" {
			return "cluster " + cl.Name + " has no network policy engine"
		}
		// Azure CNI Powered by Cilium enforces policy itself: cilium is the
		// only engine with the cilium dataplane, and needs it.
		switch dp := strings.ToLower(cl.Dataplane); {
		case dp == "cilium" && v != "cilium":
			return "cluster " + cl.Name + " uses the cilium dataplane with networkPolicy " + v + ": AKS accepts only cilium there"
		case dp != "cilium" && v == "cilium":
			return "cluster " + cl.Name + " has networkPolicy cilium without networkDataplane cilium: AKS rejects it"
		}
		return ""
	}),
}

func addonOn(cl *twin.Cluster, name string) bool { return cl.Addons[strings.ToLower(name)] }

var ruleAzurePolicy = Rule{
	ID: "PVK141", Slug: "aks-azure-policy", Severity: Warning,
	Title:     "AKS runs the Azure Policy add-on",
	Rationale: "The Azure Policy add-on (Gatekeeper) enforces pod security and image rules assigned at the subscription; without it such policies are only reported (trivy enable_azure_policy_addon).",
	Fix:       "Set addonProfiles.azurepolicy.enabled: true.",
	Doc:       docPrivateAKS,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		if !addonOn(cl, "azurepolicy") && !prop(r, "addonProfiles.azurepolicy.enabled").unknown {
			return "cluster " + cl.Name + " does not enable the Azure Policy add-on"
		}
		return ""
	}),
}

var ruleMonitoring = Rule{
	ID: "PVK142", Slug: "aks-monitoring", Severity: Warning,
	Title:     "AKS sends logs and metrics to Azure Monitor",
	Rationale: "Without Container insights (addonProfiles.omsagent) or azureMonitorProfile, node and control-plane problems leave no trace to investigate (trivy logging).",
	Fix:       "Enable addonProfiles.omsagent with a Log Analytics workspace, or azureMonitorProfile.",
	Doc:       docPrivateAKS,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		mon, _ := prop(r, "azureMonitorProfile.metrics.enabled").boolean()
		if !addonOn(cl, "omsagent") && !mon && !prop(r, "addonProfiles.omsagent.enabled").unknown {
			return "cluster " + cl.Name + " has neither Container insights nor azureMonitorProfile"
		}
		return ""
	}),
}

var ruleAutoUpgrade = Rule{
	ID: "PVK143", Slug: "aks-auto-upgrade", Severity: Warning,
	Title:     "AKS has auto-upgrade channels",
	Rationale: "Clusters without an upgrade channel fall out of support and miss node image security patches (PSRule Azure.AKS.AutoUpgrade).",
	Fix:       "Set autoUpgradeProfile.upgradeChannel (e.g. stable or patch) and nodeOSUpgradeChannel (NodeImage or SecurityPatch).",
	Doc:       docBicepTypes,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		var missing []string
		for _, p := range []string{"upgradeChannel", "nodeOSUpgradeChannel"} {
			v := prop(r, "autoUpgradeProfile."+p)
			if !v.unknown && (v.str() == "" || strings.EqualFold(v.str(), "none") || strings.EqualFold(v.str(), "Unmanaged")) {
				missing = append(missing, p)
			}
		}
		if len(missing) > 0 {
			return "cluster " + cl.Name + " has no " + strings.Join(missing, " or ")
		}
		return ""
	}),
}

var ruleRBAC = Rule{
	ID: "PVK144", Slug: "aks-kubernetes-rbac", Severity: Error,
	Title:     "Kubernetes RBAC is enabled",
	Rationale: "enableRBAC false gives every authenticated user full control of the cluster and cannot be changed after creation (trivy use_rbac_permissions).",
	Fix:       "Set enableRBAC: true (the default).",
	Doc:       docBicepTypes,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		if b, ok := prop(r, "enableRBAC").boolean(); ok && !b {
			return "cluster " + cl.Name + " disables Kubernetes RBAC"
		}
		return ""
	}),
}

var ruleEntra = Rule{
	ID: "PVK145", Slug: "aks-entra-integration", Severity: Warning,
	Title:     "AKS authenticates users with Microsoft Entra ID",
	Rationale: "Managed Entra ID integration (aadProfile.managed, enableAzureRBAC) ties cluster access to Entra identities and Azure RBAC; without it access is by client certificates that cannot be revoked individually.",
	Fix:       "Set aadProfile.managed: true and aadProfile.enableAzureRBAC: true.",
	Doc:       docPrivateAKS,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		if prop(r, "aadProfile").v == nil {
			return "cluster " + cl.Name + " has no aadProfile (Microsoft Entra ID integration)"
		}
		return ""
	}),
}

var rulePurge = Rule{
	ID: "PVK146", Slug: "keyvault-purge-protection", Severity: Warning,
	Title:     "Key Vault has purge protection",
	Rationale: "Without purge protection a deleted vault and its secrets can be purged before the retention period ends, by mistake or by an attacker (trivy no_purge).",
	Fix:       "Set enablePurgeProtection: true (irreversible) with soft delete.",
	Doc:       docKVSoftDelete,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.Vaults {
			p := prop(c.res(v.ID), "enablePurgeProtection")
			if b, _ := p.boolean(); !b && !p.unknown {
				out = append(out, at(v.ID, "key vault %s has no purge protection", v.Name))
			}
		}
		return out
	},
}

var rulePasswordAuth = Rule{
	ID: "PVK147", Slug: "vm-password-authentication", Severity: Warning,
	Title:     "Linux VMs disable password authentication",
	Rationale: "SSH password logins can be guessed; key-only authentication removes the attack (trivy disable_password_authentication).",
	Fix:       "Set osProfile.linuxConfiguration.disablePasswordAuthentication: true with SSH public keys.",
	Doc:       docBastionCfg,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, vm := range c.Twin.VMs {
			r := c.res(vm.ID)
			if prop(r, "osProfile").v == nil || prop(r, "osProfile.windowsConfiguration").v != nil ||
				prop(r, "osProfile.linuxConfiguration.disablePasswordAuthentication").unknown {
				continue
			}
			if vm.PasswordAuth {
				out = append(out, at(vm.ID, "VM %s allows SSH password authentication", vm.Name))
			}
		}
		return out
	},
}

var ruleWAFMode = Rule{
	ID: "PVK148", Slug: "waf-prevention-mode", Severity: Warning,
	Title:     "The Application Gateway WAF is in Prevention mode",
	Rationale: "In Detection mode the WAF only logs attacks it recognises and lets them through (PSRule Azure.AppGw.WAFEnabled / prevention mode).",
	Fix:       "Set the WAF policy's policySettings.mode (or webApplicationFirewallConfiguration.firewallMode) to Prevention.",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			if !g.WAF {
				continue
			}
			r := c.res(g.ID)
			mode := prop(r, "webApplicationFirewallConfiguration.firewallMode")
			if id, ok := r.Prop("firewallPolicy.id").(string); ok {
				mode = prop(c.res(arm.ResourceID(id)), "policySettings.mode")
				if c.res(arm.ResourceID(id)) == nil {
					continue
				}
			}
			if mode.unknown {
				continue
			}
			if !strings.EqualFold(mode.str(), "Prevention") {
				m := mode.str()
				if m == "" {
					m = "unset (Detection)"
				}
				out = append(out, at(g.ID, "application gateway %s WAF mode is %s", g.Name, m))
			}
		}
		return out
	},
}

// oldTLSPolicies are predefined policies allowing TLS 1.0/1.1.
var oldTLSPolicies = []string{"appgwsslpolicy20150501", "appgwsslpolicy20170401"}

var ruleTLSPolicy = Rule{
	ID: "PVK149", Slug: "appgw-tls-policy", Severity: Warning,
	Title:     "The Application Gateway uses a current TLS policy",
	Rationale: "The gateway's default and older predefined TLS policies allow TLS 1.0/1.1 and weak ciphers (PSRule Azure.AppGw.MinTLS).",
	Fix:       "Set sslPolicy to policyType Predefined with AppGwSslPolicy20220101S (or newer).",
	Doc:       docAppGwInfra,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Gateways {
			r := c.res(g.ID)
			name, typ := prop(r, "sslPolicy.policyName"), prop(r, "sslPolicy.policyType")
			if name.unknown || typ.unknown {
				continue
			}
			switch {
			case prop(r, "sslPolicy").v == nil:
				out = append(out, at(g.ID, "application gateway %s has no sslPolicy (the default allows old TLS versions)", g.Name))
			case slices.Contains(oldTLSPolicies, strings.ToLower(name.str())):
				out = append(out, at(g.ID, "application gateway %s uses TLS policy %s", g.Name, name.str()))
			}
		}
		return out
	},
}

var ruleDiskEncryption = Rule{
	ID: "PVK150", Slug: "aks-disk-encryption-cmk", Severity: Info,
	Title:     "AKS disks use a customer-managed key",
	Rationale: "Node OS and data disks are encrypted at rest with platform keys by default; a disk encryption set with a customer key is optional hardening (trivy enable_disk_encryption, low) that needs a Key Vault key the platform team owns, so the reference design leaves it off.",
	Fix:       "Set diskEncryptionSetID to a disk encryption set if policy requires customer-managed keys.",
	Doc:       docBicepTypes,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		if prop(r, "diskEncryptionSetID").v == nil {
			return "cluster " + cl.Name + " uses platform-managed disk keys (no diskEncryptionSetID; optional)"
		}
		return ""
	}),
}

var ruleEncryptionAtHost = Rule{
	ID: "PVK151", Slug: "vm-encryption-at-host", Severity: Info,
	Title:     "VMs use encryption at host",
	Rationale: "Encryption at host also encrypts temp disks and caches; it needs the EncryptionAtHost feature registered on the subscription, which privaks cannot assume, so the reference design leaves it off.",
	Fix:       "Register Microsoft.Compute/EncryptionAtHost and set securityProfile.encryptionAtHost: true.",
	Doc:       docBicepTypes,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, vm := range c.Twin.VMs {
			p := prop(c.res(vm.ID), "securityProfile.encryptionAtHost")
			if b, _ := p.boolean(); !b && !p.unknown {
				out = append(out, at(vm.ID, "VM %s does not use encryption at host (needs a subscription feature; optional)", vm.Name))
			}
		}
		return out
	},
}

var ruleSystemPool = Rule{
	ID: "PVK152", Slug: "aks-system-pool-isolated", Severity: Info,
	Title:     "The system node pool is tainted and zone-redundant",
	Rationale: "The AKS baseline taints the system pool CriticalAddonsOnly=true:NoSchedule so workloads cannot starve CoreDNS and konnectivity, and spreads it across availability zones where the region has them.",
	Fix:       "Add nodeTaints [\"CriticalAddonsOnly=true:NoSchedule\"] and availabilityZones [\"1\",\"2\",\"3\"] to the System pool.",
	Doc:       docPrivateAKS,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			for _, p := range cl.Pools {
				if !strings.EqualFold(p.Mode, "System") {
					continue
				}
				raw := rawPool(c, cl, p.Name)
				var taints []string
				for _, t := range asList(arm.Lookup(raw, "nodeTaints")) {
					if s, ok := t.(string); ok {
						taints = append(taints, s)
					}
				}
				if !slices.Contains(taints, "CriticalAddonsOnly=true:NoSchedule") {
					out = append(out, at(cl.ID, "system pool %s of %s is not tainted CriticalAddonsOnly=true:NoSchedule", p.Name, cl.Name))
				}
				if len(asList(arm.Lookup(raw, "availabilityZones"))) == 0 {
					out = append(out, at(cl.ID, "system pool %s of %s has no availability zones", p.Name, cl.Name))
				}
			}
		}
		return out
	},
}

func asList(v any) []any { l, _ := v.([]any); return l }

var ruleDefender = Rule{
	ID: "PVK153", Slug: "aks-defender", Severity: Info,
	Title:     "Microsoft Defender for Containers is enabled",
	Rationale: "securityProfile.defender sends runtime security signals to Defender for Cloud; it is a paid plan the subscription owner enables, so privaks leaves it to them.",
	Fix:       "Set securityProfile.defender with a Log Analytics workspace when the subscription has the Defender for Containers plan.",
	Doc:       docBicepTypes,
	Check: clusterCheck(func(cl *twin.Cluster, r *arm.Resource) string {
		if b, _ := prop(r, "securityProfile.defender.securityMonitoring.enabled").boolean(); !b {
			return "cluster " + cl.Name + " does not enable Defender for Containers (optional, a paid plan)"
		}
		return ""
	}),
}

var ruleFlowLogs = Rule{
	ID: "PVK154", Slug: "vnet-flow-logs", Severity: Info,
	Absent:    []string{"Microsoft.Network/networkWatchers/flowLogs"},
	Title:     "Virtual networks have flow logs",
	Rationale: "VNet flow logs record accepted and denied flows for incident response (trivy network_watcher_flow_disabled); they need a Network Watcher and a storage account, usually owned by the platform team, so they are optional here.",
	Fix:       "Create Microsoft.Network/networkWatchers/flowLogs for each VNet.",
	Doc:       docNSG,
	Check: func(c *Context) []Finding {
		logged := map[string]bool{}
		for _, r := range c.Twin.Set.OfType("Microsoft.Network/networkWatchers/flowLogs") {
			if id, ok := r.Prop("targetResourceId").(string); ok {
				logged[arm.ResourceID(id).Key()] = true
			}
		}
		var out []Finding
		for _, v := range c.Twin.VNets {
			if !logged[v.ID.Key()] {
				out = append(out, at(v.ID, "%s has no flow log in this set (optional)", v.Name))
			}
		}
		return out
	},
}

var ruleSecretExpiry = Rule{
	ID: "PVK155", Slug: "keyvault-secret-expiry", Severity: Info,
	Title:     "Secrets a template creates have an expiry and content type",
	Rationale: "Scanners (trivy ensure_secret_expiry, content_type_for_secret) expect secrets to carry attributes.exp and contentType so rotation is visible; a bootstrap secret written once (an agent registration token) may reasonably have neither.",
	Fix:       "Set properties.attributes.exp and properties.contentType on the secret.",
	Doc:       docKVSoftDelete,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, r := range c.Twin.Set.OfType("Microsoft.KeyVault/vaults/secrets") {
			var missing []string
			if prop(r, "attributes.exp").v == nil {
				missing = append(missing, "expiry")
			}
			if prop(r, "contentType").v == nil {
				missing = append(missing, "content type")
			}
			if len(missing) > 0 {
				out = append(out, at(r.ID, "secret %s has no %s", lastSegment(r.ID), strings.Join(missing, " or ")))
			}
		}
		return out
	},
}

package tfwrite

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// The AKS cluster as azurerm_kubernetes_cluster: its first agent pool is
// default_node_pool, every other pool an azurerm_kubernetes_cluster_node_pool.

// poolKeys are the agent pool properties azurerm carries.
var poolKeys = []string{"name", "mode", "vmSize", "osType", "type", "vnetSubnetID", "podSubnetID", "enableAutoScaling",
	"count", "minCount", "maxCount", "maxPods", "osSKU", "availabilityZones", "nodeTaints", "upgradeSettings"}

// criticalTaint is the taint only_critical_addons_enabled puts on the
// default pool.
const criticalTaint = "CriticalAddonsOnly=true:NoSchedule"

func poolFits(p map[string]any, first bool) bool {
	if !onlyKeys(p, poolKeys...) {
		return false
	}
	for _, k := range []string{"name", "vmSize"} {
		if _, ok := p[k].(string); !ok {
			return false
		}
	}
	// Absent, enableAutoScaling, osType and type read back as ARM's
	// defaults (false, Linux, VirtualMachineScaleSets); count is required.
	if _, ok := p["enableAutoScaling"].(bool); (!ok && p["enableAutoScaling"] != nil) || p["count"] == nil {
		return false
	}
	if (p["osType"] != nil && p["osType"] != "Linux") || (p["type"] != nil && p["type"] != "VirtualMachineScaleSets") {
		return false
	}
	if !strList(p["availabilityZones"]) || !strList(p["nodeTaints"]) {
		return false
	}
	if u := p["upgradeSettings"]; u != nil {
		um, ok := u.(map[string]any)
		if !ok || !onlyKeys(um, "maxSurge") || um["maxSurge"] == nil {
			return false
		}
	}
	if first {
		if p["mode"] != "System" {
			return false
		}
		if t := asList(p["nodeTaints"]); len(t) > 1 || (len(t) == 1 && t[0] != criticalTaint) {
			return false
		}
	} else if m, ok := p["mode"].(string); !ok || (m != "User" && m != "System") {
		return false
	}
	return true
}

func aksFits(r *arm.Resource) bool {
	// No SKU reads back as ARM's default, Base/Free.
	if sku, ok := r.SKU.(map[string]any); r.SKU != nil && (!ok || !onlyKeys(sku, "name", "tier") || sku["name"] != "Base" || sku["tier"] == nil) {
		return false
	}
	if id, ok := r.Identity.(map[string]any); !ok || !onlyKeys(id, "type", "userAssignedIdentities") {
		return false
	}
	p := propsOf(r)
	for _, k := range []string{"disableLocalAccounts", "enableRBAC"} {
		if _, ok := p[k].(bool); !ok && p[k] != nil {
			return false // absent: ARM's defaults, false and true
		}
	}
	if aad := p["aadProfile"]; aad != nil {
		m, ok := aad.(map[string]any)
		if !ok || !onlyKeys(m, "managed", "enableAzureRBAC", "tenantID", "adminGroupObjectIDs") || m["managed"] != true {
			return false
		}
		if _, ok := m["enableAzureRBAC"].(bool); !ok || !strList(m["adminGroupObjectIDs"]) {
			return false
		}
	}
	if ad := p["addonProfiles"]; ad != nil {
		m, ok := ad.(map[string]any)
		if !ok {
			return false
		}
		for name, x := range m {
			a, ok := x.(map[string]any)
			if !ok || !onlyKeys(a, "enabled", "config") || a["enabled"] != true {
				return false
			}
			cfg, _ := a["config"].(map[string]any)
			if a["config"] != nil && cfg == nil {
				return false
			}
			switch name {
			case "azureKeyvaultSecretsProvider":
				if !onlyKeys(cfg, "enableSecretRotation", "rotationPollInterval") {
					return false
				}
				if v := cfg["enableSecretRotation"]; v != "true" && v != "false" {
					return false
				}
			case "azurepolicy":
				if len(cfg) > 0 {
					return false
				}
			case "ingressApplicationGateway":
				if !onlyKeys(cfg, "applicationGatewayId", "applicationGatewayName", "subnetId", "subnetCIDR") {
					return false
				}
			case "omsagent":
				if len(cfg) != 1 || cfg["logAnalyticsWorkspaceResourceID"] == nil {
					return false
				}
			default:
				return false
			}
		}
	}
	pools, ok := objList(p["agentPoolProfiles"])
	if !ok || len(pools) == 0 {
		return false
	}
	for i, pl := range pools {
		if !poolFits(pl, i == 0) {
			return false
		}
	}
	api, ok := p["apiServerAccessProfile"].(map[string]any)
	if !ok || !onlyKeys(api, "enablePrivateCluster", "enablePrivateClusterPublicFQDN", "privateDNSZone", "authorizedIPRanges",
		"subnetId", "enableVnetIntegration") || !strList(api["authorizedIPRanges"]) {
		return false
	}
	switch api["enablePrivateCluster"] {
	case true:
		if _, ok := api["enablePrivateClusterPublicFQDN"].(bool); !ok || api["privateDNSZone"] == nil {
			return false // the reader fills both in for a private cluster
		}
	case false:
		if api["enablePrivateClusterPublicFQDN"] != nil || api["privateDNSZone"] != nil {
			return false
		}
	default:
		return false
	}
	if au := p["autoUpgradeProfile"]; au != nil {
		m, ok := au.(map[string]any)
		if !ok || len(m) == 0 || !onlyKeys(m, "upgradeChannel", "nodeOSUpgradeChannel") {
			return false
		}
	}
	if ip := p["identityProfile"]; ip != nil {
		m, ok := ip.(map[string]any)
		k, _ := m["kubeletidentity"].(map[string]any)
		if !ok || len(m) != 1 || len(k) != 3 || k["clientId"] == nil || k["objectId"] == nil || k["resourceId"] == nil {
			return false
		}
	}
	np, ok := p["networkProfile"].(map[string]any)
	if !ok || !onlyKeys(np, "networkPlugin", "networkPluginMode", "networkPolicy", "networkDataplane", "outboundType",
		"serviceCidr", "dnsServiceIP", "podCidr", "loadBalancerSku") || np["networkPlugin"] == nil || np["outboundType"] == nil {
		return false
	}
	if o, ok := p["oidcIssuerProfile"].(map[string]any); !ok || !onlyKeys(o, "enabled") || o["enabled"] == nil {
		return false
	}
	sp, ok := p["securityProfile"].(map[string]any)
	if !ok || !onlyKeys(sp, "workloadIdentity", "imageCleaner") {
		return false
	}
	if wi, ok := sp["workloadIdentity"].(map[string]any); !ok || !onlyKeys(wi, "enabled") || wi["enabled"] == nil {
		return false
	}
	if ic := sp["imageCleaner"]; ic != nil {
		m, ok := ic.(map[string]any)
		if !ok || !onlyKeys(m, "enabled", "intervalHours") || m["enabled"] == nil {
			return false
		}
	}
	return true
}

// pool writes an agent pool's arguments (default_node_pool or a node pool
// resource).
func (w *writer) pool(t *tres, b *hclwrite.Body, p map[string]any, first bool) error {
	if err := w.attrs(t, b, pair{"name", p["name"]}, pair{"vm_size", p["vmSize"]}); err != nil {
		return err
	}
	if !first {
		if err := w.attrs(t, b, pair{"mode", p["mode"]}, pair{"os_type", p["osType"]}); err != nil {
			return err
		}
	}
	if err := w.attrs(t, b, pair{"vnet_subnet_id", p["vnetSubnetID"]}, pair{"pod_subnet_id", p["podSubnetID"]},
		pair{"auto_scaling_enabled", p["enableAutoScaling"]}, pair{"node_count", p["count"]}, pair{"min_count", p["minCount"]},
		pair{"max_count", p["maxCount"]}, pair{"max_pods", p["maxPods"]}, pair{"os_sku", p["osSKU"]},
		pair{"zones", p["availabilityZones"]}); err != nil {
		return err
	}
	if first {
		if len(asList(p["nodeTaints"])) == 1 {
			b.SetAttributeValue("only_critical_addons_enabled", boolv(true))
		}
	} else if err := w.attr(t, b, "node_taints", p["nodeTaints"]); err != nil {
		return err
	}
	if u, ok := p["upgradeSettings"].(map[string]any); ok {
		ub := b.AppendNewBlock("upgrade_settings", nil).Body()
		if err := w.attr(t, ub, "max_surge", u["maxSurge"]); err != nil {
			return err
		}
	}
	return nil
}

func registerAzurermAks(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.containerservice/managedclusters"] = &simple{tf: "azurerm_kubernetes_cluster",
		props: []string{"aadProfile", "addonProfiles", "agentPoolProfiles", "apiServerAccessProfile", "autoUpgradeProfile",
			"disableLocalAccounts", "dnsPrefix", "enableRBAC", "identityProfile", "networkProfile", "oidcIssuerProfile",
			"securityProfile", "kubernetesVersion", "nodeResourceGroup"},
		top:   []string{"sku", "identity"},
		check: aksFits,
		unknowns: map[string]string{
			"oidcissuerprofile.issuerurl":                                  "oidc_issuer_url",
			"identityprofile.kubeletidentity.objectid":                     "kubelet_identity.0.object_id",
			"identityprofile.kubeletidentity.clientid":                     "kubelet_identity.0.client_id",
			"identity.principalid":                                         "identity.0.principal_id",
			"identity.tenantid":                                            "identity.0.tenant_id",
			"addonprofiles.ingressapplicationgateway.identity.objectid":    "ingress_application_gateway.0.ingress_application_gateway_identity.0.object_id",
			"addonprofiles.ingressapplicationgateway.identity.clientid":    "ingress_application_gateway.0.ingress_application_gateway_identity.0.client_id",
			"addonprofiles.azurekeyvaultsecretsprovider.identity.objectid": "key_vault_secrets_provider.0.secret_identity.0.object_id",
			"addonprofiles.azurekeyvaultsecretsprovider.identity.clientid": "key_vault_secrets_provider.0.secret_identity.0.client_id",
			"addonprofiles.omsagent.identity.objectid":                     "oms_agent.0.oms_agent_identity.0.object_id",
			"privatefqdn": "private_fqdn", "fqdn": "fqdn",
		},
		body: writeAKS}
}

func writeAKS(w *writer, t *tres, b *hclwrite.Body) error {
	r := t.r
	p := propsOf(r)
	w.common(t, b, true)
	api := p["apiServerAccessProfile"].(map[string]any)
	if err := w.attrs(t, b, pair{"dns_prefix", p["dnsPrefix"]}, pair{"kubernetes_version", p["kubernetesVersion"]},
		pair{"node_resource_group", p["nodeResourceGroup"]}, pair{"sku_tier", arm.Lookup(r.SKU, "tier")},
		pair{"local_account_disabled", p["disableLocalAccounts"]}, pair{"role_based_access_control_enabled", p["enableRBAC"]},
		pair{"private_cluster_enabled", api["enablePrivateCluster"]},
		pair{"private_cluster_public_fqdn_enabled", api["enablePrivateClusterPublicFQDN"]}); err != nil {
		return err
	}
	// "System" and "None" are private_dns_zone_id's keywords, not IDs.
	if err := w.attr(t, b, "private_dns_zone_id", api["privateDNSZone"]); err != nil {
		return err
	}
	if err := w.attrs(t, b, pair{"oidc_issuer_enabled", r.Prop("oidcIssuerProfile.enabled")},
		pair{"workload_identity_enabled", r.Prop("securityProfile.workloadIdentity.enabled")},
		pair{"image_cleaner_enabled", r.Prop("securityProfile.imageCleaner.enabled")},
		pair{"image_cleaner_interval_hours", r.Prop("securityProfile.imageCleaner.intervalHours")},
		pair{"automatic_upgrade_channel", r.Prop("autoUpgradeProfile.upgradeChannel")},
		pair{"node_os_upgrade_channel", r.Prop("autoUpgradeProfile.nodeOSUpgradeChannel")}); err != nil {
		return err
	}
	addons, _ := p["addonProfiles"].(map[string]any)
	if addons["azurepolicy"] != nil {
		b.SetAttributeValue("azure_policy_enabled", boolv(true))
	}
	if api["authorizedIPRanges"] != nil || api["subnetId"] != nil || api["enableVnetIntegration"] != nil {
		ab := b.AppendNewBlock("api_server_access_profile", nil).Body()
		if err := w.attrs(t, ab, pair{"authorized_ip_ranges", api["authorizedIPRanges"]}, pair{"subnet_id", api["subnetId"]},
			pair{"virtual_network_integration_enabled", api["enableVnetIntegration"]}); err != nil {
			return err
		}
	}
	pools := asList(p["agentPoolProfiles"])
	if err := w.pool(t, b.AppendNewBlock("default_node_pool", nil).Body(), pools[0].(map[string]any), true); err != nil {
		return err
	}
	if err := w.identityBlock(r.Identity, b); err != nil {
		return err
	}
	if k, ok := r.Prop("identityProfile.kubeletidentity").(map[string]any); ok {
		kb := b.AppendNewBlock("kubelet_identity", nil).Body()
		if err := w.attrs(t, kb, pair{"client_id", k["clientId"]}, pair{"object_id", k["objectId"]},
			pair{"user_assigned_identity_id", k["resourceId"]}); err != nil {
			return err
		}
	}
	np := p["networkProfile"].(map[string]any)
	nb := b.AppendNewBlock("network_profile", nil).Body()
	if err := w.attrs(t, nb, pair{"network_plugin", np["networkPlugin"]}, pair{"network_plugin_mode", np["networkPluginMode"]},
		pair{"network_policy", np["networkPolicy"]}, pair{"network_data_plane", np["networkDataplane"]},
		pair{"outbound_type", np["outboundType"]}, pair{"service_cidr", np["serviceCidr"]},
		pair{"dns_service_ip", np["dnsServiceIP"]}, pair{"pod_cidr", np["podCidr"]},
		pair{"load_balancer_sku", np["loadBalancerSku"]}); err != nil {
		return err
	}
	if aad, ok := p["aadProfile"].(map[string]any); ok {
		ab := b.AppendNewBlock("azure_active_directory_role_based_access_control", nil).Body()
		if err := w.attrs(t, ab, pair{"azure_rbac_enabled", aad["enableAzureRBAC"]}, pair{"tenant_id", aad["tenantID"]},
			pair{"admin_group_object_ids", aad["adminGroupObjectIDs"]}); err != nil {
			return err
		}
	}
	if kv, ok := addons["azureKeyvaultSecretsProvider"].(map[string]any); ok {
		cfg, _ := kv["config"].(map[string]any)
		kb := b.AppendNewBlock("key_vault_secrets_provider", nil).Body()
		kb.SetAttributeValue("secret_rotation_enabled", boolv(cfg["enableSecretRotation"] == "true"))
		if err := w.attr(t, kb, "secret_rotation_interval", cfg["rotationPollInterval"]); err != nil {
			return err
		}
	}
	if g, ok := addons["ingressApplicationGateway"].(map[string]any); ok {
		cfg, _ := g["config"].(map[string]any)
		gb := b.AppendNewBlock("ingress_application_gateway", nil).Body()
		if err := w.attrs(t, gb, pair{"gateway_id", cfg["applicationGatewayId"]}, pair{"gateway_name", cfg["applicationGatewayName"]},
			pair{"subnet_id", cfg["subnetId"]}, pair{"subnet_cidr", cfg["subnetCIDR"]}); err != nil {
			return err
		}
	}
	if o, ok := addons["omsagent"].(map[string]any); ok {
		ob := b.AppendNewBlock("oms_agent", nil).Body()
		if err := w.attr(t, ob, "log_analytics_workspace_id", arm.Lookup(o, "config.logAnalyticsWorkspaceResourceID")); err != nil {
			return err
		}
	}
	// azurerm 5.2 requires the node_provisioning_profile block, and one of
	// mode or default_node_pools inside it (AtLeastOneOf in the provider's
	// kubernetes_cluster_resource.go; terraform validate refuses an empty
	// block): "Manual" is AKS's default, what a cluster without
	// nodeProvisioningProfile gets.
	b.AppendNewBlock("node_provisioning_profile", nil).Body().SetAttributeValue("mode", cty.StringVal("Manual"))
	if err := w.tags(r, b); err != nil {
		return err
	}
	for _, x := range pools[1:] {
		pl := x.(map[string]any)
		name, _ := pl["name"].(string)
		pb := w.block(t, "azurerm_kubernetes_cluster_node_pool", t.name+"_"+strings.Trim(nonIdent().ReplaceAllString(strings.ToLower(name), "_"), "_"))
		pb.SetAttributeRaw("kubernetes_cluster_id", traversal(t.typ, t.name, "id"))
		if err := w.pool(t, pb, pl, false); err != nil {
			return err
		}
	}
	return nil
}

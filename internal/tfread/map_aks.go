package tfread

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

const apiAKS = "2026-05-01"

func registerMapAks(mappings map[string]*mapping) {
	mappings["azurerm_kubernetes_cluster"] = &mapping{arm: "Microsoft.ContainerService/managedClusters", api: apiAKS,
		id: simple("Microsoft.ContainerService/managedClusters"),
		unknown: map[string]string{
			"oidc_issuer_url":                              "oidcIssuerProfile.issuerURL",
			"kubelet_identity.0.object_id":                 "identityProfile.kubeletidentity.objectId",
			"kubelet_identity.0.client_id":                 "identityProfile.kubeletidentity.clientId",
			"kubelet_identity.0.user_assigned_identity_id": "identityProfile.kubeletidentity.resourceId",
			"identity.0.principal_id":                      "identity.principalId",
			"identity.0.tenant_id":                         "identity.tenantId",
			"ingress_application_gateway.0.ingress_application_gateway_identity.0.object_id": "addonProfiles.ingressApplicationGateway.identity.objectId",
			"ingress_application_gateway.0.ingress_application_gateway_identity.0.client_id": "addonProfiles.ingressApplicationGateway.identity.clientId",
			"key_vault_secrets_provider.0.secret_identity.0.object_id":                       "addonProfiles.azureKeyvaultSecretsProvider.identity.objectId",
			"key_vault_secrets_provider.0.secret_identity.0.client_id":                       "addonProfiles.azureKeyvaultSecretsProvider.identity.clientId",
			"oms_agent.0.oms_agent_identity.0.object_id":                                     "addonProfiles.omsagent.identity.objectId",
			"private_fqdn": "privateFQDN", "fqdn": "fqdn", "node_resource_group_id": "nodeResourceGroup",
		},
		build: buildAKS}

	mappings["azurerm_kubernetes_cluster_node_pool"] = &mapping{arm: "Microsoft.ContainerService/managedClusters/agentPools", api: apiAKS,
		id: under("kubernetes_cluster_id", "agentPools"),
		build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
			res.Location = ""
			res.Properties = pool(c.a, "User", false)
			delete(res.Properties, "name")
			return nil, nil
		}}
}

func buildAKS(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
	a := c.a
	p := res.Properties
	res.SKU = map[string]any{"name": "Base", "tier": a.strOr("Free", "sku_tier")}
	res.Identity = identity(a)
	if res.Identity == nil {
		if _, sp := a.block("service_principal"); !sp {
			return nil, fmt.Errorf("neither identity nor service_principal is set")
		}
	}
	put(p, "dnsPrefix", a.str("dns_prefix"))
	put(p, "fqdnSubdomain", a.str("dns_prefix_private_cluster"))
	put(p, "kubernetesVersion", a.str("kubernetes_version"))
	put(p, "nodeResourceGroup", a.str("node_resource_group"))
	p["enableRBAC"] = a.boolOr(true, "role_based_access_control_enabled")
	p["disableLocalAccounts"] = a.boolOr(false, "local_account_disabled")

	api := map[string]any{"enablePrivateCluster": a.boolOr(false, "private_cluster_enabled")}
	if api["enablePrivateCluster"] == true {
		api["enablePrivateClusterPublicFQDN"] = a.boolOr(false, "private_cluster_public_fqdn_enabled")
		api["privateDNSZone"] = a.strOr("System", "private_dns_zone_id")
	}
	ranges := a.legacy(kList, "api_server_authorized_ip_ranges")
	if ap, ok := a.block("api_server_access_profile"); ok {
		if r := ap.list("authorized_ip_ranges"); r != nil {
			ranges = r
		}
		put(api, "subnetId", ap.str("subnet_id"))
		put(api, "enableVnetIntegration", ap.bool("virtual_network_integration_enabled"))
	}
	if len(strs(ranges)) > 0 {
		api["authorizedIPRanges"] = ranges
	}
	p["apiServerAccessProfile"] = api

	if k, ok := a.block("kubelet_identity"); ok {
		p["identityProfile"] = map[string]any{"kubeletidentity": map[string]any{"clientId": k.str("client_id"),
			"objectId": k.str("object_id"), "resourceId": k.str("user_assigned_identity_id")}}
	}
	p["oidcIssuerProfile"] = map[string]any{"enabled": a.boolOr(false, "oidc_issuer_enabled")}
	sec := map[string]any{"workloadIdentity": map[string]any{"enabled": a.boolOr(false, "workload_identity_enabled")}}
	if b, ok := a.bool("image_cleaner_enabled").(bool); ok {
		ic := map[string]any{"enabled": b}
		put(ic, "intervalHours", a.num("image_cleaner_interval_hours"))
		sec["imageCleaner"] = ic
	}
	p["securityProfile"] = sec
	up := map[string]any{}
	put(up, "upgradeChannel", a.str("automatic_upgrade_channel"))
	put(up, "nodeOSUpgradeChannel", a.str("node_os_upgrade_channel"))
	if len(up) > 0 {
		p["autoUpgradeProfile"] = up
	}

	np := map[string]any{"networkPlugin": "kubenet", "outboundType": "loadBalancer"}
	if n, ok := a.block("network_profile"); ok {
		np["networkPlugin"] = n.str("network_plugin")
		put(np, "networkPluginMode", n.str("network_plugin_mode"))
		put(np, "networkPolicy", n.str("network_policy"))
		put(np, "networkDataplane", n.str("network_data_plane"))
		if n.legacy(kString, "ebpf_data_plane") == "cilium" {
			np["networkDataplane"] = "cilium"
		}
		np["outboundType"] = n.strOr("loadBalancer", "outbound_type")
		put(np, "serviceCidr", n.str("service_cidr"))
		put(np, "dnsServiceIP", n.str("dns_service_ip"))
		put(np, "podCidr", n.str("pod_cidr"))
		put(np, "dockerBridgeCidr", n.legacy(kString, "docker_bridge_cidr"))
		put(np, "loadBalancerSku", n.str("load_balancer_sku"))
	}
	p["networkProfile"] = np

	addons := map[string]any{}
	if k, ok := a.block("key_vault_secrets_provider"); ok {
		cfg := map[string]any{"enableSecretRotation": fmt.Sprint(k.boolOr(false, "secret_rotation_enabled"))}
		put(cfg, "rotationPollInterval", k.str("secret_rotation_interval"))
		addons["azureKeyvaultSecretsProvider"] = map[string]any{"enabled": true, "config": cfg}
	}
	if g, ok := a.block("ingress_application_gateway"); ok {
		cfg := map[string]any{}
		put(cfg, "applicationGatewayId", g.str("gateway_id"))
		put(cfg, "applicationGatewayName", g.str("gateway_name"))
		put(cfg, "subnetId", g.str("subnet_id"))
		put(cfg, "subnetCIDR", g.str("subnet_cidr"))
		addons["ingressApplicationGateway"] = map[string]any{"enabled": true, "config": cfg}
	}
	if o, ok := a.block("oms_agent"); ok {
		addons["omsagent"] = map[string]any{"enabled": true, "config": map[string]any{"logAnalyticsWorkspaceResourceID": o.str("log_analytics_workspace_id")}}
	}
	if b, _ := a.bool("azure_policy_enabled").(bool); b {
		addons["azurepolicy"] = map[string]any{"enabled": true}
	}
	if b, _ := a.bool("http_application_routing_enabled").(bool); b {
		addons["httpApplicationRouting"] = map[string]any{"enabled": true}
	}
	if len(addons) > 0 {
		p["addonProfiles"] = addons
	}
	if aad, ok := a.block("azure_active_directory_role_based_access_control"); ok {
		m := map[string]any{"managed": true, "enableAzureRBAC": aad.boolOr(false, "azure_rbac_enabled")}
		put(m, "tenantID", aad.str("tenant_id"))
		put(m, "adminGroupObjectIDs", aad.list("admin_group_object_ids"))
		p["aadProfile"] = m
	}
	dnp, ok := a.block("default_node_pool")
	if !ok {
		return nil, fmt.Errorf("default_node_pool is not set")
	}
	sys := pool(dnp, "System", true)
	if b, _ := dnp.bool("only_critical_addons_enabled").(bool); b {
		sys["nodeTaints"] = []any{"CriticalAddonsOnly=true:NoSchedule"}
	}
	p["agentPoolProfiles"] = []any{sys}
	return nil, nil
}

// pool maps a node pool (default_node_pool or a node pool resource).
func pool(a attrs, mode string, dflt bool) map[string]any {
	m := map[string]any{"name": a.str("name"), "mode": mode, "vmSize": a.str("vm_size"), "osType": "Linux", "type": "VirtualMachineScaleSets"}
	if dflt {
		// The default pool is always a Linux system pool; only its type varies.
		m["type"] = a.strOr("VirtualMachineScaleSets", "type")
	} else {
		m["mode"] = a.strOr(mode, "mode")
		m["osType"] = a.strOr("Linux", "os_type")
	}
	put(m, "vnetSubnetID", a.str("vnet_subnet_id"))
	put(m, "podSubnetID", a.str("pod_subnet_id"))
	auto := a.boolOr(false, "auto_scaling_enabled", "enable_auto_scaling")
	m["enableAutoScaling"] = auto
	put(m, "count", a.num("node_count"))
	if m["count"] == nil {
		if mn := a.num("min_count"); mn != nil {
			m["count"] = mn
		} else {
			m["count"] = float64(1)
		}
	}
	put(m, "minCount", a.num("min_count"))
	put(m, "maxCount", a.num("max_count"))
	put(m, "maxPods", a.num("max_pods"))
	put(m, "osSKU", a.str("os_sku"))
	if z := a.list("zones"); z != nil {
		m["availabilityZones"] = z
	} else if z := a.legacy(kList, "availability_zones"); z != nil {
		m["availabilityZones"] = z
	}
	var taints any
	if dflt {
		taints = a.legacy(kList, "node_taints") // 3.x default_node_pool
	} else {
		taints = a.list("node_taints")
	}
	if len(strs(taints)) > 0 {
		m["nodeTaints"] = taints
	}
	if u, ok := a.block("upgrade_settings"); ok {
		put(m, "upgradeSettings", map[string]any{"maxSurge": u.str("max_surge")})
	}
	if s, ok := m["mode"].(string); ok {
		m["mode"] = strings.ToUpper(s[:1]) + s[1:]
	}
	return m
}

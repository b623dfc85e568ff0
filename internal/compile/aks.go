package compile

import "github.com/privaks/privaks/internal/arm"

// aks writes the two cluster identities, their role assignments and the
// private cluster. It returns the cluster and the assignments it must wait
// for.
func (b *builder) aks(workspace string, dnsReady *arm.Resource) *arm.Resource {
	d := b.d
	b.resource(tUAMI, apiIdentity, nIDControl, map[string]any{})
	b.resource(tUAMI, apiIdentity, nIDKubelet, map[string]any{})
	control := uamiPrincipal(nIDControl)
	// A custom private DNS zone needs Private DNS Zone Contributor on the
	// zone and Network Contributor on the VNet (azure-rules.md §1.6); a
	// user-assigned kubelet identity needs Managed Identity Operator.
	ras := []*arm.Resource{
		b.roleAssignment(tZone, []string{b.zoneAKS()}, rolePrivateDNSZoneContrib, control,
			"AKS control plane writes the API server record in the hub-linked zone"),
		b.roleAssignment(tVNet, []string{nSpoke}, roleNetworkContributor, control,
			"AKS control plane joins the node subnet and links its zone to the spoke"),
		b.roleAssignment(tUAMI, []string{nIDKubelet}, roleManagedIdentityOperator, control,
			"AKS control plane assigns the kubelet identity to the nodes"),
	}
	if d.AKSOutboundType == "userDefinedRouting" {
		// A BYO route table on the node subnet: the cluster identity must
		// be able to read (and, for its own routes, write) it.
		ras = append(ras, b.roleAssignment(tRouteTable, []string{nRTSpoke}, roleNetworkContributor, control,
			"AKS control plane reads the node subnet's route table (userDefinedRouting)"))
	}
	b.roleAssignment(tACR, []string{d.RegistryName}, roleAcrPull, uamiPrincipal(nIDKubelet),
		"Nodes pull images from the private registry")

	var pools []any
	for _, p := range d.NodePools {
		pool := map[string]any{
			"name":              p.Name,
			"mode":              p.Mode,
			"vmSize":            p.VMSize,
			"osType":            "Linux",
			"osSKU":             "AzureLinux",
			"type":              "VirtualMachineScaleSets",
			"count":             p.MinCount,
			"enableAutoScaling": true,
			"minCount":          p.MinCount,
			"maxCount":          p.MaxCount,
			"maxPods":           p.MaxPods,
			"vnetSubnetID":      rid(tSubnet, nSpoke, nNodeSub),
			"upgradeSettings":   map[string]any{"maxSurge": itoa(p.MaxSurge)},
		}
		if len(p.Zones) > 0 {
			pool["availabilityZones"] = toAny(p.Zones)
		}
		if len(p.Taints) > 0 {
			pool["nodeTaints"] = toAny(p.Taints)
		}
		pools = append(pools, pool)
	}
	aad := map[string]any{"managed": true, "enableAzureRBAC": true, "tenantID": "[subscription().tenantId]"}
	if len(d.AdminGroupObjectIDs) > 0 {
		aad["adminGroupObjectIDs"] = toAny(d.AdminGroupObjectIDs)
	}
	props := map[string]any{
		"dnsPrefix":            d.DNSPrefix,
		"enableRBAC":           true,
		"disableLocalAccounts": true,
		"aadProfile":           aad,
		"agentPoolProfiles":    pools,
		"apiServerAccessProfile": map[string]any{
			"enablePrivateCluster":           true,
			"privateDNSZone":                 rid(tZone, b.zoneAKS()),
			"enablePrivateClusterPublicFQDN": false,
		},
		"networkProfile": b.networkProfile(),
		"identityProfile": map[string]any{"kubeletidentity": map[string]any{
			"resourceId": rid(tUAMI, nIDKubelet),
			"clientId":   ref(tUAMI, apiIdentity, "clientId", nIDKubelet),
			"objectId":   ref(tUAMI, apiIdentity, "principalId", nIDKubelet),
		}},
		"oidcIssuerProfile": map[string]any{"enabled": true},
		"securityProfile": map[string]any{
			"workloadIdentity": map[string]any{"enabled": true},
			"imageCleaner":     map[string]any{"enabled": true, "intervalHours": 168},
		},
		"addonProfiles": map[string]any{
			"azureKeyvaultSecretsProvider": map[string]any{"enabled": true, "config": map[string]any{
				"enableSecretRotation": "true", "rotationPollInterval": "2m",
			}},
			"ingressApplicationGateway": map[string]any{"enabled": true, "config": map[string]any{
				"applicationGatewayId": rid(tAppGw, nAppGw),
			}},
			"omsagent": map[string]any{"enabled": true, "config": map[string]any{
				"logAnalyticsWorkspaceResourceID": rid(tWorkspace, workspace),
			}},
			"azurepolicy": map[string]any{"enabled": true},
		},
		"autoUpgradeProfile": map[string]any{"upgradeChannel": "stable", "nodeOSUpgradeChannel": "NodeImage"},
	}
	if d.KubernetesVersion != "" {
		props["kubernetesVersion"] = d.KubernetesVersion
	}
	cluster := b.resource(tAKS, apiAKS, d.AKSName, props)
	cluster.SKU = map[string]any{"name": "Base", "tier": "Standard"}
	cluster.Identity = map[string]any{
		"type":                   "UserAssigned",
		"userAssignedIdentities": map[string]any{rid(tUAMI, nIDControl): map[string]any{}},
	}
	// Order: nodes must find the API server through the forwarder, so the
	// cluster waits for both peerings, the zone links, the roles it needs
	// and the DNS readiness check.
	b.dependOn(cluster, ras...)
	b.dependOn(cluster, dnsReady)
	for _, r := range b.resources {
		// With a firewall, nodes need its rules to bootstrap.
		if r.Is(tPeering) || r.Is(tZoneLink) || r.Is(tFirewall) {
			b.dependOn(cluster, r)
		}
	}
	b.agicRoles()
	return cluster
}

// networkProfile is the cluster's network: Azure CNI, in node subnet mode
// or Overlay (networkPluginMode overlay with podCidr), with the azure or
// cilium dataplane and the matching policy engine. Property names and enums
// are those of managedClusters 2026-05-01 (schema in
// testdata/arm-schemas; azure-rules.md §2.8, [S37]).
func (b *builder) networkProfile() map[string]any {
	d := b.d
	np := map[string]any{
		"networkPlugin":   "azure",
		"networkPolicy":   d.NetworkPolicy,
		"serviceCidr":     d.ServiceCIDR.String(),
		"dnsServiceIP":    d.DNSServiceIP.String(),
		"outboundType":    b.aksOutboundType(),
		"loadBalancerSku": "standard",
	}
	if np["networkPolicy"] == "" {
		np["networkPolicy"] = "azure"
	}
	if d.NetworkDataplane == "cilium" {
		np["networkDataplane"] = "cilium" // azure is AKS's default
	}
	if d.NetworkPluginMode == "overlay" {
		np["networkPluginMode"] = "overlay"
		np["podCidr"] = d.PodCIDR.String()
	}
	return np
}

// agicRoles grant the Application Gateway Ingress Controller add-on's
// identity (created by AKS in the node resource group) what it needs:
// Contributor on the gateway, Reader on the resource group, Network
// Contributor on the gateway's subnet (subnets/join/action) and Managed
// Identity Operator on the gateway's identity.
func (b *builder) agicRoles() {
	agic := principal{key: "agic", id: ref(tAKS, apiAKS, "addonProfiles.ingressApplicationGateway.identity.objectId", b.d.AKSName)}
	b.roleAssignment(tAppGw, []string{nAppGw}, roleContributor, agic, "AGIC manages the gateway's listeners and rules")
	b.roleAssignment("", nil, roleReader, agic, "AGIC reads the resource group")
	b.roleAssignment(tSubnet, []string{nSpoke, nAppGwSub}, roleNetworkContributor, agic, "AGIC joins the gateway subnet")
	// AGIC rewrites the whole gateway, its user-assigned identity included:
	// without userAssignedIdentities/assign/action on id-agw every update
	// fails with LinkedAuthorizationFailed (AGIC issues #999, #1413; AGIC
	// docs, "appgw-ssl-certificate").
	b.roleAssignment(tUAMI, []string{nIDAppGw}, roleManagedIdentityOperator, agic, "AGIC keeps the gateway's identity when it updates the gateway")
}

package armschema

// Hand-written fixtures for the non-network types privaks deploys.
// Microsoft.Compute has no 2026-04-01 schema in the shared folder:
// virtualMachines and virtualMachines/extensions use 2026-03-01, the newest.

var otherFixtures = []fixture{
	{
		name: "managedClusters",
		json: `{
  "type": "Microsoft.ContainerService/managedClusters",
  "apiVersion": "2026-05-01",
  "name": "aks-privaks",
  "location": "canadacentral",
  "sku": {"name": "Base", "tier": "Standard"},
  "identity": {
    "type": "UserAssigned",
    "userAssignedIdentities": {"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-aks')]": {}}
  },
  "properties": {
    "kubernetesVersion": "1.33",
    "dnsPrefix": "aks-privaks",
    "nodeResourceGroup": "rg-privaks-nodes",
    "enableRBAC": true,
    "disableLocalAccounts": true,
    "supportPlan": "KubernetesOfficial",
    "aadProfile": {"managed": true, "enableAzureRBAC": true, "tenantID": "[subscription().tenantId]"},
    "apiServerAccessProfile": {
      "enablePrivateCluster": true,
      "privateDNSZone": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.canadacentral.azmk8s.io')]",
      "enablePrivateClusterPublicFQDN": false
    },
    "agentPoolProfiles": [
      {
        "name": "system",
        "mode": "System",
        "count": 3,
        "vmSize": "Standard_D4ds_v5",
        "osType": "Linux",
        "osSKU": "AzureLinux",
        "osDiskType": "Ephemeral",
        "osDiskSizeGB": 128,
        "type": "VirtualMachineScaleSets",
        "availabilityZones": ["1", "2", "3"],
        "enableAutoScaling": true,
        "minCount": 3,
        "maxCount": 5,
        "maxPods": 50,
        "vnetSubnetID": "[variables('nodeSubnetId')]",
        "nodeTaints": ["CriticalAddonsOnly=true:NoSchedule"],
        "upgradeSettings": {"maxSurge": "33%"}
      }
    ],
    "networkProfile": {
      "networkPlugin": "azure",
      "networkPluginMode": "overlay",
      "networkDataplane": "cilium",
      "networkPolicy": "cilium",
      "outboundType": "userDefinedRouting",
      "podCidr": "192.168.0.0/16",
      "serviceCidr": "172.16.0.0/16",
      "dnsServiceIP": "172.16.0.10",
      "loadBalancerSku": "standard"
    },
    "oidcIssuerProfile": {"enabled": true},
    "securityProfile": {"workloadIdentity": {"enabled": true}, "imageCleaner": {"enabled": true, "intervalHours": 48}},
    "addonProfiles": {
      "azureKeyvaultSecretsProvider": {"enabled": true, "config": {"enableSecretRotation": "true"}},
      "omsagent": {"enabled": false}
    },
    "autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"},
    "identityProfile": {
      "kubeletidentity": {
        "resourceId": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-kubelet')]",
        "clientId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-kubelet'), '2024-11-30').clientId]",
        "objectId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-kubelet'), '2024-11-30').principalId]"
      }
    }
  }
}`,
		misspell:   []any{"properties", "agentPoolProfiles", 0, "upgradeSettings", "maxSurge"},
		misspellTo: "maxSurg",
		wrongType:  []any{"properties", "agentPoolProfiles", 0, "vmSize"},
		expression: []any{"properties", "networkProfile"},
	},
	{
		name: "registries",
		json: `{
  "type": "Microsoft.ContainerRegistry/registries",
  "apiVersion": "2025-11-01",
  "name": "acrprivaks",
  "location": "canadacentral",
  "sku": {"name": "Premium"},
  "properties": {
    "adminUserEnabled": false,
    "anonymousPullEnabled": false,
    "dataEndpointEnabled": false,
    "publicNetworkAccess": "Disabled",
    "networkRuleBypassOptions": "AzureServices",
    "zoneRedundancy": "Enabled",
    "policies": {
      "quarantinePolicy": {"status": "disabled"},
      "retentionPolicy": {"days": 15, "status": "enabled"},
      "exportPolicy": {"status": "disabled"}
    }
  }
}`,
		misspell:   []any{"properties", "policies", "retentionPolicy", "days"},
		misspellTo: "day",
		wrongType:  []any{"sku", "name"},
		expression: []any{"properties", "policies"},
	},
	{
		name: "vaults",
		json: `{
  "type": "Microsoft.KeyVault/vaults",
  "apiVersion": "2026-02-01",
  "name": "kv-privaks",
  "location": "canadacentral",
  "properties": {
    "tenantId": "[subscription().tenantId]",
    "sku": {"family": "A", "name": "standard"},
    "enableRbacAuthorization": true,
    "enableSoftDelete": true,
    "softDeleteRetentionInDays": 90,
    "enablePurgeProtection": true,
    "publicNetworkAccess": "Disabled",
    "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []}
  }
}`,
		misspell:   []any{"properties", "networkAcls", "defaultAction"},
		misspellTo: "defaultaction",
		wrongType:  []any{"properties", "sku", "family"},
		expression: []any{"properties", "networkAcls"},
	},
	{
		name: "virtualMachines",
		json: `{
  "type": "Microsoft.Compute/virtualMachines",
  "apiVersion": "2026-03-01",
  "name": "vm-jumpbox",
  "location": "canadacentral",
  "zones": ["1"],
  "identity": {"type": "SystemAssigned"},
  "properties": {
    "hardwareProfile": {"vmSize": "Standard_B2s"},
    "osProfile": {
      "computerName": "jumpbox",
      "adminUsername": "azureuser",
      "linuxConfiguration": {
        "disablePasswordAuthentication": true,
        "ssh": {"publicKeys": [{"path": "/home/azureuser/.ssh/authorized_keys", "keyData": "[parameters('sshPublicKey')]"}]}
      }
    },
    "storageProfile": {
      "imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"},
      "osDisk": {"createOption": "FromImage", "diskSizeGB": 30, "managedDisk": {"storageAccountType": "Premium_LRS"}, "deleteOption": "Delete"}
    },
    "networkProfile": {
      "networkInterfaces": [
        {"id": "[resourceId('Microsoft.Network/networkInterfaces', 'nic-jumpbox')]", "properties": {"primary": true, "deleteOption": "Delete"}}
      ]
    },
    "securityProfile": {"securityType": "TrustedLaunch", "uefiSettings": {"secureBootEnabled": true, "vTpmEnabled": true}},
    "diagnosticsProfile": {"bootDiagnostics": {"enabled": true}}
  }
}`,
		misspell:   []any{"properties", "osProfile", "linuxConfiguration", "ssh", "publicKeys", 0, "keyData"},
		misspellTo: "keydata",
		wrongType:  []any{"properties", "hardwareProfile", "vmSize"},
		expression: []any{"properties", "storageProfile", "imageReference"},
	},
	{
		name: "virtualMachines/extensions",
		json: `{
  "type": "Microsoft.Compute/virtualMachines/extensions",
  "apiVersion": "2026-03-01",
  "name": "vm-jumpbox/install-tools",
  "location": "canadacentral",
  "properties": {
    "publisher": "Microsoft.Azure.Extensions",
    "type": "CustomScript",
    "typeHandlerVersion": "2.1",
    "autoUpgradeMinorVersion": true,
    "settings": {"fileUris": ["https://raw.githubusercontent.com/privaks/privaks/main/scripts/jumpbox.sh"]},
    "protectedSettings": {"commandToExecute": "bash jumpbox.sh", "storageAccountName": "", "storageAccountKey": ""}
  }
}`,
		misspell:   []any{"properties", "autoUpgradeMinorVersion"},
		misspellTo: "autoUpgradeMinorVersions",
		wrongType:  []any{"properties", "typeHandlerVersion"},
		expression: []any{"properties", "protectedSettings"},
	},
	{
		name: "userAssignedIdentities",
		json: `{
  "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
  "apiVersion": "2024-11-30",
  "name": "id-aks",
  "location": "canadacentral",
  "tags": {"workload": "aks"},
  "properties": {"isolationScope": "None"}
}`,
		misspell:   []any{"properties", "isolationScope"},
		misspellTo: "isolationscope",
		wrongType:  []any{"tags", "workload"},
		expression: []any{"tags"},
	},
	{
		name: "userAssignedIdentities/federatedIdentityCredentials",
		json: `{
  "type": "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
  "apiVersion": "2024-11-30",
  "name": "id-workload/fic-aks",
  "dependsOn": ["[resourceId('Microsoft.ContainerService/managedClusters', 'aks-privaks')]"],
  "properties": {
    "issuer": "[reference(resourceId('Microsoft.ContainerService/managedClusters', 'aks-privaks'), '2026-05-01').oidcIssuerProfile.issuerURL]",
    "subject": "system:serviceaccount:app:workload",
    "audiences": ["api://AzureADTokenExchange"]
  }
}`,
		misspell:   []any{"properties", "audiences"},
		misspellTo: "audience",
		wrongType:  []any{"properties", "audiences", 0},
		expression: []any{"properties"},
	},
	{
		name: "roleAssignments",
		json: `{
  "type": "Microsoft.Authorization/roleAssignments",
  "apiVersion": "2022-04-01",
  "name": "[guid(resourceId('Microsoft.ContainerRegistry/registries', 'acrprivaks'), 'id-kubelet', 'AcrPull')]",
  "scope": "[resourceId('Microsoft.ContainerRegistry/registries', 'acrprivaks')]",
  "properties": {
    "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')]",
    "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-kubelet'), '2024-11-30').principalId]",
    "principalType": "ServicePrincipal",
    "description": "kubelet pulls images"
  }
}`,
		misspell:   []any{"properties", "principalType"},
		misspellTo: "principleType",
		wrongType:  []any{"scope"},
		expression: []any{"properties"},
	},
}

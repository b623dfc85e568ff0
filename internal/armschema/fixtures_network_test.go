package armschema

// Hand-written fixtures for Microsoft.Network types. Microsoft.Network has no
// 2025-09-01 schema in the shared folder: 2025-07-01 is the newest there.

var networkFixtures = []fixture{
	{
		name: "virtualNetworks",
		json: `{
  "type": "Microsoft.Network/virtualNetworks",
  "apiVersion": "2025-07-01",
  "name": "vnet-spoke",
  "location": "[parameters('location')]",
  "tags": {"workload": "aks"},
  "dependsOn": ["[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aks')]"],
  "properties": {
    "addressSpace": {"addressPrefixes": ["10.240.0.0/16"]},
    "dhcpOptions": {"dnsServers": ["10.200.0.4"]},
    "enableDdosProtection": false,
    "subnets": [
      {
        "name": "snet-aks-nodes",
        "properties": {
          "addressPrefix": "10.240.0.0/22",
          "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-aks')]"},
          "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt-egress')]"},
          "privateEndpointNetworkPolicies": "Disabled",
          "privateLinkServiceNetworkPolicies": "Enabled",
          "defaultOutboundAccess": false,
          "serviceEndpoints": [{"service": "Microsoft.KeyVault"}]
        }
      },
      {
        "name": "snet-dns-inbound",
        "properties": {
          "addressPrefixes": ["10.240.8.0/28"],
          "defaultOutboundAccess": false,
          "delegations": [
            {"name": "dnsresolvers", "properties": {"serviceName": "Microsoft.Network/dnsResolvers"}}
          ]
        }
      }
    ]
  }
}`,
		misspell:   []any{"properties", "subnets", 1, "properties", "delegations", 0, "properties", "serviceName"},
		misspellTo: "servicename",
		wrongType:  []any{"properties", "subnets", 0, "properties", "addressPrefix"},
		expression: []any{"properties", "subnets", 0, "properties", "networkSecurityGroup"},
	},
	{
		name: "virtualNetworkPeerings",
		json: `{
  "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
  "apiVersion": "2025-07-01",
  "name": "vnet-spoke/to-hub",
  "properties": {
    "remoteVirtualNetwork": {"id": "[parameters('hubVnetId')]"},
    "allowVirtualNetworkAccess": true,
    "allowForwardedTraffic": true,
    "allowGatewayTransit": false,
    "useRemoteGateways": false
  }
}`,
		misspell:   []any{"properties", "allowForwardedTraffic"},
		misspellTo: "allowForwardTraffic",
		wrongType:  []any{"name"},
		expression: []any{"properties", "remoteVirtualNetwork"},
	},
	{
		name: "networkSecurityGroups",
		json: `{
  "type": "Microsoft.Network/networkSecurityGroups",
  "apiVersion": "2025-07-01",
  "name": "nsg-aks",
  "location": "canadacentral",
  "properties": {
    "securityRules": [
      {
        "name": "AllowHttpsFromAppGw",
        "properties": {
          "protocol": "Tcp",
          "sourcePortRange": "*",
          "destinationPortRanges": ["443"],
          "sourceAddressPrefix": "10.240.4.0/24",
          "destinationAddressPrefix": "VirtualNetwork",
          "access": "Allow",
          "priority": 100,
          "direction": "Inbound"
        }
      },
      {
        "name": "DenyAllInbound",
        "properties": {
          "protocol": "*",
          "sourcePortRange": "*",
          "destinationPortRange": "*",
          "sourceAddressPrefix": "*",
          "destinationAddressPrefix": "*",
          "access": "Deny",
          "priority": 4096,
          "direction": "Inbound"
        }
      }
    ]
  }
}`,
		misspell:   []any{"properties", "securityRules", 0, "properties", "destinationPortRanges"},
		misspellTo: "destinationPortRangez",
		wrongType:  []any{"properties", "securityRules", 1, "properties", "sourceAddressPrefix"},
		expression: []any{"properties", "securityRules", 0},
	},
	{
		name: "privateEndpoints",
		json: `{
  "type": "Microsoft.Network/privateEndpoints",
  "apiVersion": "2025-07-01",
  "name": "pe-kv",
  "location": "canadacentral",
  "properties": {
    "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-spoke', 'snet-pe')]"},
    "customNetworkInterfaceName": "nic-pe-kv",
    "privateLinkServiceConnections": [
      {
        "name": "kv",
        "properties": {
          "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv-aks')]",
          "groupIds": ["vault"]
        }
      }
    ]
  }
}`,
		misspell:   []any{"properties", "privateLinkServiceConnections", 0, "properties", "groupIds"},
		misspellTo: "groupIDs",
		wrongType:  []any{"properties", "customNetworkInterfaceName"},
		expression: []any{"properties", "subnet"},
	},
	{
		name: "privateDnsZoneGroups",
		json: `{
  "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
  "apiVersion": "2025-07-01",
  "name": "pe-kv/default",
  "properties": {
    "privateDnsZoneConfigs": [
      {
        "name": "privatelink-vaultcore-azure-net",
        "properties": {"privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net')]"}
      }
    ]
  }
}`,
		misspell:   []any{"properties", "privateDnsZoneConfigs", 0, "properties", "privateDnsZoneId"},
		misspellTo: "privateDnsZoneID",
		wrongType:  []any{"properties", "privateDnsZoneConfigs", 0, "name"},
		expression: []any{"properties", "privateDnsZoneConfigs", 0, "properties"},
	},
	{
		name: "publicIPAddresses",
		json: `{
  "type": "Microsoft.Network/publicIPAddresses",
  "apiVersion": "2025-07-01",
  "name": "pip-bastion",
  "location": "canadacentral",
  "sku": {"name": "Standard", "tier": "Regional"},
  "zones": ["1", "2", "3"],
  "properties": {
    "publicIPAllocationMethod": "Static",
    "publicIPAddressVersion": "IPv4",
    "idleTimeoutInMinutes": 4,
    "dnsSettings": {"domainNameLabel": "bastion-privaks"}
  }
}`,
		misspell:   []any{"properties", "dnsSettings", "domainNameLabel"},
		misspellTo: "domainNameLable",
		wrongType:  []any{"zones", 0},
		expression: []any{"sku"},
	},
	{
		name: "bastionHosts",
		json: `{
  "type": "Microsoft.Network/bastionHosts",
  "apiVersion": "2025-07-01",
  "name": "bas-hub",
  "location": "canadacentral",
  "sku": {"name": "Standard"},
  "properties": {
    "enableTunneling": true,
    "enableIpConnect": false,
    "disableCopyPaste": true,
    "scaleUnits": 2,
    "ipConfigurations": [
      {
        "name": "ipconfig",
        "properties": {
          "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-hub', 'AzureBastionSubnet')]"},
          "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-bastion')]"},
          "privateIPAllocationMethod": "Dynamic"
        }
      }
    ]
  }
}`,
		misspell:   []any{"properties", "ipConfigurations", 0, "properties", "publicIPAddress"},
		misspellTo: "publicIpAddress",
		wrongType:  []any{"properties", "ipConfigurations", 0, "name"},
		expression: []any{"properties", "ipConfigurations", 0, "properties", "publicIPAddress"},
	},
	{
		name: "applicationGateways",
		json: `{
  "type": "Microsoft.Network/applicationGateways",
  "apiVersion": "2025-07-01",
  "name": "agw-aks",
  "location": "canadacentral",
  "zones": ["1", "2", "3"],
  "identity": {
    "type": "UserAssigned",
    "userAssignedIdentities": {"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-agw')]": {}}
  },
  "properties": {
    "sku": {"name": "WAF_v2", "tier": "WAF_v2"},
    "autoscaleConfiguration": {"minCapacity": 1, "maxCapacity": 3},
    "firewallPolicy": {"id": "[resourceId('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'waf-aks')]"},
    "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"},
    "gatewayIPConfigurations": [
      {"name": "gw-ip", "properties": {"subnet": {"id": "[variables('agwSubnetId')]"}}}
    ],
    "frontendIPConfigurations": [
      {"name": "fe-private", "properties": {"privateIPAllocationMethod": "Static", "privateIPAddress": "10.240.4.10", "subnet": {"id": "[variables('agwSubnetId')]"}}}
    ],
    "frontendPorts": [{"name": "port-443", "properties": {"port": 443}}],
    "sslCertificates": [{"name": "wildcard", "properties": {"keyVaultSecretId": "[parameters('certSecretId')]"}}],
    "backendAddressPools": [{"name": "aks-ingress", "properties": {"backendAddresses": [{"ipAddress": "10.240.0.250"}]}}],
    "backendHttpSettingsCollection": [
      {"name": "https", "properties": {"port": 443, "protocol": "Https", "cookieBasedAffinity": "Disabled", "pickHostNameFromBackendAddress": false, "hostName": "app.contoso.internal", "requestTimeout": 20, "probe": {"id": "[resourceId('Microsoft.Network/applicationGateways/probes', 'agw-aks', 'probe-https')]"}}}
    ],
    "probes": [
      {"name": "probe-https", "properties": {"protocol": "Https", "host": "app.contoso.internal", "path": "/healthz", "interval": 30, "timeout": 30, "unhealthyThreshold": 3, "match": {"statusCodes": ["200-399"]}}}
    ],
    "httpListeners": [
      {"name": "listener-443", "properties": {
        "frontendIPConfiguration": {"id": "[resourceId('Microsoft.Network/applicationGateways/frontendIPConfigurations', 'agw-aks', 'fe-private')]"},
        "frontendPort": {"id": "[resourceId('Microsoft.Network/applicationGateways/frontendPorts', 'agw-aks', 'port-443')]"},
        "protocol": "Https",
        "sslCertificate": {"id": "[resourceId('Microsoft.Network/applicationGateways/sslCertificates', 'agw-aks', 'wildcard')]"},
        "hostNames": ["app.contoso.com"],
        "requireServerNameIndication": true
      }}
    ],
    "requestRoutingRules": [
      {"name": "rule-443", "properties": {
        "ruleType": "Basic",
        "priority": 100,
        "httpListener": {"id": "[resourceId('Microsoft.Network/applicationGateways/httpListeners', 'agw-aks', 'listener-443')]"},
        "backendAddressPool": {"id": "[resourceId('Microsoft.Network/applicationGateways/backendAddressPools', 'agw-aks', 'aks-ingress')]"},
        "backendHttpSettings": {"id": "[resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', 'agw-aks', 'https')]"}
      }}
    ],
    "enableHttp2": false
  }
}`,
		misspell:   []any{"properties", "requestRoutingRules", 0, "properties", "backendHttpSettings"},
		misspellTo: "backendHttpSetting",
		wrongType:  []any{"properties", "probes", 0, "properties", "path"},
		expression: []any{"properties", "autoscaleConfiguration"},
	},
	{
		name: "ApplicationGatewayWebApplicationFirewallPolicies",
		json: `{
  "type": "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
  "apiVersion": "2025-07-01",
  "name": "waf-aks",
  "location": "canadacentral",
  "properties": {
    "policySettings": {"state": "Enabled", "mode": "Prevention", "requestBodyCheck": true, "maxRequestBodySizeInKb": 128, "fileUploadLimitInMb": 100},
    "managedRules": {
      "managedRuleSets": [
        {"ruleSetType": "OWASP", "ruleSetVersion": "3.2"},
        {"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.0"}
      ],
      "exclusions": []
    },
    "customRules": [
      {
        "name": "BlockBadBots",
        "priority": 10,
        "ruleType": "MatchRule",
        "action": "Block",
        "matchConditions": [
          {"matchVariables": [{"variableName": "RequestHeaders", "selector": "User-Agent"}], "operator": "Contains", "matchValues": ["evilbot"], "transforms": ["Lowercase"]}
        ]
      }
    ]
  }
}`,
		misspell:   []any{"properties", "customRules", 0, "matchConditions", 0, "matchVariables", 0, "selector"},
		misspellTo: "selectr",
		wrongType:  []any{"properties", "managedRules", "managedRuleSets", 0, "ruleSetVersion"},
		expression: []any{"properties", "policySettings"},
	},
	{
		name: "networkInterfaces",
		json: `{
  "type": "Microsoft.Network/networkInterfaces",
  "apiVersion": "2025-07-01",
  "name": "nic-jumpbox",
  "location": "canadacentral",
  "properties": {
    "enableAcceleratedNetworking": true,
    "ipConfigurations": [
      {
        "name": "ipconfig1",
        "properties": {
          "primary": true,
          "privateIPAllocationMethod": "Dynamic",
          "subnet": {"id": "[variables('jumpboxSubnetId')]"}
        }
      }
    ]
  }
}`,
		misspell:   []any{"properties", "ipConfigurations", 0, "properties", "privateIPAllocationMethod"},
		misspellTo: "privateIpAllocationMethod",
		wrongType:  []any{"location"},
		expression: []any{"properties", "ipConfigurations", 0, "properties", "subnet"},
	},
	{
		name: "natGateways",
		json: `{
  "type": "Microsoft.Network/natGateways",
  "apiVersion": "2025-07-01",
  "name": "ng-egress",
  "location": "canadacentral",
  "sku": {"name": "Standard"},
  "zones": ["1"],
  "properties": {
    "idleTimeoutInMinutes": 4,
    "publicIpAddresses": [{"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-ng')]"}]
  }
}`,
		misspell:   []any{"properties", "idleTimeoutInMinutes"},
		misspellTo: "idleTimeoutMinutes",
		wrongType:  []any{"properties", "publicIpAddresses", 0, "id"},
		expression: []any{"properties", "publicIpAddresses", 0},
	},
	{
		name: "routeTables",
		json: `{
  "type": "Microsoft.Network/routeTables",
  "apiVersion": "2025-07-01",
  "name": "rt-egress",
  "location": "canadacentral",
  "properties": {
    "disableBgpRoutePropagation": true,
    "routes": [
      {"name": "default-via-firewall", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.200.0.4"}}
    ]
  }
}`,
		misspell:   []any{"properties", "routes", 0, "properties", "nextHopIpAddress"},
		misspellTo: "nextHopIPAddress",
		wrongType:  []any{"properties", "routes", 0, "properties", "addressPrefix"},
		expression: []any{"properties", "routes", 0, "properties"},
	},
	{
		name: "privateDnsZones",
		json: `{
  "type": "Microsoft.Network/privateDnsZones",
  "apiVersion": "2024-06-01",
  "name": "privatelink.canadacentral.azmk8s.io",
  "location": "global",
  "tags": "[parameters('tags')]",
  "properties": {}
}`,
		misspell:   []any{"location"},
		misspellTo: "locaton",
		wrongType:  []any{"name"},
		expression: []any{"properties"},
	},
	{
		name: "privateDnsZones/virtualNetworkLinks",
		json: `{
  "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
  "apiVersion": "2024-06-01",
  "name": "privatelink.vaultcore.azure.net/link-spoke",
  "location": "global",
  "properties": {
    "registrationEnabled": false,
    "resolutionPolicy": "NxDomainRedirect",
    "virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-spoke')]"}
  }
}`,
		misspell:   []any{"properties", "virtualNetwork", "id"},
		misspellTo: "ID",
		wrongType:  []any{"properties", "virtualNetwork", "id"},
		expression: []any{"properties", "virtualNetwork"},
	},
}

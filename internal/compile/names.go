package compile

import "github.com/privaks/privaks/internal/conventions"

// Resource types privaks writes.
const (
	tVNet       = "Microsoft.Network/virtualNetworks"
	tSubnet     = "Microsoft.Network/virtualNetworks/subnets"
	tPeering    = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	tNSG        = "Microsoft.Network/networkSecurityGroups"
	tPIP        = "Microsoft.Network/publicIPAddresses"
	tNAT        = "Microsoft.Network/natGateways"
	tNIC        = "Microsoft.Network/networkInterfaces"
	tBastion    = "Microsoft.Network/bastionHosts"
	tAppGw      = "Microsoft.Network/applicationGateways"
	tWAFPolicy  = "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"
	tPE         = "Microsoft.Network/privateEndpoints"
	tZoneGroup  = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
	tZone       = "Microsoft.Network/privateDnsZones"
	tZoneLink   = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	tVM         = "Microsoft.Compute/virtualMachines"
	tVMExt      = "Microsoft.Compute/virtualMachines/extensions"
	tACR        = "Microsoft.ContainerRegistry/registries"
	tVault      = "Microsoft.KeyVault/vaults"
	tSecret     = "Microsoft.KeyVault/vaults/secrets"
	tAKS        = "Microsoft.ContainerService/managedClusters"
	tUAMI       = "Microsoft.ManagedIdentity/userAssignedIdentities"
	tFIC        = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"
	tRole       = "Microsoft.Authorization/roleAssignments"
	tRoleDef    = "Microsoft.Authorization/roleDefinitions"
	tWorkspace  = "Microsoft.OperationalInsights/workspaces"
	tDeployment = "Microsoft.Resources/deployments"
)

// Fixed names of the reference design's resources. Names that must be
// globally unique (registry, vault) come from the design.
const (
	nHub        = "vnet-hub"
	nSpoke      = "vnet-aks"
	nBastionSub = "AzureBastionSubnet" // the name Azure requires
	nDNSSub     = "snet-dns"
	nAgentSub   = "snet-agents"
	nPESub      = "snet-pe"
	nNodeSub    = "snet-nodes"
	nAppGwSub   = "snet-appgw"
	nHubToSpoke = "peer-hub-to-aks"
	nSpokeToHub = "peer-aks-to-hub"
	nNAT        = "ng-hub"
	nPIPNAT     = "pip-ng-hub"
	nPIPBastion = "pip-bastion"
	nPIPAppGw   = "pip-appgw"
	nBastion    = "bas-hub"
	nDNSVM      = "vm-dns"
	nAgentVM    = "vm-agent"
	nDNSReady   = "dns-ready"
	nAppGw      = "agw-aks"
	nWAF        = "waf-aks"
	nPEACR      = "pe-acr"
	nPEKV       = "pe-kv"
	nIDControl  = "id-aks-control"
	nIDKubelet  = "id-aks-kubelet"
	nZoneGroup  = "default"
	nFEPublic   = "fe-public"
	nFEPrivate  = "fe-private"
	nPortHTTPS  = "port-443"
	nPortHTTP   = "port-80"
	nCert       = "tls-default"
	nIDAppGw    = "id-agw"
)

// Frontend ports of the Application Gateway (package conventions): HTTPS
// on both frontends, HTTP only to redirect to it.
const (
	HTTPSPort = conventions.HTTPSPort
	HTTPPort  = conventions.HTTPPort
)

func nsgName(subnet string) string { return "nsg-" + subnet }
func nicName(vm string) string     { return "nic-" + vm }

// AzureDNS is the Azure DNS virtual server.
const AzureDNS = "168.63.129.16"

package spec

// APIVersion is the only spec version this build reads.
const APIVersion = "privaks.dev/v1alpha1"

// Kind is the document kind of a landing-zone spec.
const Kind = "LandingZone"

// File is the user's landing-zone spec as written in YAML. Strings hold
// addresses and durations so that errors can point at the exact field; the
// compiler reads the validated Design (see design.go), never these strings.
type File struct {
	APIVersion string     `yaml:"apiVersion" json:"apiVersion"`
	Kind       string     `yaml:"kind" json:"kind"`
	Name       string     `yaml:"name" json:"name"`
	Region     string     `yaml:"region,omitempty" json:"region,omitempty"`
	Network    Network    `yaml:"network,omitempty" json:"network,omitempty"`
	DNS        DNS        `yaml:"dns,omitempty" json:"dns,omitempty"`
	AKS        AKS        `yaml:"aks,omitempty" json:"aks,omitempty"`
	Registry   Registry   `yaml:"registry,omitempty" json:"registry,omitempty"`
	KeyVault   KeyVault   `yaml:"keyVault,omitempty" json:"keyVault,omitempty"`
	AppGateway AppGateway `yaml:"appGateway,omitempty" json:"appGateway,omitempty"`
	VMs        VMs        `yaml:"vms,omitempty" json:"vms,omitempty"`
	Agent      Agent      `yaml:"agent,omitempty" json:"agent,omitempty"`
	Workloads  []Workload `yaml:"workloads,omitempty" json:"workloads,omitempty"`
	Rules      Rules      `yaml:"rules,omitempty" json:"rules,omitempty"`
	Egress     Egress     `yaml:"egress,omitempty" json:"egress,omitempty"`
	Intents    []Intent   `yaml:"intents,omitempty" json:"intents,omitempty"`
}

// Intent is a path the user wants proved in addition to the ones privaks
// derives: from a client (a VM, a node pool cluster/pool, a bastion, or
// "workload <name>") to a name or resource with an optional port.
type Intent struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	// Expect is reachable (default) or blocked.
	Expect string `yaml:"expect,omitempty" json:"expect,omitempty"`
}

// Egress chooses how the landing zone reaches the Internet. Subnets are
// private by default (Network API 2025-07-01), so every VM and node needs an
// explicit outbound method.
type Egress struct {
	// Mode is natGateway (default: a NAT gateway on the hub VM subnets) or
	// firewall (Azure Firewall in the hub, routes sending 0.0.0.0/0 to it,
	// allow rules for exactly what the design needs).
	Mode string `yaml:"mode,omitempty" json:"mode,omitempty"`
	// AKSOutboundType is the cluster's outboundType: loadBalancer
	// (default with natGateway), natGateway (a NAT gateway on the node
	// subnet), or userDefinedRouting (required, and the default, with
	// firewall).
	AKSOutboundType string `yaml:"aksOutboundType,omitempty" json:"aksOutboundType,omitempty"`
}

// Rules configures privaks check.
type Rules struct {
	// Disabled turns rules off, each with the reason a reviewer will read.
	Disabled []DisabledRule `yaml:"disabled,omitempty" json:"disabled,omitempty"`
}

// DisabledRule is one rule turned off.
type DisabledRule struct {
	ID     string `yaml:"id" json:"id"`
	Reason string `yaml:"reason" json:"reason"`
}

// Network is the address plan. Unset subnets are carved from the address
// spaces by the defaults (see defaults.go).
type Network struct {
	Hub        Hub      `yaml:"hub,omitempty" json:"hub,omitempty"`
	Spoke      Spoke    `yaml:"spoke,omitempty" json:"spoke,omitempty"`
	OnPremises []string `yaml:"onPremises,omitempty" json:"onPremises,omitempty"`
}

// Hub is the hub VNet.
type Hub struct {
	AddressSpace string     `yaml:"addressSpace,omitempty" json:"addressSpace,omitempty"`
	Subnets      HubSubnets `yaml:"subnets,omitempty" json:"subnets,omitempty"`
}

// HubSubnets are the hub's subnets.
type HubSubnets struct {
	Bastion          string `yaml:"bastion,omitempty" json:"bastion,omitempty"`
	DNS              string `yaml:"dns,omitempty" json:"dns,omitempty"`
	Agents           string `yaml:"agents,omitempty" json:"agents,omitempty"`
	PrivateEndpoints string `yaml:"privateEndpoints,omitempty" json:"privateEndpoints,omitempty"`
	// Firewall is AzureFirewallSubnet, used with egress.mode firewall.
	Firewall string `yaml:"firewall,omitempty" json:"firewall,omitempty"`
}

// Spoke is the AKS spoke VNet.
type Spoke struct {
	AddressSpace string       `yaml:"addressSpace,omitempty" json:"addressSpace,omitempty"`
	Subnets      SpokeSubnets `yaml:"subnets,omitempty" json:"subnets,omitempty"`
}

// SpokeSubnets are the spoke's subnets.
type SpokeSubnets struct {
	Nodes      string `yaml:"nodes,omitempty" json:"nodes,omitempty"`
	AppGateway string `yaml:"appGateway,omitempty" json:"appGateway,omitempty"`
}

// DNS configures the forwarder VM.
type DNS struct {
	ForwarderIP      string   `yaml:"forwarderIP,omitempty" json:"forwarderIP,omitempty"`
	Upstream         []string `yaml:"upstream,omitempty" json:"upstream,omitempty"`
	NegativeCacheTTL string   `yaml:"negativeCacheTTL,omitempty" json:"negativeCacheTTL,omitempty"`
}

// AKS is the private cluster.
type AKS struct {
	Name                string     `yaml:"name,omitempty" json:"name,omitempty"`
	DNSPrefix           string     `yaml:"dnsPrefix,omitempty" json:"dnsPrefix,omitempty"`
	KubernetesVersion   string     `yaml:"kubernetesVersion,omitempty" json:"kubernetesVersion,omitempty"`
	ServiceCIDR         string     `yaml:"serviceCIDR,omitempty" json:"serviceCIDR,omitempty"`
	DNSServiceIP        string     `yaml:"dnsServiceIP,omitempty" json:"dnsServiceIP,omitempty"`
	AdminGroupObjectIDs []string   `yaml:"adminGroupObjectIDs,omitempty" json:"adminGroupObjectIDs,omitempty"`
	NodePools           []NodePool `yaml:"nodePools,omitempty" json:"nodePools,omitempty"`
	// NetworkPluginMode is empty (Azure CNI, pods take node subnet
	// addresses) or overlay (Azure CNI Overlay: pods take addresses from
	// PodCIDR, outside the VNet; only nodes use subnet addresses).
	NetworkPluginMode string `yaml:"networkPluginMode,omitempty" json:"networkPluginMode,omitempty"`
	// PodCIDR is the overlay pod range (default 10.244.0.0/16); each node
	// takes a /24 of it.
	PodCIDR string `yaml:"podCIDR,omitempty" json:"podCIDR,omitempty"`
	// NetworkDataplane is azure (default) or cilium (Azure CNI Powered by
	// Cilium).
	NetworkDataplane string `yaml:"networkDataplane,omitempty" json:"networkDataplane,omitempty"`
	// NetworkPolicy is azure (default with the azure dataplane), cilium
	// (the only one, and the default, with the cilium dataplane), calico
	// or none.
	NetworkPolicy string `yaml:"networkPolicy,omitempty" json:"networkPolicy,omitempty"`
}

// NodePool is one AKS agent pool.
type NodePool struct {
	Name     string   `yaml:"name" json:"name"`
	Mode     string   `yaml:"mode,omitempty" json:"mode,omitempty"`
	VMSize   string   `yaml:"vmSize,omitempty" json:"vmSize,omitempty"`
	MinCount int      `yaml:"minCount,omitempty" json:"minCount,omitempty"`
	MaxCount int      `yaml:"maxCount,omitempty" json:"maxCount,omitempty"`
	MaxPods  int      `yaml:"maxPods,omitempty" json:"maxPods,omitempty"`
	MaxSurge int      `yaml:"maxSurge,omitempty" json:"maxSurge,omitempty"`
	Zones    []string `yaml:"zones,omitempty" json:"zones,omitempty"`
	Taints   []string `yaml:"taints,omitempty" json:"taints,omitempty"`
}

// Registry is the Azure Container Registry.
type Registry struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// KeyVault is the vault workloads read secrets from.
type KeyVault struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// AppGateway is the WAF_v2 gateway with a public and a private frontend.
type AppGateway struct {
	PrivateIP   string `yaml:"privateIP,omitempty" json:"privateIP,omitempty"`
	MinCapacity int    `yaml:"minCapacity,omitempty" json:"minCapacity,omitempty"`
	MaxCapacity int    `yaml:"maxCapacity,omitempty" json:"maxCapacity,omitempty"`
	WAFMode     string `yaml:"wafMode,omitempty" json:"wafMode,omitempty"`
	// TLSCertificate is the name of the Key Vault certificate (in the
	// landing zone's vault) the HTTPS listeners present; the user imports
	// or issues it (docs/deploy.md). Default appgw-tls.
	TLSCertificate string `yaml:"tlsCertificate,omitempty" json:"tlsCertificate,omitempty"`
}

// VMs holds settings shared by the DNS forwarder and agent VMs.
type VMs struct {
	AdminUsername string `yaml:"adminUsername,omitempty" json:"adminUsername,omitempty"`
	SSHPublicKey  string `yaml:"sshPublicKey,omitempty" json:"sshPublicKey,omitempty"`
	Size          string `yaml:"size,omitempty" json:"size,omitempty"`
}

// Agent is the self-hosted CI agent.
type Agent struct {
	Kind            string   `yaml:"kind,omitempty" json:"kind,omitempty"`
	URL             string   `yaml:"url,omitempty" json:"url,omitempty"`
	Pool            string   `yaml:"pool,omitempty" json:"pool,omitempty"`
	Labels          []string `yaml:"labels,omitempty" json:"labels,omitempty"`
	TokenSecretName string   `yaml:"tokenSecretName,omitempty" json:"tokenSecretName,omitempty"`
}

// Workload is an application whose pods read Key Vault secrets through
// their own managed identity (Microsoft Entra Workload ID).
type Workload struct {
	Name           string   `yaml:"name" json:"name"`
	Namespace      string   `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	ServiceAccount string   `yaml:"serviceAccount,omitempty" json:"serviceAccount,omitempty"`
	Secrets        []string `yaml:"secrets,omitempty" json:"secrets,omitempty"`
	Exposure       string   `yaml:"exposure,omitempty" json:"exposure,omitempty"`
	// Host is the host name the workload's listener answers (public or
	// private exposure); the TLS certificate must cover it. Default
	// <name>.<landing zone name>.internal.
	Host  string `yaml:"host,omitempty" json:"host,omitempty"`
	Image string `yaml:"image,omitempty" json:"image,omitempty"`
}

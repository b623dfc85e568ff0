package spec

import (
	"net/netip"
	"time"
)

// Design is a validated, defaulted spec with typed values: what the compiler
// reads. Build one with Load or Default; the zero Design is not valid.
type Design struct {
	Name   string
	Region string

	HubSpace, SpokeSpace netip.Prefix
	BastionSubnet        netip.Prefix
	DNSSubnet            netip.Prefix
	AgentSubnet          netip.Prefix
	PrivateEndpoints     netip.Prefix
	FirewallSubnet       netip.Prefix // valid only with egress firewall
	NodeSubnet           netip.Prefix
	AppGwSubnet          netip.Prefix
	OnPremises           []netip.Prefix

	ForwarderIP      netip.Addr
	Upstream         []netip.Addr
	NegativeCacheTTL time.Duration

	AKSName             string
	DNSPrefix           string
	KubernetesVersion   string
	ServiceCIDR         netip.Prefix
	DNSServiceIP        netip.Addr
	AdminGroupObjectIDs []string
	NodePools           []NodePool
	// NetworkPluginMode is "" (Azure CNI, node subnet) or overlay, with
	// PodCIDR; NetworkDataplane azure or cilium; NetworkPolicy azure,
	// cilium, calico or none.
	NetworkPluginMode string
	PodCIDR           netip.Prefix
	NetworkDataplane  string
	NetworkPolicy     string

	RegistryName string
	KeyVaultName string

	AppGwPrivateIP netip.Addr
	AppGwMin       int
	AppGwMax       int
	WAFMode        string
	// TLSCertificate is the Key Vault certificate the HTTPS listeners
	// present.
	TLSCertificate string

	AdminUsername string
	SSHPublicKey  string
	VMSize        string

	Agent     Agent
	Workloads []Workload
	// EgressMode is natGateway or firewall; AKSOutboundType the cluster's
	// outboundType.
	EgressMode      string
	AKSOutboundType string
	// Intents are the user's own intents.
	Intents []Intent
	// DisabledRules maps a rule ID to the reason it is off.
	DisabledRules map[string]string

	// Placeholders are values that stand for the user's own (the
	// reference design's sample organisation): plan warns, apply refuses.
	// Each is located like an error.
	Placeholders []Diagnostic
	// Source names the file the design was read from.
	Source string
}

// PlaceholderError reports the design's placeholders as an *Error, or nil.
func (d *Design) PlaceholderError() error {
	if len(d.Placeholders) == 0 {
		return nil
	}
	return &Error{File: d.Source, Diags: d.Placeholders}
}

// design converts a defaulted File that passed validation. Parse errors are
// impossible at this point, so they are ignored.
func design(f *File) *Design {
	p := func(s string) netip.Prefix { v, _ := netip.ParsePrefix(s); return v.Masked() }
	a := func(s string) netip.Addr { v, _ := netip.ParseAddr(s); return v }
	d := &Design{
		Name: f.Name, Region: f.Region,
		HubSpace: p(f.Network.Hub.AddressSpace), SpokeSpace: p(f.Network.Spoke.AddressSpace),
		BastionSubnet: p(f.Network.Hub.Subnets.Bastion), DNSSubnet: p(f.Network.Hub.Subnets.DNS),
		AgentSubnet: p(f.Network.Hub.Subnets.Agents), PrivateEndpoints: p(f.Network.Hub.Subnets.PrivateEndpoints),
		NodeSubnet: p(f.Network.Spoke.Subnets.Nodes), AppGwSubnet: p(f.Network.Spoke.Subnets.AppGateway),
		ForwarderIP: a(f.DNS.ForwarderIP),
		AKSName:     f.AKS.Name, DNSPrefix: f.AKS.DNSPrefix, KubernetesVersion: f.AKS.KubernetesVersion,
		ServiceCIDR: p(f.AKS.ServiceCIDR), DNSServiceIP: a(f.AKS.DNSServiceIP),
		AdminGroupObjectIDs: f.AKS.AdminGroupObjectIDs, NodePools: f.AKS.NodePools,
		RegistryName: f.Registry.Name, KeyVaultName: f.KeyVault.Name,
		AppGwPrivateIP: a(f.AppGateway.PrivateIP), AppGwMin: f.AppGateway.MinCapacity,
		AppGwMax: f.AppGateway.MaxCapacity, WAFMode: f.AppGateway.WAFMode,
		AdminUsername: f.VMs.AdminUsername, SSHPublicKey: f.VMs.SSHPublicKey, VMSize: f.VMs.Size,
		Agent: f.Agent, Workloads: f.Workloads,
	}
	for _, s := range f.Network.OnPremises {
		d.OnPremises = append(d.OnPremises, p(s))
	}
	for _, s := range f.DNS.Upstream {
		d.Upstream = append(d.Upstream, a(s))
	}
	d.NegativeCacheTTL, _ = time.ParseDuration(f.DNS.NegativeCacheTTL)
	d.EgressMode, d.AKSOutboundType = f.Egress.Mode, f.Egress.AKSOutboundType
	if f.Network.Hub.Subnets.Firewall != "" {
		d.FirewallSubnet = p(f.Network.Hub.Subnets.Firewall)
	}
	d.NetworkPluginMode, d.NetworkDataplane, d.NetworkPolicy = f.AKS.NetworkPluginMode, f.AKS.NetworkDataplane, f.AKS.NetworkPolicy
	if f.AKS.PodCIDR != "" {
		d.PodCIDR = p(f.AKS.PodCIDR)
	}
	d.TLSCertificate = f.AppGateway.TLSCertificate
	d.Intents = f.Intents
	d.DisabledRules = map[string]string{}
	for _, r := range f.Rules.Disabled {
		d.DisabledRules[r.ID] = r.Reason
	}
	return d
}

package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"

	"go4.org/netipx"
)

// Defaults of the reference design, in one visible place.
const (
	DefaultRegion           = "canadacentral"
	DefaultHubSpace         = "10.0.0.0/22"
	DefaultSpokeSpace       = "10.1.0.0/16"
	DefaultServiceCIDR      = "172.16.0.0/16"
	DefaultAzureDNS         = "168.63.129.16"
	DefaultNegativeCacheTTL = "10s"
	DefaultVMSize           = "Standard_B2s"
	DefaultNodeVMSize       = "Standard_D4ds_v5"
	DefaultAdminUsername    = "azureuser"
	DefaultMaxPods          = 30
	DefaultMaxSurge         = 1
	DefaultAgentKind        = "azdo"
	DefaultAgentPool        = "privaks"
	DefaultTokenSecretName  = "agent-registration-token"
	DefaultWAFMode          = "Prevention"
	DefaultAppGwMin         = 1
	DefaultAppGwMax         = 3
	DefaultPodCIDR          = "10.244.0.0/16" // AKS's overlay default (azure-rules.md §2.8)
	DefaultTLSCertificate   = "appgw-tls"

	// Fixed subnet sizes in the hub; the node subnet is sized from the pools.
	bastionBits   = 26 // Azure requires /26 or larger (azure-rules.md §2.6)
	dnsBits       = 27
	agentsBits    = 27
	peBits        = 24 // private endpoint head-room
	firewallBits  = 26 // AzureFirewallSubnet must be /26 or larger
	appGatewayBit = 24 // recommended for v2 (azure-rules.md §2.7)
	// Azure reserves 5 addresses in every subnet.
	azureReserved = 5
)

// ApplyDefaults fills every unset field of f with the reference design's
// value. It never overwrites a value the user set, and it tolerates invalid
// input (validation reports it afterwards), so it can run before Validate.
func ApplyDefaults(f *File) {
	if f.APIVersion == "" {
		f.APIVersion = APIVersion
	}
	if f.Kind == "" {
		f.Kind = Kind
	}
	if f.Name == "" {
		f.Name = "privaks"
	}
	if f.Region == "" {
		f.Region = DefaultRegion
	}
	n := &f.Network
	if n.Hub.AddressSpace == "" {
		n.Hub.AddressSpace = DefaultHubSpace
	}
	if n.Spoke.AddressSpace == "" {
		n.Spoke.AddressSpace = DefaultSpokeSpace
	}
	a := &f.AKS
	if a.Name == "" {
		a.Name = "aks-" + f.Name
	}
	if a.DNSPrefix == "" {
		a.DNSPrefix = a.Name
	}
	if a.ServiceCIDR == "" {
		a.ServiceCIDR = DefaultServiceCIDR
	}
	if a.DNSServiceIP == "" {
		if p, err := netip.ParsePrefix(a.ServiceCIDR); err == nil {
			// .10 by convention: never the first address (azure-rules.md §3).
			ip := p.Masked().Addr()
			for range 10 {
				ip = ip.Next()
			}
			a.DNSServiceIP = ip.String()
		}
	}
	if a.NetworkPluginMode == "overlay" && a.PodCIDR == "" {
		a.PodCIDR = DefaultPodCIDR
	}
	if a.NetworkDataplane == "" {
		a.NetworkDataplane = "azure"
	}
	if a.NetworkPolicy == "" {
		// With the Cilium dataplane Cilium enforces network policy; the
		// azure and calico engines are not available there.
		a.NetworkPolicy = "azure"
		if a.NetworkDataplane == "cilium" {
			a.NetworkPolicy = "cilium"
		}
	}
	if len(a.NodePools) == 0 {
		a.NodePools = []NodePool{
			{Name: "system", Mode: "System", MinCount: 3, MaxCount: 5, Zones: []string{"1", "2", "3"},
				Taints: []string{"CriticalAddonsOnly=true:NoSchedule"}},
			{Name: "user", Mode: "User", MinCount: 2, MaxCount: 5, Zones: []string{"1", "2", "3"}},
		}
	}
	for i := range a.NodePools {
		p := &a.NodePools[i]
		if p.Mode == "" {
			p.Mode = "User"
			if i == 0 {
				p.Mode = "System"
			}
		}
		if p.VMSize == "" {
			p.VMSize = DefaultNodeVMSize
		}
		if p.MinCount == 0 {
			p.MinCount = 1
		}
		if p.MaxCount == 0 {
			p.MaxCount = p.MinCount
		}
		if p.MaxPods == 0 {
			p.MaxPods = DefaultMaxPods
		}
		if p.MaxSurge == 0 {
			p.MaxSurge = DefaultMaxSurge
		}
	}
	if f.Egress.Mode == "" {
		f.Egress.Mode = "natGateway"
	}
	if f.Egress.AKSOutboundType == "" {
		f.Egress.AKSOutboundType = "loadBalancer"
		if f.Egress.Mode == "firewall" {
			f.Egress.AKSOutboundType = "userDefinedRouting"
		}
	}
	carveSubnets(f)
	if f.DNS.ForwarderIP == "" {
		if p, err := netip.ParsePrefix(n.Hub.Subnets.DNS); err == nil {
			f.DNS.ForwarderIP = firstUsable(p).String()
		}
	}
	if len(f.DNS.Upstream) == 0 {
		f.DNS.Upstream = []string{DefaultAzureDNS}
	}
	if f.DNS.NegativeCacheTTL == "" {
		f.DNS.NegativeCacheTTL = DefaultNegativeCacheTTL
	}
	suffix := stableSuffix(f.Name, f.Region)
	if f.Registry.Name == "" {
		f.Registry.Name = truncate("acr"+alnum(f.Name)+suffix, 50)
	}
	if f.KeyVault.Name == "" {
		f.KeyVault.Name = "kv-" + truncate(strings.Trim(f.Name, "-"), 24-3-1-len(suffix)) + "-" + suffix
	}
	g := &f.AppGateway
	if g.PrivateIP == "" {
		if p, err := netip.ParsePrefix(n.Spoke.Subnets.AppGateway); err == nil {
			// The last usable address: instances take the low ones.
			g.PrivateIP = netipx.PrefixLastIP(p.Masked()).Prev().String()
		}
	}
	if g.MinCapacity == 0 {
		g.MinCapacity = DefaultAppGwMin
	}
	if g.MaxCapacity == 0 {
		g.MaxCapacity = DefaultAppGwMax
	}
	if g.WAFMode == "" {
		g.WAFMode = DefaultWAFMode
	}
	if g.TLSCertificate == "" {
		g.TLSCertificate = DefaultTLSCertificate
	}
	if f.VMs.AdminUsername == "" {
		f.VMs.AdminUsername = DefaultAdminUsername
	}
	if f.VMs.Size == "" {
		f.VMs.Size = DefaultVMSize
	}
	if f.Agent.Kind == "" {
		f.Agent.Kind = DefaultAgentKind
	}
	if f.Agent.Pool == "" && f.Agent.Kind == "azdo" {
		f.Agent.Pool = DefaultAgentPool
	}
	if f.Agent.TokenSecretName == "" {
		f.Agent.TokenSecretName = DefaultTokenSecretName
	}
	for i := range f.Intents {
		if f.Intents[i].Expect == "" {
			f.Intents[i].Expect = "reachable"
		}
	}
	for i := range f.Workloads {
		w := &f.Workloads[i]
		if w.Namespace == "" {
			w.Namespace = w.Name
		}
		if w.ServiceAccount == "" {
			w.ServiceAccount = w.Name
		}
		if w.Exposure == "" {
			w.Exposure = "none"
		}
		if w.Host == "" && w.Exposure != "none" {
			w.Host = strings.ToLower(w.Name + "." + f.Name + ".internal")
		}
		if w.Image == "" {
			w.Image = "mcr.microsoft.com/azuredocs/aks-helloworld:v1"
		}
	}
}

// NodeSubnetNeed returns the addresses Azure CNI pre-allocates for the pools:
// Σ (maxCount + maxSurge) × (maxPods + 1) (azure-rules.md §3, prior-art §5H),
// plus one for the API server private endpoint AKS puts in the first pool's
// subnet.
func NodeSubnetNeed(pools []NodePool) int {
	need := 1
	for _, p := range pools {
		need += (p.MaxCount + p.MaxSurge) * (p.MaxPods + 1)
	}
	return need
}

// NodeSubnetNeedOf is NodeSubnetNeed for the cluster's CNI: with Azure CNI
// Overlay pods take addresses from the pod CIDR, so the node subnet holds
// Σ (maxCount + maxSurge) node addresses plus the API server endpoint
// (azure-rules.md §2.8, [S37]).
func NodeSubnetNeedOf(a AKS) int {
	if a.NetworkPluginMode != "overlay" {
		return NodeSubnetNeed(a.NodePools)
	}
	need := 1
	for _, p := range a.NodePools {
		need += p.MaxCount + p.MaxSurge
	}
	return need
}

// OverlayNodes is how many nodes the pools reach at their largest, each of
// which takes a /24 of the overlay pod CIDR.
func OverlayNodes(pools []NodePool) int {
	n := 0
	for _, p := range pools {
		n += p.MaxCount + p.MaxSurge
	}
	return n
}

// carveSubnets assigns unset subnets from each VNet's free space, in a fixed
// order, each aligned to its size. Explicit subnets are never moved.
func carveSubnets(f *File) {
	h := &f.Network.Hub.Subnets
	slots := []slot{{&h.Bastion, bastionBits}, {&h.DNS, dnsBits}, {&h.Agents, agentsBits}, {&h.PrivateEndpoints, peBits}}
	if f.Egress.Mode == "firewall" {
		slots = append(slots, slot{&h.Firewall, firewallBits})
	}
	carve(f.Network.Hub.AddressSpace, slots)
	s := &f.Network.Spoke.Subnets
	// Room to grow: twice what the pools pre-allocate today.
	bits := bitsFor(2*NodeSubnetNeedOf(f.AKS) + azureReserved)
	if bits > 28 {
		bits = 28 // the smallest node subnet validation accepts
	}
	carve(f.Network.Spoke.AddressSpace, []slot{{&s.Nodes, bits}, {&s.AppGateway, appGatewayBit}})
}

type slot struct {
	cidr *string
	bits int
}

func carve(space string, slots []slot) {
	vnet, err := netip.ParsePrefix(space)
	if err != nil {
		return
	}
	var b netipx.IPSetBuilder
	b.AddPrefix(vnet.Masked())
	for _, s := range slots {
		if p, err := netip.ParsePrefix(*s.cidr); err == nil {
			b.RemovePrefix(p.Masked())
		}
	}
	set, err := b.IPSet()
	if err != nil {
		return
	}
	for _, s := range slots {
		if *s.cidr != "" {
			continue
		}
		p, rest, ok := set.RemoveFreePrefix(uint8(s.bits))
		if !ok {
			return // validation reports the VNet as too small
		}
		*s.cidr, set = p.String(), rest
	}
}

// bitsFor returns the longest IPv4 prefix length holding n addresses.
func bitsFor(n int) int {
	bits := 32
	for size := 1; size < n && bits > 0; size <<= 1 {
		bits--
	}
	return bits
}

// firstUsable returns the first address Azure lets a NIC use in p (Azure
// reserves the network address and the next three).
func firstUsable(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	for range 4 {
		a = a.Next()
	}
	return a
}

// stableSuffix derives 6 hex characters from the name and region, so that
// globally unique names are the same for the same input.
func stableSuffix(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(h[:3])
}

var nonAlnum = lazyRegexp(`[^a-z0-9]`)

func alnum(s string) string { return nonAlnum().ReplaceAllString(strings.ToLower(s), "") }

func truncate(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-")
}

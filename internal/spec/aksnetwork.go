package spec

import (
	"fmt"
	"net/netip"
)

// reservedAKS are ranges AKS refuses in the service, pod and VNet ranges
// (azure-rules.md §2.8, [S35]).
var reservedAKS = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("172.30.0.0/16"),
	netip.MustParsePrefix("172.31.0.0/16"), netip.MustParsePrefix("192.0.2.0/24"),
}

// aksNetwork validates the cluster's network choices against what the AKS
// API accepts: managedClusters 2026-05-01 networkProfile (networkPluginMode
// enum [overlay], podCidr, networkDataplane [azure, cilium], networkPolicy
// [none, calico, azure, cilium], from the official schema in testdata);
// learn.microsoft.com/azure/aks/azure-cni-overlay (azure-rules.md §2.8
// [S37]); learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium (overlay
// or VNet IP assignment, node subnet mode since 2025; Linux only; Cilium
// enforces network policy, no separate engine):
//   - networkPluginMode overlay takes a podCidr (default 10.244.0.0/16) that
//     overlaps neither the VNets, on-premises ranges nor the service CIDR,
//     avoids AKS's reserved ranges, and holds a /24 per node at the pools'
//     largest (the range cannot be extended later, Azure/AKS#4591);
//   - networkDataplane cilium enforces policy itself: networkPolicy must be
//     cilium (or none); networkPolicy cilium needs the cilium dataplane.
func (v *validator) aksNetwork(f *File) {
	a := f.AKS
	switch a.NetworkPluginMode {
	case "", "overlay":
	default:
		v.add("$.aks.networkPluginMode", "%q: want overlay, or leave it out for Azure CNI (node subnet)", a.NetworkPluginMode)
	}
	switch a.NetworkDataplane {
	case "azure", "cilium":
	default:
		v.add("$.aks.networkDataplane", "%q: want azure or cilium", a.NetworkDataplane)
	}
	switch a.NetworkPolicy {
	case "azure", "calico", "none":
		if a.NetworkDataplane == "cilium" {
			v.add("$.aks.networkPolicy", "%q with networkDataplane cilium: Cilium enforces network policy itself; use cilium (the default)", a.NetworkPolicy)
		}
	case "cilium":
		if a.NetworkDataplane != "cilium" {
			v.add("$.aks.networkPolicy", "cilium network policy needs networkDataplane: cilium")
		}
	default:
		v.add("$.aks.networkPolicy", "%q: want azure, cilium, calico or none", a.NetworkPolicy)
	}
	if a.NetworkPluginMode != "overlay" {
		if a.PodCIDR != "" {
			v.add("$.aks.podCIDR", "a pod CIDR is used only with networkPluginMode: overlay (with Azure CNI pods take node subnet addresses)")
		}
		return
	}
	pod, ok := v.prefix("$.aks.podCIDR", a.PodCIDR)
	if !ok {
		return
	}
	pod = pod.Masked()
	for _, r := range reservedAKS {
		if pod.Overlaps(r) {
			v.add("$.aks.podCIDR", "%s overlaps %s, which AKS reserves", pod, r)
		}
	}
	others := []namedPrefix{}
	for _, o := range []struct{ path, cidr string }{
		{"$.network.hub.addressSpace", f.Network.Hub.AddressSpace},
		{"$.network.spoke.addressSpace", f.Network.Spoke.AddressSpace},
		{"$.aks.serviceCIDR", a.ServiceCIDR},
	} {
		if p, err := netip.ParsePrefix(o.cidr); err == nil {
			others = append(others, namedPrefix{o.path, p.Masked()})
		}
	}
	for i, s := range f.Network.OnPremises {
		if p, err := netip.ParsePrefix(s); err == nil {
			others = append(others, namedPrefix{fmt.Sprintf("$.network.onPremises[%d]", i), p.Masked()})
		}
	}
	for _, o := range others {
		if pod.Overlaps(o.p) {
			v.add("$.aks.podCIDR", "%s overlaps %s (%s): overlay pod traffic leaving the cluster is SNATed, but the ranges must still be disjoint", pod, o.p, fieldName(o.path))
		}
	}
	nodes := OverlayNodes(a.NodePools)
	if pod.Bits() > 24 || (1<<(24-pod.Bits())) < nodes {
		need := 24
		for n := 1; n < nodes && need > 0; n <<= 1 {
			need--
		}
		v.add("$.aks.podCIDR", "%s holds %d /24 node ranges but the pools reach %d nodes (Σ maxCount + maxSurge; each node takes a /24); use /%d or larger",
			pod, max(0, 1<<max(0, 24-pod.Bits())), nodes, need)
	}
}

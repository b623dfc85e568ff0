package twin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Cluster is an AKS managed cluster.
type Cluster struct {
	ID        arm.ResourceID
	Name      string
	Region    string
	DNSPrefix string
	Private   bool
	// DNSMode is "system", "none" or "custom" (PrivateZoneID set).
	DNSMode       string
	PrivateZoneID arm.ResourceID
	PublicFQDN    bool // enablePrivateClusterPublicFQDN (default true)
	// APIFQDN is the name kubeconfig points at: the privatelink FQDN for
	// system/custom zones, the public FQDN for "none" or a public cluster.
	APIFQDN     string
	APIEndpoint *PrivateEndpoint // nil for a public cluster
	Pools       []*NodePool
	// ControlPlane is the control-plane identity: "system" or the
	// user-assigned identity IDs.
	ControlPlaneSystem bool
	ControlPlaneUAMIs  []arm.ResourceID
	// Kubelet is the BYO kubelet identity, empty when AKS creates one.
	Kubelet arm.ResourceID
	// Issuer is the OIDC issuer URL: an arm.Unknown read from the cluster
	// in a template, a string in a live subscription.
	Issuer           any
	OIDC             bool
	WorkloadIdentity bool
	PodIdentity      bool // podIdentityProfile.enabled: unsupported since 2025-09
	NetworkPlugin    string
	NetworkMode      string // networkPluginMode (overlay)
	// Dataplane is networkDataplane (azure, the default, or cilium) and
	// Policy the network policy engine (azure, cilium, calico, none).
	Dataplane        string
	Policy           string
	OutboundType     string
	LocalAccounts    bool
	AuthorizedRanges []string
	Addons           map[string]bool
	AGICGateway      arm.ResourceID
	ServiceCIDR      string
	DNSServiceIP     string
	PodCIDR          string
	DockerBridgeCIDR string
	DependsOn        []arm.ResourceID
	APIVersion       string
	// LiveFQDN is properties.privateFQDN of a cluster read back from Azure.
	LiveFQDN string
}

// NodePool is an agent pool: its nodes and pods are DNS and network clients
// in its subnet.
type NodePool struct {
	Name      string
	Cluster   *Cluster
	Subnet    *Subnet
	Mode      string
	MinCount  int
	MaxCount  int
	MaxPods   int
	MaxSurge  int
	Taints    []string
	Zones     []string
	OSType    string         // Linux (default) or Windows
	PodSubnet arm.ResourceID // dynamic pod subnet, empty for node-subnet CNI
}

func (t *Twin) buildClusters(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.ContainerService/managedClusters") {
		c := &Cluster{ID: r.ID, Name: r.Name, DNSPrefix: str(r.Prop("dnsPrefix")), APIVersion: r.APIVersion,
			Region: strings.ToLower(strings.ReplaceAll(r.Location, " ", "")), Addons: map[string]bool{}}
		if c.Region == "" {
			c.Region = t.Scope.Location
		}
		c.Private, _ = boolean(r.Prop("apiServerAccessProfile.enablePrivateCluster"))
		c.PublicFQDN = true
		if b, ok := boolean(r.Prop("apiServerAccessProfile.enablePrivateClusterPublicFQDN")); ok {
			c.PublicFQDN = b
		}
		switch z := str(r.Prop("apiServerAccessProfile.privateDNSZone")); strings.ToLower(z) {
		case "", "system":
			c.DNSMode = "system"
		case "none":
			c.DNSMode = "none"
		default:
			c.DNSMode, c.PrivateZoneID = "custom", arm.ResourceID(z)
		}
		c.AuthorizedRanges = strs(r.Prop("apiServerAccessProfile.authorizedIPRanges"))
		c.LiveFQDN = canonical(str(r.Prop("privateFQDN")))
		idType := strings.ToLower(str(get(r.Identity, "type")))
		c.ControlPlaneSystem = strings.Contains(idType, "systemassigned")
		for k := range obj(get(r.Identity, "userAssignedIdentities")) {
			c.ControlPlaneUAMIs = append(c.ControlPlaneUAMIs, arm.ResourceID(k))
		}
		c.Kubelet = arm.ResourceID(str(r.Prop("identityProfile.kubeletidentity.resourceId")))
		c.OIDC, _ = boolean(r.Prop("oidcIssuerProfile.enabled"))
		c.WorkloadIdentity, _ = boolean(r.Prop("securityProfile.workloadIdentity.enabled"))
		c.PodIdentity, _ = boolean(r.Prop("podIdentityProfile.enabled"))
		c.Issuer = arm.Unknown{Expr: fmt.Sprintf("reference('%s').oidcIssuerProfile.issuerURL", r.ID), Ref: r.ID, Path: "oidcIssuerProfile.issuerURL"}
		if s := str(r.Prop("oidcIssuerProfile.issuerURL")); s != "" {
			c.Issuer = s // live
		}
		c.NetworkPlugin = str(r.Prop("networkProfile.networkPlugin"))
		c.NetworkMode = str(r.Prop("networkProfile.networkPluginMode"))
		c.Dataplane = str(r.Prop("networkProfile.networkDataplane"))
		if c.Dataplane == "" {
			c.Dataplane = "azure"
		}
		c.Policy = str(r.Prop("networkProfile.networkPolicy"))
		c.OutboundType = str(r.Prop("networkProfile.outboundType"))
		c.ServiceCIDR = str(r.Prop("networkProfile.serviceCidr"))
		c.DNSServiceIP = str(r.Prop("networkProfile.dnsServiceIP"))
		c.PodCIDR = str(r.Prop("networkProfile.podCidr"))
		c.DockerBridgeCIDR = str(r.Prop("networkProfile.dockerBridgeCidr"))
		disable, _ := boolean(r.Prop("disableLocalAccounts"))
		c.LocalAccounts = !disable
		for name, a := range obj(r.Prop("addonProfiles")) {
			on, _ := boolean(get(a, "enabled"))
			c.Addons[strings.ToLower(name)] = on
			if strings.EqualFold(name, "ingressApplicationGateway") {
				c.AGICGateway = arm.ResourceID(str(get(a, "config.applicationGatewayId")))
			}
		}
		for _, d := range r.DependsOn {
			c.DependsOn = append(c.DependsOn, arm.ResourceID(d))
		}
		for _, p := range list(r.Prop("agentPoolProfiles")) {
			c.addPool(t, obj(p), str(get(p, "name")))
		}
		t.Clusters = append(t.Clusters, c)
		t.put(r.ID, c)
	}
	for _, r := range set.OfType("Microsoft.ContainerService/managedClusters/agentPools") {
		if c, ok := t.Lookup(parentID(r.ID)).(*Cluster); ok {
			c.addPool(t, r.Properties, lastName(r.ID))
		}
	}
	for _, c := range t.Clusters {
		t.clusterEndpoint(c)
	}
}

func (c *Cluster) addPool(t *Twin, p map[string]any, name string) {
	for _, x := range c.Pools {
		if strings.EqualFold(x.Name, name) {
			return
		}
	}
	np := &NodePool{Name: name, Cluster: c, Mode: str(get(p, "mode"))}
	np.Subnet, _ = t.Lookup(arm.ResourceID(str(get(p, "vnetSubnetID")))).(*Subnet)
	np.MinCount, _ = toInt(get(p, "minCount"))
	np.MaxCount, _ = toInt(get(p, "maxCount"))
	if auto, _ := boolean(get(p, "enableAutoScaling")); !auto || np.MaxCount == 0 {
		np.MaxCount, _ = toInt(get(p, "count"))
	}
	np.MaxPods, _ = toInt(get(p, "maxPods"))
	if np.MaxPods == 0 {
		np.MaxPods = 30 // Azure CNI default (azure-rules.md §3)
	}
	// maxSurge is a node count or a percentage of the pool (AKS rounds
	// up); unset means 10% for new pools in current API versions, which
	// privaks counts as at least one node.
	np.MaxSurge = 1
	if s := str(get(p, "upgradeSettings.maxSurge")); s != "" {
		if pct, ok := strings.CutSuffix(s, "%"); ok {
			if n, ok := toInt(pct); ok && n > 0 {
				np.MaxSurge = (np.MaxCount*n + 99) / 100
			}
		} else if n, ok := toInt(s); ok {
			np.MaxSurge = n
		}
	}
	np.Taints = strs(get(p, "nodeTaints"))
	np.Zones = strs(get(p, "availabilityZones"))
	np.OSType = str(get(p, "osType"))
	np.PodSubnet = arm.ResourceID(str(get(p, "podSubnetID")))
	c.Pools = append(c.Pools, np)
}

// clusterEndpoint models what AKS creates for a private cluster: the API
// server's private endpoint in the first node pool's subnet, and its DNS
// record (azure-rules.md §1.6). The FQDN's hash and GUID labels are
// unknowable before deployment; the model uses stable placeholders derived
// from the cluster ID.
func (t *Twin) clusterEndpoint(c *Cluster) {
	h := sha256.Sum256([]byte(c.ID.Key()))
	hash := hex.EncodeToString(h[:4])
	guid := fmt.Sprintf("%x-%x-%x-%x-%x", h[4:8], h[8:10], h[10:12], h[12:14], h[14:20])
	if !c.Private {
		c.APIFQDN = fmt.Sprintf("%s-%s.hcp.%s.azmk8s.io", strings.ToLower(c.DNSPrefix), hash, c.Region)
		return
	}
	pe := &PrivateEndpoint{ID: arm.ResourceID(string(c.ID) + "#apiserver"), Name: "kube-apiserver (" + c.Name + ")", Target: c.ID, Implicit: true}
	if len(c.Pools) > 0 {
		pe.Subnet = c.Pools[0].Subnet
	}
	nic := &NIC{ID: pe.ID, Name: pe.Name, Subnet: pe.Subnet, Owner: c.ID}
	if pe.Subnet != nil {
		nic.IP, nic.Predicted = pe.Subnet.predictIP(), true
	}
	pe.NICs = []*NIC{nic}
	c.APIEndpoint = pe
	t.NICs = append(t.NICs, nic)
	t.Endpoints = append(t.Endpoints, pe)
	label := strings.ToLower(c.DNSPrefix) + "-" + hash
	src := "AKS API server of " + c.Name + " (implicit)"
	if c.LiveFQDN != "" {
		// Read back from a live cluster: the real name; its record is in
		// the zone's record sets, read back too.
		c.APIFQDN = c.LiveFQDN
		if a, ok := t.recordAddr(c.LiveFQDN); ok {
			nic.IP, nic.Predicted = a, false
		}
		if z := t.zoneOf(c.LiveFQDN); z != nil {
			pe.Zones = []*Zone{z}
			if len(z.lookup(c.LiveFQDN)) == 0 {
				z.addRecord(c.LiveFQDN, "A", nic.IP.String(), src, nic.Predicted)
			}
		}
		return
	}
	var z *Zone
	switch c.DNSMode {
	case "custom":
		z, _ = t.Lookup(c.PrivateZoneID).(*Zone)
		if z == nil {
			c.APIFQDN = label + "." + guid + "." + canonical(lastName(c.PrivateZoneID))
			return
		}
		c.APIFQDN = label + "." + guid + "." + z.Name
		if !hasLink(z, c) {
			t.implicitClusterLink(z, c)
		}
	case "system":
		z = &Zone{ID: arm.ResourceID(string(c.ID) + "#zone"), Name: guid + ".privatelink." + c.Region + ".azmk8s.io", Implicit: true}
		t.Zones = append(t.Zones, z)
		t.put(z.ID, z)
		c.APIFQDN = label + "." + z.Name
		t.implicitClusterLink(z, c)
	case "none":
		c.APIFQDN = label + ".hcp." + c.Region + ".azmk8s.io"
		return
	}
	z.addRecord(c.APIFQDN, "A", nic.IP.String(), src, nic.Predicted)
	pe.Zones = []*Zone{z}
}

func hasLink(z *Zone, c *Cluster) bool {
	if len(c.Pools) == 0 || c.Pools[0].Subnet == nil {
		return true
	}
	for _, l := range z.Links {
		if l.VNet == c.Pools[0].Subnet.VNet {
			return true
		}
	}
	return false
}

// implicitClusterLink is the link AKS adds from its zone to the cluster
// VNet (Azure/AKS#4841: it does so even when a hub is linked).
func (t *Twin) implicitClusterLink(z *Zone, c *Cluster) {
	if len(c.Pools) == 0 || c.Pools[0].Subnet == nil {
		return
	}
	v := c.Pools[0].Subnet.VNet
	t.addLink(&ZoneLink{ID: arm.ResourceID(string(c.ID) + "#link"), Name: "aks-" + c.Name, Zone: z, VNetID: v.ID,
		Implicit: true, Source: "link AKS adds to the cluster VNet (implicit)"})
}

// recordAddr returns the address an A record for fqdn holds in any zone.
func (t *Twin) recordAddr(fqdn string) (netip.Addr, bool) {
	for _, z := range t.Zones {
		for _, r := range z.lookup(canonical(fqdn)) {
			if a, ok := addr(r.Value); ok && r.Type == "A" {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

// zoneOf returns the longest zone in the model holding fqdn.
func (t *Twin) zoneOf(fqdn string) *Zone {
	var best *Zone
	for _, z := range t.Zones {
		if inZone(canonical(fqdn), z.Name) && (best == nil || len(z.Name) > len(best.Name)) {
			best = z
		}
	}
	return best
}

package spec

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"go4.org/netipx"
)

// Diagnostic is one problem in a spec, located by a YAML path such as
// $.network.hub.subnets.dns; Load adds the line and column.
type Diagnostic struct {
	Path    string
	Line    int // 0 when the value was not written by the user (a default)
	Column  int
	Message string
}

// Validate checks a defaulted File and returns every problem found, in the
// order of the fields; nil means valid.
func Validate(f *File) []Diagnostic {
	v := &validator{}
	// Lists over their bound are reported, then checked only up to it:
	// some checks compare entries pairwise (overlaps), and a file of
	// 80,000 ranges must be refused in milliseconds, not minutes.
	v.counts(f)
	g := boundLists(*f)
	v.check(&g)
	return v.diags
}

type validator struct{ diags []Diagnostic }

// text is a message fragment privaks wrote (not a user value): add never
// cuts it.
type text string

func (v *validator) add(path, format string, args ...any) {
	// No user value is echoed longer than maxEcho characters.
	for i, a := range args {
		if m, ok := a.(text); ok {
			args[i] = string(m)
		} else if s, ok := a.(string); ok && len([]rune(s)) > maxEcho {
			r := []rune(s)
			args[i] = string(r[:maxEcho-20]) + fmt.Sprintf("… (%d characters)", len(r))
		}
	}
	v.diags = append(v.diags, Diagnostic{Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	reName      = lazyRegexp(`^[a-z][a-z0-9-]{0,15}$`)
	reACR       = lazyRegexp(`^[a-zA-Z0-9]{5,50}$`)
	reKV        = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`)
	reAKS       = lazyRegexp(`^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$`)
	reDNSPrefix = lazyRegexp(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$`)
	rePool      = lazyRegexp(`^[a-z][a-z0-9]{0,11}$`)
	reDNSLabel  = lazyRegexp(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	reSecret    = lazyRegexp(`^[0-9a-zA-Z-]{1,127}$`)
	reGUID      = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	reVersion   = lazyRegexp(`^[0-9]+\.[0-9]+(\.[0-9]+)?$`)
	reAdminUser = lazyRegexp(`^[a-z_][a-z0-9_-]{0,31}$`)
)

// reservedAdminUsers are rejected by Azure for Linux VMs.
var reservedAdminUsers = map[string]bool{"admin": true, "administrator": true, "root": true, "guest": true, "user": true, "test": true}

type namedPrefix struct {
	path string
	p    netip.Prefix
}

func (v *validator) prefix(path, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		v.add(path, "not a CIDR: %q", s)
		return p, false
	}
	if !p.Addr().Is4() {
		v.add(path, "only IPv4 address plans are supported: %q", s)
		return p, false
	}
	if p.Masked() != p {
		v.add(path, "%q has host bits set; did you mean %s?", s, p.Masked())
		return p, false
	}
	return p, true
}

func (v *validator) addr(path, s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		v.add(path, "not an IPv4 address: %q", s)
		return a, false
	}
	return a, true
}

func (v *validator) check(f *File) {
	if f.APIVersion != APIVersion {
		v.add("$.apiVersion", "unsupported apiVersion %q (want %q)", f.APIVersion, APIVersion)
	}
	if f.Kind != Kind {
		v.add("$.kind", "unsupported kind %q (want %q)", f.Kind, Kind)
	}
	if !reName().MatchString(f.Name) {
		v.add("$.name", "%q: 1-16 lowercase letters, digits or hyphens, starting with a letter", f.Name)
	}
	if !regionSet()[f.Region] {
		v.add("$.region", "%q is not an Azure region that offers AKS%s (privaks accepts the %d regions listed in docs/spec.md)", f.Region, regionHint(f.Region), len(regionSet()))
	}
	v.duplicates(f)
	v.network(f)
	v.dns(f)
	v.aks(f)
	v.aksNetwork(f)
	v.exposure(f)
	v.names(f)
	v.vms(f)
	v.agent(f)
	v.workloads(f)
	v.egress(f)
	for i, in := range f.Intents {
		path := fmt.Sprintf("$.intents[%d]", i)
		if strings.TrimSpace(in.From) == "" {
			v.add(path+".from", "required: a VM, a node pool (cluster/pool), a bastion or \"workload <name>\"")
		}
		if strings.TrimSpace(in.To) == "" {
			v.add(path+".to", "required: a name or resource, with an optional :port")
		}
		if in.Expect != "reachable" && in.Expect != "blocked" {
			v.add(path+".expect", "%q: want reachable or blocked", in.Expect)
		}
	}
	for i, r := range f.Rules.Disabled {
		path := fmt.Sprintf("$.rules.disabled[%d]", i)
		if !reRuleID().MatchString(r.ID) {
			v.add(path+".id", "%q is not a rule ID like PVK012 (privaks rules lists them)", r.ID)
		}
		if strings.TrimSpace(r.Reason) == "" {
			v.add(path+".reason", "say why %s is disabled: reviewers read it", r.ID)
		}
	}
}

var reRuleID = lazyRegexp(`^PVK[0-9]{3}$`)

func (v *validator) network(f *File) {
	n := f.Network
	var spaces []namedPrefix
	hub, okH := v.prefix("$.network.hub.addressSpace", n.Hub.AddressSpace)
	spoke, okS := v.prefix("$.network.spoke.addressSpace", n.Spoke.AddressSpace)
	if okH {
		spaces = append(spaces, namedPrefix{"$.network.hub.addressSpace", hub})
	}
	if okS {
		spaces = append(spaces, namedPrefix{"$.network.spoke.addressSpace", spoke})
	}
	for i, s := range n.OnPremises {
		path := fmt.Sprintf("$.network.onPremises[%d]", i)
		if p, ok := v.prefix(path, s); ok {
			spaces = append(spaces, namedPrefix{path, p})
		}
	}
	if p, ok := v.prefix("$.aks.serviceCIDR", f.AKS.ServiceCIDR); ok {
		spaces = append(spaces, namedPrefix{"$.aks.serviceCIDR", p})
	}
	v.noOverlaps(spaces)

	hs := n.Hub.Subnets
	hubSubs := []namedSubnet{
		{"$.network.hub.subnets.bastion", hs.Bastion, 26},
		{"$.network.hub.subnets.dns", hs.DNS, 29},
		{"$.network.hub.subnets.agents", hs.Agents, 29},
		{"$.network.hub.subnets.privateEndpoints", hs.PrivateEndpoints, 28},
	}
	if f.Egress.Mode == "firewall" {
		hubSubs = append(hubSubs, namedSubnet{"$.network.hub.subnets.firewall", hs.Firewall, 26})
	} else if hs.Firewall != "" {
		v.add("$.network.hub.subnets.firewall", "a firewall subnet is set but egress.mode is %q; set egress.mode: firewall or remove it", f.Egress.Mode)
	}
	v.subnets(hub, okH, "$.network.hub", hubSubs)
	ss := n.Spoke.Subnets
	v.subnets(spoke, okS, "$.network.spoke", []namedSubnet{
		{"$.network.spoke.subnets.nodes", ss.Nodes, 28},
		{"$.network.spoke.subnets.appGateway", ss.AppGateway, 27},
	})
	if p, err := netip.ParsePrefix(ss.Nodes); err == nil {
		need := NodeSubnetNeedOf(f.AKS) + azureReserved
		if have := 1 << (32 - p.Bits()); have < need && f.AKS.NetworkPluginMode == "overlay" {
			v.add("$.network.spoke.subnets.nodes",
				"%s has %d addresses but the node pools reach %d nodes (Σ (maxCount + maxSurge) + 1 API endpoint + %d reserved; overlay pods are outside the subnet); use /%d or larger",
				p, have, need, azureReserved, bitsFor(need))
		} else if have < need {
			v.add("$.network.spoke.subnets.nodes",
				"%s has %d addresses but Azure CNI pre-allocates %d for the node pools (Σ (maxCount + maxSurge) × (maxPods + 1) + 1 API endpoint + %d reserved); use /%d or larger, or lower maxPods/maxCount",
				p, have, need, azureReserved, bitsFor(need))
		}
	}
	if p, err := netip.ParsePrefix(ss.AppGateway); err == nil && f.AppGateway.PrivateIP != "" {
		if a, ok := v.addr("$.appGateway.privateIP", f.AppGateway.PrivateIP); ok && !usableIn(p, a) {
			v.add("$.appGateway.privateIP", "%s is not a usable address of the Application Gateway subnet %s", a, p)
		}
	}
}

type namedSubnet struct {
	path, cidr string
	maxBits    int // the smallest subnet that works
}

func (v *validator) subnets(vnet netip.Prefix, vnetOK bool, vnetPath string, subs []namedSubnet) {
	var ok []namedPrefix
	for _, s := range subs {
		if s.cidr == "" {
			v.add(s.path, "no room left in %s for this subnet; enlarge the address space or set the subnet explicitly", vnetPath+".addressSpace")
			continue
		}
		p, good := v.prefix(s.path, s.cidr)
		if !good {
			continue
		}
		if p.Bits() > s.maxBits {
			v.add(s.path, "%s is too small: /%d or larger is required", p, s.maxBits)
		}
		if vnetOK && !(vnet.Contains(p.Addr()) && p.Bits() >= vnet.Bits()) {
			v.add(s.path, "%s is outside its VNet address space %s", p, vnet)
		}
		ok = append(ok, namedPrefix{s.path, p})
	}
	v.noOverlaps(ok)
}

func (v *validator) noOverlaps(ps []namedPrefix) {
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if ps[i].p.Overlaps(ps[j].p) {
				v.add(ps[j].path, "%s overlaps %s (%s)", ps[j].p, ps[i].p, fieldName(ps[i].path))
			}
		}
	}
}

// usableIn reports whether a is an address a NIC may take in p: not one of
// the first four or the last (azure-rules.md §3).
func usableIn(p netip.Prefix, a netip.Addr) bool {
	if !p.Contains(a) {
		return false
	}
	return !a.Less(firstUsable(p)) && a != netipx.PrefixLastIP(p.Masked())
}

func (v *validator) dns(f *File) {
	if p, err := netip.ParsePrefix(f.Network.Hub.Subnets.DNS); err == nil {
		if a, ok := v.addr("$.dns.forwarderIP", f.DNS.ForwarderIP); ok && !usableIn(p.Masked(), a) {
			v.add("$.dns.forwarderIP", "%s is not a usable address of the dns subnet %s (Azure reserves the first four and the last)", a, p)
		}
	}
	for i, s := range f.DNS.Upstream {
		v.addr(fmt.Sprintf("$.dns.upstream[%d]", i), s)
	}
	d, err := time.ParseDuration(f.DNS.NegativeCacheTTL)
	switch {
	case err != nil:
		v.add("$.dns.negativeCacheTTL", "not a duration: %q (e.g. 10s)", f.DNS.NegativeCacheTTL)
	case d < time.Second || d > time.Hour:
		v.add("$.dns.negativeCacheTTL", "%s is outside 1s..1h", d)
	}
}

func (v *validator) aks(f *File) {
	a := f.AKS
	if svc, err := netip.ParsePrefix(a.ServiceCIDR); err == nil {
		if ip, ok := v.addr("$.aks.dnsServiceIP", a.DNSServiceIP); ok {
			switch {
			case !svc.Contains(ip):
				v.add("$.aks.dnsServiceIP", "%s is outside serviceCIDR %s", ip, svc)
			case ip == svc.Masked().Addr() || ip == svc.Masked().Addr().Next():
				v.add("$.aks.dnsServiceIP", "%s must not be the first address of serviceCIDR %s (used by the kubernetes service)", ip, svc)
			}
		}
	}
	if a.KubernetesVersion != "" && !reVersion().MatchString(a.KubernetesVersion) {
		v.add("$.aks.kubernetesVersion", "%q is not a version like 1.33", a.KubernetesVersion)
	}
	for i, g := range a.AdminGroupObjectIDs {
		if !reGUID().MatchString(g) {
			v.add(fmt.Sprintf("$.aks.adminGroupObjectIDs[%d]", i), "%q is not an object ID (GUID)", g)
		}
	}
	system, seen := 0, map[string]bool{}
	for i, p := range a.NodePools {
		path := fmt.Sprintf("$.aks.nodePools[%d]", i)
		if !rePool().MatchString(p.Name) {
			v.add(path+".name", "%q: Linux node pool names are 1-12 lowercase letters or digits, starting with a letter", p.Name)
		}
		if seen[p.Name] {
			v.add(path+".name", "duplicate node pool name %q", p.Name)
		}
		seen[p.Name] = true
		switch p.Mode {
		case "System":
			system++
		case "User":
		default:
			v.add(path+".mode", "%q: want System or User", p.Mode)
		}
		if p.MinCount < 0 || p.MaxCount < p.MinCount || p.MaxCount > 1000 {
			v.add(path+".maxCount", "need 0 <= minCount (%d) <= maxCount (%d) <= 1000", p.MinCount, p.MaxCount)
		}
		if p.Mode == "System" && p.MinCount < 1 {
			v.add(path+".minCount", "a System pool needs at least one node")
		}
		if p.MaxPods < 10 || p.MaxPods > 250 {
			v.add(path+".maxPods", "%d is outside 10..250 (Azure CNI)", p.MaxPods)
		}
		if !reVMSize().MatchString(p.VMSize) {
			v.add(path+".vmSize", "%q is not an Azure VM size name like Standard_D4ds_v5", p.VMSize)
		}
		if p.MaxSurge < 0 || p.MaxSurge > 100 {
			v.add(path+".maxSurge", "%d is outside 0..100 nodes", p.MaxSurge)
		}
		for j, z := range p.Zones {
			if z != "1" && z != "2" && z != "3" {
				v.add(fmt.Sprintf("%s.zones[%d]", path, j), "%q: zones are \"1\", \"2\" or \"3\"", z)
			}
		}
		for j, t := range p.Taints {
			if !reTaint().MatchString(t) {
				v.add(fmt.Sprintf("%s.taints[%d]", path, j), "%q: want key=value:Effect, Effect one of NoSchedule, PreferNoSchedule, NoExecute", t)
			}
		}
	}
	if system == 0 {
		v.add("$.aks.nodePools", "at least one node pool must have mode System")
	}
}

func (v *validator) names(f *File) {
	if !reACR().MatchString(f.Registry.Name) {
		v.add("$.registry.name", "%q: ACR names are 5-50 letters or digits", f.Registry.Name)
	}
	if !reKV().MatchString(f.KeyVault.Name) || strings.Contains(f.KeyVault.Name, "--") {
		v.add("$.keyVault.name", "%q: Key Vault names are 3-24 letters, digits or single hyphens, starting with a letter and ending with a letter or digit", f.KeyVault.Name)
	}
	if !reAKS().MatchString(f.AKS.Name) {
		v.add("$.aks.name", "%q: 1-63 letters, digits, '_' or '-', starting and ending alphanumeric", f.AKS.Name)
	}
	if !reDNSPrefix().MatchString(f.AKS.DNSPrefix) {
		v.add("$.aks.dnsPrefix", "%q: 1-54 letters, digits or '-', starting and ending alphanumeric", f.AKS.DNSPrefix)
	}
	if g := f.AppGateway; g.MinCapacity < 0 || g.MaxCapacity < g.MinCapacity || g.MaxCapacity > 125 {
		v.add("$.appGateway.maxCapacity", "need 0 <= minCapacity (%d) <= maxCapacity (%d) <= 125", g.MinCapacity, g.MaxCapacity)
	}
	if m := f.AppGateway.WAFMode; m != "Prevention" && m != "Detection" {
		v.add("$.appGateway.wafMode", "%q: want Prevention or Detection", m)
	}
}

func (v *validator) vms(f *File) {
	if u := f.VMs.AdminUsername; !reAdminUser().MatchString(u) || reservedAdminUsers[u] {
		v.add("$.vms.adminUsername", "%q is not allowed as a Linux admin user name", u)
	}
	if k := f.VMs.SSHPublicKey; k != "" {
		if msg := checkSSHKey(k); msg != "" {
			v.add("$.vms.sshPublicKey", "%s", text(msg))
		}
	}
	if !reVMSize().MatchString(f.VMs.Size) {
		v.add("$.vms.size", "%q is not an Azure VM size name like Standard_B2s", f.VMs.Size)
	}
}

func (v *validator) agent(f *File) {
	a := f.Agent
	v.agentLimits(a)
	if a.URL == "" {
		v.add("$.agent.url", "required: the Azure DevOps organisation (https://dev.azure.com/<org>) or GitHub owner/repository (https://github.com/<owner>[/<repo>]) the CI agent registers with")
	}
	switch a.Kind {
	case "azdo":
		if a.URL != "" && v.safeURL("$.agent.url", a.URL) && !strings.HasPrefix(a.URL, "https://") {
			v.add("$.agent.url", "%q: want the organisation URL, e.g. https://dev.azure.com/contoso", a.URL)
		}
	case "github":
		if a.URL != "" && v.safeURL("$.agent.url", a.URL) && !reGitHubURL().MatchString(a.URL) {
			v.add("$.agent.url", "%q: want https://github.com/<owner>[/<repo>]", a.URL)
		}
	default:
		v.add("$.agent.kind", "%q: want azdo or github", a.Kind)
	}
	if !reSecret().MatchString(a.TokenSecretName) {
		v.add("$.agent.tokenSecretName", "%q: Key Vault secret names are 1-127 letters, digits or hyphens", a.TokenSecretName)
	}
}

func (v *validator) workloads(f *File) {
	seen := map[string]bool{}
	for i, w := range f.Workloads {
		path := fmt.Sprintf("$.workloads[%d]", i)
		if !reDNSLabel().MatchString(w.Name) || len(w.Name) > 40 {
			v.add(path+".name", "%q: 1-40 lowercase letters, digits or '-'", w.Name)
		}
		if seen[w.Name] {
			v.add(path+".name", "duplicate workload %q", w.Name)
		}
		seen[w.Name] = true
		if !reDNSLabel().MatchString(w.Namespace) {
			v.add(path+".namespace", "%q is not a Kubernetes namespace name", w.Namespace)
		}
		if !reDNSLabel().MatchString(w.ServiceAccount) {
			v.add(path+".serviceAccount", "%q is not a Kubernetes service account name", w.ServiceAccount)
		}
		for j, s := range w.Secrets {
			if !reSecret().MatchString(s) {
				v.add(fmt.Sprintf("%s.secrets[%d]", path, j), "%q: Key Vault secret names are 1-127 letters, digits or hyphens", s)
			}
		}
		if len(w.Image) > maxImageRef || !reImage().MatchString(w.Image) {
			v.add(path+".image", "%q is not a container image reference (registry/repository:tag or @sha256:digest, at most %d characters)", w.Image, maxImageRef)
		}
		switch w.Exposure {
		case "public", "private", "none":
		default:
			v.add(path+".exposure", "%q: want public, private or none", w.Exposure)
		}
	}
}

func (v *validator) egress(f *File) {
	e := f.Egress
	switch e.Mode {
	case "natGateway":
		switch e.AKSOutboundType {
		case "loadBalancer", "natGateway":
		case "userDefinedRouting":
			v.add("$.egress.aksOutboundType", "userDefinedRouting needs a next hop: use egress.mode firewall")
		default:
			v.add("$.egress.aksOutboundType", "%q: want loadBalancer, natGateway or userDefinedRouting", e.AKSOutboundType)
		}
	case "firewall":
		if e.AKSOutboundType != "userDefinedRouting" {
			v.add("$.egress.aksOutboundType", "%q: with egress.mode firewall the cluster must use userDefinedRouting, or its traffic bypasses the firewall", e.AKSOutboundType)
		}
	default:
		v.add("$.egress.mode", "%q: want natGateway or firewall", e.Mode)
	}
}

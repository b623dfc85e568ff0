package verify

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/conventions"
	"github.com/privaks/privaks/internal/twin"
)

// Tags privaks writes on a workload identity and reads here: intent
// carried by the resource set itself.
const (
	tagWorkload  = conventions.TagWorkload
	tagNamespace = conventions.TagNamespace
	tagSA        = conventions.TagServiceAccount
	tagSecrets   = conventions.TagSecrets
	tagVault     = conventions.TagKeyVault
)

// Derive returns the intents a design implies, in a stable order.
func Derive(t *twin.Twin) []Intent {
	var out []Intent
	vms := vmClients(t)
	// VM clients (agents, jumpboxes) reach each vault privately: the CI
	// agent reads its registration token there.
	for _, vm := range vms {
		if isDNSServer(t, vm) {
			continue
		}
		for _, v := range t.Vaults {
			out = append(out, vaultIntent(v, vm))
		}
	}
	for _, c := range t.Clusters {
		for _, vm := range vms {
			if !isDNSServer(t, vm) {
				out = append(out, apiIntent(c, vm))
			}
		}
		for _, p := range c.Pools {
			pc := p.Client()
			out = append(out, apiIntent(c, pc))
			for _, g := range t.Registries {
				out = append(out, registryIntent(g, pc))
			}
			for _, v := range t.Vaults {
				out = append(out, vaultIntent(v, pc))
			}
		}
	}
	out = append(out, workloadIntents(t)...)
	for _, b := range t.Bastions {
		for _, vm := range vms {
			out = append(out, bastionIntent(b, vm))
		}
	}
	for _, g := range t.Gateways {
		if len(g.Listeners["public"]) > 0 {
			out = append(out, publicFrontendIntent(g))
		}
		if len(g.Listeners["private"]) > 0 {
			for _, vm := range vms {
				if !isDNSServer(t, vm) {
					out = append(out, privateFrontendIntent(g, vm))
					break
				}
			}
		}
	}
	var storageClients []twin.Client
	for _, vm := range vms {
		if !isDNSServer(t, vm) {
			storageClients = append(storageClients, vm)
		}
	}
	for _, c := range t.Clusters {
		for _, p := range c.Pools {
			storageClients = append(storageClients, p.Client())
		}
	}
	out = append(out, storageIntents(t, storageClients)...)
	out = append(out, workloadExposureIntents(t)...)
	out = append(out, exposureIntents(t)...)
	out = append(out, egressIntents(t)...)
	out = append(out, bringUpIntents(t)...)
	return out
}

func vmClients(t *twin.Twin) []twin.Client {
	var out []twin.Client
	for _, vm := range t.VMs {
		for _, n := range vm.NICs {
			out = append(out, twin.Client{Name: vm.Name, Subnet: n.Subnet, Addr: n.IP, NIC: n})
			break
		}
	}
	for _, ss := range t.ScaleSets {
		if ss.NIC != nil {
			out = append(out, ss.Client())
		}
	}
	return out
}

func isDNSServer(t *twin.Twin, c twin.Client) bool {
	s := t.Servers[c.Addr.String()]
	return s != nil && s.Kind == twin.ServerBIND
}

// poolCluster returns the cluster of a node pool client.
func poolCluster(t *twin.Twin, c twin.Client) *twin.Cluster { return t.PoolCluster(c.Name) }

// resolvePrivate requires name to resolve from c to one of want (private
// endpoint addresses).
//
// A name a reader could only render symbolically ("{random_string.sa.result}.blob.core.windows.net":
// the account's name is known only after apply) that does not resolve
// privately leaves the intent unknown, not failed: the failure may rest
// on the name alone (public DNS knows no such name). One that resolves
// privately passes: the zone group's record carries the same name,
// whatever it becomes.
func resolvePrivate(t *twin.Twin, c twin.Client, name string, want []netip.Addr, r *Result) bool {
	res := t.Resolve(c, name)
	r.dnsTrace(t, res)
	fail := r.fail
	if expr, ok := symbolicName(name); ok {
		fail = func(kind, format string, args ...any) {
			msg := fmt.Sprintf(format, args...) + "; but the name is known only after apply (" + expr + "): undecided"
			r.Trace = append(r.Trace, Step{Kind: kind, OK: false, Text: msg})
			if r.Status == Pass {
				r.Status, r.Cause = Unknown, msg
			}
		}
	}
	switch {
	case res.Outside:
		r.outside("%s resolves %s through %s", c.Name, name, res.Err)
		return false
	case res.Err != "":
		fail("dns", "%s cannot resolve %s: %s", c.Name, name, res.Err)
		return false
	case res.NXDomain:
		fail("dns", "%s gets NXDOMAIN for %s", c.Name, name)
		return false
	case len(res.Addrs) == 0:
		fail("dns", "%s gets no address for %s", c.Name, name)
		return false
	}
	got := res.Addrs[0]
	for _, w := range want {
		if got == w {
			r.ok("dns", "%s resolves %s to %s, the private endpoint", c.Name, name, got)
			return true
		}
	}
	if res.Public || twin.IsPlaceholderPublic(got) {
		fail("dns", "%s resolves %s to a public address (%s), not the private endpoint %s: %s", c.Name, name, got, addrs(want), lastDNS(res))
	} else {
		fail("dns", "%s resolves %s to %s, not the private endpoint %s", c.Name, name, got, addrs(want))
	}
	return false
}

// symbolicName returns the expression a reader wrote in place of a name
// segment known only after apply (tfread renders one "{expr}"); no DNS
// name holds a brace.
func symbolicName(name string) (string, bool) {
	i := strings.IndexByte(name, '{')
	j := strings.IndexByte(name, '}')
	if i < 0 || j < i {
		return "", false
	}
	return name[i+1 : j], true
}

func lastDNS(res twin.Resolution) string {
	if len(res.Steps) == 0 {
		return ""
	}
	return "last answer from " + res.Steps[len(res.Steps)-1].String()
}

func addrs(as []netip.Addr) string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return strings.Join(s, ", ")
}

func reachTCP(t *twin.Twin, c twin.Client, dst netip.Addr, port uint16, what string, r *Result) bool {
	res := t.Reach(c, dst, "Tcp", port)
	r.netTrace(res)
	if !res.OK {
		r.fail("network", "%s cannot reach %s (%s) on TCP %d: %s", c.Name, what, dst, port, res.Why)
		return false
	}
	r.ok("network", "%s reaches %s (%s) on TCP %d", c.Name, what, dst, port)
	return true
}

func endpointAddrs(pes []*twin.PrivateEndpoint, member int) []netip.Addr {
	var out []netip.Addr
	for _, pe := range pes {
		if member < len(pe.NICs) {
			out = append(out, pe.NICs[member].IP)
		}
	}
	return out
}

func apiIntent(c *twin.Cluster, from twin.Client) Intent {
	return Intent{
		Name: fmt.Sprintf("%s → API server of %s", from.Name, c.Name), From: from.Name, To: c.APIFQDN + ":443",
		Check: func(t *twin.Twin, r *Result) {
			if !inSet(from, r) {
				return
			}
			if !c.Private || c.APIEndpoint == nil {
				r.ok("dns", "%s is a public cluster: its API server is reached over the Internet", c.Name)
				return
			}
			want := endpointAddrs([]*twin.PrivateEndpoint{c.APIEndpoint}, 0)
			if resolvePrivate(t, from, c.APIFQDN, want, r) {
				reachTCP(t, from, want[0], 443, "the API server endpoint", r)
			}
		},
	}
}

func registryIntent(g *twin.Registry, from twin.Client) Intent {
	return Intent{
		Name: fmt.Sprintf("%s → registry %s", from.Name, g.Name), From: from.Name, To: g.LoginFQDN + ":443",
		Check: func(t *twin.Twin, r *Result) {
			if !inSet(from, r) {
				return
			}
			if len(g.Endpoints) == 0 {
				r.fail("dns", "registry %s has no private endpoint: nodes would pull over its public endpoint", g.Name)
				return
			}
			names := append([]string{g.LoginFQDN}, g.DataFQDNs...)
			for i, n := range names {
				want := endpointAddrs(g.Endpoints, i)
				if !resolvePrivate(t, from, n, want, r) || !reachTCP(t, from, want[0], 443, n, r) {
					return
				}
			}
			if c := poolCluster(t, from); c != nil {
				kubelet := t.KubeletKey(c)
				ra, ok := t.HasRole(kubelet, twin.PullRoles, g.ID)
				if !ok {
					r.fail("identity", "the kubelet identity of %s holds no pull role (AcrPull) on %s: image pulls fail with 401", c.Name, g.Name)
					return
				}
				r.ok("identity", "the kubelet identity of %s holds %s on %s", c.Name, twin.RoleName(ra.Role), g.Name)
			}
		},
	}
}

func vaultIntent(v *twin.Vault, from twin.Client) Intent {
	return Intent{
		Name: fmt.Sprintf("%s → key vault %s", from.Name, v.Name), From: from.Name, To: v.FQDN + ":443",
		Check: func(t *twin.Twin, r *Result) { vaultPath(t, v, from, r) },
	}
}

func vaultPath(t *twin.Twin, v *twin.Vault, from twin.Client, r *Result) bool {
	if !inSet(from, r) {
		return false
	}
	if len(v.Endpoints) == 0 {
		r.fail("dns", "key vault %s has no private endpoint", v.Name)
		return false
	}
	want := endpointAddrs(v.Endpoints, 0)
	return resolvePrivate(t, from, v.FQDN, want, r) && reachTCP(t, from, want[0], 443, v.FQDN, r)
}

func bastionIntent(b *twin.Bastion, vm twin.Client) Intent {
	return Intent{
		Name: fmt.Sprintf("%s → %s:22", b.Name, vm.Name), From: b.Name, To: vm.Name + ":22",
		Check: func(t *twin.Twin, r *Result) {
			if b.Subnet == nil {
				r.outside("bastion %s's subnet is not in this resource set: cannot decide", b.Name)
				return
			}
			a := b.Subnet.Prefix.Addr()
			for range 4 {
				a = a.Next()
			}
			reachTCP(t, twin.Client{Name: b.Name, Subnet: b.Subnet, Addr: a}, vm.Addr, 22, vm.Name, r)
		},
	}
}

func sortIntents(in []Intent) {
	sort.SliceStable(in, func(i, j int) bool { return in[i].Name < in[j].Name })
}

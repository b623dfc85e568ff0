package verify

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// Explain traces one path hop by hop: from a client (a VM name, a node pool
// "cluster/pool" or "pool", a bastion, or "workload <name>") to a name or
// resource with an optional port (default 443). For a workload the trace
// covers each of its secrets, identity and role included.
func Explain(t *twin.Twin, from, to string) (Result, error) {
	r, err := explain(t, from, to)
	if err == nil {
		undecide(&r, t.Coverage())
	}
	return r, err
}

func explain(t *twin.Twin, from, to string) (Result, error) {
	if wl, ok := strings.CutPrefix(from, "workload "); ok {
		var out Result
		found := false
		for _, in := range workloadIntents(t) {
			if strings.HasPrefix(in.Name, "workload "+wl+" ") && (to == "" || strings.Contains(in.To, to) || to == "secrets") {
				r := Run(t, []Intent{in})[0]
				if !found {
					out = r
				} else {
					out.Trace = append(out.Trace, r.Trace...)
					if r.Status == Fail && out.Status == Pass {
						out.Status, out.Cause = Fail, r.Cause
					}
				}
				found = true
			}
		}
		if !found {
			return Result{}, fmt.Errorf("no workload %q with a secret matching %q", wl, to)
		}
		return out, nil
	}
	if strings.EqualFold(from, "Internet") {
		return explainInternet(t, to)
	}
	c, err := findClient(t, from)
	if err != nil {
		return Result{}, err
	}
	host, port := splitPort(to)
	name, want := targetName(t, host)
	r := Result{Name: from + " → " + to, From: from, To: to, Status: Pass, Trace: []Step{}}
	if !inSet(c, &r) {
		return r, nil // a client whose subnet another source declares: unknown, as verify says
	}
	var dst netip.Addr
	if a, err := netip.ParseAddr(name); err == nil {
		dst = a
		if _, owned := t.TargetOf(a); !owned && !a.IsPrivate() {
			// An Internet address: follow the way out, as verify does.
			egressPath(t, c, name, port, &r)
			return r, nil
		}
	} else {
		res := t.Resolve(c, name)
		r.dnsTrace(t, res)
		switch {
		case res.Outside:
			r.outside("%s resolves %s through %s", c.Name, name, res.Err)
			return r, nil
		case res.Err != "":
			r.fail("dns", "%s cannot resolve %s: %s", c.Name, name, res.Err)
			return r, nil
		case !res.OK():
			r.fail("dns", "%s gets NXDOMAIN for %s", c.Name, name)
			return r, nil
		}
		dst = res.Addrs[0]
		if len(want) > 0 && !containsAddr(want, dst) {
			r.fail("dns", "%s resolves %s to %s, not the private endpoint %s", c.Name, name, dst, addrs(want))
			return r, nil
		}
		if _, owned := t.TargetOf(dst); !owned && res.Public {
			// A name outside the design: the same egress path the derived
			// intents check (NSG outbound rules, routes, firewall rules,
			// NAT gateway, public IP or load balancer), the destination
			// kept as a name.
			r.ok("dns", "%s resolves %s in public DNS (outside the design)", c.Name, name)
			egressPath(t, c, name, port, &r)
			return r, nil
		}
		r.ok("dns", "%s resolves %s to %s", c.Name, name, dst)
	}
	reachTCP(t, c, dst, port, name, &r)
	return r, nil
}

func containsAddr(as []netip.Addr, a netip.Addr) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func splitPort(s string) (string, uint16) {
	if i := strings.LastIndex(s, ":"); i > 0 {
		if p, err := strconv.Atoi(s[i+1:]); err == nil && p > 0 && p < 65536 {
			return s[:i], uint16(p)
		}
	}
	return s, 443
}

// targetName maps a resource name to the FQDN clients use, with the
// private addresses it must resolve to.
func targetName(t *twin.Twin, s string) (string, []netip.Addr) {
	for _, v := range t.Vaults {
		if strings.EqualFold(v.Name, s) || strings.EqualFold(v.FQDN, s) {
			return v.FQDN, endpointAddrs(v.Endpoints, 0)
		}
	}
	for _, g := range t.Registries {
		if strings.EqualFold(g.Name, s) || strings.EqualFold(g.LoginFQDN, s) {
			return g.LoginFQDN, endpointAddrs(g.Endpoints, 0)
		}
	}
	for _, c := range t.Clusters {
		if strings.EqualFold(c.Name, s) || strings.EqualFold(c.APIFQDN, s) {
			if c.APIEndpoint != nil {
				return c.APIFQDN, endpointAddrs([]*twin.PrivateEndpoint{c.APIEndpoint}, 0)
			}
			return c.APIFQDN, nil
		}
	}
	for _, vm := range t.VMs {
		if strings.EqualFold(vm.Name, s) && len(vm.NICs) > 0 {
			return vm.NICs[0].IP.String(), nil
		}
	}
	return s, nil
}

func findClient(t *twin.Twin, name string) (twin.Client, error) {
	var names []string
	for _, c := range vmClients(t) {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
		names = append(names, c.Name)
	}
	for _, cl := range t.Clusters {
		for _, p := range cl.Pools {
			if strings.EqualFold(name, p.Name) || strings.EqualFold(name, cl.Name+"/"+p.Name) {
				return p.Client(), nil
			}
			names = append(names, cl.Name+"/"+p.Name)
		}
	}
	for _, b := range t.Bastions {
		if strings.EqualFold(b.Name, name) && b.Subnet != nil {
			a := b.Subnet.Prefix.Addr()
			for range 4 {
				a = a.Next()
			}
			return twin.Client{Name: b.Name, Subnet: b.Subnet, Addr: a}, nil
		}
		names = append(names, b.Name)
	}
	return twin.Client{}, fmt.Errorf("no client %q; known: %s, or \"workload <name>\"", name, strings.Join(names, ", "))
}

// explainInternet traces what the Internet reaches of a target: a
// workload's host name, a gateway's public frontend, a VM's public IP, or the public endpoint of a vault,
// registry or API server.
func explainInternet(t *twin.Twin, to string) (Result, error) {
	// A workload's host name: the same check verify makes (listener,
	// NSG, certificate, redirect; or, for a private workload, that no
	// public listener serves it).
	name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(to, "https://"), "http://"), "/")
	for _, in := range workloadExposureIntents(t) {
		if in.From == "Internet" && strings.EqualFold(in.To, "https://"+name) {
			return Run(t, []Intent{in})[0], nil
		}
	}
	host, port := splitPort(to)
	portGiven := strings.Contains(to, ":")
	r := Result{Name: "Internet → " + to, From: "Internet", To: to, Status: Pass, Trace: []Step{}}
	for _, g := range t.Gateways {
		if strings.EqualFold(g.Name, host) {
			if !portGiven && len(g.Listeners["public"]) > 0 {
				port = g.Listeners["public"][0]
			}
			res := t.InternetToFrontend(g, port)
			r.netTrace(res)
			if !res.OK {
				r.fail("network", "%s", res.Why)
			}
			return r, nil
		}
	}
	for _, vm := range t.VMs {
		if !strings.EqualFold(vm.Name, host) {
			continue
		}
		if !portGiven {
			port = 22
		}
		for _, n := range vm.NICs {
			if n.PublicIP == nil {
				r.fail("exposure", "%s has no public IP: the Internet cannot reach it", n.Name)
				continue
			}
			res := t.InternetToNIC(n, port)
			r.netTrace(res)
			if !res.OK {
				r.fail("network", "%s", res.Why)
			}
		}
		return r, nil
	}
	for _, v := range t.Vaults {
		if strings.EqualFold(v.Name, host) || strings.EqualFold(v.FQDN, host) {
			return publicVerdict(r, v.PublicAccess, "key vault "+v.Name+": "+v.PublicWhy), nil
		}
	}
	for _, g := range t.Registries {
		if strings.EqualFold(g.Name, host) || strings.EqualFold(g.LoginFQDN, host) {
			return publicVerdict(r, g.PublicAccess, "registry "+g.Name+": "+g.PublicWhy), nil
		}
	}
	for _, c := range t.Clusters {
		if strings.EqualFold(c.Name, host) || strings.EqualFold(c.APIFQDN, host) {
			public := !c.Private
			why := "cluster " + c.Name + " is private: its API server has only a private endpoint"
			if public {
				why = fmt.Sprintf("cluster %s has a public API server (authorized ranges %v)", c.Name, c.AuthorizedRanges)
			}
			return publicVerdict(r, public, why), nil
		}
	}
	return Result{}, fmt.Errorf("nothing named %q that the Internet could reach (a gateway, VM, vault, registry or cluster)", host)
}

// publicVerdict records whether a public endpoint admits the Internet: the
// result passes when it does (explain answers "does the path exist?").
func publicVerdict(r Result, public bool, why string) Result {
	if public {
		r.ok("exposure", "%s", why)
	} else {
		r.fail("exposure", "%s", why)
	}
	return r
}

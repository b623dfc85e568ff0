package verify

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

func publicFrontendIntent(g *twin.AppGateway) Intent {
	return Intent{
		Name: "Internet → " + g.Name + " public frontend", From: "Internet", To: fmt.Sprintf("%s public frontend:%v", g.Name, g.Listeners["public"]),
		Check: func(t *twin.Twin, r *Result) {
			if g.Subnet == nil {
				r.outside("%s's subnet is not in this resource set: cannot decide", g.Name)
				return
			}
			for _, port := range g.Listeners["public"] {
				res := t.InternetToFrontend(g, port)
				r.netTrace(res)
				if !res.OK {
					r.fail("network", "Internet cannot reach %s on port %d: %s", g.Name, port, res.Why)
					return
				}
				r.ok("network", "Internet reaches %s public frontend on port %d", g.Name, port)
			}
		},
	}
}

func privateFrontendIntent(g *twin.AppGateway, from twin.Client) Intent {
	return Intent{
		Name: fmt.Sprintf("%s → %s private frontend", from.Name, g.Name), From: from.Name, To: fmt.Sprintf("%s:%v", g.PrivateIP, g.Listeners["private"]),
		Check: func(t *twin.Twin, r *Result) {
			if !inSet(from, r) {
				return
			}
			if g.Subnet == nil {
				r.outside("%s's subnet is not in this resource set: cannot decide", g.Name)
				return
			}
			for _, port := range g.Listeners["private"] {
				if !reachTCP(t, from, g.PrivateIP, port, g.Name+" private frontend", r) {
					return
				}
			}
		},
	}
}

// exposureIntents are the "must not" intents: the Internet reaches neither
// the API server, nor Key Vault, nor ACR, nor any VM.
func exposureIntents(t *twin.Twin) []Intent {
	var out []Intent
	for _, c := range t.Clusters {
		c := c
		out = append(out, Intent{Name: "Internet ↛ API server of " + c.Name, From: "Internet", To: c.APIFQDN,
			Check: func(t *twin.Twin, r *Result) {
				switch {
				case c.Private:
					r.ok("exposure", "%s is a private cluster: the API server has only a private endpoint", c.Name)
				case len(c.AuthorizedRanges) > 0:
					r.ok("exposure", "public API server restricted to %v", c.AuthorizedRanges)
				default:
					r.fail("exposure", "%s has a public API server open to every address (no authorizedIPRanges)", c.Name)
				}
			}})
	}
	for _, v := range t.Vaults {
		v := v
		out = append(out, Intent{Name: "Internet ↛ key vault " + v.Name, From: "Internet", To: v.FQDN,
			Check: func(t *twin.Twin, r *Result) {
				if v.PublicAccess {
					r.fail("exposure", "key vault %s accepts Internet traffic: %s", v.Name, v.PublicWhy)
					return
				}
				r.ok("exposure", "key vault %s: %s", v.Name, v.PublicWhy)
			}})
	}
	for _, g := range t.Registries {
		g := g
		out = append(out, Intent{Name: "Internet ↛ registry " + g.Name, From: "Internet", To: g.LoginFQDN,
			Check: func(t *twin.Twin, r *Result) {
				if g.PublicAccess {
					r.fail("exposure", "registry %s accepts Internet traffic: %s", g.Name, g.PublicWhy)
					return
				}
				r.ok("exposure", "registry %s: %s", g.Name, g.PublicWhy)
			}})
	}
	for _, vm := range t.VMs {
		out = append(out, machineExposure(vm.Name, vm.NICs))
	}
	for _, ss := range t.ScaleSets {
		if ss.NIC != nil {
			out = append(out, machineExposure(ss.Name, []*twin.NIC{ss.NIC}))
		}
	}
	return out
}

// machineExposure: the Internet reaches a VM (or scale set instance) on no
// port at all, through its public IPs or a public load balancer's rules;
// every port the NSGs open is judged, not only SSH and RDP.
func machineExposure(name string, nics []*twin.NIC) Intent {
	return Intent{Name: "Internet ↛ " + name, From: "Internet", To: name + ":every port",
		Check: func(t *twin.Twin, r *Result) {
			for _, n := range nics {
				open := t.InternetOpenPorts(n)
				if len(open) == 0 {
					if n.PublicIP == nil {
						r.ok("exposure", "%s has no public IP and no public load balancer rule leads to it", n.Name)
					} else {
						r.ok("exposure", "%s has public IP %s but its NSGs admit no port from the Internet", n.Name, n.PublicIP.Name)
					}
					continue
				}
				r.netTrace(open[0].Trace)
				var all []string
				for _, o := range open {
					all = append(all, o.String())
				}
				first := open[0]
				p := fmt.Sprintf("port %d", first.Ports.First)
				if first.Ports.First != first.Ports.Last {
					p = fmt.Sprintf("port %d (ports %s)", first.Ports.First, first.Ports)
				}
				r.fail("exposure", "%s is reachable from the Internet on %s (%s) through %s (open: %s)", name, p, strings.ToUpper(first.Protocol), first.Via, strings.Join(all, "; "))
				return
			}
		}}
}

package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/conventions"
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

// Workload exposure (tags privaks writes on a workload's identity):
// exposure public or private and the host name its listeners answer.
const (
	tagExposure = conventions.TagExposure
	tagHost     = conventions.TagHost
)

// exposedWorkload is a workload the gateway must (or must not) publish.
type exposedWorkload struct {
	name, exposure, host string
}

func exposedWorkloads(t *twin.Twin) []exposedWorkload {
	var out []exposedWorkload
	for _, id := range t.Identities {
		wl, exp := id.Tags[tagWorkload], id.Tags[tagExposure]
		if wl == "" || (exp != "public" && exp != "private") {
			continue
		}
		out = append(out, exposedWorkload{wl, exp, id.Tags[tagHost]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// workloadGateway is the gateway publishing the design's workloads: the
// one a cluster's AGIC add-on manages, or the only one.
func workloadGateway(t *twin.Twin) *twin.AppGateway {
	for _, c := range t.Clusters {
		for _, g := range t.Gateways {
			if c.AGICGateway != "" && c.AGICGateway.Equal(g.ID) {
				return g
			}
		}
	}
	if len(t.Gateways) == 1 {
		return t.Gateways[0]
	}
	return nil
}

// workloadExposureIntents: each public workload is reachable from the
// Internet over HTTPS on its own host name, each private one from the VNet
// on the private frontend and not from the Internet; every HTTPS listener
// presents a Key Vault certificate the gateway can fetch (its identity
// holds a role reading secrets on the vault, and it resolves and reaches
// the vault's private endpoint), and plain HTTP redirects to HTTPS.
func workloadExposureIntents(t *twin.Twin) []Intent {
	var out []Intent
	vms := vmClients(t)
	for _, w := range exposedWorkloads(t) {
		w := w
		host := w.host
		if host == "" {
			host = "(any host)"
		}
		if w.exposure == "public" {
			out = append(out, Intent{Name: fmt.Sprintf("Internet → workload %s (https://%s)", w.name, host), From: "Internet", To: "https://" + host,
				Check: func(t *twin.Twin, r *Result) { checkExposed(t, w, "public", twin.Client{}, r) }})
			continue
		}
		var from twin.Client
		for _, vm := range vms {
			if !isDNSServer(t, vm) {
				from = vm
				break
			}
		}
		if from.Name != "" {
			out = append(out, Intent{Name: fmt.Sprintf("%s → workload %s (https://%s)", from.Name, w.name, host), From: from.Name, To: "https://" + host,
				Check: func(t *twin.Twin, r *Result) { checkExposed(t, w, "private", from, r) }})
		}
		out = append(out, Intent{Name: fmt.Sprintf("Internet ↛ workload %s (https://%s)", w.name, host), From: "Internet", To: "https://" + host,
			Check: func(t *twin.Twin, r *Result) { checkNotPublic(t, w, r) }})
	}
	return out
}

// httpsListener finds the HTTPS listener on 443 of a frontend that answers
// host, preferring one naming it over a basic (any host) listener.
func httpsListener(g *twin.AppGateway, frontend, host string) *twin.Listener {
	var basic *twin.Listener
	for _, l := range g.HTTPListeners {
		if l.Frontend != frontend || l.Port != conventions.HTTPSPort || !strings.EqualFold(l.Protocol, "Https") || !l.Answers(host) {
			continue
		}
		if len(l.Hosts) > 0 {
			return l
		}
		basic = l
	}
	return basic
}

func checkExposed(t *twin.Twin, w exposedWorkload, frontend string, from twin.Client, r *Result) {
	g := workloadGateway(t)
	if g == nil {
		r.fail("exposure", "no application gateway publishes workload %s (exposure %s)", w.name, w.exposure)
		return
	}
	if g.Subnet == nil {
		r.outside("%s's subnet is not in this resource set: cannot decide", g.Name)
		return
	}
	if frontend == "public" && g.PublicIP == nil {
		r.fail("exposure", "%s has no public frontend: public workload %s cannot be reached from the Internet", g.Name, w.name)
		return
	}
	l := httpsListener(g, frontend, w.host)
	if l == nil {
		r.fail("exposure", "no HTTPS listener on %s's %s frontend (port %d) answers %s", g.Name, frontend, conventions.HTTPSPort, w.host)
		return
	}
	if !l.Routed {
		r.fail("exposure", "listener %s on %s answers %s but its rule %q sends nothing to a backend", l.Name, g.Name, w.host, l.Rule)
		return
	}
	if len(l.Hosts) == 0 {
		for _, o := range exposedWorkloads(t) {
			if o.name != w.name && o.exposure == w.exposure && httpsListener(g, frontend, o.host) == l {
				r.fail("exposure", "listener %s on %s answers every host: workloads %s and %s would both route / through it; give each its own listener with its host name",
					l.Name, g.Name, w.name, o.name)
				return
			}
		}
	}
	r.ok("exposure", "listener %s (%s frontend, HTTPS %d, host %s) routes to a backend by rule %s", l.Name, frontend, l.Port, hostsOf(l), l.Rule)
	if frontend == "public" {
		res := t.InternetToFrontend(g, l.Port)
		r.netTrace(res)
		if !res.OK {
			r.fail("network", "Internet cannot reach %s on port %d: %s", g.Name, l.Port, res.Why)
			return
		}
	} else if !inSet(from, r) || !reachTCP(t, from, g.PrivateIP, l.Port, g.Name+" private frontend", r) {
		return
	}
	if !gatewayCertificate(t, g, l, r) {
		return
	}
	httpRedirects(g, frontend, w.host, l, r)
}

func hostsOf(l *twin.Listener) string {
	if len(l.Hosts) == 0 {
		return "any"
	}
	return strings.Join(l.Hosts, ",")
}

// gatewayCertificate proves the listener's certificate can be fetched: a
// Key Vault reference the gateway's user-assigned identity may read (a
// secret-reading role in RBAC mode, an access policy otherwise), through
// the vault's private endpoint as the gateway resolves and reaches it.
func gatewayCertificate(t *twin.Twin, g *twin.AppGateway, l *twin.Listener, r *Result) bool {
	c := l.Certificate
	switch {
	case c == nil:
		r.fail("exposure", "HTTPS listener %s on %s has no certificate", l.Name, g.Name)
		return false
	case c.SecretID == "" && c.Uploaded:
		r.ok("exposure", "listener %s presents certificate %s uploaded to the gateway (not from Key Vault)", l.Name, c.Name)
		return true
	case c.SecretID == "" || c.Vault == "":
		r.fail("exposure", "certificate %s of %s has neither data nor a Key Vault secret ID", c.Name, g.Name)
		return false
	}
	var v *twin.Vault
	for _, x := range t.Vaults {
		if strings.EqualFold(x.Name, c.Vault) {
			v = x
		}
	}
	if v == nil {
		r.outside("certificate %s comes from vault %s, which is not in this resource set", c.Name, c.Vault)
		return false
	}
	if len(g.IdentityKeys) == 0 {
		r.fail("identity", "%s has no user-assigned identity: it cannot read certificate %s from Key Vault %s", g.Name, c.Name, v.Name)
		return false
	}
	secret := arm.ResourceID(string(v.ID) + "/secrets/" + c.Secret)
	granted := ""
	for i, k := range g.IdentityKeys {
		if v.RBAC {
			if ra, ok := t.HasRole(k, twin.SecretReaderRoles, secret); ok {
				granted = fmt.Sprintf("%s holds %s on %s", g.IdentityNames[i], twin.RoleName(ra.Role), lastSeg(ra.Scope))
				break
			}
		} else if id := t.IdentityByKey(k); id != nil && id.PrincipalID != "" && v.AccessPolicies[strings.ToLower(id.PrincipalID)] {
			granted = fmt.Sprintf("an access policy of %s lets %s get secrets", v.Name, g.IdentityNames[i])
			break
		}
	}
	if granted == "" {
		r.fail("identity", "identity %s of %s holds no role that reads secrets (Key Vault Secrets User) on %s: the gateway cannot fetch certificate %s and disables its HTTPS listeners",
			strings.Join(g.IdentityNames, ","), g.Name, v.Name, c.Secret)
		return false
	}
	r.ok("identity", "%s reads certificate %s (%s): %s", g.Name, c.Secret, c.SecretID, granted)
	if !agicKeepsIdentity(t, g, r) {
		return false
	}
	if !vaultPath(t, v, g.Client(), r) {
		return false
	}
	r.ok("scope", "certificate %s must exist in %s (imported or issued, docs/deploy.md): its presence is checked only against a live deployment", c.Secret, v.Name)
	return true
}

// agicKeepsIdentity: when a cluster's AGIC add-on manages the gateway, it
// rewrites the gateway with its identities, which needs
// userAssignedIdentities/assign/action on each (Managed Identity Operator);
// without it every AGIC update fails with LinkedAuthorizationFailed (AGIC
// issues #999, #1413).
func agicKeepsIdentity(t *twin.Twin, g *twin.AppGateway, r *Result) bool {
	for _, c := range t.Clusters {
		if c.AGICGateway == "" || !c.AGICGateway.Equal(g.ID) || !c.Addons["ingressapplicationgateway"] {
			continue
		}
		for i, k := range g.IdentityKeys {
			id := arm.ResourceID(strings.TrimPrefix(k, "uami:"))
			if id := t.IdentityByKey(k); id != nil && id.Resource != "" {
				if ra, ok := t.HasRole(twin.AGICKey(c), twin.IdentityAssignRoles, id.Resource); ok {
					r.ok("identity", "AGIC of %s holds %s on %s: it keeps the gateway's identity when it updates %s", c.Name, twin.RoleName(ra.Role), g.IdentityNames[i], g.Name)
					continue
				}
			}
			r.fail("identity", "AGIC of %s manages %s but holds no role with userAssignedIdentities/assign/action (Managed Identity Operator) on %s: its updates fail with LinkedAuthorizationFailed (%s)",
				c.Name, g.Name, g.IdentityNames[i], id)
			return false
		}
	}
	return true
}

// httpRedirects: an HTTP listener answering the host must redirect to the
// HTTPS listener, never serve plain HTTP.
func httpRedirects(g *twin.AppGateway, frontend, host string, https *twin.Listener, r *Result) {
	for _, l := range g.HTTPListeners {
		if l.Frontend != frontend || !strings.EqualFold(l.Protocol, "Http") || !l.Answers(host) {
			continue
		}
		switch {
		case l.Routed:
			r.fail("exposure", "listener %s serves http://%s:%d in plain HTTP; it must redirect to HTTPS", l.Name, host, l.Port)
		case strings.EqualFold(l.RedirectTo, https.Name) || strings.HasPrefix(strings.ToLower(l.RedirectURL), "https://"):
			r.ok("exposure", "http://%s:%d redirects to HTTPS (listener %s, rule %s)", host, l.Port, l.Name, l.Rule)
		}
		return
	}
	r.ok("exposure", "no plain HTTP listener answers %s", host)
}

// checkNotPublic proves the Internet reaches no listener serving a private
// workload's host: none on the public frontend answers it, or the NSG
// admits no Internet traffic to it.
func checkNotPublic(t *twin.Twin, w exposedWorkload, r *Result) {
	g := workloadGateway(t)
	if g == nil {
		r.ok("exposure", "no application gateway in the set")
		return
	}
	if g.PublicIP == nil {
		r.ok("exposure", "%s has no public frontend (a Private Application Gateway: Azure creates it only in subscriptions with the feature Microsoft.Network/EnableApplicationGatewayNetworkIsolation, docs/deploy.md)", g.Name)
		return
	}
	blocked := 0
	for _, l := range g.HTTPListeners {
		if l.Frontend != "public" || !l.Answers(w.host) || (!l.Routed && l.RedirectTo == "" && l.RedirectURL == "") {
			continue
		}
		if g.Subnet == nil {
			r.outside("%s's subnet is not in this resource set: cannot decide", g.Name)
			return
		}
		res := t.InternetToFrontend(g, l.Port)
		if res.OK {
			r.netTrace(res)
			r.fail("exposure", "private workload %s is reachable from the Internet: listener %s on %s's public frontend (port %d, host %s) answers %s",
				w.name, l.Name, g.Name, l.Port, hostsOf(l), w.host)
			return
		}
		blocked++
		r.ok("exposure", "listener %s on the public frontend answers %s, but %s", l.Name, w.host, res.Why)
	}
	if blocked == 0 {
		r.ok("exposure", "no listener on %s's public frontend serves %s: it is published on the private frontend %s only", g.Name, w.host, g.PrivateIP)
	}
}

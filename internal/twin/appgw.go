package twin

import (
	"net/netip"
	"net/url"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Listener is one Application Gateway HTTP(S) listener with what its
// routing rule does.
type Listener struct {
	Name     string
	Frontend string // "public" or "private"
	Port     uint16
	Protocol string // Http or Https
	// Hosts are the host names it answers (hostName, hostNames); none
	// makes it a basic listener that answers every host.
	Hosts []string
	// Certificate is the listener's TLS certificate (Https).
	Certificate *GatewayCertificate
	// Rule is the routing rule using the listener; Routed is true when it
	// sends requests to a backend (a pool or a path map), RedirectTo names
	// the listener it redirects to.
	Rule       string
	Routed     bool
	RedirectTo string
	// RedirectURL is set when the rule redirects to an external URL.
	RedirectURL string
}

// Answers reports whether the listener serves host.
func (l *Listener) Answers(host string) bool {
	if len(l.Hosts) == 0 {
		return true
	}
	for _, h := range l.Hosts {
		if wildcardMatch(strings.ToLower(h), strings.ToLower(host)) {
			return true
		}
	}
	return false
}

// GatewayCertificate is one sslCertificates[] entry: uploaded data, or a
// reference to a Key Vault secret read with the gateway's identity.
type GatewayCertificate struct {
	Name string
	// SecretID is keyVaultSecretId; Vault the vault name from its host,
	// Secret the secret (certificate) name.
	SecretID, Vault, Secret string
	Uploaded                bool // data given inline
}

// readListeners fills g's listeners, certificates and identities from the
// gateway resource.
func (t *Twin) readListeners(g *AppGateway, r *arm.Resource, kind map[string]string, ports map[string]uint16) {
	for _, id := range keysOf(obj(get(r.Identity, "userAssignedIdentities"))) {
		g.IdentityKeys = append(g.IdentityKeys, uamiKey(arm.ResourceID(id)))
		g.IdentityNames = append(g.IdentityNames, lastName(arm.ResourceID(id)))
	}
	certs := map[string]*GatewayCertificate{}
	for _, c := range list(r.Prop("sslCertificates")) {
		gc := &GatewayCertificate{Name: str(get(c, "name")), SecretID: str(get(c, "properties.keyVaultSecretId"))}
		gc.Uploaded = str(get(c, "properties.data")) != ""
		if u, err := url.Parse(gc.SecretID); err == nil && gc.SecretID != "" {
			gc.Vault, _, _ = strings.Cut(u.Host, ".")
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			if len(parts) >= 2 && parts[0] == "secrets" {
				gc.Secret = parts[1]
			}
		}
		certs[strings.ToLower(gc.Name)] = gc
		g.Certificates = append(g.Certificates, gc)
	}
	byName := map[string]*Listener{}
	for _, x := range list(r.Prop("httpListeners")) {
		l := &Listener{Name: str(get(x, "name")), Protocol: str(get(x, "properties.protocol"))}
		l.Frontend = kind[strings.ToLower(lastName(idRef(get(x, "properties.frontendIPConfiguration"))))]
		l.Port = ports[strings.ToLower(lastName(idRef(get(x, "properties.frontendPort"))))]
		if h := str(get(x, "properties.hostName")); h != "" {
			l.Hosts = append(l.Hosts, h)
		}
		l.Hosts = append(l.Hosts, strs(get(x, "properties.hostNames"))...)
		if c := idRef(get(x, "properties.sslCertificate")); c != "" {
			l.Certificate = certs[strings.ToLower(lastName(c))]
		}
		g.HTTPListeners = append(g.HTTPListeners, l)
		byName[strings.ToLower(l.Name)] = l
	}
	redirects := map[string]any{}
	for _, x := range list(r.Prop("redirectConfigurations")) {
		redirects[strings.ToLower(str(get(x, "name")))] = get(x, "properties")
	}
	for _, x := range list(r.Prop("requestRoutingRules")) {
		l := byName[strings.ToLower(lastName(idRef(get(x, "properties.httpListener"))))]
		if l == nil {
			continue
		}
		l.Rule = str(get(x, "name"))
		if rc := idRef(get(x, "properties.redirectConfiguration")); rc != "" {
			p := redirects[strings.ToLower(lastName(rc))]
			l.RedirectTo = lastName(idRef(get(p, "targetListener")))
			l.RedirectURL = str(get(p, "targetUrl"))
			continue
		}
		l.Routed = idRef(get(x, "properties.backendAddressPool")) != "" || idRef(get(x, "properties.urlPathMap")) != ""
	}
}

// Listener returns the listener with the given name.
func (g *AppGateway) Listener(name string) *Listener {
	for _, l := range g.HTTPListeners {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// Client is the gateway as a DNS and network client of its subnet: its
// instances take the subnet's first usable addresses and resolve through
// the VNet's DNS servers (Key Vault certificates, backends).
func (g *AppGateway) Client() Client {
	c := Client{Name: "application gateway " + g.Name, Subnet: g.Subnet}
	if g.Subnet != nil {
		c.Addr = firstUsable(g.Subnet.Prefix)
	}
	return c
}

// firstUsable is the first address Azure lets a resource take in p.
func firstUsable(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	for range 4 {
		a = a.Next()
	}
	return a
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

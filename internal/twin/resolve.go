package twin

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Client is something that sends DNS queries and packets from a subnet:
// a VM's NIC, a node pool's nodes and pods.
type Client struct {
	Name   string
	Subnet *Subnet
	Addr   netip.Addr
	NIC    *NIC // nil for node pools (they inherit the VNet's DNS)
	// Outbound is a node pool's cluster outboundType; empty for VMs.
	Outbound string
}

// Step is one hop of a DNS trace.
type Step struct {
	Server   string // who was asked
	Question string
	Answer   string // "A 10.0.3.5", "CNAME x", "NXDOMAIN", "REFUSED", "no answer"
	// Source says where the answer came from: a private zone and its link,
	// a conditional forwarder, public DNS.
	Source string
}

func (s Step) String() string {
	return s.Server + " asks " + s.Question + " → " + s.Answer + " [" + s.Source + "]" // verify writes one per step
}

// Resolution is the outcome of resolving one name from one client.
type Resolution struct {
	Name  string
	Addrs []netip.Addr
	// Public is true when the final answer came from public DNS rather
	// than a private zone.
	Public   bool
	NXDomain bool
	// Err is set when resolution failed for another reason (no server,
	// refused, unreachable, loop).
	Err string
	// Outside is set when the answer depends on a resolver outside the set
	// (an on-premises DNS server): the model cannot decide it.
	Outside bool
	Steps   []Step
}

// OK reports whether the name resolved to at least one address.
func (r Resolution) OK() bool { return r.Err == "" && !r.NXDomain && len(r.Addrs) > 0 }

// Servers returns the DNS servers a client uses and why: NIC override, VNet
// setting, or Azure-provided DNS (azure-rules.md §1.2).
func (t *Twin) DNSServersOf(c Client) ([]netip.Addr, string) {
	if c.NIC != nil {
		if c.NIC.AzureProvided {
			return []netip.Addr{AzureDNS}, "NIC " + c.NIC.Name + " overrides DNS with AzureProvidedDNS"
		}
		if len(c.NIC.DNSServers) > 0 {
			return c.NIC.DNSServers, "NIC " + c.NIC.Name + " overrides DNS servers"
		}
	}
	if c.Subnet == nil {
		return nil, "client has no subnet"
	}
	v := c.Subnet.VNet
	if len(v.DNSServers) > 0 {
		return v.DNSServers, v.Name + " dhcpOptions.dnsServers"
	}
	if len(v.DNSUnknown) > 0 {
		return nil, v.Name + " DNS servers are not known before deployment: " + strings.Join(v.DNSUnknown, ", ")
	}
	return []netip.Addr{AzureDNS}, v.Name + " uses Azure-provided DNS"
}

const maxDepth = 16

type resolver struct {
	t       *Twin
	steps   []Step
	outside bool // an answer came from a resolver outside the set
}

func (r *resolver) step(s Step) { r.steps = append(r.steps, s) }

// rr is one record of an answer chain.
type rr struct {
	name, typ, value string // typ: A, CNAME, NXDOMAIN, ERR
	public           bool
}

// Memoize makes Resolve remember, until done is called, the part of a
// resolution that depends only on the client: which DNS server it asks
// and whether UDP and TCP 53 get there (two Reach calls, the same for
// every name the client resolves; verify asks thousands of names from one
// node pool). The twin must not change while the scope is open: verify.Run
// opens one around its intents, which only read the twin. While it is
// open servers' answers are remembered (ask), and PoolCluster,
// IssuerCluster and public DNS answer from indexes. Scopes nest
// (an inner one is the outer one); the twin is not safe for concurrent use.
func (t *Twin) Memoize() (done func()) {
	if t.clientDNS != nil {
		return func() {}
	}
	t.clientDNS = map[Client]clientDNS{}
	t.stepText = map[Step]string{}
	t.asked = map[askKey]asked{}
	return func() {
		t.clientDNS, t.stepText, t.asked, t.poolClusters, t.issuers, t.publicFQDNs = nil, nil, nil, nil, nil, nil
	}
}

// StepText is s.String(). While a Memoize scope is open, equal steps give
// the same string, built once: the steps of one name asked through the
// same servers repeat for every client that asks it.
func (t *Twin) StepText(s Step) string {
	if t.stepText == nil {
		return s.String()
	}
	if x, ok := t.stepText[s]; ok {
		return x
	}
	x := s.String()
	t.stepText[s] = x
	return x
}

// clientDNS is the client-dependent start of a resolution: the server, the
// steps up to asking it, and the error that ends the resolution there.
type clientDNS struct {
	srv   *DNSServer
	steps []Step
	err   string
}

// dnsStart works out a client's DNS server and whether it gets there.
func (t *Twin) dnsStart(c Client) clientDNS {
	if m, ok := t.clientDNS[c]; ok {
		return m
	}
	var out clientDNS
	servers, why := t.DNSServersOf(c)
	if len(servers) == 0 {
		out.err = why
	} else {
		srv := t.Server(servers[0])
		out.srv = srv
		out.steps = []Step{{Server: c.Name, Question: "which DNS server", Answer: srv.String(), Source: why}}
		if srv.Kind != ServerAzure && srv.Kind != ServerPublic && srv.Kind != ServerNone && srv.Kind != ServerExternal && srv.Kind != ServerUnreachable && c.Subnet != nil {
			// DNS uses UDP 53 and falls back to TCP 53 for large answers:
			// both must get through.
			for _, proto := range []string{"Udp", "Tcp"} {
				if reach := t.Reach(c, srv.Addr, proto, 53); !reach.OK {
					out.err = "DNS server " + srv.String() + " unreachable on " + strings.ToUpper(proto) + " 53: " + reach.Why
					break
				}
			}
			if out.err == "" {
				out.steps = append(out.steps, Step{Server: c.Name, Question: "UDP and TCP 53 to " + srv.Addr.String(), Answer: "delivered", Source: "routes and NSGs on the path"})
			}
		}
	}
	if t.clientDNS != nil {
		t.clientDNS[c] = out
	}
	return out
}

// Resolve resolves name as the client would: through its first DNS server,
// modelling Azure DNS, privaks' BIND forwarder (measured behaviour, §1.4a),
// resolver endpoints and public DNS.
func (t *Twin) Resolve(c Client, name string) Resolution {
	name = canonical(name)
	res := Resolution{Name: name}
	start := t.dnsStart(c)
	if start.srv == nil {
		res.Err = start.err
		return res
	}
	// The steps are copied: a Resolution's Steps are its own.
	r := &resolver{t: t, steps: append(make([]Step, 0, len(start.steps)+6), start.steps...)}
	if start.err != "" {
		res.Err = start.err
		res.Steps = r.steps
		return res
	}
	srv := start.srv
	var ctx *VNet
	if c.Subnet != nil {
		ctx = c.Subnet.VNet
	}
	chain := r.ask(srv, ctx, c.Addr, name, 0)
	res.Steps = r.steps
	res.Outside = r.outside
	for _, x := range chain {
		switch x.typ {
		case "A":
			a, _ := netip.ParseAddr(x.value)
			res.Addrs = append(res.Addrs, a)
			res.Public = x.public
		case "NXDOMAIN":
			res.NXDomain = true
		case "ERR":
			res.Err = x.value
		}
	}
	return res
}

// askKey is what a server's answer to a name depends on: the server, the
// VNet whose context Azure DNS answers in (nil for other servers, which do
// not read it), the name and the depth (the loop bound). The asking
// address matters only to BIND's allow-query, and an answer that refuses
// it (naming the address) is not remembered.
type askKey struct {
	s     *DNSServer
	ctx   *VNet
	name  string
	depth int
}

// asked is a remembered answer: the chain, the steps the server and those
// it asked took, and whether one of them was outside the set.
type asked struct {
	chain   []rr
	steps   []Step
	outside bool
}

// ask sends name to one server and returns the whole answer chain the
// server gives (CNAMEs, then an A, NXDOMAIN or ERR). While a Memoize scope
// is open the answer is remembered: every node pool asks the shared
// forwarder for the same vault and registry names, and from there on the
// answer does not depend on who asked.
func (r *resolver) ask(s *DNSServer, ctx *VNet, from netip.Addr, name string, depth int) []rr {
	if r.t.asked == nil {
		return r.askServer(s, ctx, from, name, depth)
	}
	k := askKey{s: s, name: name, depth: depth}
	if s.Kind == ServerAzure {
		k.ctx = ctx
	}
	if s.Kind == ServerBIND && bindRefuses(s, from) {
		return r.askServer(s, ctx, from, name, depth)
	}
	if a, ok := r.t.asked[k]; ok {
		r.steps = append(r.steps, a.steps...)
		r.outside = r.outside || a.outside
		return a.chain
	}
	n, outside := len(r.steps), r.outside
	r.outside = false
	chain := slices.Clip(r.askServer(s, ctx, from, name, depth))
	r.t.asked[k] = asked{chain: chain, steps: slices.Clone(r.steps[n:]), outside: r.outside}
	r.outside = r.outside || outside
	return chain
}

// bindRefuses reports whether BIND on s refuses a query from from: the
// only part of its answer that depends on who asks.
func bindRefuses(s *DNSServer, from netip.Addr) bool {
	cfg := s.Config
	if len(cfg.ListenOn) > 0 && !containsAddr(cfg.ListenOn, s.Addr) {
		return false // it does not answer anyone
	}
	return from.IsValid() && len(cfg.Allow) > 0 && !containsPrefix(cfg.Allow, from)
}

// askServer is ask without the memory.
func (r *resolver) askServer(s *DNSServer, ctx *VNet, from netip.Addr, name string, depth int) []rr {
	if depth > maxDepth {
		return []rr{{name: name, typ: "ERR", value: "resolution loop (more than 16 hops)"}}
	}
	switch s.Kind {
	case ServerAzure:
		if ctx == nil {
			return []rr{{name: name, typ: "ERR", value: "168.63.129.16 answers only queries from inside a VNet"}}
		}
		return r.azure(ctx, name, depth)
	case ServerInbound, ServerFirewall:
		if s.Undecided != "" {
			r.outside = true
			r.step(Step{Server: s.String(), Question: name, Answer: "unknown", Source: s.Undecided})
			return []rr{{name: name, typ: "ERR", value: s.Undecided}}
		}
		if s.VNet == nil {
			return []rr{{name: name, typ: "ERR", value: s.String() + " has no VNet in the model"}}
		}
		if len(s.Upstreams) > 0 {
			up := r.t.Server(s.Upstreams[0])
			r.step(Step{Server: s.String(), Question: name, Answer: "forwards to " + up.String(), Source: "DNS proxy custom servers (" + s.Note + ")"})
			return r.ask(up, s.VNet, s.Addr, name, depth+1)
		}
		via := "in the context of " + s.VNet.Name
		if s.Kind == ServerFirewall {
			via = "DNS proxy with no custom servers (" + s.Note + "): Azure DNS " + via
		}
		r.step(Step{Server: s.String(), Question: name, Answer: "forwards to Azure DNS", Source: via})
		return r.azure(s.VNet, name, depth+1)
	case ServerUnreachable:
		msg := "DNS server " + s.Addr.String() + " is unreachable: " + s.Note
		r.step(Step{Server: s.Addr.String(), Question: name, Answer: "no answer", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	case ServerBIND:
		return r.bind(s, from, name, depth)
	case ServerPublic:
		return r.public(name, depth)
	case ServerExternal:
		r.outside = true
		msg := s.Addr.String() + " is a resolver outside this design (on-premises or another network): its answer is not modelled"
		if s.Note != "" {
			msg += "; " + s.Note
		}
		r.step(Step{Server: s.Addr.String(), Question: name, Answer: "unknown", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	case ServerVM:
		msg := s.String() + ": the VM's DNS software is unknown (no BIND configuration in its cloud-init)"
		if s.Note != "" {
			msg += "; " + s.Note
		}
		r.step(Step{Server: s.String(), Question: name, Answer: "unknown", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	msg := "nothing in the design answers DNS at " + s.Addr.String()
	if s.Note != "" {
		msg = s.Note
	}
	r.step(Step{Server: s.Addr.String(), Question: name, Answer: "no answer", Source: msg})
	return []rr{{name: name, typ: "ERR", value: msg}}
}

// azure models 168.63.129.16 in the context of VNet ctx: the longest
// private zone linked to ctx that holds the name answers authoritatively
// (NXDOMAIN if it has no record, unless the link falls back to the
// Internet); otherwise public DNS answers. Each CNAME target is resolved
// again the same way, which is how privatelink CNAMEs land in private zones.
func (r *resolver) azure(ctx *VNet, name string, depth int) []rr {
	chain := make([]rr, 0, 2)
	server := "Azure DNS (168.63.129.16 in " + ctx.Name + ")"
	for hop := 0; hop < maxDepth; hop++ {
		link := longestLink(ctx, name)
		if link == nil {
			if rs, fr := r.t.ruleFor(ctx, name); fr != nil {
				return append(chain, r.forward(ctx, rs, fr, name, depth)...)
			}
		}
		if link != nil {
			if other := overlapping(ctx, link); other != nil {
				msg := fmt.Sprintf("%s is linked to zones with overlapping namespaces (%s and %s): ARM rejects the second link (\"A virtual network cannot be linked to multiple zones with overlapping namespaces\", azure-rules.md §1.3)", ctx.Name, link.Zone.Name, other.Zone.Name)
				r.step(Step{Server: server, Question: name, Answer: "deployment fails", Source: msg})
				return append(chain, rr{name: name, typ: "ERR", value: msg})
			}
			recs := link.Zone.lookup(name)
			if len(recs) == 0 && !link.Fallback {
				r.step(Step{Server: server, Question: name, Answer: "NXDOMAIN", Source: "private zone " + link.Zone.Name + " (" + link.Source + ") has no record for it"})
				return append(chain, rr{name: name, typ: "NXDOMAIN"})
			}
			if len(recs) > 0 {
				rec := recs[0]
				note := ""
				if rec.Predicted {
					note = ", address predicted"
				}
				r.step(Step{Server: server, Question: name, Answer: rec.Type + " " + rec.Value, Source: "private zone " + link.Zone.Name + " via " + link.Source + " (" + rec.Source + note + ")"})
				if rec.Type == "A" {
					for _, x := range recs {
						if x.Type == "A" && x.Unknown != "" {
							// DNS answers every record of the set: one
							// whose address only a deployment knows
							// leaves the answer undecided.
							msg := fmt.Sprintf("%s in private zone %s holds an address only known at deployment time: %s", x.Source, link.Zone.Name, x.Unknown)
							r.outside = true
							r.step(Step{Server: server, Question: name, Answer: "unknown", Source: msg})
							return append(chain, rr{name: name, typ: "ERR", value: msg})
						}
					}
					for _, x := range recs {
						if x.Type == "A" {
							chain = append(chain, rr{name: name, typ: "A", value: x.Value})
						}
					}
					return chain
				}
				chain = append(chain, rr{name: name, typ: "CNAME", value: rec.Value})
				name = rec.Value
				continue
			}
			r.step(Step{Server: server, Question: name, Answer: "retry publicly", Source: "private zone " + link.Zone.Name + " has no record; link resolutionPolicy NxDomainRedirect"})
		}
		x := r.t.publicStep(name)
		r.step(Step{Server: server, Question: name, Answer: x.answer(), Source: "public DNS (no private zone linked to " + ctx.Name + " holds this name)"})
		chain = append(chain, x)
		if x.typ != "CNAME" {
			return chain
		}
		name = x.value
	}
	return append(chain, rr{name: name, typ: "ERR", value: "CNAME chain too long"})
}

func (x rr) answer() string {
	if a, err := netip.ParseAddr(x.value); x.typ == "A" && err == nil && IsPlaceholderPublic(a) {
		// The model does not know public answers: say so rather than
		// print the stand-in address.
		return "A (a public address the model does not know)"
	}
	switch x.typ {
	case "A", "CNAME":
		return x.typ + " " + x.value
	}
	return x.typ
}

// longestLink returns the link of the longest private zone linked to v
// that contains name.
func longestLink(v *VNet, name string) *ZoneLink {
	var best *ZoneLink
	for _, l := range v.Links {
		if inZone(name, l.Zone.Name) && (best == nil || len(l.Zone.Name) > len(best.Zone.Name)) {
			best = l
		}
	}
	return best
}

// public resolves name entirely on the Internet, returning the whole chain.
func (r *resolver) public(name string, depth int) []rr {
	var chain []rr
	for hop := 0; hop < maxDepth; hop++ {
		x := r.t.publicStep(name)
		r.step(Step{Server: "public DNS", Question: name, Answer: x.answer(), Source: "Internet"})
		chain = append(chain, x)
		if x.typ != "CNAME" {
			return chain
		}
		name = x.value
	}
	return chain
}

// bind models privaks' BIND 9.18 forwarder: each question goes to the
// forwarder of the longest matching forward zone; from the upstream's
// answer only the first record is used, and a CNAME target is looked up
// anew (azure-rules.md §1.4a, measured).
func (r *resolver) bind(s *DNSServer, from netip.Addr, name string, depth int) []rr {
	cfg := s.Config
	if len(cfg.ListenOn) > 0 && !containsAddr(cfg.ListenOn, s.Addr) {
		msg := "BIND on " + s.Name + " does not listen on " + s.Addr.String()
		r.step(Step{Server: s.String(), Question: name, Answer: "no answer", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	if from.IsValid() && len(cfg.Allow) > 0 && !containsPrefix(cfg.Allow, from) {
		msg := "BIND on " + s.Name + " refuses " + from.String() + " (not in allow-query)"
		r.step(Step{Server: s.String(), Question: name, Answer: "REFUSED", Source: msg})
		return []rr{{name: name, typ: "ERR", value: msg}}
	}
	const maxRestarts = 11 // BIND 9.18 max-query-restarts default; bind.Config does not set it
	var chain []rr
	for hop := 0; hop < maxDepth; hop++ {
		zone, fwds := s.ForwarderFor(name)
		src := "default forwarders"
		if zone != "." {
			src = "conditional forwarder for " + zone
		}
		if len(fwds) == 0 {
			r.step(Step{Server: s.String(), Question: name, Answer: "recursion from the root", Source: src + " has no forwarders"})
			return append(chain, r.public(name, depth+1)...)
		}
		up := r.t.Server(fwds[0])
		r.step(Step{Server: s.String(), Question: name, Answer: "forwards to " + up.String(), Source: src})
		ans := r.ask(up, s.VNet, s.Addr, name, depth+1)
		if len(ans) == 0 {
			return append(chain, rr{name: name, typ: "ERR", value: "empty answer"})
		}
		first := ans[0]
		if first.typ != "CNAME" {
			if first.typ == "A" {
				return append(chain, ans...)
			}
			return append(chain, first)
		}
		chain = append(chain, first)
		name = first.value
		// BIND follows at most max-query-restarts (default 11) CNAMEs per
		// client query, then answers SERVFAIL with the CNAMEs it has
		// (measured with BIND 9.18.49, internal/twin/twintest).
		if hop+1 > maxRestarts {
			msg := fmt.Sprintf("BIND on %s gives up after %d CNAMEs (max-query-restarts %d): SERVFAIL", s.Name, maxRestarts, maxRestarts)
			r.step(Step{Server: s.String(), Question: name, Answer: "SERVFAIL", Source: msg})
			return append(chain, rr{name: name, typ: "ERR", value: msg})
		}
	}
	return append(chain, rr{name: name, typ: "ERR", value: "CNAME chain too long"})
}

func containsAddr(as []netip.Addr, a netip.Addr) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func containsPrefix(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// publicStep is one step of public DNS for the Azure names the model knows
// (azure-rules.md §1.6): a service with a private endpoint publishes a
// CNAME into its privatelink zone; privatelink names of Key Vault and ACR
// continue to a public address; AKS privatelink names do not resolve
// publicly; a private cluster's public FQDN resolves to the private
// endpoint address. Other names get a stable placeholder public address.
func (t *Twin) publicStep(name string) rr {
	label, rest := cutLabel(name)
	if c := t.publicFQDNCluster(name); c != nil {
		return rr{name: name, typ: "A", value: c.APIEndpoint.NICs[0].IP.String(), public: true}
	}
	if strings.Contains(name, ".privatelink.") || strings.HasPrefix(rest, "privatelink.") {
		if strings.HasSuffix(name, ".azmk8s.io") {
			return rr{name: name, typ: "NXDOMAIN", public: true}
		}
		return rr{name: name, typ: "A", value: placeholderPublic(name), public: true}
	}
	if target := t.privatelinkCNAME(label, rest); target != "" {
		return rr{name: name, typ: "CNAME", value: target, public: true}
	}
	return rr{name: name, typ: "A", value: placeholderPublic(name), public: true}
}

// cutLabel splits name at its first dot outside braces: a reader renders
// a name segment known only after apply as "{expr}" ("{random_string.sa.result}.blob.core.windows.net"),
// and the expression's dots are not the name's.
func cutLabel(name string) (label, rest string) {
	depth := 0
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '{':
			depth++
		case '}':
			depth = max(depth-1, 0)
		case '.':
			if depth == 0 {
				return name[:i], name[i+1:]
			}
		}
	}
	return name, ""
}

// privatelinkCNAME returns the privatelink name Azure publishes for
// label.rest when a private endpoint targets a resource named label.
func (t *Twin) privatelinkCNAME(label, rest string) string {
	if t.endpointTargets == nil {
		t.endpointTargets = map[string]bool{}
		for _, pe := range t.Endpoints {
			if !pe.Implicit {
				t.endpointTargets[strings.ToLower(lastName(pe.Target))] = true
			}
		}
	}
	if !t.endpointTargets[strings.ToLower(label)] {
		return ""
	}
	switch {
	case rest == "vault.azure.net":
		return label + ".privatelink.vaultcore.azure.net"
	case strings.HasSuffix(rest, "azurecr.io"):
		return label + "." + strings.TrimSuffix(rest, "azurecr.io") + "privatelink.azurecr.io"
	}
	return label + ".privatelink." + rest
}

// publicFQDNCluster returns the first private cluster whose public FQDN
// is name and resolves to its private endpoint, or nil. While a Memoize
// scope is open it comes from an index by FQDN (public DNS asked every
// cluster for every name: quadratic with a cluster per spoke).
func (t *Twin) publicFQDNCluster(name string) *Cluster {
	answers := func(c *Cluster) bool { return c.APIEndpoint != nil && (c.PublicFQDN || c.DNSMode == "none") }
	if t.clientDNS == nil {
		for _, c := range t.Clusters {
			if answers(c) && c.isPublicFQDN(name) {
				return c
			}
		}
		return nil
	}
	if t.publicFQDNs == nil {
		t.publicFQDNs = map[string]*Cluster{}
		for _, c := range t.Clusters {
			if f := c.publicFQDN(); answers(c) && t.publicFQDNs[f] == nil {
				t.publicFQDNs[f] = c
			}
		}
	}
	return t.publicFQDNs[name]
}

func (c *Cluster) publicFQDN() string {
	h, _, _ := strings.Cut(c.APIFQDN, ".")
	return h + ".hcp." + c.Region + ".azmk8s.io"
}

// isPublicFQDN reports name == c.publicFQDN() without building it (public
// DNS asks it of every cluster for every name).
func (c *Cluster) isPublicFQDN(name string) bool {
	h, _, _ := strings.Cut(c.APIFQDN, ".")
	rest, ok := strings.CutPrefix(name, h)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, ".hcp.")
	if !ok {
		return false
	}
	return strings.HasPrefix(rest, c.Region) && rest[len(c.Region):] == ".azmk8s.io"
}

// placeholderPublic returns a stable address in 203.0.113.0/24 (TEST-NET-3)
// standing for a public answer the model does not know.
func placeholderPublic(name string) string {
	h := sha256.Sum256([]byte(name))
	return netip.AddrFrom4([4]byte{203, 0, 113, h[0]}).String()
}

// IsPlaceholderPublic reports whether a is a placeholder public address.
func IsPlaceholderPublic(a netip.Addr) bool { return testNet3.Contains(a) }

var testNet3 = netip.MustParsePrefix("203.0.113.0/24")

// overlapping returns another link of v whose zone is a parent or child of
// l's zone, if any.
func overlapping(v *VNet, l *ZoneLink) *ZoneLink {
	for _, o := range v.Links {
		if o != l && o.Zone != l.Zone && (inZone(o.Zone.Name, l.Zone.Name) || inZone(l.Zone.Name, o.Zone.Name)) {
			return o
		}
	}
	return nil
}

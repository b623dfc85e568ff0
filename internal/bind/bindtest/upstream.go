package bindtest

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
)

// NegativeTTL is the SOA TTL and minimum an Upstream puts in its negative
// answers: long, so that BIND's max-ncache-ttl is what limits caching.
const NegativeTTL = 300

// Query is one question an Upstream received.
type Query struct {
	Name string // canonical: lower-case, no trailing dot
	Type string // "A", "CNAME", ...
	From netip.AddrPort
}

// Upstream is a DNS server standing in for Azure DNS or a public resolver:
// it answers from its records, following CNAMEs inside them so that one
// answer carries the whole chain it knows, and answers NXDOMAIN (with a
// SOA for negative caching) for names it has no record for.
type Upstream struct {
	Addr netip.AddrPort

	mu      sync.Mutex
	records []dns.RR
	queries []Query
}

// StartUpstream serves records (zone-file lines such as
// "myvault.vault.azure.net. 60 IN CNAME myvault.privatelink.vaultcore.azure.net.")
// on UDP and TCP at addr ("127.0.0.53:5300") until the test ends.
// Prefer StartUpstreams, which picks the port itself.
func StartUpstream(t testing.TB, addr string, records ...string) *Upstream {
	t.Helper()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		t.Fatalf("parse upstream address %q: %v", addr, err)
	}
	if !ap.Addr().IsLoopback() {
		t.Fatalf("upstream address %q: tests bind loopback only", addr)
	}
	conns, err := listenAll([]netip.Addr{ap.Addr()}, ap.Port())
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	u := &Upstream{Addr: ap}
	u.Add(t, records...)
	u.serve(t, conns[0], conns[1])
	return u
}

// UpstreamSpec is one stand-in of StartUpstreams: its loopback address and
// the records it serves.
type UpstreamSpec struct {
	Addr    netip.Addr
	Records []string
}

// StartUpstreams serves each spec on UDP and TCP on one port shared by all
// (BIND takes one forwarder port for every forwarder) until the test ends,
// and returns that port with the upstreams in spec order. The kernel picks
// the port (port 0 on the first address); when another address has it
// taken, every socket is closed and another port is tried, so no test
// depends on a port staying free between choosing and binding it.
func StartUpstreams(t testing.TB, specs ...UpstreamSpec) (uint16, []*Upstream) {
	t.Helper()
	addrs := make([]netip.Addr, len(specs))
	for i, sp := range specs {
		if !sp.Addr.IsLoopback() {
			t.Fatalf("upstream address %s: tests bind loopback only", sp.Addr)
		}
		addrs[i] = sp.Addr
	}
	var lastErr error
	for range 50 {
		conns, err := listenAll(addrs, 0)
		if err != nil {
			lastErr = err
			continue
		}
		port := uint16(conns[0].(net.PacketConn).LocalAddr().(*net.UDPAddr).Port)
		ups := make([]*Upstream, len(specs))
		for i, sp := range specs {
			u := &Upstream{Addr: netip.AddrPortFrom(sp.Addr, port)}
			u.Add(t, sp.Records...)
			u.serve(t, conns[2*i], conns[2*i+1])
			ups[i] = u
		}
		return port, ups
	}
	t.Fatalf("no port free for UDP and TCP on every address of %v after 50 tries: %v", addrs, lastErr)
	return 0, nil
}

// listenAll binds UDP then TCP on port at every address, returning
// [udp0, tcp0, udp1, tcp1, ...]. With port 0 the kernel picks the first UDP
// port and the others take the same one. On any error all are closed.
func listenAll(addrs []netip.Addr, port uint16) ([]io.Closer, error) {
	var conns []io.Closer
	fail := func(err error) ([]io.Closer, error) {
		for _, c := range conns {
			_ = c.Close()
		}
		return nil, err
	}
	for _, a := range addrs {
		pc, err := net.ListenPacket("udp", netip.AddrPortFrom(a, port).String())
		if err != nil {
			return fail(err)
		}
		conns = append(conns, pc)
		port = uint16(pc.LocalAddr().(*net.UDPAddr).Port)
		l, err := net.Listen("tcp", netip.AddrPortFrom(a, port).String())
		if err != nil {
			return fail(err)
		}
		conns = append(conns, l)
	}
	return conns, nil
}

// serve answers on the bound sockets until the test ends.
func (u *Upstream) serve(t testing.TB, udp, tcp io.Closer) {
	t.Helper()
	for _, srv := range []*dns.Server{
		{PacketConn: udp.(net.PacketConn), Handler: u},
		{Listener: tcp.(net.Listener), Handler: u},
	} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { _ = srv.ActivateAndServe() }()
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatalf("upstream %s did not start within 30s", u.Addr)
		}
		t.Cleanup(func() { _ = srv.Shutdown() })
	}
}

// Add adds records (zone-file lines) to the upstream's data.
func (u *Upstream) Add(t testing.TB, records ...string) {
	t.Helper()
	for _, r := range records {
		rr, err := dns.NewRR(r)
		if err != nil || rr == nil {
			t.Fatalf("parse record %q: %v", r, err)
		}
		u.mu.Lock()
		u.records = append(u.records, rr)
		u.mu.Unlock()
	}
}

// Queries returns the questions received so far, in order.
func (u *Upstream) Queries() []Query {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]Query(nil), u.queries...)
}

// Names returns the distinct names asked so far, in first-asked order.
func (u *Upstream) Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range u.Queries() {
		if !seen[q.Name] {
			seen[q.Name] = true
			out = append(out, q.Name)
		}
	}
	return out
}

// Reset forgets the questions received so far.
func (u *Upstream) Reset() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.queries = nil
}

// ServeDNS implements dns.Handler.
func (u *Upstream) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	m.RecursionAvailable = true
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	from, _ := netip.ParseAddrPort(w.RemoteAddr().String())
	u.mu.Lock()
	u.queries = append(u.queries, Query{Name: bind.CanonicalName(q.Name), Type: dns.TypeToString[q.Qtype], From: from})
	m.Answer, m.Rcode = u.answer(q.Name, q.Qtype)
	u.mu.Unlock()
	if len(m.Answer) == 0 || m.Rcode == dns.RcodeNameError {
		m.Ns = []dns.RR{soa(lastName(q.Name, m.Answer))}
	}
	_ = w.WriteMsg(m)
}

// answer follows CNAMEs through the records; u.mu is held.
func (u *Upstream) answer(name string, qtype uint16) ([]dns.RR, int) {
	var out []dns.RR
	for range 16 {
		var found, cname []dns.RR
		for _, rr := range u.records {
			if !strings.EqualFold(rr.Header().Name, dns.Fqdn(name)) {
				continue
			}
			switch {
			case rr.Header().Rrtype == qtype:
				found = append(found, dns.Copy(rr))
			case rr.Header().Rrtype == dns.TypeCNAME:
				cname = append(cname, dns.Copy(rr))
			}
		}
		switch {
		case len(found) > 0:
			return append(out, found...), dns.RcodeSuccess
		case len(cname) > 0:
			out = append(out, cname[0])
			name = cname[0].(*dns.CNAME).Target
		default:
			if u.exists(name) {
				return out, dns.RcodeSuccess
			}
			return out, dns.RcodeNameError
		}
	}
	return out, dns.RcodeServerFailure
}

func (u *Upstream) exists(name string) bool {
	for _, rr := range u.records {
		if strings.EqualFold(rr.Header().Name, dns.Fqdn(name)) {
			return true
		}
	}
	return false
}

// lastName is the name the negative answer is about: the end of the chain.
func lastName(qname string, answer []dns.RR) string {
	if n := len(answer); n > 0 {
		if c, ok := answer[n-1].(*dns.CNAME); ok {
			return c.Target
		}
	}
	return qname
}

// soa is a SOA record for the parent of name, used to make negative answers
// cacheable (RFC 2308).
func soa(name string) dns.RR {
	parent := dns.Fqdn(name)
	if i, end := dns.NextLabel(parent, 0); !end {
		parent = parent[i:]
	}
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: parent, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: NegativeTTL},
		Ns:      "ns." + strings.TrimPrefix(parent, "."),
		Mbox:    "hostmaster." + strings.TrimPrefix(parent, "."),
		Serial:  1,
		Refresh: 3600, Retry: 600, Expire: 86400,
		Minttl: NegativeTTL,
	}
}

// String names the upstream for messages.
func (u *Upstream) String() string { return fmt.Sprintf("upstream %s", u.Addr) }

package twintest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/bind/bindtest"
	"github.com/privaks/privaks/internal/twin"
)

// standIn is a loopback DNS server standing in for one upstream of the
// forwarder as the twin models it: 168.63.129.16 in one VNet's context
// (reached directly, or through a Private Resolver inbound endpoint or a
// firewall DNS proxy), a public recursive resolver, or an address where
// nothing answers.
type standIn struct {
	// key names what it stands for: "Azure DNS in vnet-hub", "public DNS",
	// "nothing at 10.0.0.99".
	key  string
	addr netip.Addr // loopback address it listens on
	// answer is the twin's whole answer chain for a name; nil for a dead
	// address.
	answer func(name string) []twin.Answer

	records []string          // zone-file lines derived from the twin
	errs    map[string]string // names the twin answers with an error
	up      *bindtest.Upstream
}

// standIns maps every upstream address the forwarder's configuration names
// to its stand-in, and records where each A record came from.
type standIns struct {
	byAddr map[netip.Addr]*standIn
	list   []*standIn
	port   uint16
	// origin maps "name|address" of every A record a stand-in can serve
	// to whether it is public (true) or from a private zone (false).
	origin map[string]map[bool]bool
	// known is every name the stand-ins hold data for.
	known map[string]bool
}

// newStandIns decides what each upstream of srv is, in the twin's terms.
// net is the 127.0.N.0/24 block this scenario's stand-ins use.
func newStandIns(t *testing.T, tw *twin.Twin, srv *twin.DNSServer, net byte) *standIns {
	t.Helper()
	s := &standIns{byAddr: map[netip.Addr]*standIn{}, origin: map[string]map[bool]bool{}, known: map[string]bool{}}
	byKey := map[string]*standIn{}
	cfg := srv.Config
	var ups []netip.Addr
	ups = append(ups, cfg.Forwarders...)
	for _, z := range cfg.Zones {
		if len(z.Forwarders) == 0 {
			t.Fatalf("forward zone %q has no forwarders: BIND would recurse from the root hints, which a loopback test cannot stand in for", z.Name)
		}
		ups = append(ups, z.Forwarders...)
	}
	if len(cfg.Forwarders) == 0 {
		t.Fatalf("no default forwarders: BIND would recurse from the root hints, which a loopback test cannot stand in for")
	}
	for _, a := range ups {
		if s.byAddr[a] != nil {
			continue
		}
		up := tw.Server(a)
		var key string
		var answer func(string) []twin.Answer
		switch up.Kind {
		case twin.ServerAzure, twin.ServerInbound, twin.ServerFirewall:
			// 168.63.129.16 answers in the forwarder's own VNet; an inbound
			// endpoint or firewall proxy asks it in the endpoint's VNet.
			ctx := srv.VNet
			if up.Kind != twin.ServerAzure {
				ctx = up.VNet
			}
			if ctx == nil {
				t.Fatalf("upstream %s has no VNet in the model", up)
			}
			key = "Azure DNS in " + ctx.Name
			answer = func(n string) []twin.Answer { c, _ := tw.AzureDNSAnswer(ctx, n); return c }
		case twin.ServerPublic:
			key = "public DNS"
			answer = func(n string) []twin.Answer { c, _ := tw.PublicDNSAnswer(n); return c }
		case twin.ServerNone:
			key = "nothing at " + a.String()
		default:
			t.Fatalf("upstream %s is a %s: the differential test has no stand-in for it", up, up.Kind)
		}
		si := byKey[key]
		if si == nil {
			si = &standIn{key: key, addr: netip.AddrFrom4([4]byte{127, 0, net, byte(10 + len(s.list))}), answer: answer, errs: map[string]string{}}
			byKey[key] = si
			s.list = append(s.list, si)
		}
		s.byAddr[a] = si
	}
	return s
}

// derive fills each stand-in's records with the twin's answers for every
// name reachable from names through CNAMEs in any stand-in's answers: for
// each name, the first hop of the twin's chain (all A records, or the
// CNAME; nothing for NXDOMAIN). bindtest.Upstream follows CNAMEs within its
// records, so each stand-in returns the same whole chain the twin does.
func (s *standIns) derive(t *testing.T, names []string) {
	t.Helper()
	work := slices.Clone(names)
	for len(work) > 0 {
		n := bind.CanonicalName(work[0])
		work = work[1:]
		if s.known[n] {
			continue
		}
		s.known[n] = true
		if len(s.known) > 1000 {
			t.Fatalf("more than 1000 names reachable from %v: CNAME loop in the twin?", names)
		}
		for _, si := range s.list {
			if si.answer == nil {
				continue
			}
			chain := si.answer(n)
			if len(chain) == 0 || chain[0].Name != n {
				t.Fatalf("%s: the twin's chain for %s does not start with it: %v", si.key, n, chain)
			}
			for _, a := range chain {
				switch a.Type {
				case "CNAME":
					work = append(work, a.Value)
				case "A":
					k := a.Name + "|" + a.Value
					if s.origin[k] == nil {
						s.origin[k] = map[bool]bool{}
					}
					s.origin[k][a.Public] = true
				}
			}
			switch chain[0].Type {
			case "A":
				for _, a := range chain {
					if a.Name == n && a.Type == "A" {
						si.records = append(si.records, fmt.Sprintf("%s. 60 IN A %s", n, a.Value))
					}
				}
			case "CNAME":
				si.records = append(si.records, fmt.Sprintf("%s. 60 IN CNAME %s.", n, chain[0].Value))
			case "NXDOMAIN":
			default:
				si.errs[n] = chain[0].Value
			}
		}
	}
}

// start runs the stand-ins on one port (BIND takes one forwarder port for
// all forwarders). The port comes from below the kernel's ephemeral range,
// so that named's randomized query ports and other tests' FreePort picks
// cannot take it between choosing and binding; a port some other process
// holds is skipped and another tried.
func (s *standIns) start(t *testing.T) {
	t.Helper()
	for range 50 {
		port := uint16(20000 + rand.IntN(12000))
		conns, ok := s.listen(port)
		if !ok {
			continue
		}
		s.port = port
		for i, si := range s.live() {
			si.up = &bindtest.Upstream{Addr: netip.AddrPortFrom(si.addr, port)}
			si.up.Add(t, si.records...)
			for _, srv := range []*dns.Server{
				{PacketConn: conns[2*i].(net.PacketConn), Handler: si.up},
				{Listener: conns[2*i+1].(net.Listener), Handler: si.up},
			} {
				started := make(chan struct{})
				srv.NotifyStartedFunc = func() { close(started) }
				go func() { _ = srv.ActivateAndServe() }()
				select {
				case <-started:
				case <-time.After(30 * time.Second):
					t.Fatalf("stand-in %s did not start within 30s", si.key)
				}
				t.Cleanup(func() { _ = srv.Shutdown() })
			}
		}
		return
	}
	t.Fatal("no port free on every stand-in address after 50 tries")
}

// live returns the stand-ins that answer (not the dead addresses).
func (s *standIns) live() []*standIn {
	var out []*standIn
	for _, si := range s.list {
		if si.answer != nil {
			out = append(out, si)
		}
	}
	return out
}

// listen binds UDP and TCP on port at every live stand-in's address, or
// nothing; it also checks that the dead addresses have nothing on port.
func (s *standIns) listen(port uint16) ([]io.Closer, bool) {
	var conns []io.Closer
	fail := func() ([]io.Closer, bool) {
		for _, c := range conns {
			_ = c.Close()
		}
		return nil, false
	}
	for _, si := range s.live() {
		ap := netip.AddrPortFrom(si.addr, port).String()
		pc, err := net.ListenPacket("udp", ap)
		if err != nil {
			return fail()
		}
		conns = append(conns, pc)
		l, err := net.Listen("tcp", ap)
		if err != nil {
			return fail()
		}
		conns = append(conns, l)
	}
	for _, si := range s.list {
		if si.answer == nil {
			if c, err := net.ListenPacket("udp", netip.AddrPortFrom(si.addr, port).String()); err != nil {
				return fail()
			} else {
				_ = c.Close()
			}
		}
	}
	return conns, true
}

// rewrite returns cfg with every upstream address replaced by its
// stand-in's loopback address and port. Nothing else changes (bindtest.Start
// then rewrites listen-on, directory, pid-file and adds its client to the
// allowed prefixes).
func (s *standIns) rewrite(cfg bind.Config) bind.Config {
	swap := func(in []netip.Addr) []netip.Addr {
		out := make([]netip.Addr, len(in))
		for i, a := range in {
			out[i] = s.byAddr[a].addr
		}
		return out
	}
	cfg.Forwarders = swap(cfg.Forwarders)
	cfg.ForwarderPort = s.port
	zones := make([]bind.ForwardZone, len(cfg.Zones))
	for i, z := range cfg.Zones {
		zones[i] = bind.ForwardZone{Name: z.Name, Forwarders: swap(z.Forwarders)}
	}
	cfg.Zones = zones
	return cfg
}

func (s *standIns) reset() {
	for _, si := range s.list {
		if si.up != nil {
			si.up.Reset()
		}
	}
}

// trace says which names each stand-in was asked since the last reset, and
// checks that each was one the stand-in holds the twin's answer for.
func (s *standIns) trace(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, si := range s.list {
		if si.up == nil {
			continue
		}
		asked := si.up.Names()
		if len(asked) > 0 {
			out = append(out, fmt.Sprintf("%s (%s) was asked %s", si.key, si.addr, strings.Join(asked, ", ")))
		}
		for _, n := range asked {
			if !s.known[n] {
				t.Errorf("%s was asked %s, a name outside the data derived from the twin (its NXDOMAIN is not the twin's answer)", si.key, n)
			}
			if e, ok := si.errs[n]; ok {
				t.Errorf("%s was asked %s, for which the twin's answer is an error the stand-in cannot serve: %s", si.key, n, e)
			}
		}
	}
	return out
}

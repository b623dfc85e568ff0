package bindtest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
)

// Client is the source address Query uses; Start adds it to the allowed
// client prefixes so the test can talk to named.
var Client = netip.MustParseAddr("127.0.0.1")

// Server is a running named.
type Server struct {
	// Addr is where named listens: 127.0.0.1 and a free port.
	Addr netip.AddrPort
	// Config is the configuration named runs, after Start's rewrites.
	Config bind.Config
	// ConfPath is the named.conf file in the test's temporary directory.
	ConfPath string
	// Text is what ConfPath holds.
	Text string

	stderr *syncBuffer
}

// NamedPath returns the named binary or fails the test, telling how to
// install it: a missing named is a broken test environment, not a skip.
func NamedPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("named")
	if err != nil {
		t.Fatalf("named (BIND 9) is not installed: run `make test-deps` (scripts/install-test-deps.sh) to install bind9, bind9-dnsutils, cloud-init and shellcheck")
	}
	return p
}

// Option changes how Start runs named.
type Option func(*options)

type options struct {
	edit func(string) string
}

// WithEdit lets a test change the rendered named.conf text before named
// reads it, to try configurations Render does not write.
func WithEdit(edit func(text string) string) Option {
	return func(o *options) { o.edit = edit }
}

// Start runs `named -g` with cfg on loopback and stops it when the test
// ends. It rewrites only what a test machine needs: listen-on becomes
// 127.0.0.1 and a free port, directory and pid-file point into
// t.TempDir(), Client is added to the allowed prefixes, and the file gets
// "controls { };" so no rndc channel is opened. Upstream addresses are
// left alone: point them at StartUpstreams servers before calling Start.
//
// named cannot listen on a port the kernel picks and report it, so Start
// picks one and, when named finds it taken (another test's socket, or one
// of named's own randomized query ports in a parallel test), starts named
// again on another: up to startAttempts times. Each start waits up to
// StartTimeout, polling, for named to answer: long enough for a loaded
// 2-core machine, where named answers within a second when idle.
func Start(t testing.TB, cfg bind.Config, opts ...Option) *Server {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	named := NamedPath(t)
	var last string
	for attempt := 1; attempt <= startAttempts; attempt++ {
		s, err := start(t, named, cfg, o)
		if err == nil {
			return s
		}
		if !errors.Is(err, errAddrInUse) {
			t.Fatal(err)
		}
		last = err.Error()
		t.Logf("attempt %d: %v; trying another port", attempt, err)
	}
	t.Fatalf("named: no free port after %d attempts: %s", startAttempts, last)
	return nil
}

// StartTimeout bounds how long one start waits for named to answer.
const StartTimeout = 60 * time.Second

const startAttempts = 8

var errAddrInUse = errors.New("address in use")

func start(t testing.TB, named string, cfg bind.Config, o options) (*Server, error) {
	t.Helper()
	dir := t.TempDir()
	port := FreePort(t, Client)
	cfg.ListenOn = []netip.Addr{Client}
	cfg.Port = port
	cfg.Directory = dir
	cfg.PIDFile = filepath.Join(dir, "named.pid")
	if !allowed(cfg.Allow, Client) {
		cfg.Allow = append(append([]netip.Prefix(nil), cfg.Allow...), netip.PrefixFrom(Client, 32))
	}
	conf := filepath.Join(dir, "named.conf")
	text := bind.Render(cfg) + "\ncontrols { };\n"
	if o.edit != nil {
		text = o.edit(text)
	}
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return nil, fmt.Errorf("write named.conf: %w", err)
	}
	s := &Server{Addr: netip.AddrPortFrom(Client, port), Config: cfg, ConfPath: conf, Text: text, stderr: &syncBuffer{}}

	// -g: foreground, log to stderr; -n 1: one worker thread is plenty.
	// As root named keeps root: no -u, it has nothing to drop to here.
	cmd := exec.Command(named, "-g", "-n", "1", "-c", conf)
	cmd.Dir = dir
	cmd.Stdout = s.stderr
	cmd.Stderr = s.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start named: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	deadline := time.Now().Add(StartTimeout)
	for {
		select {
		case err := <-exited:
			exited <- err
			if inUse(s.stderr.String()) {
				return nil, fmt.Errorf("port %d: %w", port, errAddrInUse)
			}
			return nil, fmt.Errorf("named exited before answering: %v\nnamed.conf:\n%s\nnamed output:\n%s", err, text, s.stderr.String())
		default:
		}
		if inUse(s.stderr.String()) {
			stop()
			return nil, fmt.Errorf("port %d: %w", port, errAddrInUse)
		}
		if s.ping() {
			t.Cleanup(func() {
				stop()
				if t.Failed() {
					t.Logf("named.conf:\n%s\nnamed output:\n%s", text, s.stderr.String())
				}
			})
			return s, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("named did not answer on %s within %v\nnamed output:\n%s", s.Addr, StartTimeout, s.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// inUse reports whether named's log says a listening socket could not be
// bound. Measured with BIND 9.18.49: a taken UDP port gives "unable to
// listen on any configured interfaces" and named exits; a taken TCP port
// gives "creating TCP socket: address in use" and named goes on serving
// UDP only, so it is stopped too.
func inUse(log string) bool {
	return strings.Contains(log, "address in use") || strings.Contains(log, "unable to listen on any configured interfaces")
}

// Log returns what named has written to stderr so far.
func (s *Server) Log() string { return s.stderr.String() }

// ping sends version.bind CH TXT over TCP; any reply means named is
// serving. Not over UDP: BIND 9.18 rate-limits UDP answers to version.bind
// per /24 ("rate limit drop response to 127.0.0.0/24 for version.bind CH
// TXT" in its log), and a poll every 50-250 ms keeps that limit on, so
// under load named could look dead for as long as the poll went on.
func (s *Server) ping() bool {
	m := new(dns.Msg)
	m.SetQuestion("version.bind.", dns.TypeTXT)
	m.Question[0].Qclass = dns.ClassCHAOS
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	_, _, err := c.Exchange(m, s.Addr.String())
	return err == nil
}

// Query asks named for name/qtype from Client and fails the test on a
// transport error (a DNS error code is a reply, not a failure).
func (s *Server) Query(t testing.TB, name string, qtype uint16) *dns.Msg {
	t.Helper()
	return s.QueryFrom(t, Client, name, qtype)
}

// QueryFrom is Query with the client socket bound to src, a 127.x address.
func (s *Server) QueryFrom(t testing.TB, src netip.Addr, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	// 15 s: named answers in milliseconds when idle; a loaded machine
	// (and named's own retry of a slow stand-in) stays well inside it.
	c := &dns.Client{
		Timeout: 15 * time.Second,
		Dialer: &net.Dialer{
			Timeout:   15 * time.Second,
			LocalAddr: net.UDPAddrFromAddrPort(netip.AddrPortFrom(src, 0)),
		},
	}
	r, _, err := c.Exchange(m, s.Addr.String())
	if err != nil {
		t.Fatalf("query %s %s from %s: %v", name, dns.TypeToString[qtype], src, err)
	}
	return r
}

// FreePort returns a port that is free for both UDP and TCP on every
// address in addrs (all 127.x), so one port can serve several stand-ins.
func FreePort(t testing.TB, addrs ...netip.Addr) uint16 {
	t.Helper()
	// Ports below the ephemeral range (32768+ on Linux): a port the kernel
	// handed out and took back can be handed to another test's client
	// socket before the server binds it; these never are.
	for range 200 {
		port := uint16(20000 + rand.IntN(12000))
		if portFree(addrs, port) {
			return port
		}
	}
	t.Fatalf("find free port on %v: none after 200 tries", addrs)
	return 0
}

func portFree(addrs []netip.Addr, port uint16) bool {
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a, port).String()
		l, err := net.Listen("tcp", ap)
		if err != nil {
			return false
		}
		_ = l.Close()
		u, err := net.ListenPacket("udp", ap)
		if err != nil {
			return false
		}
		_ = u.Close()
	}
	return true
}

func allowed(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Version returns `named -v`, e.g. "BIND 9.18.49-1~deb12u3-Debian (...)".
func Version(t testing.TB) string {
	t.Helper()
	out, err := exec.Command(NamedPath(t), "-v").Output()
	if err != nil {
		t.Fatalf("named -v: %v", err)
	}
	return string(bytes.TrimSpace(out))
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

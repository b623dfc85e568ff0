package bind_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/bind/bindtest"
)

// standInConfig is bind.Default with Azure DNS replaced by the loopback
// stand-in and, when defaults is set, the default forwarders replaced by
// it (as if the forwarder sent everything else to on-premises DNS).
func standInConfig(s standIns, defaults netip.Addr) bind.Config {
	cfg := bind.Default("canadacentral", nil, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	return rewriteUpstreams(cfg, s, defaults)
}

// rewriteUpstreams points every Azure DNS forwarder at the Azure stand-in
// and sets the default forwarders to defaults. Nothing else changes.
func rewriteUpstreams(cfg bind.Config, s standIns, defaults netip.Addr) bind.Config {
	swap := func(in []netip.Addr) []netip.Addr {
		var out []netip.Addr
		for _, a := range in {
			if a == bind.AzureDNS {
				a = azureAddr
			}
			out = append(out, a)
		}
		return out
	}
	cfg.Forwarders = []netip.Addr{defaults}
	cfg.ForwarderPort = s.port
	zones := make([]bind.ForwardZone, len(cfg.Zones))
	for i, z := range cfg.Zones {
		zones[i] = bind.ForwardZone{Name: z.Name, Forwarders: swap(z.Forwarders)}
	}
	cfg.Zones = zones
	return cfg
}

// TestDefaultConfigResolvesPrivateNames runs bind.Default in named with
// the default forwarders at Azure DNS (the privaks default) and at public
// DNS (a forwarder whose other traffic goes elsewhere): the conditional
// forwarders alone keep Key Vault, ACR (registry and data endpoint) and
// the AKS API server private, and public names still resolve.
func TestDefaultConfigResolvesPrivateNames(t *testing.T) {
	t.Parallel()
	names := []struct {
		name string
		want string
	}{
		{"myvault.vault.azure.net", "10.0.3.5"},
		{"myvault.privatelink.vaultcore.azure.net", "10.0.3.5"},
		{"myacr.azurecr.io", "10.0.3.6"},
		{"myacr.canadacentral.data.azurecr.io", "10.0.3.7"},
		{"aks-dev-1a2b3c4d.4e05ee57-0000-4000-8000-00000000006f.privatelink.canadacentral.azmk8s.io", "10.1.0.4"},
		{"mcr.microsoft.com", "204.79.197.219"},
	}
	for _, defaults := range []struct {
		name string
		addr netip.Addr
	}{{"default forwarders azure", azureAddr}, {"default forwarders public", publicAddr}} {
		t.Run(defaults.name, func(t *testing.T) {
			t.Parallel()
			s := startStandIns(t)
			cfg := standInConfig(s, defaults.addr)
			srv := bindtest.Start(t, cfg)
			for _, n := range names {
				r := srv.Query(t, n.name, dns.TypeA)
				want := []netip.Addr{netip.MustParseAddr(n.want)}
				if diff := cmp.Diff(addrs(r), want, cmpAddr); diff != "" {
					t.Errorf("%s (-got +want):\n%s\nanswer:\n%v", n.name, diff, r)
				}
			}
			checkForwarderFor(t, cfg, s)
		})
	}
}

// TestNegativeCacheExpires creates a private endpoint record after a
// client already got NXDOMAIN for it: while max-ncache-ttl runs, BIND
// answers NXDOMAIN from its cache without asking upstream; after it, the
// new record resolves. "max-ncache-ttl 0" still caches the NXDOMAIN, like
// 1, for up to a second (BIND's cache counts whole seconds; measured).
//
// Why it holds on a loaded machine: no assertion depends on how fast
// anything runs. Every bound compares the send or receive time of a query
// with the send or receive time of the first NXDOMAIN, and a slow machine
// only moves replies later, never earlier:
//   - the cache entry was made after the first query was sent (t0s), so a
//     NOERROR received before t0s + cap - 1s (whole seconds) means it
//     expired early: a failure however loaded the machine is;
//   - the entry was made before the first reply was received (t0r), so a
//     query sent after t0r + cap + 1s must find it expired: an NXDOMAIN
//     for it is a failure, and so is no NOERROR within a generous minute.
func TestNegativeCacheExpires(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// conf is the max-ncache-ttl statement named reads; cap is the
		// longest it may cache the NXDOMAIN (whole seconds, at least one).
		conf string
		cap  time.Duration
	}{
		{name: "zero", conf: "max-ncache-ttl 0;", cap: time.Second},
		{name: "one second", conf: "max-ncache-ttl 1;", cap: time.Second},
		{name: "three seconds", conf: "max-ncache-ttl 3;", cap: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const name = "newvault.privatelink.vaultcore.azure.net"
			s := startStandIns(t)
			cfg := standInConfig(s, azureAddr)
			cfg.MaxNCacheTTL = time.Second
			srv := bindtest.Start(t, cfg, bindtest.WithEdit(func(text string) string {
				return strings.Replace(text, "max-ncache-ttl 1;", tt.conf, 1)
			}))
			if !strings.Contains(srv.Text, tt.conf) {
				t.Fatalf("named.conf lacks %q:\n%s", tt.conf, srv.Text)
			}
			t0s := time.Now()
			if r := srv.Query(t, name, dns.TypeA); r.Rcode != dns.RcodeNameError {
				t.Fatalf("before the record exists: rcode %s, want NXDOMAIN", dns.RcodeToString[r.Rcode])
			}
			t0r := time.Now()
			s.azure.Add(t, name+". 10 IN A 10.0.3.9")

			earliest := t0s.Add(tt.cap - time.Second) // no NOERROR received before
			latest := t0r.Add(tt.cap + time.Second)   // no NXDOMAIN for a query sent after
			deadline := time.Now().Add(time.Minute)
			cached := 0
			for {
				sent := time.Now()
				r := srv.Query(t, name, dns.TypeA)
				got := time.Now()
				if r.Rcode == dns.RcodeSuccess {
					if got.Before(earliest) {
						t.Errorf("record resolved %v after the first NXDOMAIN was asked, before %s could expire", got.Sub(t0s), tt.conf)
					}
					if diff := cmp.Diff(addrs(r), []netip.Addr{netip.MustParseAddr("10.0.3.9")}, cmpAddr); diff != "" {
						t.Errorf("(-got +want):\n%s", diff)
					}
					t.Logf("%s: record visible %v after the first NXDOMAIN; %d answers from the negative cache", tt.conf, got.Sub(t0r), cached)
					break
				}
				if r.Rcode != dns.RcodeNameError {
					t.Fatalf("rcode %s, want NXDOMAIN or NOERROR", dns.RcodeToString[r.Rcode])
				}
				if sent.After(latest) {
					t.Fatalf("query sent %v after the first NXDOMAIN still got the cached NXDOMAIN; %s allows %v", sent.Sub(t0r), tt.conf, tt.cap)
				}
				cached++
				if time.Now().After(deadline) {
					t.Fatalf("record still not visible after a minute")
				}
				time.Sleep(20 * time.Millisecond)
			}
			// One query for the first NXDOMAIN, one after expiry (named may
			// resend each once to a stand-in slowed by load): the answers in
			// between came from the cache, not from upstream.
			if n := len(s.azure.Queries()); n < 2 || n > 4 {
				t.Errorf("upstream got %d queries for the name, want 2 (one before caching, one after expiry; at most 4 with resends): %v", n, s.azure.Queries())
			}
		})
	}
}

// TestRefusesOtherClients queries from a loopback address outside the
// allowed prefixes: BIND answers REFUSED.
func TestRefusesOtherClients(t *testing.T) {
	t.Parallel()
	s := startStandIns(t)
	srv := bindtest.Start(t, standInConfig(s, azureAddr))
	if r := srv.Query(t, "myvault.vault.azure.net", dns.TypeA); r.Rcode != dns.RcodeSuccess {
		t.Fatalf("allowed client: rcode %s, want NOERROR", dns.RcodeToString[r.Rcode])
	}
	r := srv.QueryFrom(t, netip.MustParseAddr("127.0.0.99"), "myvault.vault.azure.net", dns.TypeA)
	if r.Rcode != dns.RcodeRefused {
		t.Errorf("client 127.0.0.99: rcode %s, want REFUSED", dns.RcodeToString[r.Rcode])
	}
	if len(r.Answer) != 0 {
		t.Errorf("client 127.0.0.99 got answers: %v", r.Answer)
	}
}

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
// new record resolves. It measures the smallest cap: "max-ncache-ttl 0"
// still caches the NXDOMAIN, like 1, for up to a second (BIND's cache
// counts whole seconds).
func TestNegativeCacheExpires(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// conf is the max-ncache-ttl statement named reads.
		conf string
		// hiddenAt is a time after creation when the NXDOMAIN must still
		// be cached; visibleBy is when the record must resolve.
		hiddenAt, visibleBy time.Duration
	}{
		{name: "zero", conf: "max-ncache-ttl 0;", visibleBy: 1500 * time.Millisecond},
		{name: "one second", conf: "max-ncache-ttl 1;", visibleBy: 1500 * time.Millisecond},
		{name: "three seconds", conf: "max-ncache-ttl 3;", hiddenAt: 1500 * time.Millisecond, visibleBy: 3500 * time.Millisecond},
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
			if r := srv.Query(t, name, dns.TypeA); r.Rcode != dns.RcodeNameError {
				t.Fatalf("before the record exists: rcode %s, want NXDOMAIN", dns.RcodeToString[r.Rcode])
			}
			// 10 queries in 200ms reach upstream at most twice (once more
			// if the cache's whole second turns): the NXDOMAIN is cached.
			for range 10 {
				time.Sleep(20 * time.Millisecond)
				if r := srv.Query(t, name, dns.TypeA); r.Rcode != dns.RcodeNameError {
					t.Fatalf("record not created yet: rcode %s, want NXDOMAIN", dns.RcodeToString[r.Rcode])
				}
			}
			if n := len(s.azure.Queries()); n > 2 {
				t.Errorf("upstream got %d queries in 200ms for a cached NXDOMAIN, want at most 2: %v", n, s.azure.Queries())
			}
			created := time.Now()
			s.azure.Add(t, name+". 10 IN A 10.0.3.9")
			if tt.hiddenAt > 0 {
				time.Sleep(tt.hiddenAt - time.Since(created))
				if r := srv.Query(t, name, dns.TypeA); r.Rcode != dns.RcodeNameError {
					t.Errorf("%v after creation: rcode %s, want the cached NXDOMAIN", tt.hiddenAt, dns.RcodeToString[r.Rcode])
				}
			}
			var r *dns.Msg
			for time.Since(created) < tt.visibleBy+2*time.Second {
				if r = srv.Query(t, name, dns.TypeA); r.Rcode == dns.RcodeSuccess {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			took := time.Since(created)
			if diff := cmp.Diff(addrs(r), []netip.Addr{netip.MustParseAddr("10.0.3.9")}, cmpAddr); diff != "" {
				t.Fatalf("after %v: (-got +want):\n%s", took, diff)
			}
			if took > tt.visibleBy {
				t.Errorf("record visible after %v, want within %v", took, tt.visibleBy)
			}
			t.Logf("%s: record visible %v after creation", tt.conf, took)
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

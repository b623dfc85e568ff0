package bind_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/bind/bindtest"
)

// The stand-in upstreams share one port on two loopback addresses, as BIND
// forwarders take one "port N" for the list.
var (
	azureAddr  = netip.MustParseAddr("127.0.0.53")
	publicAddr = netip.MustParseAddr("127.0.0.54")
)

// azureRecords is Azure DNS as seen from a VNet linked to the privatelink
// zones: Key Vault, ACR (registry and data endpoint) and the AKS API server
// resolve to private endpoint IPs; other public names resolve publicly.
var azureRecords = []string{
	"myvault.vault.azure.net. 60 IN CNAME myvault.privatelink.vaultcore.azure.net.",
	"myvault.privatelink.vaultcore.azure.net. 10 IN A 10.0.3.5",
	"myacr.azurecr.io. 60 IN CNAME myacr.privatelink.azurecr.io.",
	"myacr.privatelink.azurecr.io. 10 IN A 10.0.3.6",
	"myacr.canadacentral.data.azurecr.io. 60 IN CNAME myacr.canadacentral.data.privatelink.azurecr.io.",
	"myacr.canadacentral.data.privatelink.azurecr.io. 10 IN A 10.0.3.7",
	"aks-dev-1a2b3c4d.4e05ee57-0000-4000-8000-00000000006f.privatelink.canadacentral.azmk8s.io. 10 IN A 10.1.0.4",
	"mcr.microsoft.com. 60 IN A 204.79.197.219",
}

// publicRecords is public DNS: the Key Vault chain ends in a public IP,
// and a recursive resolver returns the whole chain in one answer.
var publicRecords = []string{
	"myvault.vault.azure.net. 60 IN CNAME myvault.privatelink.vaultcore.azure.net.",
	"myvault.privatelink.vaultcore.azure.net. 60 IN CNAME data-prod-cac.vaultcore.azure.net.",
	"data-prod-cac.vaultcore.azure.net. 60 IN A 52.228.1.2",
	"myacr.azurecr.io. 60 IN CNAME myacr.privatelink.azurecr.io.",
	"myacr.privatelink.azurecr.io. 60 IN CNAME cac.azcr.io.",
	"cac.azcr.io. 60 IN A 20.48.1.1",
	"mcr.microsoft.com. 60 IN A 204.79.197.219",
}

type standIns struct {
	azure, public *bindtest.Upstream
	port          uint16
}

func startStandIns(t *testing.T) standIns {
	t.Helper()
	port, ups := bindtest.StartUpstreams(t,
		bindtest.UpstreamSpec{Addr: azureAddr, Records: azureRecords},
		bindtest.UpstreamSpec{Addr: publicAddr, Records: publicRecords})
	return standIns{azure: ups[0], public: ups[1], port: port}
}

// upstreamOf maps a stand-in address to its upstream.
func (s standIns) upstreamOf(a netip.Addr) *bindtest.Upstream {
	switch a {
	case azureAddr:
		return s.azure
	case publicAddr:
		return s.public
	}
	return nil
}

// addrs returns the A records of an answer, sorted.
func addrs(m *dns.Msg) []netip.Addr {
	var out []netip.Addr
	for _, rr := range m.Answer {
		if a, ok := rr.(*dns.A); ok {
			ip, _ := netip.AddrFromSlice(a.A)
			out = append(out, ip.Unmap())
		}
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return out
}

// checkForwarderFor asserts that every question an upstream received is
// one ForwarderFor sends to that upstream: the model predicts BIND.
func checkForwarderFor(t *testing.T, cfg bind.Config, s standIns) {
	t.Helper()
	for _, u := range []*bindtest.Upstream{s.azure, s.public} {
		for _, name := range u.Names() {
			zone, servers := cfg.ForwarderFor(name)
			if !slices.Contains(servers, u.Addr.Addr()) {
				t.Errorf("%s received %q but ForwarderFor says zone %q → %v", u, name, zone, servers)
			}
		}
	}
}

// predict walks the CNAME chain of name the way ForwarderFor says BIND
// does: each name goes to the upstream of its own forward zone, which
// answers from its records. It returns the final addresses and, per
// upstream, the names asked.
func predict(t *testing.T, cfg bind.Config, s standIns, name string) ([]netip.Addr, map[netip.Addr][]string) {
	t.Helper()
	data := map[netip.Addr][]dns.RR{azureAddr: parseRRs(t, azureRecords), publicAddr: parseRRs(t, publicRecords)}
	asked := map[netip.Addr][]string{}
	for range 16 {
		_, servers := cfg.ForwarderFor(name)
		if len(servers) == 0 {
			t.Fatalf("no forwarder for %q", name)
		}
		server := servers[0]
		asked[server] = append(asked[server], name)
		var next string
		var found []netip.Addr
		for _, rr := range data[server] {
			if bind.CanonicalName(rr.Header().Name) != name {
				continue
			}
			switch rr := rr.(type) {
			case *dns.CNAME:
				next = bind.CanonicalName(rr.Target)
			case *dns.A:
				ip, _ := netip.AddrFromSlice(rr.A)
				found = append(found, ip.Unmap())
			}
		}
		if next == "" {
			slices.SortFunc(found, netip.Addr.Compare)
			return found, asked
		}
		name = next
	}
	t.Fatalf("CNAME loop from %q", name)
	return nil, nil
}

// checkPrediction asserts that the model's walk of name's chain asks the
// same upstreams the same names as BIND did and ends in want.
func checkPrediction(t *testing.T, cfg bind.Config, s standIns, name string, want []netip.Addr) {
	t.Helper()
	got, asked := predict(t, cfg, s, name)
	if diff := cmp.Diff(got, want, cmpAddr); diff != "" {
		t.Errorf("model answer for %q (-got +want):\n%s", name, diff)
	}
	for _, a := range []netip.Addr{azureAddr, publicAddr} {
		if diff := cmp.Diff(asked[a], s.upstreamOf(a).Names()); diff != "" {
			t.Errorf("model vs BIND: names sent to %s (-model +bind):\n%s", a, diff)
		}
	}
}

var cmpAddr = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func parseRRs(t *testing.T, lines []string) []dns.RR {
	t.Helper()
	var out []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("parse %q: %v", l, err)
		}
		out = append(out, rr)
	}
	return out
}

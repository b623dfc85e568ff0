package cloudinit_test

import (
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/bind/bindtest"
	"github.com/privaks/privaks/internal/cloudinit"
)

// TestDNSForwarderVMInNamed is the "DNS forwarder VM integration test":
// render the forwarder VM's cloud-init, extract named.conf.options from
// it, point only its upstream addresses (168.63.129.16) at a loopback
// stand-in for Azure DNS, run it in the real named, and resolve the
// landing zone's private names. Then run the document's readiness script
// against that named.
func TestDNSForwarderVMInNamed(t *testing.T) {
	t.Parallel()
	d, err := cloudinit.DNSForwarder(forwarderConfig())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := cloudinit.ParseDNSForwarder(d)
	if err != nil {
		t.Fatal(err)
	}

	stand := netip.MustParseAddr("127.0.0.53")
	port, ups := bindtest.StartUpstreams(t, bindtest.UpstreamSpec{Addr: stand, Records: []string{
		"myvault.vault.azure.net. 60 IN CNAME myvault.privatelink.vaultcore.azure.net.",
		"myvault.privatelink.vaultcore.azure.net. 10 IN A 10.0.3.5",
		"privatelink.vaultcore.azure.net. 300 IN SOA azureprivatedns.net. azureprivatedns-host.microsoft.com. 1 3600 300 2419200 10",
		"myacr.azurecr.io. 60 IN CNAME myacr.privatelink.azurecr.io.",
		"myacr.privatelink.azurecr.io. 10 IN A 10.0.3.6",
		"myacr.canadacentral.data.azurecr.io. 60 IN CNAME myacr.canadacentral.data.privatelink.azurecr.io.",
		"myacr.canadacentral.data.privatelink.azurecr.io. 10 IN A 10.0.3.7",
		"aks-dev-1a2b3c4d.4e05ee57-0000-4000-8000-00000000006f.privatelink.canadacentral.azmk8s.io. 10 IN A 10.1.0.4",
	}})
	azure := ups[0]
	swap := func(in []netip.Addr) []netip.Addr {
		out := make([]netip.Addr, len(in))
		for i, a := range in {
			if a != bind.AzureDNS {
				t.Fatalf("forwarder %s in the VM's config is not Azure DNS", a)
			}
			out[i] = stand
		}
		return out
	}
	cfg.Forwarders = swap(cfg.Forwarders)
	cfg.ForwarderPort = port
	for i := range cfg.Zones {
		cfg.Zones[i].Forwarders = swap(cfg.Zones[i].Forwarders)
	}
	srv := bindtest.Start(t, cfg)
	t.Cleanup(func() {
		// Every question went to the Azure DNS stand-in, as ForwarderFor says.
		for _, q := range azure.Queries() {
			if _, servers := cfg.ForwarderFor(q.Name); len(servers) != 1 || servers[0] != stand {
				t.Errorf("stand-in asked %q, but ForwarderFor sends it to %v", q.Name, servers)
			}
		}
	})

	for name, want := range map[string]string{
		"myvault.vault.azure.net":             "10.0.3.5",
		"myacr.azurecr.io":                    "10.0.3.6",
		"myacr.canadacentral.data.azurecr.io": "10.0.3.7",
		"aks-dev-1a2b3c4d.4e05ee57-0000-4000-8000-00000000006f.privatelink.canadacentral.azmk8s.io": "10.1.0.4",
	} {
		r := srv.Query(t, name, dns.TypeA)
		var got []netip.Addr
		for _, rr := range r.Answer {
			if a, ok := rr.(*dns.A); ok {
				ip, _ := netip.AddrFromSlice(a.A)
				got = append(got, ip.Unmap())
			}
		}
		if diff := cmp.Diff(got, []netip.Addr{netip.MustParseAddr(want)}, cmpConfig...); diff != "" {
			t.Errorf("%s (-got +want):\n%s\n%v", name, diff, r)
		}
	}

	script, err := cloudinit.ReadyScriptOf(d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "privaks-dns-ready")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(port uint16) error {
		cmd := exec.Command(path, "--wait", "0")
		cmd.Env = append(os.Environ(), "PRIVAKS_DNS_IP=127.0.0.1", "PRIVAKS_DNS_PORT="+strconv.Itoa(int(port)))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Logf("privaks-dns-ready on port %d: %v\n%s", port, err, out)
		}
		return err
	}
	if err := run(srv.Addr.Port()); err != nil {
		t.Errorf("readiness script failed against a running named")
	}
	if err := run(bindtest.FreePort(t, bindtest.Client)); err == nil {
		t.Errorf("readiness script succeeded with nothing listening")
	}
}

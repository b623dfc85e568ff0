package twin_test

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
)

// TestMemoizedResolveIsResolve: inside a Memoize scope, where servers'
// answers are remembered, every client gets for every name the
// resolution it gets outside one (steps, addresses, errors, whether an
// answer came from outside the set), asked once or again; also when the
// forwarder's allow-query refuses some clients (its answer names the
// asking address, so it is not shared) and for names no zone holds.
func TestMemoizedResolveIsResolve(t *testing.T) {
	set, err := armeval.Evaluate(fixture.ScaleEstate(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	tw := twin.Build(set)
	var clients []twin.Client
	for _, vm := range tw.VMs {
		if len(vm.NICs) > 0 {
			clients = append(clients, twin.Client{Name: vm.Name, Subnet: vm.NICs[0].Subnet, Addr: vm.NICs[0].IP, NIC: vm.NICs[0]})
		}
	}
	for _, c := range tw.Clusters {
		for _, p := range c.Pools {
			clients = append(clients, p.Client())
		}
	}
	names := []string{"www.example.com", "nothing.privatelink.vaultcore.azure.net", "login.microsoftonline.com"}
	for _, v := range tw.Vaults {
		names = append(names, v.FQDN)
	}
	for _, g := range tw.Registries {
		names = append(names, g.LoginFQDN)
		names = append(names, g.DataFQDNs...)
	}
	for _, s := range tw.Storage {
		names = append(names, s.FQDN("blob"))
	}
	for _, c := range tw.Clusters {
		names = append(names, c.APIFQDN)
	}
	if len(clients) < 4 || len(names) < 10 {
		t.Fatalf("%d clients, %d names: the estate changed", len(clients), len(names))
	}
	compare := func(when string) {
		want := map[[2]string]twin.Resolution{}
		for _, c := range clients {
			for _, n := range names {
				want[[2]string{c.Name, n}] = tw.Resolve(c, n)
			}
		}
		done := tw.Memoize()
		defer done()
		for round := range 2 {
			for _, c := range clients {
				for _, n := range names {
					if got, w := tw.Resolve(c, n), want[[2]string{c.Name, n}]; !reflect.DeepEqual(got, w) {
						t.Errorf("%s, round %d: %s resolving %s:\n got %+v\nwant %+v", when, round, c.Name, n, got, w)
					}
				}
			}
		}
	}
	compare("as built")
	var bindServer *twin.DNSServer
	for _, s := range tw.Servers {
		if s.Kind == twin.ServerBIND {
			bindServer = s
		}
	}
	if bindServer == nil {
		t.Fatal("no BIND forwarder in the estate")
	}
	// Only one client that asks the forwarder may ask it, and it asks
	// first: the others are refused, by address, after its answers are
	// remembered.
	for i, c := range clients {
		if servers, _ := tw.DNSServersOf(c); len(servers) > 0 && servers[0] == bindServer.Addr {
			clients[0], clients[i] = clients[i], clients[0]
			break
		}
	}
	if servers, _ := tw.DNSServersOf(clients[0]); len(servers) == 0 || servers[0] != bindServer.Addr {
		t.Fatal("no client asks the forwarder")
	}
	bindServer.Config.Allow = []netip.Prefix{netip.PrefixFrom(clients[0].Addr, 32)}
	compare("allow-query")
	refused := tw.Resolve(clients[len(clients)-1], names[3])
	if refused.Err == "" {
		t.Errorf("a client outside allow-query resolved %s: %+v", names[3], refused)
	}
}

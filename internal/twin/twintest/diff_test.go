package twintest

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/bind/bindtest"
	"github.com/privaks/privaks/internal/twin"
)

// scenario is one forwarder setup: a mutation of the reference design, the
// client that asks, and names to ask beyond the standard ones.
type scenario struct {
	name   string
	mutate func(d *design)
	// client is a VM name; empty means node pool "system" of aks-privaks
	// (spoke VNet, DNS = the forwarder).
	client string
	extra  []string
}

// outcome is a final answer reduced to what the twin predicts: an error,
// NXDOMAIN, or addresses and whether they are public.
type outcome struct {
	kind   string // "error", "NXDOMAIN", "no address", "address"
	addrs  []netip.Addr
	public bool
	note   string
}

func (o outcome) String() string {
	if o.kind != "address" {
		return o.kind
	}
	where := "private"
	if o.public {
		where = "public"
	}
	var s []string
	for _, a := range o.addrs {
		s = append(s, a.String())
	}
	return where + " " + strings.Join(s, ",") + o.note
}

func predicted(res twin.Resolution) outcome {
	switch {
	case res.Err != "":
		return outcome{kind: "error"}
	case res.NXDomain:
		return outcome{kind: "NXDOMAIN"}
	case len(res.Addrs) == 0:
		return outcome{kind: "no address"}
	}
	as := slices.Clone(res.Addrs)
	slices.SortFunc(as, netip.Addr.Compare)
	return outcome{kind: "address", addrs: as, public: res.Public}
}

// measured reduces named's reply; origin says whether the final A record
// (owner name and address) came from a private zone or public DNS.
func measured(m *dns.Msg, s *standIns) outcome {
	switch m.Rcode {
	case dns.RcodeNameError:
		return outcome{kind: "NXDOMAIN"}
	case dns.RcodeSuccess:
	default:
		return outcome{kind: "error", note: dns.RcodeToString[m.Rcode]}
	}
	var as []netip.Addr
	var last *dns.A
	for _, rr := range m.Answer {
		if a, ok := rr.(*dns.A); ok {
			ip, _ := netip.AddrFromSlice(a.A)
			as = append(as, ip.Unmap())
			last = a
		}
	}
	if last == nil {
		return outcome{kind: "no address"}
	}
	slices.SortFunc(as, netip.Addr.Compare)
	o := outcome{kind: "address", addrs: as}
	ip, _ := netip.AddrFromSlice(last.A)
	src := s.origin[strings.TrimSuffix(strings.ToLower(last.Hdr.Name), ".")+"|"+ip.Unmap().String()]
	switch {
	case src[true] && src[false]:
		o.note = " (origin ambiguous)"
	case src[true]:
		o.public = true
	case !src[false]:
		o.note = " (origin unknown)"
	}
	return o
}

// row is one compared name, for the summary.
type row struct {
	scenario, name string
	twin, bind     outcome
}

// standardNames are the names asked in every scenario: each Key Vault by
// its public name and its privatelink name, each registry's login and data
// endpoints, each cluster's API FQDN and public FQDN, a public name, and
// names missing from the private zones.
func standardNames(tw *twin.Twin) []string {
	var out []string
	for _, v := range tw.Vaults {
		out = append(out, v.FQDN, strings.TrimSuffix(v.FQDN, ".vault.azure.net")+"."+zoneVault)
	}
	for _, g := range tw.Registries {
		out = append(out, g.LoginFQDN)
		out = append(out, g.DataFQDNs...)
	}
	for _, c := range tw.Clusters {
		out = append(out, c.APIFQDN)
		if p := c.PublicFQDNName(); p != c.APIFQDN {
			out = append(out, p)
		}
	}
	return append(out, "mcr.microsoft.com", "nosuchvault."+zoneVault, "nosuchacr."+zoneACR)
}

func client(t *testing.T, tw *twin.Twin, vm string) twin.Client {
	t.Helper()
	if vm != "" {
		for _, v := range tw.VMs {
			if v.Name == vm && len(v.NICs) > 0 {
				return twin.Client{Name: vm, Subnet: v.NICs[0].Subnet, Addr: v.NICs[0].IP, NIC: v.NICs[0]}
			}
		}
		t.Fatalf("no VM %s", vm)
	}
	for _, c := range tw.Clusters {
		for _, p := range c.Pools {
			if p.Name == "system" && p.Subnet != nil {
				a := p.Subnet.Prefix.Addr()
				for range 32 {
					a = a.Next()
				}
				return twin.Client{Name: "node pool " + c.Name + "/" + p.Name, Subnet: p.Subnet, Addr: a}
			}
		}
	}
	t.Fatal("no node pool system")
	return twin.Client{}
}

// run builds the scenario's twin, runs named with the forwarder's
// configuration against stand-ins derived from the twin, asks every name
// and compares.
func (sc scenario) run(t *testing.T, net byte) []row {
	d := reference(t)
	if sc.mutate != nil {
		sc.mutate(d)
	}
	set, err := armeval.Evaluate(d.tmpl)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	tw := twin.Build(set)
	c := client(t, tw, sc.client)
	servers, why := tw.DNSServersOf(c)
	if len(servers) == 0 {
		t.Fatalf("%s has no DNS server: %s", c.Name, why)
	}
	srv := tw.Server(servers[0])
	if srv.Kind != twin.ServerBIND || srv.Config == nil {
		t.Fatalf("%s asks %s, not a BIND forwarder", c.Name, srv)
	}
	names := append(standardNames(tw), sc.extra...)

	s := newStandIns(t, tw, srv, net)
	s.derive(t, names)
	s.start(t)
	named := bindtest.Start(t, s.rewrite(*srv.Config))

	var rows []row
	for _, n := range names {
		res := tw.Resolve(c, n)
		want := predicted(res)
		s.reset()
		m := named.Query(t, n, dns.TypeA)
		got := measured(m, s)
		trace := s.trace(t)
		rows = append(rows, row{sc.name, n, want, got})
		if want.String() == got.String() {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s asks %s\n  twin predicts: %s", c.Name, n, want)
		if res.Err != "" {
			fmt.Fprintf(&b, " (%s)", res.Err)
		}
		b.WriteString("\n  twin trace:\n")
		for _, st := range res.Steps {
			fmt.Fprintf(&b, "    %s\n", st)
		}
		fmt.Fprintf(&b, "  BIND answers: %s\n  BIND trace (questions each stand-in received):\n", got)
		for _, l := range trace {
			fmt.Fprintf(&b, "    %s\n", l)
		}
		fmt.Fprintf(&b, "  named's reply:\n%s", indent(m.String()))
		t.Error(b.String())
	}
	return rows
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestBINDDifferential runs every scenario in real named and fails on any
// name where named's final answer differs from the twin's prediction.
func TestBINDDifferential(t *testing.T) {
	version := bindtest.Version(t) // fails, telling to run make test-deps, when named is missing
	if len(scenarios) < 20 {
		t.Fatalf("the issue asks for at least 20 scenarios, have %d", len(scenarios))
	}
	start := time.Now()
	var mu sync.Mutex
	var all []row
	t.Run("scenarios", func(t *testing.T) {
		for i, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				rows := sc.run(t, byte(i+1))
				mu.Lock()
				all = append(all, rows...)
				mu.Unlock()
			})
		}
	})
	t.Logf("%s: %d scenarios, %d names compared in %v", version, len(scenarios), len(all), time.Since(start).Round(time.Millisecond))
	if testing.Verbose() {
		slices.SortStableFunc(all, func(a, b row) int { return scenarioIndex(a.scenario) - scenarioIndex(b.scenario) })
		var b strings.Builder
		for _, r := range all {
			mark := "="
			if r.twin.String() != r.bind.String() {
				mark = "≠"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s %s |\n", r.scenario, r.name, r.twin, mark, r.bind)
		}
		t.Logf("scenario | name | twin | BIND\n%s", b.String())
	}
}

func scenarioIndex(name string) int {
	for i, sc := range scenarios {
		if sc.name == name {
			return i
		}
	}
	return -1
}

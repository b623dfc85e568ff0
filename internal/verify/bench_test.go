package verify_test

import (
	"testing"
	"time"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// BenchmarkReferenceDesign is the whole offline pipeline on the embedded
// reference design: compile, evaluate, build the twin, derive and check
// every intent.
func BenchmarkReferenceDesign(b *testing.B) {
	d, _, err := spec.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var intents int
	for b.Loop() {
		tmpl, err := compile.Compile(d)
		if err != nil {
			b.Fatal(err)
		}
		set, err := armeval.Evaluate(tmpl)
		if err != nil {
			b.Fatal(err)
		}
		tw := twin.Build(set)
		intents = len(verify.Run(tw, verify.Derive(tw)))
	}
	b.ReportMetric(float64(intents), "intents")
}

// BenchmarkEstate measures the pipeline stages on the generated estate
// separately (evaluate the template, build the twin, derive the intents,
// run them) and end to end (evaluate → build → derive → run).
func BenchmarkEstate(b *testing.B) {
	tmpl := fixture.Estate(b, fixture.EstateSpokes, fixture.EstateZones, fixture.EstateEndpoints, fixture.EstateClusters)
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		b.Fatal(err)
	}
	tw := twin.Build(set)
	intents := verify.Derive(tw)
	b.Logf("estate: %d template resources, %d VNets, %d zones, %d private endpoints, %d clusters, %d intents",
		set.Coverage.Declared, len(tw.VNets), len(tw.Zones), len(tw.Endpoints), len(tw.Clusters), len(intents))

	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := armeval.Evaluate(tmpl); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			twin.Build(set)
		}
	})
	b.Run("derive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			verify.Derive(tw)
		}
	})
	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		var rs []verify.Result
		for b.Loop() {
			rs = verify.Run(tw, intents)
		}
		b.ReportMetric(float64(len(rs)), "intents")
		b.ReportMetric(float64(verify.Failed(rs)), "failed")
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		var rs []verify.Result
		for b.Loop() {
			set, err := armeval.Evaluate(tmpl)
			if err != nil {
				b.Fatal(err)
			}
			tw := twin.Build(set)
			rs = verify.Run(tw, verify.Derive(tw))
		}
		b.ReportMetric(float64(len(rs)), "intents")
	})
}

// TestEstateShape keeps the generator honest: the estate has the size the
// benchmark claims, spokes resolve a Key Vault in their own spoke privately
// through the hub forwarder, and a full verification finishes.
func TestEstateShape(t *testing.T) {
	start := time.Now()
	tmpl := fixture.Estate(t, fixture.EstateSpokes, fixture.EstateZones, fixture.EstateEndpoints, fixture.EstateClusters)
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	tw := twin.Build(set)
	if got := len(tw.VNets); got != fixture.EstateSpokes+1 {
		t.Errorf("%d VNets, want %d", got, fixture.EstateSpokes+1)
	}
	if got := len(tw.Zones); got != fixture.EstateZones {
		t.Errorf("%d zones, want %d", got, fixture.EstateZones)
	}
	explicit := 0
	for _, pe := range tw.Endpoints {
		if !pe.Implicit {
			explicit++
		}
	}
	if explicit != fixture.EstateEndpoints {
		t.Errorf("%d private endpoints, want %d", explicit, fixture.EstateEndpoints)
	}
	if got := len(tw.Clusters); got != fixture.EstateClusters {
		t.Errorf("%d clusters, want %d", got, fixture.EstateClusters)
	}
	fwd := tw.Servers["10.0.0.4"]
	if fwd == nil || fwd.Kind != twin.ServerBIND {
		t.Fatalf("no BIND forwarder at 10.0.0.4: %v", fwd)
	}
	// A client in the app subnet of the spoke holding the first vault's
	// endpoint resolves the vault privately through the hub forwarder.
	var vault *twin.Vault
	for _, v := range tw.Vaults {
		if len(v.Endpoints) > 0 && v.Endpoints[0].Subnet != nil {
			vault = v
			break
		}
	}
	if vault == nil {
		t.Fatal("no vault with an endpoint")
	}
	var sub *twin.Subnet
	for _, s := range vault.Endpoints[0].Subnet.VNet.Subnets {
		if s.Name == "snet-app" {
			sub = s
		}
	}
	if sub == nil {
		t.Fatalf("no snet-app in %s", vault.Endpoints[0].Subnet.VNet.Name)
	}
	c := twin.Client{Name: "app in " + sub.VNet.Name, Subnet: sub, Addr: sub.Prefix.Addr().Next().Next().Next().Next().Next()}
	res := tw.Resolve(c, vault.FQDN)
	if !res.OK() || res.Public || res.Addrs[0] != vault.Endpoints[0].NICs[0].IP {
		t.Errorf("%s from %s: %+v, want %s privately", vault.FQDN, sub.VNet.Name, res, vault.Endpoints[0].NICs[0].IP)
	}
	rs := verify.Run(tw, verify.Derive(tw))
	t.Logf("estate: %d resources, %d intents (%d fail: spokes are not peered with each other) in %v",
		len(set.Resources), len(rs), verify.Failed(rs), time.Since(start).Round(time.Millisecond))
}

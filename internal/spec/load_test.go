package spec

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

const header = "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {url: \"https://dev.azure.com/contoso\"}\n"

func TestDefaultDesign(t *testing.T) {
	d, _, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"hub contains bastion /26", d.HubSpace.Contains(d.BastionSubnet.Addr()) && d.BastionSubnet.Bits() <= 26},
		{"forwarder in dns subnet", d.DNSSubnet.Contains(d.ForwarderIP)},
		{"forwarder not Azure-reserved", d.ForwarderIP == netip.MustParseAddr("10.0.0.68")},
		{"spoke holds nodes", d.SpokeSpace.Contains(d.NodeSubnet.Addr())},
		{"node subnet fits CNI", 1<<(32-d.NodeSubnet.Bits()) >= NodeSubnetNeed(d.NodePools)+5},
		{"appgw private IP in its subnet", d.AppGwSubnet.Contains(d.AppGwPrivateIP)},
		{"dns service IP in service CIDR", d.ServiceCIDR.Contains(d.DNSServiceIP)},
		{"hub and spoke disjoint", !d.HubSpace.Overlaps(d.SpokeSpace)},
		{"one sample workload", len(d.Workloads) == 1 && d.Workloads[0].Secrets[0] == "orders-db-password"},
		{"upstream is Azure DNS", len(d.Upstream) == 1 && d.Upstream[0] == netip.MustParseAddr("168.63.129.16")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("reference design: %s", c.name)
		}
	}
}

func TestDerivedNamesAreStable(t *testing.T) {
	a, _, err := Parse("a.yaml", []byte(header+"region: westeurope\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Parse("b.yaml", []byte(header+"region: westeurope\n"))
	c, _, _ := Parse("c.yaml", []byte(header+"region: northeurope\n"))
	if a.RegistryName != b.RegistryName || a.KeyVaultName != b.KeyVaultName {
		t.Errorf("same input, different names: %s/%s vs %s/%s", a.RegistryName, a.KeyVaultName, b.RegistryName, b.KeyVaultName)
	}
	if a.RegistryName == c.RegistryName {
		t.Errorf("different region, same registry name %s", a.RegistryName)
	}
	long, _, err := Parse("l.yaml", []byte("apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: abcdefghijklmnop\nagent: {url: \"https://dev.azure.com/c\"}\n"))
	if err != nil {
		t.Fatalf("16-character name: %v", err)
	}
	if len(long.KeyVaultName) > 24 {
		t.Errorf("key vault name %q longer than 24", long.KeyVaultName)
	}
	o, _, err := Parse("o.yaml", []byte(header+"registry:\n  name: myacr12345\nkeyVault:\n  name: kv-mine\n"))
	if err != nil || o.RegistryName != "myacr12345" || o.KeyVaultName != "kv-mine" {
		t.Errorf("overrides not kept: %v %+v", err, o)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string // file:line:col: field: substring
	}{
		{"unknown key", header + "network:\n  hub:\n    bogus: 1\n", "bad.yaml:7:5: network.hub.bogus: unknown field"},
		{"wrong type", header + "aks:\n  nodePools:\n  - name: sys\n    maxPods: many\n", "bad.yaml:8:14: aks.nodePools[0].maxPods:"},
		{"duplicate key", header + "region: a\nregion: b\n", "bad.yaml:6:1"},
		{"bad cidr", header + "network:\n  hub:\n    addressSpace: 10.0.0.0/33\n", "bad.yaml:7:19: network.hub.addressSpace: not a CIDR"},
		{"host bits", header + "network:\n  hub:\n    addressSpace: 10.0.0.1/22\n", "network.hub.addressSpace: \"10.0.0.1/22\" has host bits set"},
		{"overlap hub spoke", header + "network:\n  hub:\n    addressSpace: 10.0.0.0/22\n  spoke:\n    addressSpace: 10.0.0.0/16\n", "bad.yaml:9:19: network.spoke.addressSpace: 10.0.0.0/16 overlaps 10.0.0.0/22"},
		{"overlap on-prem", header + "network:\n  onPremises: [10.1.0.0/24]\n", "bad.yaml:6:16: network.onPremises[0]: 10.1.0.0/24 overlaps"},
		{"subnet outside vnet", header + "network:\n  hub:\n    subnets:\n      dns: 10.9.0.0/27\n", "bad.yaml:8:12: network.hub.subnets.dns: 10.9.0.0/27 is outside its VNet"},
		{"bastion too small", header + "network:\n  hub:\n    subnets:\n      bastion: 10.0.0.0/27\n", "network.hub.subnets.bastion: 10.0.0.0/27 is too small: /26"},
		{"node subnet too small for CNI", header + "network:\n  spoke:\n    subnets:\n      nodes: 10.1.0.0/24\n", "network.spoke.subnets.nodes: 10.1.0.0/24 has 256 addresses but Azure CNI pre-allocates"},
		{"dns service ip outside", header + "aks:\n  dnsServiceIP: 10.9.9.9\n", "bad.yaml:6:17: aks.dnsServiceIP: 10.9.9.9 is outside serviceCIDR"},
		{"dns service ip first", header + "aks:\n  serviceCIDR: 172.20.0.0/16\n  dnsServiceIP: 172.20.0.1\n", "aks.dnsServiceIP: 172.20.0.1 must not be the first address"},
		{"service cidr overlaps spoke", header + "aks:\n  serviceCIDR: 10.1.0.0/16\n", "aks.serviceCIDR: 10.1.0.0/16 overlaps"},
		{"forwarder reserved", header + "dns:\n  forwarderIP: 10.0.0.65\n", "bad.yaml:6:16: dns.forwarderIP: 10.0.0.65 is not a usable address"},
		{"bad ttl", header + "dns:\n  negativeCacheTTL: forever\n", "dns.negativeCacheTTL: not a duration"},
		{"bad acr name", header + "registry:\n  name: my-acr\n", "bad.yaml:6:9: registry.name: \"my-acr\": ACR names are 5-50"},
		{"bad kv name", header + "keyVault:\n  name: 1kv\n", "keyVault.name: \"1kv\""},
		{"kv double hyphen", header + "keyVault:\n  name: kv--x\n", "keyVault.name: \"kv--x\""},
		{"bad pool name", header + "aks:\n  nodePools:\n  - name: System_Pool\n    mode: System\n", "aks.nodePools[0].name: \"System_Pool\""},
		{"no system pool", header + "aks:\n  nodePools:\n  - name: user\n    mode: User\n", "aks.nodePools: at least one node pool must have mode System"},
		{"min over max", header + "aks:\n  nodePools:\n  - name: sys\n    minCount: 5\n    maxCount: 2\n", "aks.nodePools[0].maxCount: need 0 <= minCount (5) <= maxCount (2)"},
		{"bad exposure", header + "workloads:\n  - name: web\n    exposure: internet\n", "bad.yaml:7:15: workloads[0].exposure: \"internet\""},
		{"duplicate workload", header + "workloads:\n  - name: web\n  - name: web\n", "workloads[1].name: duplicate workload \"web\""},
		{"bad secret name", header + "workloads:\n  - name: web\n    secrets: [\"a_b\"]\n", "workloads[0].secrets[0]"},
		{"bad agent kind", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent:\n  kind: jenkins\n  url: https://x.example\n", "agent.kind: \"jenkins\""},
		{"agent url missing", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\n", "bad.yaml: agent.url: required"},
		{"firewall with load balancer outbound", header + "egress:\n  mode: firewall\n  aksOutboundType: loadBalancer\n", "egress.aksOutboundType: \"loadBalancer\": with egress.mode firewall"},
		{"bad egress mode", header + "egress:\n  mode: proxy\n", "egress.mode: \"proxy\""},
		{"bad ssh key", header + "vms:\n  sshPublicKey: hello\n", "vms.sshPublicKey: not an OpenSSH public key"},
		{"reserved admin", header + "vms:\n  adminUsername: admin\n", "vms.adminUsername"},
		{"wrong apiVersion", "apiVersion: v2\nkind: LandingZone\nname: lz\n", "bad.yaml:1:13: apiVersion: unsupported apiVersion \"v2\""},
		{"bad name", "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: My_LZ\n", "bad.yaml:3:7: name:"},
		{"not yaml", "a: [\n", "bad.yaml:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, f, err := Parse("bad.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatalf("no error; design %+v", d)
			}
			if d != nil || f != nil {
				t.Errorf("partial result returned with an error")
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not *spec.Error: %v", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, c.want)
			}
		})
	}
}

func TestEveryProblemReported(t *testing.T) {
	_, _, err := Parse("bad.yaml", []byte(header+"registry:\n  name: x\nkeyVault:\n  name: 9\nworkloads:\n  - name: A\n"))
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("want *Error, got %v", err)
	}
	if len(se.Diags) < 3 {
		t.Errorf("want at least 3 problems, got %d:\n%v", len(se.Diags), err)
	}
	for i := 1; i < len(se.Diags); i++ {
		if se.Diags[i].Line < se.Diags[i-1].Line {
			t.Errorf("problems not in file order:\n%v", err)
		}
	}
}

func TestSchemaGenerated(t *testing.T) {
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"nodePools"`, `"negativeCacheTTL"`, `"exposure"`, `"enum"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("schema lacks %s", want)
		}
	}
}

// TestTagsRefused: YAML tags are input errors with their place, never a
// panic (goccy/go-yaml v1.19.2 panics on a valueless tag where a sequence
// is expected; see refuseTags).
func TestTagsRefused(t *testing.T) {
	for _, tc := range []struct{ doc, where string }{
		{"network:\n  onPremises: !a\n", "x.yaml:6:15: network.onPremises"},
		{"region: !!str canadacentral\n", "x.yaml:5:9: region"},
		{"aks:\n  nodePools: !x\n  - name: a\n", "x.yaml:6:14: aks.nodePools"},
	} {
		_, _, err := Parse("x.yaml", []byte(header+tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.where) || !strings.Contains(err.Error(), "YAML tag") {
			t.Errorf("%q: error %v, want %q and a word on tags", tc.doc, err, tc.where)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(ReferenceYAML())
	f.Add([]byte(header + "network:\n  hub:\n    addressSpace: 10.0.0.0/22\n"))
	f.Add([]byte(header + "aks:\n  nodePools:\n  - name: a\n    maxCount: 1000\n    maxPods: 250\n"))
	f.Add(append([]byte("\xEF\xBB\xBF"), ReferenceYAML()...))
	f.Add([]byte(header + "---\nname: b\n"))
	f.Add([]byte(header + "aks:\n  nodePools:\n  - &p {name: a}\n  - *p\n"))
	f.Add([]byte(header + "regoin: x\nnetwork: {onPremises: [[[10.0.0.0/8]]]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Parse runs in the fuzz function's own goroutine, so a panic is
		// reported (and minimized) by the fuzzer, not lost in a worker.
		// The time budget is checked after the call: bounds on size, depth
		// and work make every input return.
		start := time.Now()
		d, file, err := Parse("fuzz.yaml", data)
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("Parse took %v (budget 5s) on %d bytes", took, len(data))
		}
		if err != nil {
			if d != nil || file != nil {
				t.Fatalf("partial result with error")
			}
			if err.Error() == "" {
				t.Fatalf("empty error message")
			}
			return
		}
		// A design that validates must be internally consistent.
		if !d.HubSpace.IsValid() || !d.NodeSubnet.IsValid() || !d.SpokeSpace.Contains(d.NodeSubnet.Addr()) {
			t.Fatalf("valid spec gave inconsistent design %+v", d)
		}
		if d.HubSpace.Overlaps(d.SpokeSpace) {
			t.Fatalf("valid spec with overlapping VNets")
		}
	})
}

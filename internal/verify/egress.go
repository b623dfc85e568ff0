package verify

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// UbuntuMirror is where the VMs' packages come from on Azure's Ubuntu
// images (apt over HTTP, port 80).
const UbuntuMirror = "azure.archive.ubuntu.com"

// egressIntents: the DNS VM reaches its package mirror, the CI agent its CI
// service, every node pool the AKS required endpoints — each with the name
// resolved as the client resolves it at that moment of bring-up.
func egressIntents(t *twin.Twin) []Intent {
	var out []Intent
	for _, vm := range vmClients(t) {
		vm := vm
		if isDNSServer(t, vm) {
			out = append(out, Intent{Name: fmt.Sprintf("%s → package mirror %s", vm.Name, UbuntuMirror), From: vm.Name, To: UbuntuMirror + ":80",
				Check: func(t *twin.Twin, r *Result) {
					// The forwarder installs BIND at first boot: until
					// then it cannot answer its own queries.
					servers, why := t.DNSServersOf(vm)
					for _, s := range servers {
						if s == vm.Addr {
							r.fail("dns", "%s resolves through itself (%s: %s) but installs BIND at first boot: nothing answers yet; give its NIC dnsServers [AzureProvidedDNS]", vm.Name, s, why)
							return
						}
					}
					egress(t, vm, UbuntuMirror, 80, r)
				}})
			continue
		}
		if ci := ciService(t, vm); ci != "" {
			out = append(out, Intent{Name: fmt.Sprintf("%s → CI service %s", vm.Name, ci), From: vm.Name, To: ci + ":443",
				Check: func(t *twin.Twin, r *Result) { egress(t, vm, ci, 443, r) }})
		}
	}
	for _, c := range t.Clusters {
		for _, p := range c.Pools {
			pc := p.Client()
			out = append(out, Intent{Name: fmt.Sprintf("%s → AKS required endpoints", pc.Name), From: pc.Name, To: strings.Join(twin.AKSRequiredEndpoints, ", "),
				Check: func(t *twin.Twin, r *Result) {
					for _, e := range twin.AKSRequiredEndpoints {
						if !egress(t, pc, e, 443, r) {
							return
						}
					}
				}})
		}
	}
	return out
}

// egress resolves name from c, then checks the path out.
func egress(t *twin.Twin, c twin.Client, name string, port uint16, r *Result) bool {
	if !inSet(c, r) {
		return false
	}
	res := t.Resolve(c, name)
	r.dnsTrace(t, res)
	if res.Outside {
		r.outside("%s resolves %s through %s", c.Name, name, res.Err)
		return false
	}
	if !res.OK() {
		why := res.Err
		if why == "" {
			why = "NXDOMAIN"
		}
		r.fail("dns", "%s cannot resolve %s: %s", c.Name, name, why)
		return false
	}
	return egressPath(t, c, name, port, r)
}

// egressPath checks the way out from c to name:port (a name outside the
// design, kept as a name, or an Internet address): NSG outbound rules,
// routes, firewall rules, then NAT gateway, public IP or load balancer.
func egressPath(t *twin.Twin, c twin.Client, name string, port uint16, r *Result) bool {
	e := t.Egress(c, name, port)
	r.netTrace(e)
	switch {
	case e.Undecided:
		r.outside("%s → %s:%d: %s", c.Name, name, port, e.Why)
		return false
	case !e.OK:
		r.fail("network", "%s cannot reach %s:%d: %s", c.Name, name, port, e.Why)
		return false
	}
	r.ok("network", "%s reaches %s:%d", c.Name, name, port)
	return true
}

// ciService reads which CI service a VM's cloud-init registers with.
func ciService(t *twin.Twin, c twin.Client) string {
	for _, vm := range t.VMs {
		if len(vm.NICs) == 0 || vm.NICs[0] != c.NIC {
			continue
		}
		doc := string(vm.CustomData)
		switch {
		case strings.Contains(doc, "https://dev.azure.com"):
			return "dev.azure.com"
		case strings.Contains(doc, "actions-runner") || strings.Contains(doc, "https://github.com"):
			return "github.com"
		}
	}
	return ""
}

// bringUpIntents prove the order from the dependency graph: everything
// that resolves through a forwarder VM (VMs, clusters) is deployed after
// that forwarder's readiness check succeeds.
func bringUpIntents(t *twin.Twin) []Intent {
	var out []Intent
	for _, s := range t.Servers {
		if s.Kind != twin.ServerBIND {
			continue
		}
		s := s
		ready := t.ReadinessExtension(s.Owner)
		for _, dep := range dependents(t, s) {
			dep := dep
			out = append(out, Intent{Name: fmt.Sprintf("bring-up: %s starts after DNS on %s answers", dep.name, s.Name), From: dep.name, To: s.Name,
				Check: func(t *twin.Twin, r *Result) {
					if ready == "" {
						r.fail("order", "%s has no readiness extension: nothing makes %s wait until BIND answers", s.Name, dep.name)
						return
					}
					if !t.DeployedBefore(dep.id)[ready.Key()] {
						r.fail("order", "%s does not depend (directly or through others) on %s: it may start before DNS works", dep.name, lastSeg(ready))
						return
					}
					r.ok("order", "%s depends on %s", dep.name, lastSeg(ready))
				}})
		}
	}
	sortIntents(out)
	return out
}

type dependent struct {
	id   arm.ResourceID
	name string
}

// dependents are the VMs and clusters whose DNS servers include s.
func dependents(t *twin.Twin, s *twin.DNSServer) []dependent {
	var out []dependent
	for _, vm := range t.VMs {
		if vm.ID.Equal(s.Owner) || len(vm.NICs) == 0 {
			continue
		}
		servers, _ := t.DNSServersOf(twin.Client{Name: vm.Name, Subnet: vm.NICs[0].Subnet, NIC: vm.NICs[0]})
		if containsAddr(servers, s.Addr) {
			out = append(out, dependent{vm.ID, vm.Name})
		}
	}
	for _, c := range t.Clusters {
		for _, p := range c.Pools {
			servers, _ := t.DNSServersOf(p.Client())
			if containsAddr(servers, s.Addr) {
				out = append(out, dependent{c.ID, "cluster " + c.Name})
				break
			}
		}
	}
	return out
}

func lastSeg(id arm.ResourceID) string {
	p, err := arm.ParseResourceID(string(id))
	if err != nil {
		return string(id)
	}
	return p.Name()
}

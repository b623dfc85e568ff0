package spec

import (
	"strings"
	"testing"
)

// The network and exposure options validate as the AKS and Application
// Gateway APIs do, each problem located at its field.
func TestNetworkAndExposureOptions(t *testing.T) {
	bad := []struct{ name, yaml, want string }{
		{"pod CIDR without overlay", "aks:\n  podCIDR: 10.244.0.0/16\n", "aks.podCIDR: a pod CIDR is used only with networkPluginMode: overlay"},
		{"pod CIDR overlaps spoke", "aks:\n  networkPluginMode: overlay\n  podCIDR: 10.1.0.0/16\n", "aks.podCIDR: 10.1.0.0/16 overlaps 10.1.0.0/16 (network.spoke.addressSpace)"},
		{"pod CIDR overlaps service CIDR", "aks:\n  networkPluginMode: overlay\n  podCIDR: 172.16.0.0/16\n", "(aks.serviceCIDR)"},
		{"pod CIDR reserved", "aks:\n  networkPluginMode: overlay\n  podCIDR: 172.30.0.0/16\n", "overlaps 172.30.0.0/16, which AKS reserves"},
		{"pod CIDR too small", "aks:\n  networkPluginMode: overlay\n  podCIDR: 10.244.0.0/22\n", "aks.podCIDR: 10.244.0.0/22 holds 4 /24 node ranges but the pools reach 12 nodes"},
		{"cilium with azure policy", "aks:\n  networkDataplane: cilium\n  networkPolicy: azure\n", "aks.networkPolicy: \"azure\" with networkDataplane cilium"},
		{"cilium policy without dataplane", "aks:\n  networkPolicy: cilium\n", "cilium network policy needs networkDataplane: cilium"},
		{"bad plugin mode", "aks:\n  networkPluginMode: kubenet\n", "aks.networkPluginMode: \"kubenet\""},
		{"overlay node subnet too small", "aks:\n  networkPluginMode: overlay\nnetwork:\n  spoke:\n    subnets:\n      nodes: 10.1.0.0/28\n", "the node pools reach 18 nodes"},
		{"two workloads one host", "workloads:\n  - name: a\n    exposure: public\n    host: www.contoso.com\n  - name: b\n    exposure: public\n    host: WWW.contoso.com\n",
			"workloads[1].host: www.contoso.com is also the host of workloads[0].host"},
		{"host not a name", "workloads:\n  - name: a\n    exposure: public\n    host: \"https://a\"\n", "workloads[0].host: \"https://a\" is not a host name"},
		{"host without exposure", "workloads:\n  - name: a\n    host: a.contoso.com\n", "workloads[0].host: workload a has exposure none"},
		{"bad certificate name", "appGateway:\n  tlsCertificate: my_cert\n", "appGateway.tlsCertificate: \"my_cert\""},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Parse("bad.yaml", []byte(header+c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant %q", err, c.want)
			}
		})
	}
	good := []struct {
		name, yaml string
		check      func(*Design) bool
	}{
		{"overlay defaults its pod CIDR and shrinks the node subnet", "aks:\n  networkPluginMode: overlay\n",
			func(d *Design) bool {
				return d.PodCIDR.String() == DefaultPodCIDR && d.NodeSubnet.Bits() == 27 && d.NetworkPolicy == "azure"
			}},
		{"cilium defaults to cilium policy", "aks:\n  networkPluginMode: overlay\n  networkDataplane: cilium\n",
			func(d *Design) bool { return d.NetworkDataplane == "cilium" && d.NetworkPolicy == "cilium" }},
		{"cilium on the node subnet", "aks:\n  networkDataplane: cilium\n",
			func(d *Design) bool { return d.NetworkPluginMode == "" && d.NetworkPolicy == "cilium" }},
		{"exposed workloads get a host", "workloads:\n  - name: web\n    exposure: private\n  - name: job\n",
			func(d *Design) bool { return d.Workloads[0].Host == "web.lz.internal" && d.Workloads[1].Host == "" }},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			d, _, err := Parse("good.yaml", []byte(header+c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(d) {
				t.Errorf("design %+v", d)
			}
		})
	}
}

package render_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/cloudinit"
	"github.com/privaks/privaks/internal/render"
)

func vm(t *testing.T, set *arm.Set, name string) *arm.Resource {
	t.Helper()
	for _, r := range set.OfType("Microsoft.Compute/virtualMachines") {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no VM %q", name)
	return nil
}

func customDataOf(r *arm.Resource) map[string]any { return r.Properties["osProfile"].(map[string]any) }

func TestCloudInitIsTheVMsCustomData(t *testing.T) {
	set := setOf(t, testSpec(t))
	files, err := render.CloudInit(set)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		"cloud-init/dns.yaml":   customData(t, set, "vm-dns"),
		"cloud-init/agent.yaml": customData(t, set, "vm-agent"),
	}
	if diff := cmp.Diff(files, want); diff != "" {
		t.Errorf("files (-got +want):\n%s", diff)
	}
	if _, err := cloudinit.ParseDNSForwarder(files["cloud-init/dns.yaml"]); err != nil {
		t.Errorf("dns.yaml is not the forwarder's document: %v", err)
	}
	if !bytes.Contains(files["cloud-init/agent.yaml"], []byte(cloudinit.AgentConfFile)) {
		t.Errorf("agent.yaml does not write %s", cloudinit.AgentConfFile)
	}
}

func TestCloudInitByContent(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, set *arm.Set)
		// want maps a path to the VM, by its original name, whose
		// customData it must be; nil: an error.
		want map[string]string
		err  string
	}{
		{"names swapped", func(t *testing.T, set *arm.Set) {
			vm(t, set, "vm-dns").Name, vm(t, set, "vm-agent").Name = "vm-agent", "vm-dns"
		}, map[string]string{"cloud-init/dns.yaml": "vm-dns", "cloud-init/agent.yaml": "vm-agent"}, ""},
		{"other VMs ignored", func(t *testing.T, set *arm.Set) {
			set.Add(&arm.Resource{Type: "Microsoft.Compute/virtualMachines", Name: "vm-other",
				ID: set.Scope.ID("Microsoft.Compute/virtualMachines", "vm-other"),
				Properties: map[string]any{"osProfile": map[string]any{
					"customData": base64.StdEncoding.EncodeToString([]byte("#cloud-config\npackages: [nginx]\n"))}}})
			set.Add(&arm.Resource{Type: "Microsoft.Compute/virtualMachines", Name: "vm-expr",
				ID:         set.Scope.ID("Microsoft.Compute/virtualMachines", "vm-expr"),
				Properties: map[string]any{"osProfile": map[string]any{"customData": arm.Unknown{Expr: "reference('x').y"}}}})
		}, map[string]string{"cloud-init/dns.yaml": "vm-dns", "cloud-init/agent.yaml": "vm-agent"}, ""},
		{"no agent", func(t *testing.T, set *arm.Set) {
			delete(customDataOf(vm(t, set, "vm-agent")), "customData")
		}, nil, "find the CI agent VM: no VM's customData is a privaks CI agent document"},
		{"two forwarders", func(t *testing.T, set *arm.Set) {
			customDataOf(vm(t, set, "vm-agent"))["customData"] = customDataOf(vm(t, set, "vm-dns"))["customData"]
		}, nil, "find the DNS forwarder VM: several VMs run a DNS forwarder document (vm-dns, vm-agent)"},
		{"not base64", func(t *testing.T, set *arm.Set) {
			customDataOf(vm(t, set, "vm-agent"))["customData"] = "#cloud-config"
		}, nil, `decode customData of VM "vm-agent"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := setOf(t, testSpec(t))
			orig := map[string][]byte{"vm-dns": customData(t, set, "vm-dns"), "vm-agent": customData(t, set, "vm-agent")}
			tt.change(t, set)
			files, err := render.CloudInit(set)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]byte{}
			for path, vm := range tt.want {
				want[path] = orig[vm]
			}
			if diff := cmp.Diff(files, want); diff != "" {
				t.Errorf("files (-got +want):\n%s", diff)
			}
		})
	}
}

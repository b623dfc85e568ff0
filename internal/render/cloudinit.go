package render

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/cloudinit"
)

// Paths CloudInit writes.
const (
	DNSCloudInit   = "cloud-init/dns.yaml"
	AgentCloudInit = "cloud-init/agent.yaml"
)

// CloudInit returns the cloud-init documents of the DNS forwarder and CI
// agent VMs exactly as the set gives them to the VMs: each VM's
// osProfile.customData, base64-decoded. VMs are recognised by content, not
// by name: the forwarder's document is one cloudinit.ParseDNSForwarder
// reads, the agent's one that writes cloudinit.AgentConfFile. VMs whose
// customData is absent, an unevaluated expression or another document are
// ignored; the set must hold exactly one of each kind.
func CloudInit(set *arm.Set) (map[string][]byte, error) {
	found := map[string][]string{} // path → VM names
	files := map[string][]byte{}
	for _, r := range set.OfType("Microsoft.Compute/virtualMachines") {
		s, ok := r.Prop("osProfile.customData").(string)
		if !ok || s == "" || strings.HasPrefix(s, "[") {
			continue
		}
		doc, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("decode customData of VM %q: %w", r.Name, err)
		}
		var path string
		switch {
		case isDNSForwarder(doc):
			path = DNSCloudInit
		case writesFile(doc, cloudinit.AgentConfFile):
			path = AgentCloudInit
		default:
			continue
		}
		found[path] = append(found[path], r.Name)
		files[path] = doc
	}
	for _, p := range []struct{ path, what string }{{DNSCloudInit, "DNS forwarder"}, {AgentCloudInit, "CI agent"}} {
		switch vms := found[p.path]; len(vms) {
		case 1:
		case 0:
			return nil, fmt.Errorf("find the %s VM: no VM's customData is a privaks %s document", p.what, p.what)
		default:
			return nil, fmt.Errorf("find the %s VM: several VMs run a %s document (%s)", p.what, p.what, strings.Join(vms, ", "))
		}
	}
	return files, nil
}

func isDNSForwarder(doc []byte) bool {
	_, err := cloudinit.ParseDNSForwarder(doc)
	return err == nil
}

// writesFile reports whether a #cloud-config document has a write_files
// entry for path.
func writesFile(doc []byte, path string) bool {
	if !bytes.HasPrefix(doc, []byte("#cloud-config")) {
		return false
	}
	var d struct {
		WriteFiles []struct {
			Path string `json:"path"`
		} `json:"write_files"`
	}
	if err := yaml.Unmarshal(doc, &d); err != nil {
		return false
	}
	for _, f := range d.WriteFiles {
		if f.Path == path {
			return true
		}
	}
	return false
}

package compile

import (
	"encoding/base64"
	"fmt"

	"github.com/privaks/privaks/internal/arm"
)

// ParamSSHKey is the template parameter holding the VMs' SSH public key
// (not a secret, but user-specific: the spec may set it, else it is given
// at deploy time).
const ParamSSHKey = "adminSshPublicKey"

// vmOptions describe one Linux VM.
type vmOptions struct {
	name           string
	subnet         string
	staticIP       string   // empty: dynamic
	nicDNS         []string // NIC DNS override; nil: inherit the VNet's
	customData     []byte
	systemIdentity bool
}

// linuxVM writes a NIC (never with a public IP) and an Ubuntu LTS VM with
// SSH-key-only login, Trusted Launch, automatic guest patching, boot
// diagnostics and the given cloud-init as customData.
func (b *builder) linuxVM(o vmOptions) *arm.Resource {
	ipconf := map[string]any{
		"subnet":                    idOf(tSubnet, nHub, o.subnet),
		"privateIPAllocationMethod": "Dynamic",
	}
	if o.staticIP != "" {
		ipconf["privateIPAllocationMethod"] = "Static"
		ipconf["privateIPAddress"] = o.staticIP
	}
	nicProps := map[string]any{
		"enableIPForwarding":          false,
		"enableAcceleratedNetworking": false,
		"ipConfigurations":            []any{map[string]any{"name": "ipconfig1", "properties": ipconf}},
	}
	if o.nicDNS != nil {
		nicProps["dnsSettings"] = map[string]any{"dnsServers": toAny(o.nicDNS)}
	}
	b.resource(tNIC, apiNetwork, nicName(o.name), nicProps)
	d := b.d
	vm := b.resource(tVM, apiCompute, o.name, map[string]any{
		"hardwareProfile": map[string]any{"vmSize": d.VMSize},
		"storageProfile": map[string]any{
			"imageReference": map[string]any{
				"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest",
			},
			"osDisk": map[string]any{
				"createOption": "FromImage", "deleteOption": "Delete",
				"managedDisk": map[string]any{"storageAccountType": "StandardSSD_LRS"},
			},
		},
		"osProfile": map[string]any{
			"computerName":  o.name,
			"adminUsername": d.AdminUsername,
			"customData":    base64.StdEncoding.EncodeToString(o.customData),
			"linuxConfiguration": map[string]any{
				"disablePasswordAuthentication": true,
				"provisionVMAgent":              true,
				"ssh": map[string]any{"publicKeys": []any{map[string]any{
					"path":    fmt.Sprintf("/home/%s/.ssh/authorized_keys", d.AdminUsername),
					"keyData": fmt.Sprintf("[parameters('%s')]", ParamSSHKey),
				}}},
				"patchSettings": map[string]any{
					"patchMode": "AutomaticByPlatform", "assessmentMode": "AutomaticByPlatform",
				},
			},
		},
		"networkProfile": map[string]any{"networkInterfaces": []any{map[string]any{
			"id":         rid(tNIC, nicName(o.name)),
			"properties": map[string]any{"deleteOption": "Delete", "primary": true},
		}}},
		"securityProfile": map[string]any{
			"securityType": "TrustedLaunch",
			"uefiSettings": map[string]any{"secureBootEnabled": true, "vTpmEnabled": true},
		},
		"diagnosticsProfile": map[string]any{"bootDiagnostics": map[string]any{"enabled": true}},
	})
	// Through a firewall, a VM installs its packages only once the
	// firewall and its rules are up.
	for _, r := range b.resources {
		if r.Is(tFirewall) {
			b.dependOn(vm, r)
		}
	}
	if o.systemIdentity {
		vm.Identity = map[string]any{"type": "SystemAssigned"}
	}
	return vm
}

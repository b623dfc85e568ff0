package tfread

import (
	"github.com/privaks/privaks/internal/arm"
)

const apiCompute = "2026-03-01"

func registerMapCompute(mappings map[string]*mapping) {
	vm := func(windows bool) *mapping {
		return &mapping{arm: "Microsoft.Compute/virtualMachines", api: apiCompute,
			id:      simple("Microsoft.Compute/virtualMachines"),
			unknown: map[string]string{"identity.0.principal_id": "identity.principalId", "identity.0.tenant_id": "identity.tenantId", "private_ip_address": "privateIPAddress"},
			build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
				p := res.Properties
				p["hardwareProfile"] = map[string]any{"vmSize": c.a.str("size")}
				var nics []any
				for i, id := range strs(c.a.list("network_interface_ids")) {
					nics = append(nics, map[string]any{"id": id, "properties": map[string]any{"primary": i == 0}})
				}
				p["networkProfile"] = map[string]any{"networkInterfaces": orEmptyList(nics)}
				os := map[string]any{"computerName": c.a.str("computer_name"), "adminUsername": c.a.str("admin_username")}
				if os["computerName"] == nil {
					os["computerName"] = c.a.str("name")
				}
				put(os, "customData", c.a.str("custom_data"))
				if windows {
					os["windowsConfiguration"] = map[string]any{"provisionVMAgent": c.a.boolOr(true, "provision_vm_agent")}
				} else {
					lc := map[string]any{"disablePasswordAuthentication": c.a.boolOr(true, "disable_password_authentication"),
						"provisionVMAgent": c.a.boolOr(true, "provision_vm_agent")}
					ps := map[string]any{}
					put(ps, "patchMode", c.a.str("patch_mode"))
					put(ps, "assessmentMode", c.a.str("patch_assessment_mode"))
					if len(ps) > 0 {
						lc["patchSettings"] = ps
					}
					var keys []any
					for _, k := range c.a.blocks("admin_ssh_key") {
						keys = append(keys, map[string]any{"keyData": k.str("public_key"),
							"path": "/home/" + str(k.str("username")) + "/.ssh/authorized_keys"})
					}
					if keys != nil {
						lc["ssh"] = map[string]any{"publicKeys": keys}
					}
					os["linuxConfiguration"] = lc
				}
				// admin_password is never copied: no secret in the set.
				p["osProfile"] = os
				put(p, "userData", c.a.str("user_data"))
				sp := map[string]any{}
				if img, ok := c.a.block("source_image_reference"); ok {
					sp["imageReference"] = map[string]any{"publisher": img.str("publisher"),
						"offer": img.str("offer"), "sku": img.str("sku"), "version": img.str("version")}
				}
				if d, ok := c.a.block("os_disk"); ok {
					// These resources create the OS disk from an image.
					od := map[string]any{"createOption": "FromImage"}
					put(od, "caching", d.str("caching"))
					put(od, "diskSizeGB", d.num("disk_size_gb"))
					if t := d.str("storage_account_type"); t != nil {
						od["managedDisk"] = map[string]any{"storageAccountType": t}
					}
					sp["osDisk"] = od
				}
				if len(sp) > 0 {
					p["storageProfile"] = sp
				}
				// boot_diagnostics without a storage account is managed boot
				// diagnostics.
				if bd, ok := c.a.block("boot_diagnostics"); ok {
					b := map[string]any{"enabled": true}
					put(b, "storageUri", bd.str("storage_account_uri"))
					p["diagnosticsProfile"] = map[string]any{"bootDiagnostics": b}
				}
				// secure_boot_enabled or vtpm_enabled make a Trusted Launch VM
				// (azurerm sets securityType and the flags that are true).
				uefi := map[string]any{}
				for tf, armName := range map[string]string{"secure_boot_enabled": "secureBootEnabled", "vtpm_enabled": "vTpmEnabled"} {
					if b, _ := c.a.bool(tf).(bool); b {
						uefi[armName] = true
					}
				}
				if len(uefi) > 0 {
					p["securityProfile"] = map[string]any{"securityType": "TrustedLaunch", "uefiSettings": uefi}
				}
				if z := c.a.str("zone"); z != nil {
					res.Zones = []any{z}
				}
				res.Identity = identity(c.a)
				return nil, nil
			}}
	}
	mappings["azurerm_linux_virtual_machine"] = vm(false)
	mappings["azurerm_windows_virtual_machine"] = vm(true)

	vmss := func(windows bool) *mapping {
		return &mapping{arm: "Microsoft.Compute/virtualMachineScaleSets", api: apiCompute,
			id:      simple("Microsoft.Compute/virtualMachineScaleSets"),
			unknown: map[string]string{"identity.0.principal_id": "identity.principalId"},
			build: func(c *mctx, res *arm.Resource) ([]*arm.Resource, error) {
				res.SKU = map[string]any{"name": c.a.str("sku"), "capacity": c.a.num("instances")}
				var nics []any
				for _, n := range c.a.blocks("network_interface") {
					var ics []any
					for _, ic := range n.blocks("ip_configuration") {
						ip := map[string]any{}
						put(ip, "subnet", ref(ic.str("subnet_id")))
						put(ip, "primary", ic.bool("primary"))
						if _, ok := ic.block("public_ip_address"); ok {
							ip["publicIPAddressConfiguration"] = map[string]any{"name": "public"}
						}
						ics = append(ics, map[string]any{"name": ic.str("name"), "properties": ip})
					}
					np := map[string]any{"ipConfigurations": orEmptyList(ics)}
					put(np, "primary", n.bool("primary"))
					put(np, "enableIPForwarding", n.bool("ip_forwarding_enabled", "enable_ip_forwarding"))
					if dns := n.list("dns_servers"); len(strs(dns)) > 0 {
						np["dnsSettings"] = map[string]any{"dnsServers": dns}
					}
					nics = append(nics, map[string]any{"name": n.str("name"), "properties": np})
				}
				os := map[string]any{"computerNamePrefix": c.a.str("computer_name_prefix"), "adminUsername": c.a.str("admin_username")}
				if os["computerNamePrefix"] == nil {
					os["computerNamePrefix"] = c.a.str("name")
				}
				put(os, "customData", c.a.str("custom_data"))
				if windows {
					os["windowsConfiguration"] = map[string]any{}
				} else {
					os["linuxConfiguration"] = map[string]any{"disablePasswordAuthentication": c.a.boolOr(true, "disable_password_authentication")}
				}
				res.Properties["virtualMachineProfile"] = map[string]any{"osProfile": os,
					"networkProfile": map[string]any{"networkInterfaceConfigurations": orEmptyList(nics)}}
				if z := c.a.list("zones"); z != nil {
					res.Zones = z
				}
				res.Identity = identity(c.a)
				return nil, nil
			}}
	}
	mappings["azurerm_linux_virtual_machine_scale_set"] = vmss(false)
	mappings["azurerm_windows_virtual_machine_scale_set"] = vmss(true)
}

func str(v any) string { s, _ := v.(string); return s }

// identity maps an identity block to ARM's identity object.
func identity(a attrs) any {
	b, ok := a.block("identity")
	if !ok {
		return nil
	}
	out := map[string]any{"type": b.str("type")}
	if ids := strs(b.list("identity_ids")); len(ids) > 0 {
		m := map[string]any{}
		for _, id := range ids {
			if s, ok := id.(string); ok {
				m[s] = map[string]any{}
			}
		}
		out["userAssignedIdentities"] = m
	}
	return out
}

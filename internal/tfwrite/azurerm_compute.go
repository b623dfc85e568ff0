package tfwrite

import (
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/privaks/privaks/internal/arm"
)

// Linux VMs as azurerm_linux_virtual_machine, their customData the file
// beside the module read with filebase64.

// standardStorage are the disk types whose OS disk caching ARM defaults
// to None ("None for Standard storage, ReadOnly for Premium storage", the
// Compute API's OSDisk.caching): azurerm requires os_disk.caching, so an
// OS disk without caching is written with ARM's default.
var standardStorage = map[string]bool{"Standard_LRS": true, "StandardSSD_LRS": true, "StandardSSD_ZRS": true}

func linuxVMFits(r *arm.Resource) bool {
	p := propsOf(r)
	if id, ok := r.Identity.(map[string]any); r.Identity != nil && (!ok || !onlyKeys(id, "type", "userAssignedIdentities")) {
		return false
	}
	if z := asList(r.Zones); len(z) > 1 || !strList(r.Zones) {
		return false
	}
	if d := p["diagnosticsProfile"]; d != nil {
		bd, ok := arm.Lookup(d, "bootDiagnostics").(map[string]any)
		if !ok || len(d.(map[string]any)) != 1 || !onlyKeys(bd, "enabled", "storageUri") || bd["enabled"] != true {
			return false
		}
	}
	if _, ok := r.Prop("hardwareProfile.vmSize").(string); !ok || len(p["hardwareProfile"].(map[string]any)) != 1 {
		return false
	}
	np, ok := p["networkProfile"].(map[string]any)
	nics, ok2 := objList(np["networkInterfaces"])
	if !ok || !ok2 || len(np) != 1 || len(nics) == 0 {
		return false
	}
	for i, n := range nics {
		np, _ := n["properties"].(map[string]any)
		if _, s := n["id"].(string); !s || !onlyKeys(n, "id", "properties") || !onlyKeys(np, "primary", "deleteOption") {
			return false
		}
		if pr, ok := np["primary"].(bool); !ok || pr != (i == 0) {
			return false // the reader makes the first NIC primary
		}
	}
	os, ok := p["osProfile"].(map[string]any)
	if !ok || !onlyKeys(os, "adminUsername", "computerName", "customData", "linuxConfiguration") {
		return false
	}
	user, ok := os["adminUsername"].(string)
	if !ok || os["computerName"] == nil {
		return false
	}
	if cd := os["customData"]; cd != nil {
		if _, s := cd.(string); !s {
			return false
		}
	}
	lc, ok := os["linuxConfiguration"].(map[string]any)
	if !ok || !onlyKeys(lc, "disablePasswordAuthentication", "provisionVMAgent", "patchSettings", "ssh") {
		return false
	}
	for _, k := range []string{"disablePasswordAuthentication", "provisionVMAgent"} {
		if _, ok := lc[k].(bool); !ok {
			return false // the reader fills both in
		}
	}
	if lc["disablePasswordAuthentication"] != true {
		return false // a password is a secret the module does not carry
	}
	if ps := lc["patchSettings"]; ps != nil {
		m, ok := ps.(map[string]any)
		if !ok || len(m) == 0 || !onlyKeys(m, "patchMode", "assessmentMode") {
			return false
		}
	}
	keys, ok := objList(arm.Lookup(lc, "ssh.publicKeys"))
	if !ok || len(keys) == 0 || len(lc["ssh"].(map[string]any)) != 1 {
		return false
	}
	for _, k := range keys {
		// azurerm puts every key in the admin user's authorized_keys.
		if !onlyKeys(k, "keyData", "path") || k["keyData"] == nil || k["path"] != "/home/"+user+"/.ssh/authorized_keys" {
			return false
		}
	}
	if sp := p["securityProfile"]; sp != nil {
		m, ok := sp.(map[string]any)
		u, _ := m["uefiSettings"].(map[string]any)
		if !ok || !onlyKeys(m, "securityType", "uefiSettings") || m["securityType"] != "TrustedLaunch" || len(u) == 0 ||
			!onlyKeys(u, "secureBootEnabled", "vTpmEnabled") {
			return false
		}
		for _, v := range u {
			if v != true {
				return false // azurerm sends only the flags that are on
			}
		}
	}
	st, ok := p["storageProfile"].(map[string]any)
	if !ok || !onlyKeys(st, "imageReference", "osDisk") {
		return false
	}
	img, ok := st["imageReference"].(map[string]any)
	if !ok || len(img) != 4 || !onlyKeys(img, "publisher", "offer", "sku", "version") {
		return false
	}
	od, ok := st["osDisk"].(map[string]any)
	if !ok || !onlyKeys(od, "createOption", "caching", "deleteOption", "managedDisk", "diskSizeGB") || od["createOption"] != "FromImage" {
		return false
	}
	md, ok := od["managedDisk"].(map[string]any)
	sat, _ := md["storageAccountType"].(string)
	if !ok || len(md) != 1 || sat == "" {
		return false
	}
	if od["caching"] == nil && !standardStorage[sat] {
		return false
	}
	return true
}

func registerAzurermCompute(azurermWriters map[string]typeWriter) {
	azurermWriters["microsoft.compute/virtualmachines"] = &simple{tf: "azurerm_linux_virtual_machine",
		props: []string{"diagnosticsProfile", "hardwareProfile", "networkProfile", "osProfile", "securityProfile", "storageProfile"},
		top:   []string{"identity", "zones"},
		check: linuxVMFits,
		unknowns: map[string]string{"identity.principalid": "identity.0.principal_id", "identity.tenantid": "identity.0.tenant_id",
			"privateipaddress": "private_ip_address"},
		body: func(w *writer, t *tres, b *hclwrite.Body) error {
			r := t.r
			p := propsOf(r)
			w.common(t, b, true)
			var nics []any
			for _, x := range asList(r.Prop("networkProfile.networkInterfaces")) {
				nics = append(nics, x.(map[string]any)["id"])
			}
			os := p["osProfile"].(map[string]any)
			lc := os["linuxConfiguration"].(map[string]any)
			if err := w.attrs(t, b, pair{"size", r.Prop("hardwareProfile.vmSize")}, pair{"network_interface_ids", nics},
				pair{"computer_name", os["computerName"]}, pair{"admin_username", os["adminUsername"]},
				pair{"disable_password_authentication", lc["disablePasswordAuthentication"]},
				pair{"provision_vm_agent", lc["provisionVMAgent"]}, pair{"patch_mode", arm.Lookup(lc, "patchSettings.patchMode")},
				pair{"patch_assessment_mode", arm.Lookup(lc, "patchSettings.assessmentMode")}); err != nil {
				return err
			}
			if cd, ok := os["customData"].(string); ok && cd != "" {
				tok, err := w.cloudInit(r.Name, cd)
				if err != nil {
					return err
				}
				b.SetAttributeRaw("custom_data", tok)
			}
			if z := asList(r.Zones); len(z) == 1 {
				if err := w.attr(t, b, "zone", z[0]); err != nil {
					return err
				}
			}
			for _, k := range []string{"secureBootEnabled", "vTpmEnabled"} {
				if v, ok := r.Prop("securityProfile.uefiSettings." + k).(bool); ok {
					b.SetAttributeValue(map[string]string{"secureBootEnabled": "secure_boot_enabled", "vTpmEnabled": "vtpm_enabled"}[k], boolv(v))
				}
			}
			for _, x := range asList(arm.Lookup(lc, "ssh.publicKeys")) {
				k := x.(map[string]any)
				kb := b.AppendNewBlock("admin_ssh_key", nil).Body()
				if err := w.attr(t, kb, "username", os["adminUsername"]); err != nil {
					return err
				}
				if s, ok := k["keyData"].(string); ok {
					kb.SetAttributeRaw("public_key", w.sshKey(s))
				} else if err := w.attr(t, kb, "public_key", k["keyData"]); err != nil {
					return err
				}
			}
			if bd, ok := r.Prop("diagnosticsProfile.bootDiagnostics").(map[string]any); ok {
				bb := b.AppendNewBlock("boot_diagnostics", nil).Body()
				if err := w.attr(t, bb, "storage_account_uri", bd["storageUri"]); err != nil {
					return err
				}
			}
			od := r.Prop("storageProfile.osDisk").(map[string]any)
			ob := b.AppendNewBlock("os_disk", nil).Body()
			caching := od["caching"]
			if caching == nil {
				caching = "None" // ARM's default for standard storage (standardStorage)
			}
			if err := w.attrs(t, ob, pair{"caching", caching}, pair{"storage_account_type", arm.Lookup(od, "managedDisk.storageAccountType")},
				pair{"disk_size_gb", od["diskSizeGB"]}); err != nil {
				return err
			}
			img := r.Prop("storageProfile.imageReference").(map[string]any)
			ib := b.AppendNewBlock("source_image_reference", nil).Body()
			if err := w.attrs(t, ib, pair{"publisher", img["publisher"]}, pair{"offer", img["offer"]}, pair{"sku", img["sku"]},
				pair{"version", img["version"]}); err != nil {
				return err
			}
			if r.Identity != nil {
				if err := w.identityBlock(r.Identity, b); err != nil {
					return err
				}
			}
			return w.tags(r, b)
		}}
}

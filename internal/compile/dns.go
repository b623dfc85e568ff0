package compile

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/bind"
	"github.com/privaks/privaks/internal/cloudinit"
)

// ForwarderConfig returns the BIND configuration of the DNS forwarder VM:
// listen on its static IP, answer the VNets and on-premises ranges, forward
// the design's private zones (and the public zones that CNAME into them) to
// Azure DNS, everything else to the configured upstream, with a short
// negative-cache TTL.
//
// With BIND, forwarding each privatelink zone is what makes answers private
// (azure-rules.md §1.4a: BIND re-resolves every CNAME target through the
// forwarder of the target's zone); the public zones are forwarded too, as
// Microsoft documents (§1.4, §1.7), so that answers stay private when the
// default upstream is a resolver outside Azure.
func (b *builder) forwarderConfig() bind.Config {
	d := b.d
	azure := []netip.Addr{bind.AzureDNS}
	var zones []bind.ForwardZone
	for _, z := range forwardedZones(d.Region, b.zones()) {
		zones = append(zones, bind.ForwardZone{Name: z, Forwarders: azure})
	}
	allow := append([]netip.Prefix{d.HubSpace, d.SpokeSpace}, d.OnPremises...)
	return bind.Config{
		Directory:        "/var/cache/bind",
		ListenOn:         []netip.Addr{d.ForwarderIP},
		Allow:            allow,
		Forwarders:       append([]netip.Addr(nil), d.Upstream...),
		ForwardOnly:      true,
		Zones:            zones,
		MaxNCacheTTL:     d.NegativeCacheTTL.Truncate(time.Second),
		DNSSECValidation: bind.DNSSECNo,
	}
}

// publicParents maps each privatelink zone to the public zones whose names
// CNAME into it (azure-rules.md §1.7, "Public DNS zone forwarders").
func publicParents(region, zone string) []string {
	switch zone {
	case zoneVault:
		return []string{"vault.azure.net", "vaultcore.azure.net"}
	case zoneACR:
		return []string{"azurecr.io", region + ".data.azurecr.io"}
	case "privatelink." + region + ".azmk8s.io":
		return []string{region + ".azmk8s.io"}
	}
	return nil
}

func forwardedZones(region string, zones []string) []string {
	var out []string
	for _, z := range zones {
		out = append(out, publicParents(region, z)...)
		out = append(out, z)
	}
	return out
}

// dnsForwarder writes the forwarder VM and its readiness extension. The
// VM's own NIC resolves through Azure-provided DNS: its VNet points at the
// VM itself, which cannot answer before BIND is installed (azure-rules.md
// §2.10). The extension succeeds only once BIND answers, so resources that
// depend on it start after DNS works.
func (b *builder) dnsForwarder() (*arm.Resource, error) {
	doc, err := cloudinit.DNSForwarder(b.forwarderConfig())
	if err != nil {
		return nil, fmt.Errorf("render forwarder cloud-init: %w", err)
	}
	vm := b.linuxVM(vmOptions{
		name: nDNSVM, subnet: nDNSSub, staticIP: b.d.ForwarderIP.String(),
		nicDNS: []string{"AzureProvidedDNS"}, customData: doc,
	})
	ext := b.add(&arm.Resource{Type: tVMExt, APIVersion: apiCompute, Name: nDNSVM + "/" + nDNSReady,
		Location: b.d.Region,
		Properties: map[string]any{
			"publisher":               "Microsoft.Azure.Extensions",
			"type":                    "CustomScript",
			"typeHandlerVersion":      "2.1",
			"autoUpgradeMinorVersion": true,
			// The CustomScript schema declares commandToExecute under
			// protectedSettings only; the command is not a secret.
			"settings":          map[string]any{},
			"protectedSettings": map[string]any{"commandToExecute": readinessCommand},
		}})
	_ = vm
	return ext, nil
}

// readinessCommand waits for cloud-init, then for BIND to answer on the
// VM's address, for at most 15 minutes; the extension fails otherwise.
const readinessCommand = "/bin/sh -c 'cloud-init status --wait >/dev/null 2>&1; i=0; while [ $i -lt 90 ]; do " +
	cloudinit.ReadyScript + " && exit 0; i=$((i+1)); sleep 10; done; exit 1'"

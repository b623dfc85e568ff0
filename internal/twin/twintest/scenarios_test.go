package twintest

import "fmt"

// The scenarios. Each starts from the compiled reference design: a hub
// (vnet-hub) holding the BIND forwarder vm-dns (10.0.0.68) and linked to
// privatelink.vaultcore.azure.net, privatelink.azurecr.io and
// privatelink.canadacentral.azmk8s.io; a spoke (vnet-aks) using the
// forwarder; one Key Vault, one registry and one private cluster (custom
// zone) with private endpoints and zone groups; the forwarder sends
// everything to Azure DNS, with conditional forwarders for the public and
// privatelink zones of all three services.
var scenarios = []scenario{
	{name: "reference"},
	{name: "default upstream public, all conditional forwarders", mutate: func(d *design) {
		d.upstream(publicNS)
	}},
	{name: "default upstream public, privatelink zones only", mutate: func(d *design) {
		d.upstream(publicNS, zoneVault, azureDNS, zoneACR, azureDNS, zoneAKS, azureDNS)
	}},
	{name: "default upstream public, public zones only", mutate: func(d *design) {
		d.upstream(publicNS, "vault.azure.net", azureDNS, "azurecr.io", azureDNS, region+".azmk8s.io", azureDNS)
	}},
	{name: "default upstream public, vault.azure.net only (§1.4a row 3)", mutate: func(d *design) {
		d.upstream(publicNS, "vault.azure.net", azureDNS)
	}},
	{name: "default upstream public, vault.azure.net and vaultcore.azure.net (§1.4a row 4)", mutate: func(d *design) {
		d.upstream(publicNS, "vault.azure.net", azureDNS, "vaultcore.azure.net", azureDNS)
	}},
	{name: "default upstream public, no conditional forwarders", mutate: func(d *design) {
		d.upstream(publicNS, []any{}...)
	}},
	{name: "default upstream public, region data zone only", mutate: func(d *design) {
		d.upstream(publicNS, region+".data.azurecr.io", azureDNS)
	}},
	{name: "default upstream public, region data zone and privatelink.azurecr.io", mutate: func(d *design) {
		d.upstream(publicNS, region+".data.azurecr.io", azureDNS, zoneACR, azureDNS)
	}},
	{name: "default upstream Azure, privatelink.vaultcore.azure.net sent to a public resolver", mutate: func(d *design) {
		d.forwarder(func(c *bindConfig) {
			for i := range c.Zones {
				if c.Zones[i].Name == zoneVault {
					c.Zones[i].Forwarders = []netipAddr{publicNS}
				}
			}
		})
	}},
	{name: "default upstream Azure, vault.azure.net sent to a public resolver", mutate: func(d *design) {
		d.forwarder(func(c *bindConfig) {
			for i := range c.Zones {
				if c.Zones[i].Name == "vault.azure.net" {
					c.Zones[i].Forwarders = []netipAddr{publicNS}
				}
			}
		})
	}},
	{name: "default upstream Azure, no conditional forwarders", mutate: func(d *design) {
		d.upstream(azureDNS, []any{}...)
	}},
	{name: "vault zone not linked to the forwarder's VNet", mutate: func(d *design) {
		d.remove(tLink, zoneVault+"/link-"+hub)
	}},
	{name: "zones linked to the spoke instead of the forwarder's VNet", mutate: func(d *design) {
		for _, z := range []string{zoneVault, zoneACR, zoneAKS} {
			d.remove(tLink, z+"/link-"+hub)
			d.link(z, spoke, false)
		}
	}},
	{name: "vault zone group missing (record absent, no fallback)", mutate: func(d *design) {
		d.remove(tZoneGrp, "pe-kv/default")
	}},
	{name: "vault zone group missing, hub link NxDomainRedirect", mutate: func(d *design) {
		d.remove(tZoneGrp, "pe-kv/default")
		d.fallback(zoneVault)
	}},
	{name: "all hub links NxDomainRedirect", mutate: func(d *design) {
		for _, z := range []string{zoneVault, zoneACR, zoneAKS} {
			d.fallback(z)
		}
	}},
	{name: "NxDomainRedirect links, default upstream public, vault.azure.net only", mutate: func(d *design) {
		for _, z := range []string{zoneVault, zoneACR, zoneAKS} {
			d.fallback(z)
		}
		d.upstream(publicNS, "vault.azure.net", azureDNS)
	}},
	{name: "AKS system zone (linked to the cluster VNet only)", mutate: func(d *design) {
		d.cluster("privateDNSZone", "system")
	}},
	{name: "AKS privateDNSZone none, public FQDN on", mutate: func(d *design) {
		d.cluster("privateDNSZone", "none")
		d.cluster("enablePrivateClusterPublicFQDN", true)
	}},
	{name: "AKS custom zone with public FQDN on", mutate: func(d *design) {
		d.cluster("enablePrivateClusterPublicFQDN", true)
	}},
	{name: "AKS, default upstream public, region.azmk8s.io only", mutate: func(d *design) {
		d.upstream(publicNS, region+".azmk8s.io", azureDNS)
	}},
	{name: "AKS, default upstream public, no azmk8s forwarders", mutate: func(d *design) {
		d.upstream(publicNS, "vault.azure.net", azureDNS, "vaultcore.azure.net", azureDNS, "azurecr.io", azureDNS)
	}},
	{name: "CNAME records in a private zone", mutate: func(d *design) {
		d.record(zoneVault, "CNAME", "alias", d.vaultName()+"."+zoneVault)
		d.record(zoneVault, "CNAME", "outside", "mcr.microsoft.com")
		d.record(zoneVault, "CNAME", "dangling", "missing."+zoneVault)
		d.record(zoneVault, "A", "multi", "10.0.1.50", "10.0.1.51")
	}, extra: []string{"alias." + zoneVault, "outside." + zoneVault, "dangling." + zoneVault, "multi." + zoneVault}},
	{name: "private zone for a non-Azure name, default upstream Azure", mutate: func(d *design) {
		d.zone("corp.example")
		d.record("corp.example", "A", "app", "10.0.1.60")
	}, extra: []string{"app.corp.example", "other.corp.example"}},
	{name: "private zone for a non-Azure name, default upstream public, zone forwarded", mutate: func(d *design) {
		d.zone("corp.example")
		d.record("corp.example", "A", "app", "10.0.1.60")
		// A private CNAME into a privatelink zone the forwarder sends to
		// public DNS: BIND asks the target anew, publicly.
		d.record("corp.example", "CNAME", "kv", d.vaultName()+"."+zoneVault)
		d.upstream(publicNS, "corp.example", azureDNS)
	}, extra: []string{"app.corp.example", "other.corp.example", "app.corp2.example", "kv.corp.example"}},
	{name: "long CNAME chains in a private zone", mutate: func(d *design) {
		d.zone("corp.example")
		for _, n := range chainLengths {
			for i := range n {
				d.record("corp.example", "CNAME", fmt.Sprintf("chain%d-%d", n, i), fmt.Sprintf("chain%d-%d.corp.example", n, i+1))
			}
			d.record("corp.example", "A", fmt.Sprintf("chain%d-%d", n, n), "10.0.1.70")
		}
	}, extra: chainNames()},
	{name: "vault zone answered through a Private Resolver inbound endpoint in another VNet", mutate: func(d *design) {
		d.remove(tLink, zoneVault+"/link-"+hub)
		d.resolverContext(zoneVault)
		d.forwarder(func(c *bindConfig) {
			for i := range c.Zones {
				if c.Zones[i].Name == zoneVault {
					c.Zones[i].Forwarders = []netipAddr{inbound}
				}
			}
		})
	}},
	{name: "geo-replicated registry, default upstream public, region data zone and privatelink.azurecr.io", mutate: func(d *design) {
		d.replica("westeurope")
		d.upstream(publicNS, region+".data.azurecr.io", azureDNS, zoneACR, azureDNS)
	}},
	{name: "client in the hub (vm-agent)", client: "vm-agent"},
	{name: "conditional forwarder for vault.azure.net to an address where nothing answers", mutate: func(d *design) {
		d.forwarder(func(c *bindConfig) {
			for i := range c.Zones {
				if c.Zones[i].Name == "vault.azure.net" {
					c.Zones[i].Forwarders = []netipAddr{deadNS}
				}
			}
		})
	}},
}

// chainLengths are the CNAME chain lengths of scenario "long CNAME chains
// in a private zone".
var chainLengths = []int{8, 10, 11, 12, 15}

func chainNames() []string {
	var out []string
	for _, n := range chainLengths {
		out = append(out, fmt.Sprintf("chain%d-0.corp.example", n))
	}
	return out
}

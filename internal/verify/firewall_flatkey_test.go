package verify_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/twin"
)

// A classic firewall's DNS proxy switch is one additionalProperties key
// whose name holds dots, "Network.DNS.EnableProxy" (fwDocs; the azurerm
// provider writes it so for dns_proxy_enabled). Read from an ARM template
// and from Terraform, it turns the proxy on; the same words as a nested
// path do not.
func TestClassicFirewallProxyKeyIsFlat(t *testing.T) {
	const vnet = `{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "hub", "location": "x",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/24"]},
        "subnets": [{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.0.0/26"}}]}}`
	fw := func(add string) string {
		return `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
  "resources": [` + vnet + `,
    {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2024-05-01", "name": "afw", "location": "x",
     "properties": {"additionalProperties": ` + add + `,
       "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureFirewallSubnet')]"}}}]}}]}`
	}
	for name, c := range map[string]struct {
		add   string
		proxy bool
	}{
		"flat key":                   {`{"Network.DNS.EnableProxy": "true"}`, true},
		"flat key, false":            {`{"Network.DNS.EnableProxy": "false"}`, false},
		"nested path is not the key": {`{"Network": {"DNS": {"EnableProxy": "true"}}}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			tm, err := armeval.ReadTemplate([]byte(fw(c.add)))
			if err != nil {
				t.Fatal(err)
			}
			set, err := armeval.Evaluate(tm)
			if err != nil {
				t.Fatal(err)
			}
			if got := proxies(t, set); got != c.proxy {
				t.Errorf("proxy %v, want %v", got, c.proxy)
			}
		})
	}
	t.Run("terraform dns_proxy_enabled", func(t *testing.T) {
		dir := t.TempDir()
		tf := `resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
resource "azurerm_virtual_network" "hub" {
  name                = "hub"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.0.0.0/24"]
}
resource "azurerm_subnet" "fw" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.0.0/26"]
}
resource "azurerm_firewall" "afw" {
  name                = "afw"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  dns_proxy_enabled   = true
  ip_configuration {
    name      = "ip"
    subnet_id = azurerm_subnet.fw.id
  }
}
`
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
			t.Fatal(err)
		}
		set, err := tfread.Read(dir, tfread.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range set.OfType("Microsoft.Network/azureFirewalls") {
			add, _ := r.Properties["additionalProperties"].(map[string]any)
			if add["Network.DNS.EnableProxy"] == nil {
				t.Errorf("the reader does not write one flat key: %v", r.Properties["additionalProperties"])
			}
		}
		if !proxies(t, set) {
			t.Error("dns_proxy_enabled = true: the firewall does not proxy DNS")
		}
	})
}

// proxies reports whether the set's firewall answers DNS at its address.
func proxies(t *testing.T, set *arm.Set) bool {
	t.Helper()
	tw := twin.Build(set)
	if len(tw.Firewalls) != 1 {
		t.Fatalf("%d firewalls", len(tw.Firewalls))
	}
	s := tw.Servers[tw.Firewalls[0].PrivateIP.String()]
	if s == nil {
		t.Fatalf("no DNS server entry at %s", tw.Firewalls[0].PrivateIP)
	}
	return s.Kind == twin.ServerFirewall
}

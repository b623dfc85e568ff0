package tfwrite_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/tfwrite"
)

// azapiOnly are the ARM types of privaks' designs that stay azapi_resource,
// each because azurerm lacks what the design needs (docs/terraform.md):
var azapiOnly = map[string]string{
	// azurerm_virtual_machine_extension's protected_settings is never read
	// back (the reader copies no protected setting: they hold secrets), so
	// the readiness command would not round-trip; azapi keeps it whole.
	"Microsoft.Compute/virtualMachines/extensions": "protectedSettings",
	// azurerm_key_vault_secret writes through the vault's data plane,
	// which public access off makes unreachable from outside the VNet;
	// azapi writes through the control plane, as ARM does, with the value
	// in write-only sensitive_body.
	"Microsoft.KeyVault/vaults/secrets": "control plane",
}

var azapiType = regexp.MustCompile(`(?m)^resource "azapi_resource" "[^"]+" \{\n  type += "([^@"]+)@`)

// Every resource of every design is a native azurerm resource but those
// of azapiOnly: an azurerm writer whose fits check stops matching the
// design would otherwise fall back to azapi silently, and every other test
// would still pass.
func TestAzapiOnlyWhereAzurermLacks(t *testing.T) {
	withToken, err := armeval.Evaluate(fixture.Reference(t), armeval.WithParameters(map[string]any{
		compile.ParamSSHKey: testSSHKey, compile.ParamAgentToken: "x"}))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(name string, m *tfwrite.Module) {
		for _, fn := range m.Names() {
			for _, g := range azapiType.FindAllStringSubmatch(string(m.Files[fn]), -1) {
				seen[g[1]] = true
				if _, ok := azapiOnly[g[1]]; !ok {
					t.Errorf("%s/%s: %s is written with azapi, not azurerm", name, fn, g[1])
				}
			}
		}
	}
	check("reference+token", mustWrite(t, withToken))
	for name, tmpl := range designs(t) {
		check(name, mustWrite(t, evaluate(t, tmpl)))
	}
	var got []string
	for k := range seen {
		got = append(got, k)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "Microsoft.Compute/virtualMachines/extensions,Microsoft.KeyVault/vaults/secrets" {
		t.Errorf("azapi types written: %v", got)
	}
}

// A resource with a property its azurerm writer does not carry is written
// with azapi, whole, and still reads back the same: here a VNet with
// encryption and a cluster with a support plan (neither carried by the
// azurerm writers yet).
func TestUncarriedPropertyFallsBackToAzapi(t *testing.T) {
	set := evaluate(t, fixture.Reference(t))
	for _, r := range set.Resources {
		switch {
		case r.Is("Microsoft.Network/virtualNetworks") && r.Name == "vnet-hub":
			r.Properties["encryption"] = map[string]any{"enabled": true, "enforcement": "AllowUnencrypted"}
		case r.Is("Microsoft.ContainerService/managedClusters"):
			r.Properties["supportPlan"] = "KubernetesOfficial"
		}
	}
	_, m, back := writeRead(t, set)
	for _, want := range []string{`resource "azapi_resource" "vnet_hub"`, `resource "azapi_resource" "aks_privaks"`,
		`resource "azurerm_virtual_network" "vnet_aks"`} {
		found := false
		for _, b := range m.Files {
			found = found || strings.Contains(string(b), want)
		}
		if !found {
			t.Errorf("no %s", want)
		}
	}
	if !back.Coverage.Complete() {
		t.Fatalf("the reader left out: %+v", back.Coverage.LeftOut)
	}
	for _, d := range compareSets(set, back) {
		t.Error(d)
	}
}

// Branches of the azurerm writers no design takes read back the same too:
// a NAT gateway with two public IPs, a NIC with its own NSG, a subnet with a
// delegation, service endpoints and several prefixes, a private endpoint
// with a manual connection, a private DNS CNAME record.
func TestAzurermVariantsReadBack(t *testing.T) {
	set := evaluate(t, fixture.Reference(t))
	rg := string(set.Scope.ResourceGroupID())
	for _, r := range set.Resources {
		switch {
		case r.Is("Microsoft.Network/natGateways"):
			r.Properties["publicIpAddresses"] = append(asList(r.Properties["publicIpAddresses"]),
				map[string]any{"id": rg + "/providers/Microsoft.Network/publicIPAddresses/pip-extra"})
		case r.Is("Microsoft.Network/networkInterfaces") && r.Name == "nic-vm-agent":
			r.Properties["networkSecurityGroup"] = map[string]any{"id": rg + "/providers/Microsoft.Network/networkSecurityGroups/nsg-snet-agents"}
		case r.Is("Microsoft.Network/virtualNetworks") && r.Name == "vnet-aks":
			r.Properties["subnets"] = append(asList(r.Properties["subnets"]), map[string]any{"name": "snet-delegated", "properties": map[string]any{
				"addressPrefixes": []any{"10.1.5.0/26", "10.1.5.64/26"}, "defaultOutboundAccess": false,
				"serviceEndpoints": []any{map[string]any{"service": "Microsoft.Storage"}},
				"delegations": []any{map[string]any{"name": "dns", "properties": map[string]any{
					"serviceName": "Microsoft.Network/dnsResolvers", "actions": []any{"Microsoft.Network/virtualNetworks/join/action"}}}},
			}})
		case r.Is("Microsoft.Network/privateEndpoints") && r.Name == "pe-kv":
			r.Properties["manualPrivateLinkServiceConnections"] = r.Properties["privateLinkServiceConnections"]
			delete(r.Properties, "privateLinkServiceConnections")
		}
	}
	zone := rg + "/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"
	set.Add(&arm.Resource{Type: "Microsoft.Network/privateDnsZones/CNAME", APIVersion: "2024-06-01",
		Name: "privatelink.azurecr.io/alias", ID: arm.ResourceID(zone + "/CNAME/alias"),
		Properties: map[string]any{"ttl": float64(300), "cnameRecord": map[string]any{"cname": "acrprivaks0e1a84.privatelink.azurecr.io"}}})
	_, m, back := writeRead(t, set)
	all := ""
	for _, n := range m.Names() {
		all += string(m.Files[n])
	}
	for _, want := range []string{`resource "azurerm_nat_gateway_public_ip_association" "ng_hub_2"`,
		`resource "azurerm_network_interface_security_group_association" "nic_vm_agent"`,
		`resource "azurerm_subnet" "vnet_aks_snet_delegated"`, `is_manual_connection           = true`,
		`resource "azurerm_private_dns_cname_record" "privatelink_azurecr_io_alias"`} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s", want)
		}
	}
	if strings.Contains(all, `resource "azapi_resource" "vnet_aks"`) || strings.Contains(all, `resource "azapi_resource" "pe_kv"`) {
		t.Error("a variant fell back to azapi")
	}
	if !back.Coverage.Complete() {
		t.Fatalf("the reader left out: %+v", back.Coverage.LeftOut)
	}
	for _, d := range compareSets(set, back) {
		t.Error(d)
	}
}

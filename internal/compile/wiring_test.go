package compile

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/twin"
)

// model compiles the reference design and reads it back the way every
// analysis does: evaluated template → twin.
func model(t *testing.T) (*twin.Twin, *arm.Set) {
	t.Helper()
	tmpl, err := Compile(reference(t))
	if err != nil {
		t.Fatal(err)
	}
	set, err := armeval.Evaluate(tmpl)
	if err != nil {
		t.Fatalf("evaluate the compiled template: %v", err)
	}
	return twin.Build(set), set
}

func TestWiring(t *testing.T) {
	tw, set := model(t)
	d := reference(t)
	sc := set.Scope
	if len(tw.Clusters) != 1 {
		t.Fatalf("want one cluster, got %d", len(tw.Clusters))
	}
	c := tw.Clusters[0]
	aksZone := sc.ID(tZone, "privatelink."+d.Region+".azmk8s.io")
	control := "uami:" + sc.ID(tUAMI, nIDControl).Key()
	checks := []struct {
		name string
		ok   bool
	}{
		{"cluster is private without a public FQDN", c.Private && !c.PublicFQDN},
		{"cluster's privateDNSZone is the hub-linked zone", c.DNSMode == "custom" && c.PrivateZoneID.Equal(aksZone) && linked(tw, aksZone, nHub)},
		{"cluster uses a user-assigned control-plane identity", !c.ControlPlaneSystem && len(c.ControlPlaneUAMIs) == 1 && c.ControlPlaneUAMIs[0].Equal(sc.ID(tUAMI, nIDControl))},
		{"control plane is Private DNS Zone Contributor on the zone", hasRole(tw, control, rolePrivateDNSZoneContrib, aksZone)},
		{"control plane is Network Contributor on vnet-aks", hasRole(tw, control, roleNetworkContributor, sc.ID(tVNet, nSpoke))},
		{"control plane is Managed Identity Operator on the kubelet identity", hasRole(tw, control, roleManagedIdentityOperator, sc.ID(tUAMI, nIDKubelet))},
		{"kubelet identity is AcrPull on the registry", hasRole(tw, tw.KubeletKey(c), roleAcrPull, sc.ID(tACR, d.RegistryName))},
		{"local accounts off, workload identity and OIDC on", !c.LocalAccounts && c.WorkloadIdentity && c.OIDC},
		{"Azure CNI", c.NetworkPlugin == "azure" && c.NetworkMode == ""},
		{"no pod-managed identity", !c.PodIdentity},
		{"secrets provider and AGIC add-ons", c.Addons["azurekeyvaultsecretsprovider"] && c.Addons["ingressapplicationgateway"] && c.AGICGateway.Equal(sc.ID(tAppGw, nAppGw))},
		{"both VNets use the forwarder", dnsIs(tw, nHub, d.ForwarderIP) && dnsIs(tw, nSpoke, d.ForwarderIP)},
		{"the forwarder's own NIC uses Azure-provided DNS", forwarderNIC(tw, d.ForwarderIP)},
		{"the forwarder answers with BIND parsed from cloud-init", tw.Servers[d.ForwarderIP.String()] != nil && tw.Servers[d.ForwarderIP.String()].Kind == twin.ServerBIND},
		{"every zone is linked to the hub", allLinked(tw)},
		{"vault: RBAC, private", len(tw.Vaults) == 1 && tw.Vaults[0].RBAC && !tw.Vaults[0].PublicAccess},
		{"registry: Premium, private, admin off", len(tw.Registries) == 1 && tw.Registries[0].SKU == "Premium" && !tw.Registries[0].PublicAccess && !tw.Registries[0].AdminUser},
		{"peered both ways", peered(tw)},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("reference design: %s", ch.name)
		}
	}
	for _, vm := range tw.VMs {
		for _, n := range vm.NICs {
			if n.PublicIP != nil {
				t.Errorf("VM %s has a public IP", vm.Name)
			}
		}
		if vm.PasswordAuth {
			t.Errorf("VM %s allows password authentication", vm.Name)
		}
	}
	for _, id := range tw.Identities {
		if wl := id.Tags[TagWorkload]; wl != "" {
			if len(id.Credentials) != 1 || id.Credentials[0].Subject != "system:serviceaccount:orders:orders" ||
				id.Credentials[0].Audiences[0] != FederatedAudience {
				t.Errorf("workload %s federated credential: %+v", wl, id.Credentials)
			}
			if _, ok := tw.HasRole(id.Key, []string{roleKeyVaultSecretsUser}, tw.Vaults[0].ID); !ok {
				t.Errorf("workload %s is not Key Vault Secrets User", wl)
			}
		}
	}
}

// TestClusterWaitsForDNS checks the deployment order: AKS starts only after
// both peerings, the zone links, its role assignments and the DNS
// readiness check; the agent VM after the readiness check.
func TestClusterWaitsForDNS(t *testing.T) {
	tmpl, err := Compile(reference(t))
	if err != nil {
		t.Fatal(err)
	}
	var cluster, agent *arm.Resource
	for i := range tmpl.Resources {
		r := &tmpl.Resources[i]
		if r.Is(tAKS) {
			cluster = r
		}
		if r.Is(tVM) && r.Name == nAgentVM {
			agent = r
		}
	}
	deps := strings.Join(cluster.DependsOn, "\n")
	for _, want := range []string{
		"virtualNetworkPeerings', 'vnet-hub', 'peer-hub-to-aks'",
		"virtualNetworkPeerings', 'vnet-aks', 'peer-aks-to-hub'",
		"virtualNetworkLinks', 'privatelink.canadacentral.azmk8s.io', 'link-vnet-hub'",
		"virtualNetworkLinks', 'privatelink.vaultcore.azure.net', 'link-vnet-hub'",
		"extensions', 'vm-dns', 'dns-ready'",
		"roleAssignments', guid(resourceGroup().id, 'Microsoft.Network/privateDnsZones/privatelink.canadacentral.azmk8s.io', 'id-aks-control'",
		"roleAssignments', guid(resourceGroup().id, 'Microsoft.Network/virtualNetworks/vnet-aks', 'id-aks-control'",
	} {
		if !strings.Contains(deps, want) {
			t.Errorf("cluster does not depend on %s; dependsOn:\n%s", want, deps)
		}
	}
	if !strings.Contains(strings.Join(agent.DependsOn, "\n"), "'dns-ready'") {
		t.Errorf("agent VM starts before DNS is ready: %v", agent.DependsOn)
	}
}

func linked(tw *twin.Twin, zone arm.ResourceID, vnet string) bool {
	for _, z := range tw.Zones {
		if z.ID.Equal(zone) {
			for _, l := range z.Links {
				if !l.Implicit && l.VNet != nil && l.VNet.Name == vnet {
					return true
				}
			}
		}
	}
	return false
}

func allLinked(tw *twin.Twin) bool {
	for _, z := range tw.Zones {
		if !linked(tw, z.ID, nHub) {
			return false
		}
	}
	return len(tw.Zones) == 3
}

func hasRole(tw *twin.Twin, principal, role string, scope arm.ResourceID) bool {
	for _, ra := range tw.Roles {
		if ra.Principal == principal && ra.Role == role && ra.Scope.Equal(scope) {
			return true
		}
	}
	return false
}

func dnsIs(tw *twin.Twin, vnet string, ip netip.Addr) bool {
	for _, v := range tw.VNets {
		if v.Name == vnet {
			return len(v.DNSServers) == 1 && v.DNSServers[0] == ip
		}
	}
	return false
}

func forwarderNIC(tw *twin.Twin, ip netip.Addr) bool {
	for _, n := range tw.NICs {
		if n.IP == ip {
			return n.AzureProvided && !n.Predicted
		}
	}
	return false
}

func peered(tw *twin.Twin) bool {
	if len(tw.VNets) != 2 {
		return false
	}
	ok, _ := twin.Connected(tw.VNets[0], tw.VNets[1])
	return ok
}

package twin

import (
	"net/netip"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// PrivateEndpoint is a private endpoint and the records its zone groups
// create.
type PrivateEndpoint struct {
	ID       arm.ResourceID
	Name     string
	Subnet   *Subnet
	Target   arm.ResourceID
	GroupIDs []string
	// NICs holds one NIC per member (ACR: registry and registry_data_<region>).
	NICs []*NIC
	// Zones are the zones its DNS zone groups write to.
	Zones []*Zone
	// ExternalZones are zones its zone groups name that this resource set
	// does not hold (declared in another template): their records are not
	// modelled.
	ExternalZones []arm.ResourceID
	// Implicit endpoints are created by Azure (the AKS API server's).
	Implicit bool
}

// Vault is a Key Vault.
type Vault struct {
	ID   arm.ResourceID
	Name string
	FQDN string // <name>.vault.azure.net
	RBAC bool
	// PublicAccess is whether the public endpoint accepts traffic from the
	// Internet: publicNetworkAccess not Disabled and the firewall's default
	// action Allow (or IP rules present). PublicWhy explains the verdict.
	PublicAccess bool
	PublicWhy    string
	// AccessPolicies are the objectIds with secrets get, in access-policy
	// mode.
	AccessPolicies map[string]bool
	Endpoints      []*PrivateEndpoint
	Secrets        []string
}

// Registry is an Azure Container Registry.
type Registry struct {
	ID           arm.ResourceID
	Name         string
	SKU          string
	LoginFQDN    string
	DataFQDNs    []string // <name>.<region>.data.azurecr.io per region
	AdminUser    bool
	PublicAccess bool
	PublicWhy    string
	Endpoints    []*PrivateEndpoint
}

// VM is a virtual machine.
type VM struct {
	ID   arm.ResourceID
	Name string
	NICs []*NIC
	// CustomData is the decoded cloud-init document, if any.
	CustomData []byte
	// SystemIdentity is true when the VM has a system-assigned identity.
	SystemIdentity bool
	UserIdentities []arm.ResourceID
	// PasswordAuth is true for a Linux VM that allows password login;
	// false for Windows VMs (Windows has no such switch).
	PasswordAuth bool
	Windows      bool
	// DependsOn lists the resources the template deploys before it.
	DependsOn []arm.ResourceID
}

// AppGateway is an Application Gateway.
type AppGateway struct {
	ID        arm.ResourceID
	Name      string
	SKU       string
	Subnet    *Subnet
	PublicIP  *PublicIP
	PrivateIP netip.Addr
	WAF       bool
	// Listeners maps frontend kind ("public"/"private") to its ports.
	Listeners map[string][]uint16
	// HTTPListeners are the listeners with their hosts, certificates and
	// what their rules do.
	HTTPListeners []*Listener
	// Certificates are the sslCertificates; IdentityKeys the principal
	// keys (and IdentityNames the names) of its user-assigned identities.
	Certificates  []*GatewayCertificate
	IdentityKeys  []string
	IdentityNames []string
}

// Bastion is an Azure Bastion host.
type Bastion struct {
	ID     arm.ResourceID
	Name   string
	Subnet *Subnet
	SKU    string
}

func (t *Twin) buildVaults(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.KeyVault/vaults") {
		v := &Vault{ID: r.ID, Name: r.Name, FQDN: strings.ToLower(r.Name) + ".vault.azure.net", AccessPolicies: map[string]bool{}}
		v.RBAC, _ = boolean(r.Prop("enableRbacAuthorization"))
		v.PublicAccess, v.PublicWhy = publicAccess(str(r.Prop("publicNetworkAccess")),
			str(r.Prop("networkAcls.defaultAction")), len(list(r.Prop("networkAcls.ipRules"))) > 0,
			"networkAcls")
		for _, p := range list(r.Prop("accessPolicies")) {
			for _, perm := range strs(get(p, "permissions.secrets")) {
				if strings.EqualFold(perm, "get") || strings.EqualFold(perm, "all") {
					v.AccessPolicies[strings.ToLower(str(get(p, "objectId")))] = true
				}
			}
		}
		t.Vaults = append(t.Vaults, v)
		t.put(r.ID, v)
	}
	for _, r := range set.OfType("Microsoft.KeyVault/vaults/secrets") {
		if v, ok := t.Lookup(parentID(r.ID)).(*Vault); ok {
			v.Secrets = append(v.Secrets, lastName(r.ID))
		}
	}
}

// publicAccess decides whether a service's public endpoint admits the
// Internet. A private endpoint never turns public access off
// (azure-rules.md §2.4); publicNetworkAccess Disabled does, and so does a
// firewall whose default action is Deny with no IP rules (corpus A8).
func publicAccess(pna, defaultAction string, ipRules bool, aclName string) (bool, string) {
	switch {
	case strings.EqualFold(pna, "Disabled"):
		return false, "publicNetworkAccess is Disabled"
	case strings.EqualFold(defaultAction, "Deny") && !ipRules:
		return false, "publicNetworkAccess is " + orDefault(pna, "unset (Enabled)") + " but " + aclName + ".defaultAction is Deny with no IP rules"
	case strings.EqualFold(defaultAction, "Deny"):
		return true, aclName + ".defaultAction is Deny but IP rules admit some Internet addresses"
	}
	return true, "publicNetworkAccess is " + orDefault(pna, "unset (Enabled)") + " and " + aclName + ".defaultAction is " + orDefault(defaultAction, "unset (Allow)")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (t *Twin) buildRegistries(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.ContainerRegistry/registries") {
		g := &Registry{ID: r.ID, Name: r.Name, SKU: str(get(r.SKU, "name")),
			LoginFQDN: strings.ToLower(r.Name) + ".azurecr.io"}
		region := strings.ToLower(strings.ReplaceAll(r.Location, " ", ""))
		if region == "" {
			region = t.Scope.Location
		}
		g.DataFQDNs = []string{strings.ToLower(r.Name) + "." + region + ".data.azurecr.io"}
		g.AdminUser, _ = boolean(r.Prop("adminUserEnabled"))
		g.PublicAccess, g.PublicWhy = publicAccess(str(r.Prop("publicNetworkAccess")),
			str(r.Prop("networkRuleSet.defaultAction")), len(list(r.Prop("networkRuleSet.ipRules"))) > 0,
			"networkRuleSet")
		t.Registries = append(t.Registries, g)
		t.put(r.ID, g)
	}
	for _, r := range set.OfType("Microsoft.ContainerRegistry/registries/replications") {
		if g, ok := t.Lookup(parentID(r.ID)).(*Registry); ok {
			region := strings.ToLower(strings.ReplaceAll(r.Location, " ", ""))
			g.DataFQDNs = append(g.DataFQDNs, strings.ToLower(g.Name)+"."+region+".data.azurecr.io")
		}
	}
}

// buildEndpoints reads private endpoints, gives each member a NIC (static
// when ipConfigurations says so, else predicted) and writes the A records
// its zone groups create (azure-rules.md §1.6).
func (t *Twin) buildEndpoints(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Network/privateEndpoints") {
		pe := &PrivateEndpoint{ID: r.ID, Name: r.Name}
		pe.Subnet, _ = t.Lookup(idRef(r.Prop("subnet"))).(*Subnet)
		conns := append(list(r.Prop("privateLinkServiceConnections")), list(r.Prop("manualPrivateLinkServiceConnections"))...)
		for _, c := range conns {
			pe.Target = arm.ResourceID(str(get(c, "properties.privateLinkServiceId")))
			pe.GroupIDs = append(pe.GroupIDs, strs(get(c, "properties.groupIds"))...)
		}
		static := map[string]netip.Addr{}
		for _, ic := range list(r.Prop("ipConfigurations")) {
			if a, ok := addr(str(get(ic, "properties.privateIPAddress"))); ok {
				static[strings.ToLower(str(get(ic, "properties.memberName")))] = a
			}
		}
		// Read back from Azure: customDnsConfigs carry the real
		// addresses, in member order.
		var live []netip.Addr
		for _, c := range list(r.Prop("customDnsConfigs")) {
			for _, s := range strs(get(c, "ipAddresses")) {
				if a, ok := addr(s); ok {
					live = append(live, a)
				}
			}
		}
		for i, m := range t.members(pe) {
			nic := &NIC{ID: arm.ResourceID(string(r.ID) + "#" + m), Name: r.Name + " (" + m + ")", Subnet: pe.Subnet, Owner: r.ID}
			if a, ok := static[strings.ToLower(m)]; ok {
				nic.IP = a
			} else if i < len(live) {
				nic.IP = live[i]
				if pe.Subnet != nil {
					pe.Subnet.used[nic.IP] = true
				}
			} else if pe.Subnet != nil {
				nic.IP, nic.Predicted = pe.Subnet.predictIP(), true
			}
			pe.NICs = append(pe.NICs, nic)
			t.NICs = append(t.NICs, nic)
		}
		t.Endpoints = append(t.Endpoints, pe)
		t.put(r.ID, pe)
		switch target := t.Lookup(pe.Target).(type) {
		case *Vault:
			target.Endpoints = append(target.Endpoints, pe)
		case *Registry:
			target.Endpoints = append(target.Endpoints, pe)
		case *StorageAccount:
			target.Endpoints = append(target.Endpoints, pe)
		}
	}
	for _, r := range set.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups") {
		pe, _ := t.Lookup(parentID(r.ID)).(*PrivateEndpoint)
		if pe == nil {
			continue
		}
		for _, c := range list(r.Prop("privateDnsZoneConfigs")) {
			zid := arm.ResourceID(str(get(c, "properties.privateDnsZoneId")))
			z, _ := t.Lookup(zid).(*Zone)
			if z == nil {
				if zid != "" {
					pe.ExternalZones = append(pe.ExternalZones, zid)
				}
				continue
			}
			pe.Zones = append(pe.Zones, z)
			t.zoneGroupRecords(pe, z)
		}
	}
}

// members returns the endpoint's member names: one per IP it takes.
func (t *Twin) members(pe *PrivateEndpoint) []string {
	if g, ok := t.Lookup(pe.Target).(*Registry); ok {
		out := []string{"registry"}
		for _, d := range g.DataFQDNs {
			region := strings.Split(strings.TrimPrefix(d, strings.ToLower(g.Name)+"."), ".")[0]
			out = append(out, "registry_data_"+region)
		}
		return out
	}
	if len(pe.GroupIDs) > 0 {
		return []string{pe.GroupIDs[0]}
	}
	return []string{"default"}
}

// zoneGroupRecords writes the records a zone group creates in z: the
// service's name below the zone, one per member.
func (t *Twin) zoneGroupRecords(pe *PrivateEndpoint, z *Zone) {
	src := "zone group of " + pe.Name
	switch target := t.Lookup(pe.Target).(type) {
	case *Vault:
		if len(pe.NICs) > 0 {
			z.addRecord(strings.ToLower(target.Name)+"."+z.Name, "A", pe.NICs[0].IP.String(), src, pe.NICs[0].Predicted)
		}
	case *Registry:
		for i, nic := range pe.NICs {
			name := strings.ToLower(target.Name)
			if i > 0 {
				// registry_data_<region> → <name>.<region>.data
				name += "." + strings.TrimPrefix(strings.Split(nic.Name, "(")[1], "registry_data_")
				name = strings.TrimSuffix(name, ")") + ".data"
			}
			z.addRecord(name+"."+z.Name, "A", nic.IP.String(), src, nic.Predicted)
		}
	default:
		if len(pe.NICs) > 0 {
			z.addRecord(strings.ToLower(lastName(pe.Target))+"."+z.Name, "A", pe.NICs[0].IP.String(), src, pe.NICs[0].Predicted)
		}
	}
}

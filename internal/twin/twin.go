package twin

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/privaks/privaks/internal/arm"
)

// Twin is the typed model of one resource set.
type Twin struct {
	Set   *arm.Set
	Scope arm.Scope

	VNets       []*VNet
	NSGs        []*NSG
	RouteTables []*RouteTable
	PublicIPs   []*PublicIP
	NATs        []*NATGateway
	NICs        []*NIC
	VMs         []*VM
	Endpoints   []*PrivateEndpoint
	Zones       []*Zone
	Vaults      []*Vault
	Registries  []*Registry
	Storage     []*StorageAccount
	ScaleSets   []*ScaleSet
	// LoadBalancers holds the load balancers with their public rules.
	LoadBalancers []*LoadBalancer
	Clusters      []*Cluster
	Gateways      []*AppGateway
	Bastions      []*Bastion
	Firewalls     []*Firewall
	Identities    []*Identity
	Credentials   []*FederatedCredential
	Roles         []*RoleAssignment
	Rulesets      []*Ruleset
	// Servers maps every address that answers DNS to its server.
	Servers map[string]*DNSServer

	byID       map[string]any
	exact      map[string]any // see put
	exactOff   bool
	identities map[string]*Identity
	// rulesetsOf holds the forwarding rulesets linked to each VNet;
	// inbound the resolver inbound endpoints by resource ID.
	rulesetsOf map[*VNet][]*Ruleset
	inbound    map[string]*DNSServer
	lbOf       map[*NIC][]string // backend pools and NAT rules per NIC
	dnat       *[]DNATRule       // firewall DNAT rules, read on first use
	// endpointTargets holds the lower-case names of the resources that
	// private endpoints target, built on first use by privatelinkCNAME.
	endpointTargets map[string]bool
	// nicByIP maps an address to the first NIC in NICs holding it, made at
	// the end of Build; valid while NICs has nicsIndexed entries.
	nicByIP     map[netip.Addr]*NIC
	nicsIndexed int
	// clientDNS, while a Memoize scope is open, holds what Resolve works
	// out about each client's DNS server (see Memoize).
	clientDNS map[Client]clientDNS
	// members inverts Set.DeployedBy (deploymentMembers); valid while
	// DeployedBy has deployMembersOf entries.
	deployMembers   map[string][]string
	deployMembersOf int
	stepText        map[Step]string
	// asked remembers servers' answers while a Memoize scope is open.
	asked map[askKey]asked
	// poolClusters, issuers and publicFQDNs index Clusters while a
	// Memoize scope is open (PoolCluster, IssuerCluster, publicStep).
	poolClusters map[string]*Cluster
	issuers      map[string][]int
	publicFQDNs  map[string]*Cluster
	// rolesByPrincipal indexes Roles by principal (rolesOf); valid while
	// Roles has rolesIndexed entries.
	rolesByPrincipal map[string][]principalRole
	rolesIndexed     int
	// extensionsOf indexes the VM extensions of Set.Resources by the key
	// of their VM (VMExtensions); valid while Set.Resources has
	// extensionsIndexed entries.
	extensionsOf      map[string][]*arm.Resource
	extensionsIndexed int
}

// Build models an evaluated resource set. It never fails on resources it
// does not understand: they are simply not part of the model.
func Build(set *arm.Set) *Twin {
	t := &Twin{Set: set, Scope: set.Scope, byID: map[string]any{}, identities: map[string]*Identity{},
		Servers: map[string]*DNSServer{}}
	if t.Scope.Location == "" {
		t.Scope.Location = arm.DefaultScope.Location
	}
	t.buildBasics(set)
	t.buildVNets(set)
	t.wireSubnets()
	t.buildZones(set)
	t.buildVaults(set)
	t.buildRegistries(set)
	t.buildStorage(set)
	t.buildGateways(set)
	t.buildFirewalls(set)
	t.buildNICs(set)
	t.buildEndpoints(set)
	t.buildVMs(set)
	t.buildScaleSets(set)
	t.buildLoadBalancers(set)
	t.buildClusters(set)
	t.buildIdentities(set)
	t.buildServers()
	t.indexNICs()
	return t
}

func (t *Twin) indexNICs() {
	t.nicByIP = make(map[netip.Addr]*NIC, len(t.NICs))
	for _, n := range t.NICs {
		if _, ok := t.nicByIP[n.IP]; !ok {
			t.nicByIP[n.IP] = n
		}
	}
	t.nicsIndexed = len(t.NICs)
}

// nicAt returns the first NIC holding address a: from the index, or by a
// scan while Build is still adding NICs.
func (t *Twin) nicAt(a netip.Addr) *NIC {
	if t.nicByIP != nil && t.nicsIndexed == len(t.NICs) {
		return t.nicByIP[a]
	}
	for _, n := range t.NICs {
		if n.IP == a {
			return n
		}
	}
	return nil
}

// Lookup returns the model object for a resource ID (a *VNet, *Subnet,
// *NIC, *Vault, ...), or nil.
func (t *Twin) Lookup(id arm.ResourceID) any {
	if o, ok := t.exact[string(id)]; ok {
		return o
	}
	var buf [arm.KeyBuf]byte // the key is built on the stack (arm.ResourceID.AppendKey)
	return t.byID[string(id.AppendKey(buf[:0]))]
}

// put files a model object under its ID's key and, while no key has been
// filed twice, under the ID as written: Lookup finds an ID spelt as the
// object's own without lower-casing it. A second object under a key
// turns that off (other spellings would still find the first one there).
func (t *Twin) put(id arm.ResourceID, obj any) {
	k := id.Key()
	if _, dup := t.byID[k]; dup {
		t.exact, t.exactOff = nil, true
	} else if !t.exactOff {
		if t.exact == nil {
			t.exact = map[string]any{}
		}
		t.exact[string(id)] = obj
	}
	t.byID[k] = obj
}

// describe renders an unknown value for messages.
func describe(v any) string {
	switch t := v.(type) {
	case arm.Unknown:
		return t.String()
	case string:
		return t
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

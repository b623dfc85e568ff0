package twin

import (
	"slices"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
)

// TestIndexesAnswerAsScans: the peering and record indexes the build makes
// answer what a scan of Peerings and Records answers (IDs compared case-
// insensitively, the first peering of several, records in order, none for
// a name without records), and a list changed behind the index's back is
// scanned instead.
func TestIndexesAnswerAsScans(t *testing.T) {
	const rg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
	set := &arm.Set{Scope: arm.Scope{Subscription: "s", ResourceGroup: "rg"}}
	add := func(id, typ string, props map[string]any) {
		names := strings.Split(id, "/")[1:]
		name := names[0]
		for i := 2; i < len(names); i += 2 {
			name += "/" + names[i]
		}
		set.Add(&arm.Resource{ID: arm.ResourceID(rg + id), Type: typ, Name: name, Properties: props})
	}
	vnet := "Microsoft.Network/virtualNetworks"
	for _, n := range []string{"hub", "a", "b", "c"} {
		add("virtualNetworks/"+n, vnet, map[string]any{"addressSpace": map[string]any{"addressPrefixes": []any{"10.0.0.0/16"}}})
	}
	peer := func(from, name, to string, access bool) {
		add("virtualNetworks/"+from+"/virtualNetworkPeerings/"+name, vnet+"/virtualNetworkPeerings", map[string]any{
			"remoteVirtualNetwork": map[string]any{"id": to}, "allowVirtualNetworkAccess": access})
	}
	peer("hub", "p1", rg+"virtualNetworks/a", false)
	peer("hub", "p2", "/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.network/VIRTUALNETWORKS/A/", true) // a again, in other case
	peer("hub", "p3", rg+"virtualNetworks/b", true)
	peer("a", "p4", rg+"virtualNetworks/hub", true)
	zone := "Microsoft.Network/privateDnsZones"
	add("privateDnsZones/example.com", zone, map[string]any{})
	for i, rec := range []string{"www", "WWW", "api", "@"} {
		add("privateDnsZones/example.com/A/"+rec, zone+"/A", map[string]any{"aRecords": []any{map[string]any{"ipv4Address": "10.0.0." + string(rune('1'+i))}}})
	}
	tw := Build(set)

	scanPeering := func(from, to *VNet) *Peering {
		for _, p := range from.Peerings {
			if p.RemoteID.Equal(to.ID) {
				return p
			}
		}
		return nil
	}
	check := func(when string) {
		for _, from := range tw.VNets {
			for _, to := range tw.VNets {
				if got, want := from.PeeringTo(to), scanPeering(from, to); got != want {
					t.Errorf("%s: %s.PeeringTo(%s) = %v, want %v", when, from.Name, to.Name, got, want)
				}
				var all []*Peering
				for _, p := range from.Peerings {
					if p.RemoteID.Equal(to.ID) {
						all = append(all, p)
					}
				}
				if got := from.PeeringsTo(to); !slices.Equal(got, all) {
					t.Errorf("%s: %s.PeeringsTo(%s) = %v, want %v", when, from.Name, to.Name, got, all)
				}
			}
		}
		z := tw.Zones[0]
		for _, name := range []string{"www.example.com", "api.example.com", "example.com", "nope.example.com"} {
			var want []*Record
			for _, r := range z.Records {
				if r.FQDN == name {
					want = append(want, r)
				}
			}
			if got := z.lookup(name); !slices.Equal(got, want) {
				t.Errorf("%s: lookup(%s) = %v, want %v", when, name, got, want)
			}
		}
	}
	if hub := tw.VNets[0]; hub.PeeringTo(tw.VNets[1]) == nil || hub.PeeringTo(tw.VNets[1]).Name != "p1" {
		t.Fatalf("hub → a: %v, want p1 (the first of two)", hub.PeeringTo(tw.VNets[1]))
	}
	if got := len(tw.Zones[0].lookup("www.example.com")); got != 2 {
		t.Fatalf("www.example.com: %d records, want 2 (www and WWW)", got)
	}
	if got := len(tw.VNets[0].PeeringsTo(tw.VNets[1])); got != 2 {
		t.Fatalf("hub → a: %d peerings, want 2", got)
	}
	check("as built")

	// Changed outside the build: the indexes are stale and scans answer.
	hub, z := tw.VNets[0], tw.Zones[0]
	hub.Peerings = append(hub.Peerings[:0:0], hub.Peerings[2:]...)
	hub.Peerings = append(hub.Peerings, &Peering{Name: "p5", RemoteID: tw.VNets[3].ID, From: hub})
	z.Records = append(z.Records[:1:1], &Record{FQDN: "new.example.com", Type: "A", Value: "10.0.0.9"})
	check("changed")
	if hub.PeeringTo(tw.VNets[3]) == nil || len(z.lookup("new.example.com")) != 1 {
		t.Errorf("changes not seen: %v, %v", hub.PeeringTo(tw.VNets[3]), z.lookup("new.example.com"))
	}
}

// TestRoleAndExtensionIndexes: HasRole, RolesOf and VMExtensions answer
// what a scan of Roles and of the set's VM extensions answers (principals
// compared exactly, scopes and VM IDs case-insensitively, a scope above
// the target counts, set order kept), and after Roles or the set grows
// they see the new entries instead of a stale index.
func TestRoleAndExtensionIndexes(t *testing.T) {
	const rg = "/subscriptions/s/resourceGroups/rg"
	kv := arm.ResourceID(rg + "/providers/Microsoft.KeyVault/vaults/kv")
	ra := func(id, scope, role, principal string) *RoleAssignment {
		return &RoleAssignment{ID: arm.ResourceID(id), Scope: arm.ResourceID(scope), Role: role, Principal: principal}
	}
	tw := &Twin{Set: &arm.Set{}, Roles: []*RoleAssignment{
		ra("r1", rg+"/providers/Microsoft.KeyVault/vaults/other", "reader", "p"),
		ra("r2", "/SUBSCRIPTIONS/s/RESOURCEGROUPS/RG/", "reader", "p"),
		ra("r3", string(kv), "writer", "p"),
		ra("r4", string(kv), "reader", "P"),
	}}
	scanRoles := func(principal string, roles []string, target arm.ResourceID) (*RoleAssignment, []*RoleAssignment) {
		var first *RoleAssignment
		var all []*RoleAssignment
		for _, x := range tw.Roles {
			if x.Principal != principal {
				continue
			}
			all = append(all, x)
			tk, sk := target.Key(), x.Scope.Key()
			if first == nil && (tk == sk || strings.HasPrefix(tk, sk+"/")) && slices.Contains(roles, x.Role) {
				first = x
			}
		}
		return first, all
	}
	checkRoles := func(when string) {
		for _, p := range []string{"p", "P", "q"} {
			for _, roles := range [][]string{{"reader"}, {"writer"}, {"writer", "reader"}, {"owner"}} {
				for _, target := range []arm.ResourceID{kv, kv + "/secrets/s", rg + "/providers/Microsoft.KeyVault/vaults/kv2", "/subscriptions/s"} {
					want, all := scanRoles(p, roles, target)
					got, ok := tw.HasRole(p, roles, target)
					if got != want || ok != (want != nil) {
						t.Errorf("%s: HasRole(%s, %v, %s) = %v, want %v", when, p, roles, target, got, want)
					}
					if got := tw.RolesOf(p); !slices.Equal(got, all) {
						t.Errorf("%s: RolesOf(%s) = %v, want %v", when, p, got, all)
					}
				}
			}
		}
	}
	if got, _ := tw.HasRole("p", []string{"reader"}, kv); got == nil || got.ID != "r2" {
		t.Fatalf("p reader on kv: %v, want r2 (the resource group's, first in order)", got)
	}
	checkRoles("as built")
	tw.Roles = append(tw.Roles, ra("r5", "/subscriptions/s", "owner", "q"))
	checkRoles("appended")
	if got, _ := tw.HasRole("q", []string{"owner"}, kv); got == nil {
		t.Errorf("an assignment appended after the index was built is not seen")
	}

	const vms = rg + "/providers/Microsoft.Compute/virtualMachines/"
	ext := func(id string) {
		tw.Set.Add(&arm.Resource{ID: arm.ResourceID(id), Type: "Microsoft.Compute/virtualMachines/extensions"})
	}
	ext(vms + "dns/extensions/ready")
	tw.Set.Add(&arm.Resource{ID: vms + "dns/extensions/notanextension", Type: "Microsoft.Compute/virtualMachines"})
	ext(vms + "DNS/EXTENSIONS/second")
	ext(vms + "extensions/extensions/x") // a VM named "extensions"
	ext(vms + "dns2/extensions/other")
	scanExt := func(vm arm.ResourceID) []*arm.Resource {
		var out []*arm.Resource
		for _, r := range tw.Set.OfType("Microsoft.Compute/virtualMachines/extensions") {
			if strings.HasPrefix(r.ID.Key(), vm.Key()+"/extensions/") {
				out = append(out, r)
			}
		}
		return out
	}
	checkExt := func(when string) {
		for _, vm := range []arm.ResourceID{vms + "dns", vms + "Dns/", vms + "dns2", vms + "extensions", vms + "extensions/extensions", vms + "none", ""} {
			if got, want := tw.VMExtensions(vm), scanExt(vm); !slices.Equal(got, want) {
				t.Errorf("%s: VMExtensions(%s) = %v, want %v", when, vm, got, want)
			}
		}
	}
	if got := tw.ReadinessExtension(vms + "Dns"); got != vms+"dns/extensions/ready" {
		t.Fatalf("ReadinessExtension(Dns) = %q, want the first of two", got)
	}
	checkExt("as built")
	ext(vms + "none/extensions/late")
	checkExt("added")
	if got := tw.ReadinessExtension(vms + "none"); got == "" {
		t.Errorf("an extension added after the index was built is not seen")
	}
}

// TestLookupBySpelling: Lookup answers by key whatever the spelling, from
// the map by spelling while no key was filed twice, and the last object
// filed under a key once one was (as the map by key alone did).
func TestLookupBySpelling(t *testing.T) {
	const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/a"
	tw := &Twin{byID: map[string]any{}}
	first, second, other := &VNet{Name: "first"}, &VNet{Name: "second"}, &VNet{Name: "other"}
	tw.put(id, first)
	tw.put(id+"x", other)
	for _, s := range []arm.ResourceID{id, id + "/", "/SUBSCRIPTIONS/S/resourcegroups/RG/providers/microsoft.network/virtualnetworks/A"} {
		if got := tw.Lookup(s); got != first {
			t.Errorf("Lookup(%s) = %v, want first", s, got)
		}
	}
	tw.put(arm.ResourceID(strings.ToUpper(id)), second) // the same key again
	for _, s := range []arm.ResourceID{id, arm.ResourceID(strings.ToUpper(id)), id + "/"} {
		if got := tw.Lookup(s); got != second {
			t.Errorf("after a second object under the key: Lookup(%s) = %v, want second", s, got)
		}
	}
	tw.put(id+"y", first)
	if tw.Lookup(id+"x") != other || tw.Lookup(id+"Y") != first || tw.Lookup(id+"z") != nil {
		t.Errorf("other keys: %v %v %v", tw.Lookup(id+"x"), tw.Lookup(id+"Y"), tw.Lookup(id+"z"))
	}
}

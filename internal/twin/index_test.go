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

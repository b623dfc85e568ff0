package arm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseResourceID(t *testing.T) {
	cases := []struct {
		id   string
		want ParsedID
		typ  string
		name string
	}{
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
			ParsedID{Subscription: "s", ResourceGroup: "rg", Namespace: "Microsoft.Network", Types: []string{"virtualNetworks", "subnets"}, Names: []string{"v", "a"}},
			"Microsoft.Network/virtualNetworks/subnets", "v/a"},
		{"/subscriptions/s/resourceGroups/rg",
			ParsedID{Subscription: "s", ResourceGroup: "rg"}, "/", ""},
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/x",
			ParsedID{Subscription: "s", ResourceGroup: "rg", Namespace: "Microsoft.Authorization", Types: []string{"roleAssignments"}, Names: []string{"x"},
				Extends: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"},
			"Microsoft.Authorization/roleAssignments", "x"},
		{"/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r",
			ParsedID{Subscription: "s", Namespace: "Microsoft.Authorization", Types: []string{"roleDefinitions"}, Names: []string{"r"}},
			"Microsoft.Authorization/roleDefinitions", "r"},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			got, err := ParseResourceID(c.id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, c.want); diff != "" {
				t.Errorf("(-got +want)\n%s", diff)
			}
			if got.Type() != c.typ || got.Name() != c.name {
				t.Errorf("Type/Name = %q/%q, want %q/%q", got.Type(), got.Name(), c.typ, c.name)
			}
		})
	}
	for _, bad := range []string{"", "subscriptions/s", "/subscriptions/", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks", "/foo/bar"} {
		if _, err := ParseResourceID(bad); err == nil {
			t.Errorf("ParseResourceID(%q) accepted", bad)
		}
	}
}

func TestScopeIDRoundTrip(t *testing.T) {
	s := DefaultScope
	id := s.ID("Microsoft.Network/virtualNetworks/subnets", "vnet-hub", "snet-dns")
	p, err := ParseResourceID(string(id))
	if err != nil {
		t.Fatal(err)
	}
	if p.Type() != "Microsoft.Network/virtualNetworks/subnets" || p.Name() != "vnet-hub/snet-dns" || p.ResourceGroup != s.ResourceGroup {
		t.Errorf("round trip: %+v", p)
	}
	if !id.Equal(ResourceID(string(id)+"/")) || id.Key() != ResourceID(toUpper(string(id))).Key() {
		t.Errorf("IDs must compare case-insensitively and ignore a trailing slash")
	}
}

func toUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestLookupAndMarshal(t *testing.T) {
	r := Resource{Type: "T", APIVersion: "1", Name: "n", Properties: map[string]any{
		"A": map[string]any{"list": []any{map[string]any{"x": 1.0}}}}}
	if got := r.Prop("a.LIST.0.x"); got != 1.0 {
		t.Errorf("case-insensitive lookup = %v", got)
	}
	if r.Prop("a.list.5.x") != nil || r.Prop("missing.x") != nil {
		t.Errorf("missing steps must give nil")
	}
	var back Resource
	r.Extra = map[string]any{"comments": "c", "plan": map[string]any{"name": "p"}}
	b, err := Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(back.Extra, r.Extra); diff != "" || back.Name != "n" || back.Prop("a.list.0.x") != 1.0 {
		t.Errorf("round trip lost data (-got +want)\n%s\n%s", diff, b)
	}
	// Empty properties are written (schemas require them on some types).
	b, _ = Marshal(Resource{Type: "T", APIVersion: "1", Name: "n", Properties: map[string]any{}})
	if want := `"properties": {}`; !contains(string(b), want) {
		t.Errorf("empty properties not written:\n%s", b)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestEqualIsKeyEquality: Equal answers exactly Key() == Key(), on ASCII
// IDs (its fast path) and on IDs with non-ASCII runes whose lower case
// changes length or becomes ASCII (the Kelvin sign lowers to k).
func TestEqualIsKeyEquality(t *testing.T) {
	ids := []ResourceID{
		"", "/", "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/vnet-hub",
		"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.network/VIRTUALNETWORKS/VNET-HUB/",
		"/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-hub",
		"/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-hu",
		"/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-hubb",
		"/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet-hub//",
		"/x/\u212A", "/x/k", "/x/K", "/x/\u0130", "/x/i\u0307", "/x/\u00C9", "/x/\u00E9", "/x/e", "/x/\xff",
	}
	for _, a := range ids {
		for _, b := range ids {
			if got, want := a.Equal(b), a.Key() == b.Key(); got != want {
				t.Errorf("%q.Equal(%q) = %v, keys %q and %q", a, b, got, a.Key(), b.Key())
			}
		}
	}
}

func BenchmarkEqual(b *testing.B) {
	x := ResourceID("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-privaks/providers/Microsoft.Network/virtualNetworks/vnet-spoke-001")
	y := ResourceID("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-privaks/providers/Microsoft.Network/virtualNetworks/vnet-spoke-002")
	for b.Loop() {
		x.Equal(y)
	}
}

// TestAppendKeyIsKey: AppendKey appends exactly Key(), ASCII or not, and
// Set.Get finds a resource by any spelling of its ID, also one longer
// than the stack buffer, without allocating for an ordinary ID.
func TestAppendKeyIsKey(t *testing.T) {
	long := ResourceID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/" + strings.Repeat("V", 2*KeyBuf))
	ids := []ResourceID{"", "/", "/x//", "/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.network/VIRTUALNETWORKS/VNET-HUB/",
		"/x/\u212A", "/x/\u0130", "/x/\u00C9/", "/x/\xff", long}
	for _, id := range ids {
		if got := string(id.AppendKey([]byte("pre:"))); got != "pre:"+id.Key() {
			t.Errorf("%q.AppendKey = %q, want %q", id, got, "pre:"+id.Key())
		}
	}
	hub := ResourceID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/vnet-hub")
	s := &Set{Resources: []*Resource{{ID: hub}, {ID: long}, {ID: "/x/\u00C9"}}}
	for id, want := range map[ResourceID]ResourceID{
		"/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.network/VIRTUALNETWORKS/VNET-HUB/": hub,
		ResourceID(strings.ToLower(string(long))):                                                  long,
		"/X/\u00E9": "/x/\u00C9",
	} {
		if r := s.Get(id); r == nil || r.ID != want {
			t.Errorf("Get(%q) = %v, want %s", id, r, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		s.Get("/subscriptions/s/resourcegroups/rg/providers/Microsoft.Network/virtualNetworks/VNET-HUB")
	}); n != 0 {
		t.Errorf("Get allocates %v times per lookup", n)
	}
}

// TestSetGetAsScan: Get answers what a scan answers (the last resource
// whose key is the ID's), for IDs spelt as a resource spells its own and
// otherwise, as built and after Add of a new resource and of one whose
// key is already there in another spelling.
func TestSetGetAsScan(t *testing.T) {
	const p = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"
	s := &Set{Resources: []*Resource{{ID: p + "a"}, {ID: p + "B"}, {ID: p + "b"}, {ID: p + "c/"}, {ID: p + "a"}}}
	scan := func(id ResourceID) *Resource {
		var last *Resource
		for _, r := range s.Resources {
			if r.ID.Key() == id.Key() {
				last = r
			}
		}
		return last
	}
	ids := []ResourceID{p + "a", p + "A", p + "b", p + "B", p + "c", p + "c/", p + "C", p + "d", p + "D", ""}
	check := func(when string) {
		for _, id := range ids {
			if got, want := s.Get(id), scan(id); got != want {
				t.Errorf("%s: Get(%s) = %p, want %p", when, id, got, want)
			}
		}
	}
	check("as built")
	s.Add(&Resource{ID: p + "d"})
	check("new resource added")
	s.Add(&Resource{ID: p + "A"})
	check("a second spelling of a added")
	s.Add(&Resource{ID: p + "e"})
	ids = append(ids, p+"e")
	check("added after the second spelling")
	if s.Get(p+"a") != s.Resources[len(s.Resources)-2] {
		t.Errorf("Get(a) is not the last resource of that key")
	}
}

// KeyOf is Key, whatever the spelling and whenever the resource was added
// (before or after the set was indexed, or a second resource with the
// same key), and it does not allocate for a spelling the set holds.
func TestSetKeyOf(t *testing.T) {
	a := ResourceID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Hub")
	b := ResourceID("/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualNetworks/hub")
	c := ResourceID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Spoke")
	s := &Set{}
	s.Add(&Resource{ID: a})
	for _, id := range []ResourceID{a, b, c, "", "/Mixed/Case"} {
		if got, want := s.KeyOf(id), id.Key(); got != want {
			t.Errorf("KeyOf(%q) = %q, want %q", id, got, want)
		}
	}
	s.Add(&Resource{ID: c})
	s.Add(&Resource{ID: b}) // same key as a, another spelling
	for _, id := range []ResourceID{a, b, c} {
		if got, want := s.KeyOf(id), id.Key(); got != want {
			t.Errorf("after Add: KeyOf(%q) = %q, want %q", id, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.KeyOf(c) }); n != 0 {
		t.Errorf("KeyOf of a spelling the set holds allocates %v times", n)
	}
}

// A merged set (indexed as it is built) answers KeyOf too.
func TestMergedSetKeyOf(t *testing.T) {
	a := ResourceID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Hub")
	one, two := &Set{Source: "one.json"}, &Set{Source: "two.json"}
	one.Add(&Resource{ID: a})
	two.Add(&Resource{ID: ResourceID(strings.ToLower(string(a)))})
	m, _ := Merge(one, two)
	if got := m.KeyOf(a); got != a.Key() {
		t.Errorf("KeyOf = %q, want %q", got, a.Key())
	}
}

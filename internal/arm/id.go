package arm

import (
	"fmt"
	"strings"
)

// ResourceID is an Azure resource ID such as
// /subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-dns.
// ARM compares IDs case-insensitively: use Key (or Equal) to compare, String
// to display. The zero ResourceID is empty and invalid.
type ResourceID string

// Key returns the ID in the canonical form used for map keys and comparison
// (lower case, no trailing slash).
func (id ResourceID) Key() string { return strings.TrimSuffix(strings.ToLower(string(id)), "/") }

// AppendKey appends id.Key() to dst and returns the extended slice. With
// a buffer on the caller's stack it builds the key without allocating,
// for a map lookup (m[string(id.AppendKey(buf[:0]))] does not copy the
// bytes): lower-casing into a new string was the largest allocation of a
// lookup by ID.
func (id ResourceID) AppendKey(dst []byte) []byte {
	s := strings.TrimSuffix(string(id), "/")
	if !isASCII(s) {
		return append(dst, id.Key()...)
	}
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerASCII(s[i]))
	}
	return dst
}

// KeyBuf is the size of a stack buffer for AppendKey that holds the keys
// of real resource IDs (most are under 200 bytes); a longer key
// spills to the heap, still correct.
const KeyBuf = 256

// Equal reports whether two IDs name the same resource. It is Key() ==
// o.Key() without building either key: for ASCII IDs (all real ones) it
// folds case byte by byte, from the end where IDs usually differ, and
// allocates nothing.
func (id ResourceID) Equal(o ResourceID) bool {
	a, b := strings.TrimSuffix(string(id), "/"), strings.TrimSuffix(string(o), "/")
	if a == b {
		return true
	}
	if len(a) != len(b) {
		if isASCII(a) && isASCII(b) {
			return false
		}
		return id.Key() == o.Key()
	}
	// An ASCII byte lowers to one ASCII byte, so a difference between two
	// ASCII bytes after an equal ASCII suffix is a difference of the keys.
	for i := len(a) - 1; i >= 0; i-- {
		x, y := a[i], b[i]
		if x >= 0x80 || y >= 0x80 {
			return id.Key() == o.Key()
		}
		if x != y && lowerASCII(x) != lowerASCII(y) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// String returns the ID as written.
func (id ResourceID) String() string { return string(id) }

// IsValid reports whether id parses as a resource ID below a subscription.
func (id ResourceID) IsValid() bool { _, err := ParseResourceID(string(id)); return err == nil }

// ParsedID is the structure of a ResourceID.
type ParsedID struct {
	Subscription  string
	ResourceGroup string // empty for subscription-level resources
	Namespace     string // e.g. Microsoft.Network
	Types         []string
	Names         []string
	// Extends is the ID of the resource an extension resource applies to
	// (…/vaults/kv/providers/Microsoft.Authorization/roleAssignments/x
	// extends …/vaults/kv); empty for ordinary resources.
	Extends ResourceID
}

// Type returns the full resource type, e.g. Microsoft.Network/virtualNetworks/subnets.
func (p ParsedID) Type() string {
	return p.Namespace + "/" + strings.Join(p.Types, "/")
}

// Name returns the resource's full name, e.g. vnet-hub/snet-dns.
func (p ParsedID) Name() string { return strings.Join(p.Names, "/") }

// Last returns the last name segment (the resource's own short name).
func (p ParsedID) Last() string {
	if len(p.Names) == 0 {
		return ""
	}
	return p.Names[len(p.Names)-1]
}

// ParseResourceID parses s. Provider segments are optional (a resource group
// ID parses with an empty Namespace).
func ParseResourceID(s string) (ParsedID, error) {
	var p ParsedID
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) < 2 || !strings.EqualFold(parts[0], "subscriptions") || parts[1] == "" || !strings.HasPrefix(s, "/") {
		return p, fmt.Errorf("parse resource ID %q: must start with /subscriptions/<id>", s)
	}
	p.Subscription = parts[1]
	rest := parts[2:]
	if len(rest) >= 2 && strings.EqualFold(rest[0], "resourceGroups") {
		p.ResourceGroup = rest[1]
		rest = rest[2:]
	}
	if len(rest) == 0 {
		return p, nil
	}
	if !strings.EqualFold(rest[0], "providers") || len(rest) < 4 {
		return p, fmt.Errorf("parse resource ID %q: want providers/<namespace>/<type>/<name>[/<type>/<name>...]", s)
	}
	p.Namespace = rest[1]
	for i := 2; i < len(rest); {
		if strings.EqualFold(rest[i], "providers") && i+3 < len(rest) {
			// An extension resource: what came before is its scope.
			cut := len(parts) - len(rest) + i
			p.Extends = ResourceID("/" + strings.Join(parts[:cut], "/"))
			p.Namespace, p.Types, p.Names = rest[i+1], nil, nil
			i += 2
			continue
		}
		if i+1 >= len(rest) || rest[i] == "" || rest[i+1] == "" {
			return p, fmt.Errorf("parse resource ID %q: want <type>/<name> pairs", s)
		}
		p.Types = append(p.Types, rest[i])
		p.Names = append(p.Names, rest[i+1])
		i += 2
	}
	return p, nil
}

// Scope is the deployment target a resource-group template is evaluated in.
type Scope struct {
	Subscription  string
	ResourceGroup string
	Location      string
	TenantID      string
}

// DefaultScope is the scope offline analyses use when none is given: a
// placeholder subscription and tenant that are valid GUIDs but never real.
var DefaultScope = Scope{
	Subscription:  "00000000-0000-0000-0000-000000000000",
	ResourceGroup: "rg-privaks",
	Location:      "canadacentral",
	TenantID:      "00000000-0000-0000-0000-000000000000",
}

// ID builds the resource ID of a resource of the given full type and name
// segments in the scope's resource group (what ARM's resourceId() returns).
func (s Scope) ID(typ string, names ...string) ResourceID {
	segs := strings.Split(typ, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "/subscriptions/%s/resourceGroups/%s/providers/%s", s.Subscription, s.ResourceGroup, segs[0])
	for i, t := range segs[1:] {
		n := ""
		if i < len(names) {
			n = names[i]
		}
		fmt.Fprintf(&b, "/%s/%s", t, n)
	}
	return ResourceID(b.String())
}

// ResourceGroupID returns the resource group's own ID.
func (s Scope) ResourceGroupID() ResourceID {
	return ResourceID(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", s.Subscription, s.ResourceGroup))
}

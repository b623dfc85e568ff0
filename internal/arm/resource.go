package arm

import (
	"encoding/json"
	"sort"
	"strings"
)

// Resource is one ARM resource as it appears in a deployment template's
// "resources" array (language version 1.0). Top-level fields that privaks
// reads are typed; everything below "properties" is generic JSON
// (map[string]any, []any, string, float64/json.Number, bool, nil, or Unknown
// in an evaluated set).
//
// Field order is the order privaks writes them in, so templates read the way
// people expect: type, apiVersion, name first.
type Resource struct {
	Type       string         `json:"type"`
	APIVersion string         `json:"apiVersion"`
	Name       string         `json:"name"`
	Scope      string         `json:"scope,omitempty"`
	Location   string         `json:"location,omitempty"`
	Tags       any            `json:"tags,omitempty"`
	Kind       string         `json:"kind,omitempty"`
	SKU        any            `json:"sku,omitempty"`
	Identity   any            `json:"identity,omitempty"`
	Zones      any            `json:"zones,omitempty"`
	Properties map[string]any `json:"properties,omitzero"`
	DependsOn  []string       `json:"dependsOn,omitempty"`

	// Condition and Copy are kept as read from third-party templates; the
	// compiler never sets them and armeval expands them away.
	Condition any            `json:"condition,omitempty"`
	Copy      map[string]any `json:"copy,omitempty"`

	// ID is the resource's concrete ID in an evaluated Set; empty in
	// template form.
	ID ResourceID `json:"-"`
	// Extra holds top-level keys this struct does not name (e.g. "plan",
	// "extendedLocation", "comments"), so that a template read and written
	// again loses nothing.
	Extra map[string]any `json:"-"`
}

// Is reports whether r has the given resource type, compared
// case-insensitively as ARM does.
func (r *Resource) Is(typ string) bool { return strings.EqualFold(r.Type, typ) }

// Prop returns the value at a dotted path below properties
// ("apiServerAccessProfile.privateDNSZone"), or nil when any step is missing.
// Keys are matched case-insensitively, as ARM does.
func (r *Resource) Prop(path string) any {
	if r.Properties == nil {
		return nil
	}
	return Lookup(r.Properties, path)
}

// Lookup walks a dotted path through nested maps, matching keys
// case-insensitively. Array elements are addressed by a decimal index
// ("subnets.0.name"). It returns nil when a step is missing.
func Lookup(v any, path string) any {
	if path == "" {
		return v
	}
	for _, step := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = getFold(t, step)
		case []any:
			i, ok := atoi(step)
			if !ok || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// GetFold returns m[key], matching the key case-insensitively as ARM does,
// or nil. Unlike Lookup it takes key whole: "Network.DNS.EnableProxy" is
// one key of a firewall's additionalProperties, not a path.
func GetFold(m map[string]any, key string) any { return getFold(m, key) }

func getFold(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// MarshalJSON writes the typed fields followed by Extra, keeping the typed
// field order and sorting Extra's keys, so output is deterministic.
func (r Resource) MarshalJSON() ([]byte, error) {
	type plain Resource
	b, err := json.Marshal(plain(r))
	if err != nil || len(r.Extra) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(r.Extra))
	for k := range r.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.Write(b[:len(b)-1])
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(r.Extra[k])
		if err != nil {
			return nil, err
		}
		sb.WriteByte(',')
		sb.Write(kb)
		sb.WriteByte(':')
		sb.Write(vb)
	}
	sb.WriteByte('}')
	return []byte(sb.String()), nil
}

// knownKeys are the top-level resource keys Resource names; matched
// case-insensitively on read.
var knownKeys = map[string]bool{
	"type": true, "apiversion": true, "name": true, "scope": true, "location": true,
	"tags": true, "kind": true, "sku": true, "identity": true, "zones": true,
	"properties": true, "dependson": true, "condition": true, "copy": true,
}

// UnmarshalJSON reads a resource with case-insensitive top-level keys (ARM
// accepts "Properties" as well as "properties") and keeps unknown keys in
// Extra.
func (r *Resource) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	norm := map[string]json.RawMessage{}
	for k, v := range raw {
		lk := strings.ToLower(k)
		if knownKeys[lk] {
			norm[lk] = v
			continue
		}
		if r.Extra == nil {
			r.Extra = map[string]any{}
		}
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return err
		}
		r.Extra[k] = x
	}
	type fields struct {
		Type       string         `json:"type"`
		APIVersion string         `json:"apiversion"`
		Name       string         `json:"name"`
		Scope      string         `json:"scope"`
		Location   string         `json:"location"`
		Tags       any            `json:"tags"`
		Kind       string         `json:"kind"`
		SKU        any            `json:"sku"`
		Identity   any            `json:"identity"`
		Zones      any            `json:"zones"`
		Properties map[string]any `json:"properties"`
		DependsOn  []string       `json:"dependson"`
		Condition  any            `json:"condition"`
		Copy       map[string]any `json:"copy"`
	}
	// Each known key decodes straight into its field. A value of the wrong
	// type takes the round trip through one JSON object instead, for
	// encoding/json's error naming the field.
	var f fields
	if !decodeFields(norm, &f.Type, &f.APIVersion, &f.Name, &f.Scope, &f.Location, &f.Tags, &f.Kind, &f.SKU,
		&f.Identity, &f.Zones, &f.Properties, &f.DependsOn, &f.Condition, &f.Copy) {
		f = fields{}
		nb, err := json.Marshal(norm)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(nb, &f); err != nil {
			return err
		}
	}
	r.Type, r.APIVersion, r.Name, r.Scope, r.Location = f.Type, f.APIVersion, f.Name, f.Scope, f.Location
	r.Tags, r.Kind, r.SKU, r.Identity, r.Zones = f.Tags, f.Kind, f.SKU, f.Identity, f.Zones
	r.Properties, r.DependsOn, r.Condition, r.Copy = f.Properties, f.DependsOn, f.Condition, f.Copy
	return nil
}

// decodeFields decodes the known keys of norm into the given fields, in
// knownKeys' order of the fields struct; false when a value does not fit.
func decodeFields(norm map[string]json.RawMessage, typ, api, name, scope, loc *string, tags *any, kind *string, sku, identity, zones *any,
	props *map[string]any, dependsOn *[]string, cond *any, cp *map[string]any) bool {
	for k, v := range norm {
		var dst any
		switch k {
		case "type":
			dst = typ
		case "apiversion":
			dst = api
		case "name":
			dst = name
		case "scope":
			dst = scope
		case "location":
			dst = loc
		case "tags":
			dst = tags
		case "kind":
			dst = kind
		case "sku":
			dst = sku
		case "identity":
			dst = identity
		case "zones":
			dst = zones
		case "properties":
			dst = props
		case "dependson":
			dst = dependsOn
		case "condition":
			dst = cond
		case "copy":
			dst = cp
		default:
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return false
		}
	}
	return true
}

package arm

import (
	"encoding/json"
	"sort"
	"strings"
)

// Unknown stands for a value that cannot be known before deployment, such as
// the result of reference() (a managed identity's principalId, a cluster's
// OIDC issuer URL). Analyses treat it as a named symbol: two Unknowns are the
// same value when Ref and Path are equal.
type Unknown struct {
	// Expr is the ARM expression that produces the value, without brackets.
	Expr string
	// Ref is the resource the value is read from, when known.
	Ref ResourceID
	// Path is the property path read from Ref's runtime state, relative to
	// the resource's properties unless it starts with a top-level key such
	// as "identity." ("principalId", "oidcIssuerProfile.issuerURL").
	Path string
}

// Same reports whether u and o denote the same runtime value.
func (u Unknown) Same(o Unknown) bool {
	if u.Ref != "" || o.Ref != "" {
		return u.Ref.Equal(o.Ref) && strings.EqualFold(u.Path, o.Path)
	}
	return u.Expr == o.Expr
}

// String returns the expression in template form.
func (u Unknown) String() string { return "[" + u.Expr + "]" }

// MarshalJSON writes an Unknown as its template expression.
func (u Unknown) MarshalJSON() ([]byte, error) { return json.Marshal(u.String()) }

// Set is an evaluated resource set: every resource has a concrete ID and
// concrete values, except Unknowns. It is what the twin, checks, verifier and
// renderers read, whatever the source (compiled spec, template, live
// subscription).
type Set struct {
	Scope     Scope
	Resources []*Resource
	// Outputs holds evaluated template outputs (may contain Unknowns).
	Outputs map[string]any
	// Source names where the set came from (a file path, "spec:privaks.yaml",
	// "subscription:<id>"), for messages.
	Source string
	// Coverage says what the sources declared and what the reader left
	// out; len(Resources) is what it modelled.
	Coverage Coverage
	// Origins names, for a set merged from several sources, the source of
	// each resource (by ID key); nil for a single source.
	Origins map[string]string
	// Positions holds, by ID key, where each resource is declared (file,
	// line and column of its object), for the resources whose reader knows
	// it (the ARM evaluator); see PosOf.
	Positions map[string]Pos
	// DeployedBy names, by ID key, the nested deployment whose template
	// declares each resource (for resources a nested deployment
	// deploys): a dependsOn on that deployment waits for them all.
	DeployedBy map[string]ResourceID

	byID map[string]*Resource
	// exact maps each resource's ID as written to byID's answer for its
	// key: most lookups pass an ID taken from a resource, and finding it
	// there needs no lower-casing (building keys was a fifth of check).
	// nil once a resource whose key was already indexed is added: then
	// every lookup goes by key.
	exact map[string]*Resource
	// keys maps each resource's ID as written to its key, from when the
	// set was indexed: a key does not depend on which resource holds the
	// spelling, so unlike exact it stays valid whatever is added (KeyOf).
	keys map[string]string
}

// SetPos records where the resource id is declared; a position without a
// line is not recorded.
func (s *Set) SetPos(id ResourceID, p Pos) {
	if p.Line == 0 {
		return
	}
	if s.Positions == nil {
		s.Positions = map[string]Pos{}
	}
	s.Positions[id.Key()] = p
}

// PosOf says where the resource id is declared: its recorded position,
// else the file of its origin (a merged set) or the set's Source, else
// the zero Pos.
func (s *Set) PosOf(id ResourceID) Pos {
	k := id.Key()
	if p, ok := s.Positions[k]; ok {
		return p
	}
	if o, ok := s.Origins[k]; ok {
		return Pos{File: o}
	}
	return Pos{}
}

// Add appends r (whose ID must be set) and indexes it.
func (s *Set) Add(r *Resource) {
	s.Resources = append(s.Resources, r)
	if s.byID != nil {
		k := r.ID.Key()
		if s.keys == nil {
			s.keys = map[string]string{}
		}
		s.keys[string(r.ID)] = k
		if _, dup := s.byID[k]; dup {
			s.exact = nil // other spellings of k would still name the old one
		} else if s.exact != nil {
			s.exact[string(r.ID)] = r
		}
		s.byID[k] = r
	}
}

// Get returns the resource with the given ID, or nil: of several with the
// same key, the last.
func (s *Set) Get(id ResourceID) *Resource {
	if s.byID == nil {
		s.byID = make(map[string]*Resource, len(s.Resources))
		s.keys = make(map[string]string, len(s.Resources))
		for _, r := range s.Resources {
			k, ok := s.keys[string(r.ID)]
			if !ok {
				k = r.ID.Key()
				s.keys[string(r.ID)] = k
			}
			s.byID[k] = r
		}
		s.exact = make(map[string]*Resource, len(s.Resources))
		for _, r := range s.Resources {
			if _, ok := s.exact[string(r.ID)]; !ok {
				var buf [KeyBuf]byte
				s.exact[string(r.ID)] = s.byID[string(r.ID.AppendKey(buf[:0]))]
			}
		}
	}
	if r, ok := s.exact[string(id)]; ok {
		return r
	}
	var buf [KeyBuf]byte
	return s.byID[string(id.AppendKey(buf[:0]))]
}

// KeyOf returns id.Key(). For an ID spelt as a resource of the set spells
// its own, the key computed when the set was indexed is returned, without
// lower-casing the ID again (ordering checks ask it of every dependsOn of
// every cluster's closure); any other spelling is lower-cased.
func (s *Set) KeyOf(id ResourceID) string {
	if s.byID == nil {
		s.Get(id)
	}
	if k, ok := s.keys[string(id)]; ok {
		return k
	}
	return id.Key()
}

// OfType returns the resources of one type (case-insensitive), in set order.
func (s *Set) OfType(typ string) []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		if r.Is(typ) {
			out = append(out, r)
		}
	}
	return out
}

// Sort orders the resources by ID key, for deterministic iteration.
func (s *Set) Sort() {
	sort.SliceStable(s.Resources, func(i, j int) bool { return s.Resources[i].ID.Key() < s.Resources[j].ID.Key() })
}

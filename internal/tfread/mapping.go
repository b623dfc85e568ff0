package tfread

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/privaks/privaks/internal/arm"
)

// mapping turns one Terraform resource type into ARM.
type mapping struct {
	arm string // ARM resource type ("" for a merge into another resource)
	api string
	// id returns the instance's ARM resource ID.
	id func(c *mctx) (arm.ResourceID, error)
	// build fills res (type, name, ID, location and tags are set) and
	// may return more resources (a private endpoint's zone group).
	build func(c *mctx, res *arm.Resource) ([]*arm.Resource, error)
	// merge writes the instance into resources already built (an
	// association, a standalone rule or access policy); nil when build
	// is set.
	merge func(c *mctx, set *arm.Set) error
	// unknown translates Terraform attribute paths known only after apply
	// to the ARM runtime property paths the twin reads.
	unknown map[string]string
}

// mappings holds every modelled type, registered by the map_*.go files on
// first use (not at start-up: only terraform reads need them).
func mappings() map[string]*mapping {
	mappingsOnce.Do(func() {
		m := map[string]*mapping{}
		for _, register := range []func(map[string]*mapping){registerMapAks, registerMapCompute, registerMapEdge,
			registerMapIdentity, registerMapNetwork, registerMapOther, registerMapServices} {
			register(m)
		}
		mappingsOnce.m = m
	})
	return mappingsOnce.m
}

var mappingsOnce struct {
	sync.Once
	m map[string]*mapping
}

// mctx is what a mapping sees of one instance.
type mctx struct {
	r  *reader
	in *instance
	a  attrs
}

func (mp *mapping) idOf(r *reader, in *instance) (arm.ResourceID, error) {
	return mp.id(&mctx{r: r, in: in, a: attrs{r: r, tf: in.rb.typ, m: in.body}})
}

// seg renders a name segment: a known string, or a symbolic one naming
// the unknown ("{data.azurerm_resource_group.rg.name}") so that every
// reference to the same unknown name still meets the same resource.
func seg(v any, what string) (string, error) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return "", fmt.Errorf("%s is empty", what)
		}
		return t, nil
	case arm.Unknown:
		return "{" + t.Expr + "}", nil
	case nil:
		return "", fmt.Errorf("%s is not set", what)
	}
	return "", fmt.Errorf("%s is not a string", what)
}

// parentID reads an attribute holding a resource ID that must be known.
func (c *mctx) parentID(attr string, legacy ...string) (string, error) {
	v := c.a.str(append([]string{attr}, legacy...)...)
	switch t := v.(type) {
	case string:
		if _, err := arm.ParseResourceID(t); err != nil {
			return "", fmt.Errorf("%s: %v", attr, err)
		}
		return strings.TrimSuffix(t, "/"), nil
	case arm.Unknown:
		return "", fmt.Errorf("%s is %s, known only outside this configuration (give the data source's values with --terraform-data)", attr, t.Expr)
	}
	return "", fmt.Errorf("%s is not set", attr)
}

// rgID builds an ID in the instance's resource_group_name: typ is the full
// ARM type, names its name segments (values of attributes).
func (c *mctx) rgID(typ string, names ...any) (arm.ResourceID, error) {
	return c.rgIDIn(c.a.str("resource_group_name"), typ, names...)
}

// rgIDIn builds an ID in the given resource group.
func (c *mctx) rgIDIn(rgv any, typ string, names ...any) (arm.ResourceID, error) {
	rg, err := seg(rgv, "resource_group_name")
	if err != nil {
		return "", err
	}
	types := strings.Split(typ, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "/subscriptions/%s/resourceGroups/%s/providers/%s", c.r.scope.Subscription, rg, types[0])
	for i, t := range types[1:] {
		if i >= len(names) {
			return "", fmt.Errorf("internal: %s needs %d names", typ, len(types)-1)
		}
		n, err := seg(names[i], "name")
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "/%s/%s", t, n)
	}
	return arm.ResourceID(b.String()), nil
}

// simple is the ID function of a resource named "name" in a resource group.
func simple(typ string) func(c *mctx) (arm.ResourceID, error) {
	return func(c *mctx) (arm.ResourceID, error) { return c.rgID(typ, c.a.str("name")) }
}

// childOf is the ID function of a resource below a parent resource named by
// an attribute of its own (parent name in the same resource group).
func childOf(typ string, parentAttrs ...string) func(c *mctx) (arm.ResourceID, error) {
	return func(c *mctx) (arm.ResourceID, error) {
		var names []any
		for _, p := range parentAttrs {
			names = append(names, c.a.str(p))
		}
		return c.rgID(typ, append(names, c.a.str("name"))...)
	}
}

// under is the ID function of a resource below a parent given by ID.
func under(attr, childType string, legacy ...string) func(c *mctx) (arm.ResourceID, error) {
	return func(c *mctx) (arm.ResourceID, error) {
		p, err := c.parentID(attr, legacy...)
		if err != nil {
			return "", err
		}
		n, err := seg(c.a.str("name"), "name")
		if err != nil {
			return "", err
		}
		return arm.ResourceID(p + "/" + childType + "/" + n), nil
	}
}

// mergeID is the ID function of a merge: the instance has no ARM
// resource of its own; a stable pseudo ID names it for references.
func mergeID(attrsForID ...string) func(c *mctx) (arm.ResourceID, error) {
	return func(c *mctx) (arm.ResourceID, error) {
		var parts []string
		for _, a := range attrsForID {
			s, _ := c.a.str(a).(string)
			parts = append(parts, s)
		}
		first := parts[0]
		if first == "" {
			first = "/subscriptions/" + c.r.scope.Subscription
		}
		return arm.ResourceID(first + "#" + c.in.rb.typ + "." + c.in.rb.name + instKey(c.in.key)), nil
	}
}

func location(v any) string {
	s, _ := v.(string)
	return strings.ToLower(strings.ReplaceAll(s, " ", ""))
}

// mapAll builds the ARM resources of every mapped instance, then applies
// the merges, then dependsOn.
func (r *reader) mapAll(set *arm.Set) {
	built := map[*instance][]*arm.Resource{}
	for _, in := range r.insts {
		if in.mp == nil || in.left != nil || in.mp.build == nil {
			continue
		}
		c := &mctx{r: r, in: in, a: attrs{r: r, tf: in.rb.typ, m: in.body}}
		p, _ := arm.ParseResourceID(string(in.id))
		// location and tags are read without recording: not every type has
		// them, and those that have them all mean the same.
		res := &arm.Resource{Type: in.mp.arm, APIVersion: in.mp.api, Name: p.Name(), ID: in.id,
			Location: location(c.a.raw("location")), Properties: map[string]any{}}
		if t, ok := c.a.raw("tags").(map[string]any); ok && len(t) > 0 {
			res.Tags = t
		}
		extra, err := in.mp.build(c, res)
		if err != nil {
			r.leaveResource(in.rb, arm.LeftOut{Pos: pos(in.rb.block.DefRange()), Resource: in.addr, Reason: err.Error()})
			continue
		}
		all := append([]*arm.Resource{res}, extra...)
		if dup := firstDup(set, all); dup != nil {
			r.leaveResource(in.rb, arm.LeftOut{Pos: pos(in.rb.block.DefRange()), Resource: in.addr, Type: res.Type,
				Reason: fmt.Sprintf("its ID %s is that of another resource: the names it is built from are known only after apply", dup.ID)})
			continue
		}
		for _, x := range all {
			set.Add(x)
			set.SetPos(x.ID, pos(in.rb.block.DefRange()))
		}
		r.declared += len(all)
		built[in] = all
	}
	for _, in := range r.insts {
		if in.mp == nil || in.left != nil || in.mp.merge == nil {
			continue
		}
		c := &mctx{r: r, in: in, a: attrs{r: r, tf: in.rb.typ, m: in.body}}
		if err := in.mp.merge(c, set); err != nil {
			r.leaveResource(in.rb, arm.LeftOut{Pos: pos(in.rb.block.DefRange()), Resource: in.addr, Reason: err.Error()})
		}
	}
	for in, rs := range built {
		deps := r.dependsOn(in)
		for _, x := range rs {
			for _, d := range deps {
				if !d.Equal(x.ID) && !strings.HasPrefix(string(x.ID), string(d)+"#") {
					x.DependsOn = append(x.DependsOn, string(d))
				}
			}
		}
	}
}

// dependsOn returns the IDs an instance depends on: resources its body
// references in the same module, and its depends_on list.
func (r *reader) dependsOn(in *instance) []arm.ResourceID {
	seen := map[string]bool{}
	var out []arm.ResourceID
	add := func(id arm.ResourceID) {
		if id == "" || strings.Contains(string(id), "#") || seen[id.Key()] || id.Equal(in.id) {
			return
		}
		seen[id.Key()] = true
		out = append(out, id)
	}
	addKey := func(mi *modInst, key string) {
		if rs := mi.res[key]; rs != nil {
			for _, x := range r.insts {
				if x.mi == mi && x.rb.key() == key && !x.rb.data && x.left == nil {
					add(x.id)
				}
			}
		}
	}
	for k := range in.refs {
		addKey(in.mi, k)
	}
	for _, t := range in.deps {
		switch t.RootName() {
		case "module":
			name, _ := step(t, 1)
			if ks := in.mi.kids[name]; ks != nil {
				for _, k := range ks.insts {
					for _, x := range r.insts {
						if strings.HasPrefix(x.mi.addr, k.addr) && x.left == nil && x.mp != nil && x.mp.build != nil {
							add(x.id)
						}
					}
				}
			}
		case "data":
		default:
			addKey(in.mi, t.RootName()+"."+firstName(t))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// guid derives a stable GUID (as ARM templates do with guid()).
func guid(parts ...string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(strings.ToLower(strings.Join(parts, "|")))).String()
}

// resourceByID finds a built resource.
func resourceByID(set *arm.Set, id any) *arm.Resource {
	s, ok := id.(string)
	if !ok || s == "" {
		return nil
	}
	return set.Get(arm.ResourceID(s))
}

// subnetProps finds a subnet's properties: a subnet resource, or a subnet
// written inline in its virtual network.
func subnetProps(set *arm.Set, id any) map[string]any {
	if r := resourceByID(set, id); r != nil {
		return r.Properties
	}
	s, ok := id.(string)
	if !ok {
		return nil
	}
	i := strings.LastIndex(strings.ToLower(s), "/subnets/")
	if i < 0 {
		return nil
	}
	vnet := set.Get(arm.ResourceID(s[:i]))
	if vnet == nil {
		return nil
	}
	name := s[i+len("/subnets/"):]
	for _, x := range strs(vnet.Prop("subnets")) {
		m, _ := x.(map[string]any)
		if n, _ := m["name"].(string); strings.EqualFold(n, name) {
			p, _ := m["properties"].(map[string]any)
			return p
		}
	}
	return nil
}

func notInSet(what string, id any) error {
	if u, ok := id.(arm.Unknown); ok {
		return fmt.Errorf("%s is %s, outside this configuration", what, u.Expr)
	}
	return fmt.Errorf("%s %v is not in this configuration", what, id)
}

func firstDup(set *arm.Set, rs []*arm.Resource) *arm.Resource {
	for _, x := range rs {
		if set.Get(x.ID) != nil {
			return x
		}
	}
	return nil
}

// MappedTypes lists the Terraform resource types the reader maps, sorted.
func MappedTypes() []string { return sortedKeys(mappings()) }

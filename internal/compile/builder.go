package compile

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/spec"
)

// builder accumulates resources in a deterministic order.
type builder struct {
	d         *spec.Design
	resources []*arm.Resource
	// after holds explicit ordering edges that no expression implies
	// (e.g. the cluster must wait for the DNS readiness check).
	after map[*arm.Resource][]*arm.Resource
}

func (b *builder) add(r *arm.Resource) *arm.Resource {
	b.resources = append(b.resources, r)
	return r
}

// dependOn records that r must be deployed after each of deps.
func (b *builder) dependOn(r *arm.Resource, deps ...*arm.Resource) {
	b.after[r] = append(b.after[r], deps...)
}

// resource is a shorthand for a located resource.
func (b *builder) resource(typ, api, name string, props map[string]any) *arm.Resource {
	return b.add(&arm.Resource{Type: typ, APIVersion: api, Name: name, Location: b.d.Region, Properties: props})
}

// rid returns the resourceId() expression of a resource in this template.
// Names are literals: privaks writes no names computed at deploy time.
func rid(typ string, names ...string) string {
	return "[" + ridExpr(typ, names...) + "]"
}

func ridExpr(typ string, names ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resourceId('%s'", typ)
	for _, n := range names {
		fmt.Fprintf(&b, ", '%s'", n)
	}
	b.WriteString(")")
	return b.String()
}

// ref returns reference(resourceId(...), api).path as an expression.
func ref(typ, api, path string, names ...string) string {
	return fmt.Sprintf("[reference(%s, '%s').%s]", ridExpr(typ, names...), api, path)
}

// refFull reads a top-level property (e.g. identity.principalId) through
// reference(..., 'Full').
func refFull(typ, api, path string, names ...string) string {
	return fmt.Sprintf("[reference(%s, '%s', 'Full').%s]", ridExpr(typ, names...), api, path)
}

// idOf returns {"id": resourceId(...)}, the ARM sub-resource shape.
func idOf(typ string, names ...string) map[string]any {
	return map[string]any{"id": rid(typ, names...)}
}

// splitName splits a resource's template type and name into the argument
// list resourceId() takes.
func splitName(r *arm.Resource) []string { return strings.Split(r.Name, "/") }

var reResourceID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`resourceId\('([^']+)'((?:, '[^']*')+)\)`) })

// inferDependsOn adds to every resource a dependsOn entry for each resource
// of this template that it names through resourceId() (as Bicep does for
// symbolic references), for its parent, and for the explicit edges; sorted
// and without duplicates.
func (b *builder) inferDependsOn() {
	byKey := map[string]*arm.Resource{}
	key := func(typ string, names []string) string {
		return strings.ToLower(typ + "|" + strings.Join(names, "/"))
	}
	for _, r := range b.resources {
		byKey[key(r.Type, splitName(r))] = r
	}
	for _, r := range b.resources {
		deps := map[*arm.Resource]bool{}
		self := key(r.Type, splitName(r))
		var walk func(v any)
		walk = func(v any) {
			switch t := v.(type) {
			case string:
				for _, m := range reResourceID().FindAllStringSubmatch(t, -1) {
					names := strings.Split(strings.TrimPrefix(m[2], ", '"), "', '")
					names[len(names)-1] = strings.TrimSuffix(names[len(names)-1], "'")
					if d := byKey[key(m[1], names)]; d != nil && key(m[1], names) != self {
						deps[d] = true
					}
				}
			case map[string]any:
				for _, x := range t {
					walk(x)
				}
			case []any:
				for _, x := range t {
					walk(x)
				}
			}
		}
		walk(r.Properties)
		walk(r.Identity)
		// Extension resources: the scope is written relative
		// ("Microsoft.KeyVault/vaults/kv"), as Bicep writes it.
		if r.Scope != "" {
			if d := scopeResource(byKey, key, r.Scope); d != nil {
				deps[d] = true
			}
		}
		// A child depends on its parent.
		if segs := strings.Split(r.Type, "/"); len(segs) > 2 {
			names := splitName(r)
			if d := byKey[key(strings.Join(segs[:len(segs)-1], "/"), names[:len(names)-1])]; d != nil {
				deps[d] = true
			}
		}
		for _, d := range b.after[r] {
			deps[d] = true
		}
		var list []string
		for d := range deps {
			list = append(list, depRef(d))
		}
		sort.Strings(list)
		r.DependsOn = list
	}
}

// depRef is how dependsOn names r: resourceId() for ordinary resources,
// extensionResourceId() for role assignments on a resource (their names
// are guid() expressions).
func depRef(r *arm.Resource) string {
	if !r.Is(tRole) {
		return rid(r.Type, splitName(r)...)
	}
	name := strings.TrimSuffix(strings.TrimPrefix(r.Name, "["), "]")
	if r.Scope == "" {
		return fmt.Sprintf("[resourceId('%s', %s)]", tRole, name)
	}
	typ, names := parseRelativeScope(r.Scope)
	return fmt.Sprintf("[extensionResourceId(%s, '%s', %s)]", ridExpr(typ, names...), tRole, name)
}

// parseRelativeScope splits Microsoft.Network/virtualNetworks/v/subnets/s
// into its type and names.
func parseRelativeScope(scope string) (string, []string) {
	segs := strings.Split(scope, "/")
	typ := segs[0]
	var names []string
	for i := 1; i+1 < len(segs); i += 2 {
		typ += "/" + segs[i]
		names = append(names, segs[i+1])
	}
	return typ, names
}

func scopeResource(byKey map[string]*arm.Resource, key func(string, []string) string, scope string) *arm.Resource {
	segs := strings.Split(scope, "/")
	if len(segs) < 3 || len(segs)%2 == 0 {
		return nil
	}
	typ := segs[0]
	var names []string
	for i := 1; i < len(segs); i += 2 {
		typ += "/" + segs[i]
		names = append(names, segs[i+1])
	}
	return byKey[key(typ, names)]
}

package twin

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// IP groups (Microsoft.Network/ipGroups) name address sets that firewall
// policy rules use as sourceIpGroups and destinationIpGroups; a rule
// matches what any of its addresses or groups holds
// (https://learn.microsoft.com/azure/firewall/ip-groups). Their
// ipAddresses are addresses, prefixes and ranges, or a subnet's
// addressPrefix read through reference() (aks-baseline lists the node pool
// subnets of its spokes so).

// ipGroupAddrs returns the addresses of the IP group id; ok is false when
// the set does not hold the group or one of its entries is not known, and
// why then says so.
func (t *Twin) ipGroupAddrs(id arm.ResourceID) (addrs []string, why string, ok bool) {
	g := t.Set.Get(id)
	if g == nil || !g.Is("Microsoft.Network/ipGroups") {
		return nil, "IP group " + lastName(id) + " (not in this resource set)", false
	}
	raw := g.Prop("ipAddresses")
	if _, isList := raw.([]any); raw != nil && !isList {
		return nil, "IP group " + g.Name + " (ipAddresses " + describe(raw) + " is not known before deployment)", false
	}
	for _, x := range list(raw) {
		if s, isStr := x.(string); isStr {
			addrs = append(addrs, strings.TrimSpace(s))
			continue
		}
		ps, found := t.refPrefixes(x)
		if !found {
			return nil, "IP group " + g.Name + " (address " + describe(x) + " is not known before deployment)", false
		}
		addrs = append(addrs, ps...)
	}
	return addrs, "", true
}

// refPrefixes reads a subnet's address range given through reference():
// an Unknown whose Ref is a subnet of the model and whose Path reads its
// addressPrefix (or addressPrefixes).
func (t *Twin) refPrefixes(v any) ([]string, bool) {
	u, ok := v.(arm.Unknown)
	if !ok || u.Ref == "" {
		return nil, false
	}
	path := strings.ToLower(strings.TrimPrefix(u.Path, "properties."))
	s, ok := t.Lookup(u.Ref).(*Subnet)
	if !ok || !s.Prefix.IsValid() || (path != "addressprefix" && !strings.HasPrefix(path, "addressprefixes")) {
		return nil, false
	}
	return []string{s.Prefix.String()}, true
}

// expandIPGroups adds the addresses of r's IP groups to its sources and
// destinations. A source group whose addresses are unknown is named in
// UnknownSources; a destination group so is kept as "ipGroup:NAME",
// which matches no address and leaves the rule undecided.
func (t *Twin) expandIPGroups(r *FirewallRule) {
	for _, x := range r.srcGroups {
		id, isStr := x.(string)
		if !isStr {
			r.UnknownSources = append(r.UnknownSources, "IP group "+describe(x))
			continue
		}
		addrs, why, ok := t.ipGroupAddrs(arm.ResourceID(id))
		if !ok {
			r.UnknownSources = append(r.UnknownSources, why)
			continue
		}
		r.Sources = append(r.Sources, addrs...)
	}
	for _, x := range r.dstGroups {
		id, isStr := x.(string)
		if !isStr {
			r.Dests = append(r.Dests, "ipGroup:"+describe(x))
			continue
		}
		addrs, _, ok := t.ipGroupAddrs(arm.ResourceID(id))
		if !ok {
			r.Dests = append(r.Dests, "ipGroup:"+lastName(arm.ResourceID(id)))
			continue
		}
		r.Dests = append(r.Dests, addrs...)
	}
	r.srcGroups, r.dstGroups = nil, nil
}

package deploy

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/privaks/privaks/internal/arm"
)

// API versions of the extra read-back calls: role assignments list
// (Microsoft.Authorization 2022-04-01, the version privaks deploys them
// with) and private DNS record sets and links (2024-06-01, the zones').
const (
	apiRoleAssignments = "2022-04-01"
	apiPrivateDNS      = "2024-06-01"
)

// listPage is an ARM list response.
type listPage struct {
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"nextLink"`
}

// readBackExtras adds what the resource-group listing does not return but
// the verifier needs: the role assignments on the group and its resources
// (extension resources), each private zone's record sets and virtual
// network links, and the childCollections (child resources), so that
// principals, the API server's record, the endpoints' records, firewall
// rules and forwarding rules are the real ones.
func (s *session) readBackExtras(ctx context.Context, set *arm.Set) error {
	add := func(item map[string]any) {
		id, _ := item["id"].(string)
		if id == "" {
			return
		}
		r := &arm.Resource{ID: arm.ResourceID(id)}
		r.Type, _ = item["type"].(string)
		r.Name, _ = item["name"].(string)
		if p, ok := item["properties"].(map[string]any); ok {
			r.Properties = p
			if sc, ok := p["scope"].(string); ok && strings.EqualFold(r.Type, "Microsoft.Authorization/roleAssignments") {
				r.Scope = sc
			}
		}
		if set.Get(r.ID) == nil {
			set.Add(r)
		}
	}
	if err := s.readNodeGroups(ctx, set); err != nil {
		return err
	}
	if err := s.list(ctx, s.rest.rgPath(s.target.ResourceGroup)+"/providers/Microsoft.Authorization/roleAssignments", apiRoleAssignments, add); err != nil {
		return fmt.Errorf("read back role assignments: %w", err)
	}
	for _, z := range set.OfType("Microsoft.Network/privateDnsZones") {
		p, err := arm.ParseResourceID(string(z.ID))
		if err != nil {
			continue
		}
		zone := s.rest.rgPath(p.ResourceGroup) + "/providers/Microsoft.Network/privateDnsZones/" + url.PathEscape(p.Last())
		if err := s.list(ctx, zone+"/ALL", apiPrivateDNS, add); err != nil {
			return fmt.Errorf("read back records of zone %q: %w", p.Last(), err)
		}
		if err := s.list(ctx, zone+"/virtualNetworkLinks", apiPrivateDNS, add); err != nil {
			return fmt.Errorf("read back links of zone %q: %w", p.Last(), err)
		}
	}
	for _, c := range childCollections {
		for _, parent := range set.OfType(c.parent) {
			api := parent.APIVersion
			if api == "" {
				api = c.api
			}
			if err := s.list(ctx, string(parent.ID)+"/"+c.child, api, add); err != nil {
				return fmt.Errorf("read back %s of %q: %w", c.what, parent.Name, err)
			}
		}
	}
	set.Sort()
	return nil
}

// childCollections are the child resources the model reads that the
// resource-group listing does not return (proxy resources, listed only
// under their parent), read with the parent's API version, else api:
// a firewall policy's rules, a forwarding ruleset's rules and VNet links,
// a private endpoint's zone group (its A records in the zones), and a DNS
// resolver's endpoints (tracked, but read here too in case the listing
// leaves them out; what it did list is not read twice).
var childCollections = []struct{ parent, child, api, what string }{
	{"Microsoft.Network/firewallPolicies", "ruleCollectionGroups", "2024-05-01", "rule collection groups"},
	{"Microsoft.Network/dnsForwardingRulesets", "forwardingRules", "2022-07-01", "forwarding rules"},
	{"Microsoft.Network/dnsForwardingRulesets", "virtualNetworkLinks", "2022-07-01", "virtual network links"},
	{"Microsoft.Network/dnsResolvers", "inboundEndpoints", "2022-07-01", "inbound endpoints"},
	{"Microsoft.Network/dnsResolvers", "outboundEndpoints", "2022-07-01", "outbound endpoints"},
	{"Microsoft.Network/privateEndpoints", "privateDnsZoneGroups", "2024-05-01", "private DNS zone groups"},
}

// nodeGroupTypes are the resources AKS creates in its node resource group
// that decide whether the API server resolves and answers: its private
// endpoint (and NIC) and, with privateDNSZone "system", its zone. API
// versions are ones the SDK and privaks' schemas know.
var nodeGroupTypes = map[string]string{
	"microsoft.network/privateendpoints":  "2025-07-01",
	"microsoft.network/networkinterfaces": "2025-07-01",
	"microsoft.network/privatednszones":   apiPrivateDNS,
}

// readNodeGroups reads the node resource group of each cluster in the set
// (properties.nodeResourceGroup): the API server's private endpoint with
// its real address, and the system zone when AKS owns it.
func (s *session) readNodeGroups(ctx context.Context, set *arm.Set) error {
	for _, c := range set.OfType("Microsoft.ContainerService/managedClusters") {
		rg, _ := c.Prop("nodeResourceGroup").(string)
		if rg == "" {
			continue
		}
		err := s.eachResourceIn(ctx, rg, func(g *armresources.GenericResourceExpanded) error {
			typ := strings.ToLower(deref(g.Type))
			api, ok := nodeGroupTypes[typ]
			if !ok || set.Get(arm.ResourceID(deref(g.ID))) != nil {
				return nil
			}
			got, err := s.resources.GetByID(ctx, deref(g.ID), api, nil)
			if err != nil {
				return fmt.Errorf("read back %q: %w", deref(g.ID), err)
			}
			r := &arm.Resource{ID: arm.ResourceID(deref(g.ID)), Type: deref(g.Type), APIVersion: api}
			if p, err := arm.ParseResourceID(deref(g.ID)); err == nil {
				r.Name = p.Name()
			}
			if err := fillResource(r, got.GenericResource); err != nil {
				return fmt.Errorf("read back %q: %w", deref(g.ID), err)
			}
			set.Add(r)
			return nil
		})
		if err != nil {
			return fmt.Errorf("read back the node resource group of %q: %w", c.Name, err)
		}
	}
	return nil
}

// list GETs an ARM collection and follows its nextLink pages.
func (s *session) list(ctx context.Context, path, api string, each func(map[string]any)) error {
	var page listPage
	if _, err := s.rest.call(ctx, "GET", path, api, nil, nil, &page, 200); err != nil {
		return err
	}
	for _, v := range page.Value {
		each(v)
	}
	return s.listRaw(ctx, page.NextLink, each)
}

// listRaw follows a nextLink with its own query string.
func (s *session) listRaw(ctx context.Context, next string, each func(map[string]any)) error {
	for next != "" {
		u, err := url.Parse(next)
		if err != nil {
			return err
		}
		q := u.Query()
		api := q.Get("api-version")
		q.Del("api-version")
		var page listPage
		if _, err := s.rest.call(ctx, "GET", u.Path, api, q, nil, &page, 200); err != nil {
			return err
		}
		for _, v := range page.Value {
			each(v)
		}
		next = page.NextLink
	}
	return nil
}

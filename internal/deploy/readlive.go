package deploy

import (
	"context"
	"fmt"

	"github.com/privaks/privaks/internal/arm"
)

// liveAPIVersions are the API versions privaks reads each resource type
// with when no template says which: verifying resource groups privaks did
// not deploy. Types outside the table keep their list data only (type,
// name, location, tags); the model ignores them.
var liveAPIVersions = map[string]string{
	"microsoft.network/virtualnetworks":                "2024-05-01",
	"microsoft.network/networksecuritygroups":          "2024-05-01",
	"microsoft.network/routetables":                    "2024-05-01",
	"microsoft.network/publicipaddresses":              "2024-05-01",
	"microsoft.network/natgateways":                    "2024-05-01",
	"microsoft.network/networkinterfaces":              "2024-05-01",
	"microsoft.network/privateendpoints":               "2024-05-01",
	"microsoft.network/applicationgateways":            "2024-05-01",
	"microsoft.network/bastionhosts":                   "2024-05-01",
	"microsoft.network/azurefirewalls":                 "2024-05-01",
	"microsoft.network/firewallpolicies":               "2024-05-01",
	"microsoft.network/loadbalancers":                  "2024-05-01",
	"microsoft.network/virtualnetworkgateways":         "2024-05-01",
	"microsoft.network/privatednszones":                apiPrivateDNS,
	"microsoft.network/dnsresolvers":                   "2022-07-01",
	"microsoft.network/dnsforwardingrulesets":          "2022-07-01",
	"microsoft.network/dnsresolvers/inboundendpoints":  "2022-07-01",
	"microsoft.network/dnsresolvers/outboundendpoints": "2022-07-01",
	"microsoft.keyvault/vaults":                        "2023-07-01",
	"microsoft.containerregistry/registries":           "2023-07-01",
	"microsoft.containerservice/managedclusters":       "2024-09-01",
	"microsoft.compute/virtualmachines":                "2024-07-01",
	"microsoft.compute/virtualmachinescalesets":        "2024-07-01",
	"microsoft.managedidentity/userassignedidentities": "2023-01-31",
	"microsoft.storage/storageaccounts":                "2023-05-01",
}

// ReadResourceGroups reads existing resource groups of one subscription
// into a resource set, for verifying an estate privaks did not deploy:
// each resource with the API version of liveAPIVersions, then what the
// listing does not return (role assignments, zone records and links, the
// clusters' node resource groups), as apply's read-back does. It only
// reads. The groups are joined by resource ID (arm.Merge).
func ReadResourceGroups(ctx context.Context, subscription string, groups []string, c Connection) (*arm.Set, error) {
	if len(groups) == 0 {
		return nil, fmt.Errorf("read resource groups: none given")
	}
	var sets []*arm.Set
	for _, rg := range groups {
		s, err := newSession(Target{Subscription: subscription, ResourceGroup: rg}, c)
		if err != nil {
			return nil, err
		}
		set := &arm.Set{
			Scope:  arm.Scope{Subscription: subscription, ResourceGroup: rg},
			Source: fmt.Sprintf("subscription:%s/resourceGroups/%s", subscription, rg),
		}
		err = s.readGroupInto(ctx, rg, liveAPIVersions, set)
		if err != nil {
			return nil, err
		}
		if err := s.readBackExtras(ctx, set); err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	set, _ := arm.Merge(sets...)
	set.Sort()
	return set, nil
}

package twin

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// StorageAccount is an Azure Storage account. Its services (blob, file,
// dfs, queue, table, web) each have a public endpoint
// <name>.<service>.core.windows.net and their own private endpoint
// sub-resource (groupId) and privatelink zone
// privatelink.<service>.core.windows.net; public DNS CNAMEs the service
// name to its privatelink name once a private endpoint exists
// (https://learn.microsoft.com/azure/storage/common/storage-private-endpoints).
type StorageAccount struct {
	ID   arm.ResourceID
	Name string
	// PublicAccess and PublicWhy: publicNetworkAccess and networkAcls, as
	// for Key Vault.
	PublicAccess bool
	PublicWhy    string
	// AllowBlobPublicAccess and AllowSharedKey are nil when unset.
	AllowBlobPublicAccess *bool
	AllowSharedKey        *bool
	APIVersion            string
	Endpoints             []*PrivateEndpoint
}

// StorageServices are the storage sub-resources a private endpoint can
// target, in the order intents list them.
var StorageServices = []string{"blob", "file", "dfs", "queue", "table", "web"}

// FQDN is the public name of one service of the account. The static
// website name carries a zone number (<name>.z13.web.core.windows.net)
// that Azure assigns: it is "" for web.
func (s *StorageAccount) FQDN(service string) string {
	if service == "web" {
		return ""
	}
	return strings.ToLower(s.Name) + "." + service + ".core.windows.net"
}

// ServiceEndpoints returns the account's private endpoints for one
// service (groupId blob, file, ...; blob_secondary counts as its own).
func (s *StorageAccount) ServiceEndpoints(service string) []*PrivateEndpoint {
	var out []*PrivateEndpoint
	for _, pe := range s.Endpoints {
		for _, g := range pe.GroupIDs {
			if strings.EqualFold(g, service) {
				out = append(out, pe)
				break
			}
		}
	}
	return out
}

func (t *Twin) buildStorage(set *arm.Set) {
	for _, r := range set.OfType("Microsoft.Storage/storageAccounts") {
		s := &StorageAccount{ID: r.ID, Name: r.Name, APIVersion: r.APIVersion}
		s.PublicAccess, s.PublicWhy = publicAccess(str(r.Prop("publicNetworkAccess")),
			str(r.Prop("networkAcls.defaultAction")), len(list(r.Prop("networkAcls.ipRules"))) > 0, "networkAcls")
		if b, ok := boolean(r.Prop("allowBlobPublicAccess")); ok {
			s.AllowBlobPublicAccess = &b
		}
		if b, ok := boolean(r.Prop("allowSharedKeyAccess")); ok {
			s.AllowSharedKey = &b
		}
		t.Storage = append(t.Storage, s)
		t.put(r.ID, s)
	}
}

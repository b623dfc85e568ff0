package check

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Storage account access rules: anonymous blob access and shared keys.

const (
	docBlobAnonymous = "https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent"
	docSharedKey     = "https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent"
)

var ruleBlobAnonymous = Rule{
	ID: "PVK132", Slug: "storage-blob-anonymous-access", Severity: Error,
	Title: "Storage accounts disallow anonymous blob access",
	Rationale: "With allowBlobPublicAccess true, any container set to blob or container access level is readable by anyone who can reach the endpoint, without credentials. " +
		"Storage API versions from 2023-01-01 treat an unset value as false; older ones as true, a warning.",
	Fix: "Set allowBlobPublicAccess: false.",
	Doc: docBlobAnonymous,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.Twin.Storage {
			if u := unknownProp(c, s.ID, "allowBlobPublicAccess"); u != "" {
				out = append(out, undecided(s.ID, "storage account "+s.Name+" allowBlobPublicAccess "+u))
				continue
			}
			switch {
			case s.AllowBlobPublicAccess != nil && *s.AllowBlobPublicAccess:
				out = append(out, at(s.ID, "storage account %s sets allowBlobPublicAccess true: containers can be made anonymously readable", s.Name))
			case s.AllowBlobPublicAccess == nil && s.APIVersion < "2023-01-01":
				f := at(s.ID, "storage account %s leaves allowBlobPublicAccess unset with API version %s, which treats it as true", s.Name, s.APIVersion)
				f.Severity = Warning
				out = append(out, f)
			}
		}
		return out
	},
}

var ruleSharedKey = Rule{
	ID: "PVK133", Slug: "storage-shared-key-access", Severity: Warning,
	Title: "Storage accounts accept only Microsoft Entra ID authorization",
	Rationale: "allowSharedKeyAccess unset (null, which Azure treats as true) or true lets anyone holding an account key, or a SAS signed with one, use the account with full rights and no identity in the logs; " +
		"with false, every request, SAS included, must be authorized with Microsoft Entra ID.",
	Fix: "Set allowSharedKeyAccess: false and grant Storage data roles to the identities that need them.",
	Doc: docSharedKey,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, s := range c.Twin.Storage {
			if u := unknownProp(c, s.ID, "allowSharedKeyAccess"); u != "" {
				out = append(out, undecided(s.ID, "storage account "+s.Name+" allowSharedKeyAccess "+u))
				continue
			}
			if s.AllowSharedKey == nil || *s.AllowSharedKey {
				state := "unset (treated as true)"
				if s.AllowSharedKey != nil {
					state = "true"
				}
				out = append(out, at(s.ID, "storage account %s accepts shared-key authorization (allowSharedKeyAccess %s)", s.Name, state))
			}
		}
		return out
	},
}

// unknownProp returns the expression of a property left unknown before
// deployment, or "".
func unknownProp(c *Context, id arm.ResourceID, path string) string {
	r := c.res(id)
	if r == nil {
		return ""
	}
	if u, ok := r.Prop(path).(arm.Unknown); ok {
		return "is " + strings.TrimSpace(u.String())
	}
	return ""
}

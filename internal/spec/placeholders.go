package spec

import (
	"fmt"
	"net/url"
	"strings"
)

// placeholderOrgs are organisation names that documentation uses for
// "yours here": the reference design's agent URL uses contoso.
var placeholderOrgs = []string{"contoso", "fabrikam", "example", "your-org", "yourorg", "myorg", "org"}

const zeroGUID = "00000000-0000-0000-0000-000000000000"

// placeholders returns the values of f that stand for the user's own (the
// reference design's sample organisation, an all-zero object ID). plan
// warns about them; apply refuses to deploy them.
func placeholders(f *File) []Diagnostic {
	var out []Diagnostic
	if u, err := url.Parse(f.Agent.URL); err == nil && f.Agent.URL != "" {
		first, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
		host := strings.ToLower(u.Hostname())
		for _, p := range placeholderOrgs {
			if strings.EqualFold(first, p) || strings.HasPrefix(host, p+".") || strings.Contains(host, "example.") {
				out = append(out, Diagnostic{Path: "$.agent.url", Message: "\"" + p + "\" is a placeholder organisation: set the Azure DevOps organisation or GitHub owner the CI agent registers with"})
				break
			}
		}
	}
	for i, g := range f.AKS.AdminGroupObjectIDs {
		if g == zeroGUID {
			out = append(out, Diagnostic{Path: fmt.Sprintf("$.aks.adminGroupObjectIDs[%d]", i), Message: "the all-zero object ID is a placeholder: set the Entra ID group given cluster admin"})
		}
	}
	return out
}

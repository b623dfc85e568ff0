package spec

import (
	"regexp"
	"sync"

	"github.com/goccy/go-yaml/ast"
)

// derivedFrom says which field a default is computed from, so that a
// problem in a value the user did not write points at the one they did:
// a 16-character name that makes the derived AKS name too long is reported
// at name, "derived from name".
var derivedFrom = sync.OnceValue(func() []derivation {
	return []derivation{
		{regexp.MustCompile(`^\$\.aks\.name$`), "$.name"},
		{regexp.MustCompile(`^\$\.aks\.dnsPrefix$`), "$.aks.name"},
		{regexp.MustCompile(`^\$\.registry\.name$`), "$.name"},
		{regexp.MustCompile(`^\$\.keyVault\.name$`), "$.name"},
		{regexp.MustCompile(`^\$\.aks\.dnsServiceIP$`), "$.aks.serviceCIDR"},
		{regexp.MustCompile(`^\$\.dns\.forwarderIP$`), "$.network.hub.subnets.dns"},
		{regexp.MustCompile(`^\$\.appGateway\.privateIP$`), "$.network.spoke.subnets.appGateway"},
		{regexp.MustCompile(`^\$\.network\.hub\.subnets\.[a-zA-Z]+$`), "$.network.hub.addressSpace"},
		{regexp.MustCompile(`^\$\.network\.spoke\.subnets\.[a-zA-Z]+$`), "$.network.spoke.addressSpace"},
		{regexp.MustCompile(`^(\$\.workloads\[\d+\])\.(namespace|serviceAccount)$`), "$1.name"},
	}
})

// derivation maps a derived field's path to the field it comes from
// (compiled on first use, not at start-up).
type derivation struct {
	path *regexp.Regexp
	from string // $1 is the match's first group
}

// locateDerived locates d at the written field its value derives from, if
// d's own field is not written and a source is. It reports whether it did.
func locateDerived(file *ast.File, d *Diagnostic) bool {
	if find(file, d.Path) != nil {
		return false
	}
	for path, hops := d.Path, 0; hops < 4; hops++ {
		from := ""
		for _, r := range derivedFrom() {
			if m := r.path.FindStringSubmatchIndex(path); m != nil {
				from = string(r.path.ExpandString(nil, r.from, path, m))
				break
			}
		}
		if from == "" {
			return false
		}
		if n := find(file, from); n != nil {
			if tok := n.GetToken(); tok != nil && tok.Position != nil {
				d.Line, d.Column = tok.Position.Line, tok.Position.Column
				d.Message += " (derived from " + fieldName(from) + "; set " + fieldName(d.Path) + " explicitly to choose another)"
				return true
			}
		}
		path = from
	}
	return false
}

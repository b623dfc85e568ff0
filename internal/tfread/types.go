package tfread

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// azurermTypesTxt lists the resource type names of the azurerm provider
// 5.2 (names only, from `terraform providers schema -json`; see
// testdata/README.md): enough to tell a misspelt type from one privaks
// does not model.
//
//go:embed azurerm_types.txt
var azurermTypesTxt string

// azurermTypesMajor is the provider major version the list is from.
const azurermTypesMajor = 5

// azurermTypes is built on first use (only Terraform input reads it).
var azurermTypes = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(azurermTypesTxt, "\n") {
		if l != "" {
			m[l] = true
		}
	}
	return m
})

// lockedAzurermMajor reads the azurerm provider's major version from the
// root module's .terraform.lock.hcl (written by terraform init); 0 when
// there is none.
func lockedAzurermMajor(root string) int {
	src, err := os.ReadFile(filepath.Join(root, ".terraform.lock.hcl"))
	if err != nil {
		return 0
	}
	f, diags := hclsyntax.ParseConfig(src, ".terraform.lock.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		return 0
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "provider" || len(b.Labels) != 1 || !strings.HasSuffix(b.Labels[0], "hashicorp/azurerm") {
			continue
		}
		if a := b.Body.Attributes["version"]; a != nil {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type().FriendlyName() == "string" {
				major, _, _ := strings.Cut(v.AsString(), ".")
				n, _ := strconv.Atoi(major)
				return n
			}
		}
	}
	return 0
}

// checkType decides what an azurerm resource type without a mapping is:
// bad input when it is not an azurerm type at all (the lock file says the
// provider is of the list's major version or newer), else a type privaks
// does not model (the reason says when it may be misspelt).
func (r *reader) checkType(rb *resBlock) (reason string, err error) {
	if !strings.HasPrefix(rb.typ, "azurerm_") || azurermTypes()[rb.typ] {
		return "", nil
	}
	hint := ""
	if s := closestType(rb.typ); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	if r.lockMajor >= azurermTypesMajor {
		return "", &Error{Pos: pos(rb.block.LabelRanges[0]), Msg: fmt.Sprintf("unknown resource type %q: azurerm %d.x has no such type%s", rb.typ, r.lockMajor, hint)}
	}
	return fmt.Sprintf("resource type %s is not in azurerm %d.x (an older provider may have it%s)", rb.typ, azurermTypesMajor, hint), nil
}

func closestType(t string) string {
	best, bestD := "", 4
	for c := range azurermTypes() {
		if d := levenshtein.Distance(t, c, nil); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

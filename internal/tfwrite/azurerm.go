package tfwrite

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/privaks/privaks/internal/arm"
)

// typeWriter writes one ARM type as an azurerm resource.
type typeWriter interface {
	tfType(r *arm.Resource) string
	write(w *writer, t *tres, b *hclwrite.Body) error
	// unknownAttr is the attribute holding a value known after apply
	// (an ARM runtime path such as "principalId"), nil when none does.
	unknownAttr(path string) hcl.Traversal
}

// writerFor returns the azurerm writer of a resource, nil for azapi.
func writerFor(r *arm.Resource) typeWriter {
	return nil
}

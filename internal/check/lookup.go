package check

import (
	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
)

// vmOf returns the name of the VM with the given ID, or "".
func (c *Context) vmOf(id arm.ResourceID) string {
	if vm, ok := c.Twin.Lookup(id).(*twin.VM); ok {
		return vm.Name
	}
	return ""
}

package check_test

import (
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/check"
	fx "github.com/privaks/privaks/internal/fixture"
)

func TestCapacityArithmetic(t *testing.T) {
	cs := check.Capacity(fx.Model(t, fx.Reference(t)))
	by := map[string]check.SubnetCapacity{}
	for _, c := range cs {
		by[c.VNet+"/"+c.Subnet] = c
	}
	nodes := by["vnet-aks/snet-nodes"]
	// Two pools of at most 5 nodes + 1 surge, 30 pods each, Azure CNI:
	// 2 × 6 × 31 = 372, plus the API server's private endpoint.
	if nodes.Prefix != "10.1.0.0/22" || nodes.Size != 1024 || nodes.Usable != 1019 || nodes.Need != 373 || nodes.Free() != 646 {
		t.Errorf("snet-nodes = %+v", nodes)
	}
	if !strings.Contains(strings.Join(nodes.Formula, "; "), "(5 max + 1 surge) × (30 maxPods + 1) = 186") {
		t.Errorf("formula %q", nodes.Formula)
	}
	pe := by["vnet-hub/snet-pe"]
	if pe.Placed != 3 || pe.Need != 3 || pe.Usable != 251 {
		t.Errorf("snet-pe = %+v", pe)
	}
	if len(cs) != 6 {
		t.Errorf("only %d subnets", len(cs))
	}
}

package arm

import (
	"fmt"
	"sort"
)

// Coverage says how much of its sources a Set holds: what the readers
// (template evaluator, Terraform reader, live read-back) were given, what
// they produced, and each thing they left out with the reason and the place.
// Every verdict downstream is qualified by it: a result over a set that
// left something out is incomplete, never a pass.
type Coverage struct {
	// Declared counts the resources the sources declare after conditions
	// and copy loops (a resource whose copy count is unknown counts once).
	Declared int `json:"declared"`
	// Deployments counts the nested deployments evaluated (ARM readers).
	Deployments int `json:"deployments,omitempty"`
	// LeftOut lists each declared resource (or construct) not in the set.
	LeftOut []LeftOut `json:"leftOut,omitempty"`
}

// LeftOut is one resource, module or construct a reader could not turn into
// a concrete resource.
type LeftOut struct {
	// Pos is where it is declared.
	Pos Pos `json:"pos"`
	// Resource names it as well as it is known: "Microsoft.Network/virtualNetworks vnet-hub",
	// "resources[3]", "module.aks".
	Resource string `json:"resource"`
	// Type is its resource type when known.
	Type string `json:"type,omitempty"`
	// Expr is the expression that failed, when one did.
	Expr string `json:"expr,omitempty"`
	// Missing names the function or form the reader does not implement
	// ("function pickZones", "templateLink.uri (remote templates are never fetched)").
	// Empty when the reason is something else (an input error, an unknown name).
	Missing string `json:"missing,omitempty"`
	// Reason is the message, one line.
	Reason string `json:"reason"`
}

// Pos is a place in a source file; Line and Column are 1-based, 0 when unknown.
type Pos struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// String renders file:line:column, leaving out what is unknown.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// String renders one left-out entry on one line.
func (l LeftOut) String() string {
	s := l.Resource + ": " + l.Reason
	if p := l.Pos.String(); p != "" {
		s = p + ": " + s
	}
	if l.Missing != "" {
		s += " (not supported: " + l.Missing + ")"
	}
	return s
}

// Complete reports whether nothing was left out.
func (c Coverage) Complete() bool { return len(c.LeftOut) == 0 }

// Merge adds o's counts and entries to c (several sources, one estate) and
// keeps LeftOut in a deterministic order.
func (c *Coverage) Merge(o Coverage) {
	c.Declared += o.Declared
	c.Deployments += o.Deployments
	c.LeftOut = append(c.LeftOut, o.LeftOut...)
	sort.SliceStable(c.LeftOut, func(i, j int) bool {
		a, b := c.LeftOut[i].Pos, c.LeftOut[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

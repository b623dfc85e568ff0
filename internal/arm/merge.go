package arm

import "strings"

// Merge joins sets read from several sources (the templates of one estate,
// each deployed into its own subscription and resource group) into one
// set. Resources are joined by resource ID, compared as ARM compares them
// (case-insensitively): a peering one template creates in another's
// resource group, or a zone link to a VNet declared elsewhere, meets its
// target. When two sources declare the same ID the later one wins, as the
// later deployment would in incremental mode, and Replaced says so.
// Coverage adds up; Origins records each resource's source, Positions
// where each is declared, DeployedBy the nested deployment deploying it.
func Merge(sets ...*Set) (*Set, []string) {
	out := &Set{Origins: map[string]string{}, byID: map[string]*Resource{}}
	var sources, replaced []string
	index := map[string]int{}
	for i, s := range sets {
		if s == nil {
			continue
		}
		if i == 0 || out.Scope.Subscription == "" {
			out.Scope = s.Scope
		}
		sources = append(sources, s.Source)
		out.Coverage.Declared += s.Coverage.Declared
		out.Coverage.Deployments += s.Coverage.Deployments
		out.Coverage.LeftOut = append(out.Coverage.LeftOut, s.Coverage.LeftOut...)
		for _, r := range s.Resources {
			k := r.ID.Key()
			if j, dup := index[k]; dup {
				replaced = append(replaced, string(r.ID)+" declared in "+out.Origins[k]+" and again in "+s.Source+": the later one is used")
				out.Resources[j] = r
				out.byID[k] = r
				out.Origins[k] = s.Source
				delete(out.Positions, k)
				if p, ok := s.Positions[k]; ok {
					out.SetPos(r.ID, p)
				}
				delete(out.DeployedBy, k)
				out.deployedBy(k, s)
				continue
			}
			index[k] = len(out.Resources)
			out.Add(r)
			out.Origins[k] = s.Source
			if p, ok := s.Positions[k]; ok {
				out.SetPos(r.ID, p)
			}
			out.deployedBy(k, s)
		}
		for name, v := range s.Outputs {
			if out.Outputs == nil {
				out.Outputs = map[string]any{}
			}
			out.Outputs[s.Source+":"+name] = v
		}
	}
	out.Source = strings.Join(sources, " + ")
	return out, replaced
}

// deployedBy copies from s the nested deployment that deploys the resource
// of key k.
func (out *Set) deployedBy(k string, s *Set) {
	if d, ok := s.DeployedBy[k]; ok {
		if out.DeployedBy == nil {
			out.DeployedBy = map[string]ResourceID{}
		}
		out.DeployedBy[k] = d
	}
}

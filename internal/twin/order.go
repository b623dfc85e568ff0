package twin

import (
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Client returns the client that stands for a node pool's nodes and pods
// (Azure CNI: pods take addresses from the node subnet and resolve through
// the node's DNS). Its address is a representative one inside the subnet.
func (p *NodePool) Client() Client {
	c := Client{Name: "node pool " + p.Cluster.Name + "/" + p.Name, Subnet: p.Subnet, Outbound: p.Cluster.OutboundType}
	if p.Subnet != nil {
		a := p.Subnet.Prefix.Addr()
		for range 32 {
			a = a.Next()
		}
		c.Addr = a
	}
	return c
}

// ReadinessExtension returns the ID of an extension of vm (for privaks'
// forwarder, the check that succeeds only once DNS answers), or "".
func (t *Twin) ReadinessExtension(vm arm.ResourceID) arm.ResourceID {
	if xs := t.VMExtensions(vm); len(xs) > 0 {
		return xs[0].ID
	}
	return ""
}

// VMExtensions returns the resources of type virtualMachines/extensions
// whose ID key starts with vm's key and "/extensions/", in set order. They
// come from an index built on first use (check asked it of the whole set
// for every cluster: quadratic), valid while Set.Resources keeps its
// length.
func (t *Twin) VMExtensions(vm arm.ResourceID) []*arm.Resource {
	if t.extensionsOf == nil || t.extensionsIndexed != len(t.Set.Resources) {
		const sep = "/extensions/"
		m := map[string][]*arm.Resource{}
		for _, r := range t.Set.OfType("Microsoft.Compute/virtualMachines/extensions") {
			// Every place the key could be cut into vm key + sep + rest,
			// so that the answer is exactly a prefix test.
			k := r.ID.Key()
			for i := 0; ; {
				j := strings.Index(k[i:], sep)
				if j < 0 {
					break
				}
				m[k[:i+j]] = append(m[k[:i+j]], r)
				i += j + 1
			}
		}
		t.extensionsOf, t.extensionsIndexed = m, len(t.Set.Resources)
	}
	var buf [arm.KeyBuf]byte
	return slices.Clip(t.extensionsOf[string(vm.AppendKey(buf[:0]))])
}

// DeployedBefore returns the keys of every resource ARM deploys before id:
// the transitive closure of dependsOn through the set (ARM deploys
// resources without a dependsOn path between them in parallel). A nested
// deployment is done when every resource its template declares is, so a
// dependsOn on it covers them too (aks-baseline-regulated's cluster
// depends on the deployment of its identity's role assignments); and a
// resource a nested deployment deploys comes after everything that
// deployment, and each deployment around it, depends on.
func (t *Twin) DeployedBefore(id arm.ResourceID) map[string]bool {
	// members is built once, not per call: check asks this of every
	// resource, and building it walked the whole set each time (quadratic;
	// check at 1,000 spokes spent 40 % of its time here).
	seen := map[string]bool{}
	r := t.Set.Get(id)
	if r == nil {
		return seen
	}
	members := t.deploymentMembers()
	stack := append([]string(nil), r.DependsOn...)
	// A resource a nested deployment deploys starts only once that
	// deployment starts, after everything it depends on, and so on out
	// through every deployment around it (a cluster in a spoke's
	// deployment that depends on the hub's deployment comes after the
	// hub's zone links). The bound stops a cycle the set should not have.
	// Keys come from Set.KeyOf: most IDs here are spelt as their resources
	// spell them, and lower-casing each again was a third of check's time.
	var walked map[string]bool // deployments whose dependsOn are stacked
	enclosing := func(key string) {
		d, in := t.Set.DeployedBy[key]
		for n := 0; in && n <= len(t.Set.DeployedBy); n++ {
			dk := t.Set.KeyOf(d)
			if walked[dk] {
				return // and every deployment around it
			}
			if walked == nil {
				walked = map[string]bool{}
			}
			walked[dk] = true
			if dr := t.Set.Get(d); dr != nil {
				stack = append(stack, dr.DependsOn...)
			}
			d, in = t.Set.DeployedBy[dk]
		}
	}
	enclosing(t.Set.KeyOf(r.ID))
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		k := t.Set.KeyOf(arm.ResourceID(d))
		if seen[k] {
			continue
		}
		seen[k] = true
		if dr := t.Set.Get(arm.ResourceID(d)); dr != nil {
			stack = append(stack, dr.DependsOn...)
		}
		enclosing(k)
		for _, m := range members[k] {
			if mr := t.Set.Get(arm.ResourceID(m)); mr != nil {
				stack = append(stack, string(mr.ID))
			}
		}
	}
	return seen
}

// deploymentMembers maps each nested deployment's ID key to the resources
// it deploys (Set.DeployedBy inverted), built on first use; valid while
// DeployedBy keeps its length, rebuilt when it changes.
func (t *Twin) deploymentMembers() map[string][]string {
	if len(t.Set.DeployedBy) == 0 {
		return nil
	}
	if t.deployMembers != nil && t.deployMembersOf == len(t.Set.DeployedBy) {
		return t.deployMembers
	}
	m := map[string][]string{}
	for k, d := range t.Set.DeployedBy {
		dk := t.Set.KeyOf(d)
		m[dk] = append(m[dk], k)
	}
	t.deployMembers, t.deployMembersOf = m, len(t.Set.DeployedBy)
	return m
}

package compile

import (
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Components in the order plan prints them.
var Components = []string{"network", "dns", "bastion", "registry", "key vault", "app gateway", "aks", "workloads", "ci agent"}

// Component names the part of the landing zone a resource belongs to, for
// the plan summary. It works on any resource set: unknown resources are
// "other".
func Component(r *arm.Resource) string {
	name := strings.ToLower(r.Name)
	has := func(s string) bool { return strings.Contains(name, s) }
	switch {
	case r.Is(tZone) || r.Is(tZoneLink) || has(nDNSVM):
		return "dns"
	case has(nAgentVM) || r.Is(tSecret):
		return "ci agent"
	case r.Is(tBastion) || has("bastion"):
		return "bastion"
	case r.Is(tACR) || has(nPEACR):
		return "registry"
	case r.Is(tVault) || has(nPEKV):
		return "key vault"
	case r.Is(tAppGw) || r.Is(tWAFPolicy) || has(nPIPAppGw):
		return "app gateway"
	case r.Is(tFIC) || has("id-wl-"):
		return "workloads"
	case r.Is(tAKS) || r.Is(tWorkspace) || has("id-aks-"):
		return "aks"
	case r.Is(tVNet) || r.Is(tPeering) || r.Is(tNSG) || r.Is(tNAT) || r.Is(tPIP):
		return "network"
	case r.Is(tRole):
		return roleComponent(r)
	}
	return "other"
}

// roleComponent files a role assignment under the component of its
// principal, read from the description privaks writes.
func roleComponent(r *arm.Resource) string {
	desc, _ := r.Prop("description").(string)
	switch {
	case strings.HasPrefix(desc, "CI agent"):
		return "ci agent"
	case strings.HasPrefix(desc, "Workload"):
		return "workloads"
	}
	return "aks"
}

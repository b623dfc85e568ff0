package deploy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/privaks/privaks/internal/arm"
)

// noiseRule hides one kind of what-if property change that is not a real
// change. What-if compares the template with the live resource; it cannot
// evaluate reference() and it reports properties the resource provider fills
// in itself (server defaults, read-only state) as changes
// (azure-rules.md §5; Azure/arm-template-whatif#128, prior-art.md §2).
type noiseRule struct {
	// Type is the resource type the rule applies to ("" = any).
	Type string
	// Path is a dotted property path; "*" matches one segment.
	Path string
	// Kinds limits the rule to these property change types ("" = any).
	Kinds []string
	// When, if set, must also hold (given the resource's predicted state and
	// the concrete path).
	When func(after any, path string) bool
	Why  string
}

const managedClusters = "Microsoft.ContainerService/managedClusters"

// noiseRules is the complete list of filtered what-if noise. Each rule says
// why the change is not real. Anything not listed is shown.
var noiseRules = []noiseRule{
	{Path: "properties.provisioningState", Why: "read-only state set by the resource provider"},
	{Type: managedClusters, Path: "properties.powerState", Why: "read-only: running/stopped state of the cluster"},
	{Type: managedClusters, Path: "properties.identityProfile", Why: "server-populated: AKS creates the kubelet identity and reports it here"},
	{Type: managedClusters, Path: "properties.agentPoolProfiles.*.count", When: autoscaled, Why: "the cluster autoscaler owns the node count of autoscaled pools"},
	{Type: managedClusters, Path: "properties.agentPoolProfiles.*.provisioningState", Why: "read-only state of the node pool"},
	{Type: managedClusters, Path: "properties.agentPoolProfiles.*.powerState", Why: "read-only state of the node pool"},
	{Type: managedClusters, Path: "properties.agentPoolProfiles.*.nodeImageVersion", Why: "server-populated: node image version chosen by AKS"},
	{Type: managedClusters, Path: "properties.agentPoolProfiles.*.currentOrchestratorVersion", Why: "read-only: version the pool actually runs"},
	{Type: managedClusters, Path: "properties.currentKubernetesVersion", Why: "read-only: version the control plane actually runs"},
	{Type: managedClusters, Path: "properties.fqdn", Why: "read-only: assigned by AKS"},
	{Type: managedClusters, Path: "properties.privateFQDN", Why: "read-only: assigned by AKS"},
	{Type: managedClusters, Path: "properties.azurePortalFQDN", Why: "read-only: assigned by AKS"},
	{Type: managedClusters, Path: "properties.maxAgentPools", Why: "read-only limit reported by AKS"},
	{Type: managedClusters, Path: "properties.resourceUID", Why: "read-only identifier"},
	{Type: managedClusters, Path: "properties.oidcIssuerProfile.issuerURL", Why: "read-only: issuer URL assigned by AKS"},
	// A Delete property change means the live cluster has a property the
	// template does not set; for managedClusters these are server defaults
	// (node resource group, network profile CIDRs, pools added by AKS add-ons
	// such as the node pools issue #128 shows "removed"), and a PUT keeps them.
	{Type: managedClusters, Path: "**", Kinds: []string{"Delete"}, Why: "server-populated defaults absent from the template are kept by AKS, not removed"},
}

// referenceExpr matches an unevaluated template expression that what-if
// could not resolve because it reads runtime state.
var referenceExpr = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^\[.*\b(reference|list[a-z]*)\(`) })

// isReferenceValue reports whether v is an unresolved reference()-derived
// value: what-if shows these as changes on every run although the deployment
// computes the same value.
func isReferenceValue(v any) bool {
	s, ok := v.(string)
	return ok && referenceExpr().MatchString(strings.TrimSpace(s))
}

func autoscaled(after any, path string) bool {
	// path is properties.agentPoolProfiles.<i>.count
	segs := strings.Split(path, ".")
	if len(segs) < 3 {
		return false
	}
	pool := arm.Lookup(after, strings.Join(segs[:3], "."))
	v, _ := arm.Lookup(pool, "enableAutoScaling").(bool)
	return v
}

// matchPath matches a dotted path against a rule pattern: "*" is one
// segment, "**" any path. A pattern also matches everything below it
// ("properties.powerState" covers "properties.powerState.code").
func matchPath(pattern, path string) bool {
	if pattern == "**" {
		return path != ""
	}
	ps, ss := strings.Split(pattern, "."), strings.Split(path, ".")
	if len(ss) < len(ps) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && !strings.EqualFold(ps[i], ss[i]) {
			return false
		}
	}
	return true
}

// isNoise reports whether a leaf property change should be hidden, and why.
func isNoise(resourceType string, after any, d PropertyChange) (bool, string) {
	if strings.EqualFold(d.Kind, "NoEffect") {
		return true, "read-only property: no effect"
	}
	if isReferenceValue(d.After) || isReferenceValue(d.Before) {
		return true, "reference() value what-if cannot evaluate"
	}
	for _, r := range noiseRules {
		if r.Type != "" && !strings.EqualFold(r.Type, resourceType) {
			continue
		}
		if !matchPath(r.Path, d.Path) {
			continue
		}
		if len(r.Kinds) > 0 && !containsFold(r.Kinds, d.Kind) {
			continue
		}
		if r.When != nil && !r.When(after, d.Path) {
			continue
		}
		return true, r.Why
	}
	return false, ""
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// formatValue renders a property value compactly for the diff.
func formatValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(t)
	default:
		s := fmt.Sprintf("%v", t)
		if len(s) > 80 {
			s = s[:77] + "..."
		}
		return s
	}
}

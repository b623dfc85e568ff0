package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// Problem is one preflight failure: a sentence saying what is wrong and how
// to fix it.
type Problem struct {
	Check   string // providers, region, permissions, names
	Message string
}

// PreflightError lists every preflight problem; Apply returns it before
// anything is deployed.
type PreflightError struct{ Problems []Problem }

func (e *PreflightError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "preflight found %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  ✗ %s", p.Message)
	}
	return b.String()
}

// preflightInput is what the checks read.
type preflightInput struct {
	artifact  *Artifact
	location  string
	rgExists  bool
	existing  map[string]bool // lower-case IDs of resources already in the RG
	register  bool            // register missing providers (false in a dry run)
	groupPath string
}

// preflight runs every check and returns all problems found (never only the
// first). Errors are reserved for failed calls.
func (s *session) preflight(ctx context.Context, in preflightInput, o *options) ([]Problem, error) {
	var problems []Problem
	p, err := s.checkProviders(ctx, in, o)
	if err != nil {
		return nil, err
	}
	problems = append(problems, p...)
	p, err = s.checkRoleAssignmentWrite(ctx, in, o)
	if err != nil {
		return nil, err
	}
	problems = append(problems, p...)
	p, err = s.checkNames(ctx, in, o)
	if err != nil {
		return nil, err
	}
	return append(problems, p...), nil
}

// nsTypes are the resource types a template uses in one provider
// namespace (lower-case type without namespace → locations used).
type nsTypes struct {
	Name  string // as first written in the template
	Types map[string]map[string]bool
}

// templateTypes returns the template's resource types grouped by provider
// namespace (lower case), each with the locations the template puts them in.
func templateTypes(a *Artifact) map[string]*nsTypes {
	out := map[string]*nsTypes{}
	for _, r := range a.Template.Resources {
		ns, rest, ok := strings.Cut(r.Type, "/")
		if !ok {
			continue
		}
		nsKey := strings.ToLower(ns)
		if out[nsKey] == nil {
			out[nsKey] = &nsTypes{Name: ns, Types: map[string]map[string]bool{}}
		}
		tk := strings.ToLower(rest)
		if out[nsKey].Types[tk] == nil {
			out[nsKey].Types[tk] = map[string]bool{}
		}
		if loc, ok := a.resolveString(r.Location); ok && loc != "" {
			out[nsKey].Types[tk][normLocation(loc)] = true
		}
	}
	return out
}

func normLocation(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// checkProviders verifies each namespace the template uses is registered
// (registering it unless this is a dry run) and that the region offers each
// resource type (the provider's resourceTypes[].locations).
func (s *session) checkProviders(ctx context.Context, in preflightInput, o *options) ([]Problem, error) {
	types := templateTypes(in.artifact)
	namespaces := make([]string, 0, len(types))
	for ns := range types {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	var problems []Problem
	var shown []string
	for _, key := range namespaces {
		ns := types[key].Name
		shown = append(shown, ns)
		resp, err := s.providers.Get(ctx, ns, nil)
		if err != nil {
			return nil, fmt.Errorf("get resource provider %q: %w", ns, err)
		}
		prov := resp.Provider
		name := deref(prov.Namespace)
		if name == "" {
			name = ns
		}
		if state := deref(prov.RegistrationState); !strings.EqualFold(state, "Registered") {
			if !in.register {
				problems = append(problems, Problem{"providers", fmt.Sprintf("resource provider %s is %s in subscription %s: apply registers it (or run az provider register --namespace %s).", name, orUnknown(state), s.target.Subscription, name)})
				continue
			}
			p, err := s.register(ctx, name, o)
			if err != nil {
				return nil, err
			}
			prov = p
			o.logf("✓ registered resource provider %s (was %s)", name, orUnknown(state))
		}
		problems = append(problems, regionProblems(name, prov, types[key].Types, in.location)...)
	}
	if len(problems) == 0 {
		o.logf("✓ resource providers registered and offered in %s: %s", in.location, strings.Join(shown, ", "))
	}
	return problems, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "NotRegistered"
	}
	return s
}

// register registers a provider and waits until it reports Registered.
func (s *session) register(ctx context.Context, ns string, o *options) (armresources.Provider, error) {
	if _, err := s.providers.Register(ctx, ns, nil); err != nil {
		return armresources.Provider{}, fmt.Errorf("register resource provider %q: %w", ns, err)
	}
	deadline := o.now().Add(o.registerTimeout)
	for {
		resp, err := s.providers.Get(ctx, ns, nil)
		if err != nil {
			return armresources.Provider{}, fmt.Errorf("get resource provider %q: %w", ns, err)
		}
		if strings.EqualFold(deref(resp.RegistrationState), "Registered") {
			return resp.Provider, nil
		}
		if o.now().After(deadline) {
			return armresources.Provider{}, fmt.Errorf("register resource provider %q: still %s after %s; wait and run apply again", ns, deref(resp.RegistrationState), o.registerTimeout)
		}
		if err := sleep(ctx, o.pollInterval); err != nil {
			return armresources.Provider{}, fmt.Errorf("register resource provider %q: %w", ns, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// regionProblems reports template types the provider does not offer in the
// target region. Types the provider lists without locations (extension
// resources such as role assignments) and resources placed in "global" are
// not region-bound and are skipped.
func regionProblems(ns string, prov armresources.Provider, types map[string]map[string]bool, location string) []Problem {
	offered := map[string][]string{}
	for _, rt := range prov.ResourceTypes {
		if rt == nil || rt.ResourceType == nil {
			continue
		}
		var locs []string
		for _, l := range rt.Locations {
			if l != nil {
				locs = append(locs, *l)
			}
		}
		offered[strings.ToLower(*rt.ResourceType)] = locs
	}
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	sort.Strings(names)
	var problems []Problem
	for _, t := range names {
		locs, known := offered[t]
		if !known || len(locs) == 0 {
			continue
		}
		want := map[string]bool{normLocation(location): true}
		if len(types[t]) > 0 {
			want = types[t]
		}
		for loc := range want {
			if loc == "global" || containsLocation(locs, loc) {
				continue
			}
			problems = append(problems, Problem{"region", fmt.Sprintf("%s/%s is not offered in region %s: deploy to a region that offers it (for example %s).", ns, t, loc, sample(locs, 4))})
		}
	}
	return problems
}

func containsLocation(locs []string, loc string) bool {
	for _, l := range locs {
		if n := normLocation(l); n == loc || n == "global" {
			return true
		}
	}
	return false
}

func sample(xs []string, n int) string {
	if len(xs) > n {
		return strings.Join(xs[:n], ", ") + ", …"
	}
	return strings.Join(xs, ", ")
}

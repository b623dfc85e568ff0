package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/privaks/privaks/internal/arm"
)

// Verifier checks a deployed landing zone read back from Azure. The CLI
// will wire it to the offline verifier (the same analyses run on a compiled
// design and on a live subscription, since both are an *arm.Set); until then
// Apply runs without one and reports only the read-back count.
type Verifier interface {
	Verify(ctx context.Context, set *arm.Set) (ok bool, report string, err error)
}

// ChangeChecker judges a deployment against what is deployed now (the
// resource group read back before any change). The CLI wires it to the rule
// catalogue with the current state as "previous", so that a change Azure
// refuses (an AKS outboundType changed in place) stops apply before ARM
// does, with the rule's reason and fix.
type ChangeChecker interface {
	CheckChanges(ctx context.Context, current *arm.Set) (ok bool, report string, err error)
}

// ChangeError is a ChangeChecker's rejection.
type ChangeError struct{ Report string }

func (e *ChangeError) Error() string {
	return "the deployment was rejected before any change:\n" + e.Report
}

// listIDs lists the IDs of the top-level resources in the target group.
func (s *session) listIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.eachResource(ctx, func(r *armresources.GenericResourceExpanded) error {
		ids = append(ids, deref(r.ID))
		return nil
	})
	return ids, err
}

func (s *session) eachResource(ctx context.Context, f func(*armresources.GenericResourceExpanded) error) error {
	return s.eachResourceIn(ctx, s.target.ResourceGroup, f)
}

func (s *session) eachResourceIn(ctx context.Context, rg string, f func(*armresources.GenericResourceExpanded) error) error {
	pager := s.resources.NewListByResourceGroupPager(rg, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list resources in resource group %q: %w", rg, err)
		}
		for _, r := range page.Value {
			if r != nil && r.ID != nil {
				if err := f(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readBack lists the resource group and GETs each resource whose type the
// template deploys, with the template's API version for that type, so the
// properties read back have the shape the template wrote. Other resources
// (created by Azure on the side) are kept with their list data only.
func (s *session) readBack(ctx context.Context, a *Artifact) (*arm.Set, error) {
	versions := map[string]string{}
	for _, r := range a.Template.Resources {
		versions[strings.ToLower(r.Type)] = r.APIVersion
	}
	set := &arm.Set{
		Scope:  arm.Scope{Subscription: s.target.Subscription, ResourceGroup: s.target.ResourceGroup, Location: s.target.Location},
		Source: fmt.Sprintf("subscription:%s/resourceGroups/%s", s.target.Subscription, s.target.ResourceGroup),
	}
	if err := s.readGroupInto(ctx, s.target.ResourceGroup, versions, set); err != nil {
		return nil, err
	}
	if err := s.readBackExtras(ctx, set); err != nil {
		return nil, err
	}
	set.Sort()
	return set, nil
}

// fillResource copies a GenericResource into r, converting SDK structs to
// the generic JSON values arm.Resource holds.
func fillResource(r *arm.Resource, g armresources.GenericResource) error {
	if g.Kind != nil {
		r.Kind = *g.Kind
	}
	if g.Location != nil {
		r.Location = *g.Location
	}
	if len(g.Tags) > 0 {
		r.Tags = g.Tags
	}
	for _, c := range []struct {
		src any
		dst *any
	}{{g.SKU, &r.SKU}, {g.Identity, &r.Identity}} {
		if c.src == nil {
			continue
		}
		if err := toGeneric(c.src, c.dst); err != nil {
			return err
		}
	}
	if g.Properties != nil {
		var props map[string]any
		if err := toGeneric(g.Properties, &props); err != nil {
			return err
		}
		r.Properties = props
	}
	return nil
}

func toGeneric(src, dst any) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, dst)
}

// readGroupInto lists resource group rg and adds each resource to set: with
// its properties, read by ID with the API version versions gives for its
// type (lower case), or with its list data only (type, name, location,
// tags) when versions has none. apply's read-back and the live read of
// estates privaks did not deploy share it.
func (s *session) readGroupInto(ctx context.Context, rg string, versions map[string]string, set *arm.Set) error {
	return s.eachResourceIn(ctx, rg, func(g *armresources.GenericResourceExpanded) error {
		r := &arm.Resource{
			ID: arm.ResourceID(deref(g.ID)), Type: deref(g.Type), Location: deref(g.Location), Kind: deref(g.Kind),
		}
		if p, err := arm.ParseResourceID(deref(g.ID)); err == nil {
			r.Name = p.Name()
		}
		if len(g.Tags) > 0 {
			r.Tags = g.Tags
		}
		v, ok := versions[strings.ToLower(r.Type)]
		if !ok || v == "" {
			set.Add(r)
			return nil
		}
		got, err := s.resources.GetByID(ctx, deref(g.ID), v, nil)
		if err != nil {
			return fmt.Errorf("read %q: %w", deref(g.ID), err)
		}
		r.APIVersion = v
		if err := fillResource(r, got.GenericResource); err != nil {
			return fmt.Errorf("read %q: %w", deref(g.ID), err)
		}
		set.Add(r)
		return nil
	})
}

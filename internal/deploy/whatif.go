package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	"github.com/privaks/privaks/internal/arm"
)

// Change types of a resource in a Preview (ARM what-if's, plus Detach for
// resources a stack stops managing).
const (
	ChangeCreate   = "Create"
	ChangeModify   = "Modify"
	ChangeDelete   = "Delete"
	ChangeNoChange = "NoChange"
	ChangeIgnore   = "Ignore"
	ChangeDetach   = "Detach"
)

// Preview is the readable result of what-if: what the deployment would do.
type Preview struct {
	ResourceGroup string
	Changes       []ResourceChange
	// Hidden counts property changes dropped as known noise, by reason.
	Hidden map[string]int
	// Note explains a preview not produced by what-if (new resource group).
	Note string
}

// ResourceChange is one resource's predicted change.
type ResourceChange struct {
	ID, Type, Name string
	Kind           string // one of the Change* constants, or ARM's Deploy/Unsupported
	Deltas         []PropertyChange
}

// PropertyChange is one leaf property change, with its full dotted path.
type PropertyChange struct {
	Path          string
	Kind          string // Create, Delete, Modify, NoEffect
	Before, After any
}

// Count returns how many resources have the given change kind.
func (p *Preview) Count(kind string) int {
	n := 0
	for _, c := range p.Changes {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// HasChanges reports whether applying would create, modify, delete or detach
// anything.
func (p *Preview) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Kind != ChangeNoChange && c.Kind != ChangeIgnore {
			return true
		}
	}
	return false
}

const whatIfDeploymentName = "privaks-whatif"

// whatIf runs ARM what-if for the artifact at resource-group scope
// (DeploymentsClient.BeginWhatIf, incremental mode: what a stack PUT deploys)
// and turns the result into a Preview with noise filtered.
func (s *session) runWhatIf(ctx context.Context, a *Artifact, o *options) (*Preview, error) {
	params := map[string]*armdeployments.DeploymentParameter{}
	b, err := json.Marshal(a.parameterBody(o.secrets))
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	if err := json.Unmarshal(b, &params); err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	req := armdeployments.DeploymentWhatIf{Properties: &armdeployments.DeploymentWhatIfProperties{
		Mode:           to.Ptr(armdeployments.DeploymentModeIncremental),
		Template:       a.Raw,
		Parameters:     params,
		WhatIfSettings: &armdeployments.DeploymentWhatIfSettings{ResultFormat: to.Ptr(armdeployments.WhatIfResultFormatFullResourcePayloads)},
	}}
	poller, err := s.whatIf.BeginWhatIf(ctx, s.target.ResourceGroup, whatIfDeploymentName, req, nil)
	if err != nil {
		return nil, fmt.Errorf("run what-if in resource group %q: %w", s.target.ResourceGroup, err)
	}
	freq := o.pollInterval
	if freq < time.Second && !underTest() {
		freq = time.Second
	}
	res, err := poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: freq})
	if err != nil {
		return nil, fmt.Errorf("run what-if in resource group %q: %w", s.target.ResourceGroup, err)
	}
	if res.Error != nil {
		e := fromSDKError(res.Error)
		return nil, fmt.Errorf("run what-if in resource group %q: %s: %s", s.target.ResourceGroup, e.Code, e.Message)
	}
	return buildPreview(s.target.ResourceGroup, res.Properties), nil
}

// buildPreview flattens what-if changes and filters noise. A Modify whose
// every property change is noise becomes NoChange.
func buildPreview(rg string, props *armdeployments.WhatIfOperationProperties) *Preview {
	p := &Preview{ResourceGroup: rg, Hidden: map[string]int{}}
	if props == nil {
		return p
	}
	for _, c := range props.Changes {
		if c == nil {
			continue
		}
		rc := ResourceChange{ID: deref(c.ResourceID), Kind: string(deref(c.ChangeType))}
		rc.Type, rc.Name = typeAndName(rc.ID)
		var leaves []PropertyChange
		for _, d := range c.Delta {
			leaves = flatten(leaves, "", d)
		}
		for _, d := range leaves {
			if noise, why := isNoise(rc.Type, c.After, d); noise {
				p.Hidden[why]++
				continue
			}
			rc.Deltas = append(rc.Deltas, d)
		}
		if rc.Kind == ChangeModify && len(rc.Deltas) == 0 {
			rc.Kind = ChangeNoChange
		}
		p.Changes = append(p.Changes, rc)
	}
	sortChanges(p.Changes)
	return p
}

func flatten(out []PropertyChange, prefix string, d *armdeployments.WhatIfPropertyChange) []PropertyChange {
	if d == nil {
		return out
	}
	path := deref(d.Path)
	if prefix != "" {
		path = prefix + "." + path
	}
	if len(d.Children) > 0 {
		for _, c := range d.Children {
			out = flatten(out, path, c)
		}
		return out
	}
	return append(out, PropertyChange{Path: path, Kind: string(deref(d.PropertyChangeType)), Before: d.Before, After: d.After})
}

func typeAndName(id string) (string, string) {
	p, err := arm.ParseResourceID(id)
	if err != nil || p.Namespace == "" {
		return "", id
	}
	return p.Type(), p.Name()
}

var kindOrder = map[string]int{ChangeDelete: 0, ChangeDetach: 1, ChangeCreate: 2, ChangeModify: 3}

func sortChanges(cs []ResourceChange) {
	sort.SliceStable(cs, func(i, j int) bool {
		oi, ok := kindOrder[cs[i].Kind]
		if !ok {
			oi = 9
		}
		oj, ok := kindOrder[cs[j].Kind]
		if !ok {
			oj = 9
		}
		if oi != oj {
			return oi < oj
		}
		return strings.ToLower(cs[i].ID) < strings.ToLower(cs[j].ID)
	})
}

// newGroupPreview is the preview when the resource group does not exist
// yet: what-if needs an existing group, and every resource is new.
func newGroupPreview(rg string, a *Artifact) *Preview {
	p := &Preview{ResourceGroup: rg, Hidden: map[string]int{},
		Note: fmt.Sprintf("resource group %s does not exist yet, so what-if cannot run: every resource in the template will be created.", rg)}
	for _, r := range a.Template.Resources {
		name, _ := a.resolveString(r.Name)
		p.Changes = append(p.Changes, ResourceChange{Type: r.Type, Name: name, Kind: ChangeCreate})
	}
	sortChanges(p.Changes)
	return p
}

var symbols = map[string]string{ChangeCreate: "+", ChangeModify: "~", ChangeDelete: "-", ChangeDetach: "/", ChangeNoChange: "=", ChangeIgnore: "*"}

// WritePreview renders p as a diff: a count line, then each changed
// resource with its property deltas. Unchanged and ignored resources are
// counted, not listed.
func WritePreview(w io.Writer, p *Preview) {
	fmt.Fprintf(w, "Preview of resource group %s: %d to create, %d to modify, %d to delete, %d unchanged, %d ignored",
		p.ResourceGroup, p.Count(ChangeCreate), p.Count(ChangeModify), p.Count(ChangeDelete), p.Count(ChangeNoChange), p.Count(ChangeIgnore))
	if n := p.Count(ChangeDetach); n > 0 {
		fmt.Fprintf(w, ", %d to detach", n)
	}
	fmt.Fprintln(w)
	if p.Note != "" {
		fmt.Fprintln(w, "  "+p.Note)
	}
	for _, c := range p.Changes {
		if c.Kind == ChangeNoChange || c.Kind == ChangeIgnore {
			continue
		}
		sym, ok := symbols[c.Kind]
		if !ok {
			sym = "?"
		}
		fmt.Fprintf(w, "  %s %s %s", sym, c.Type, c.Name)
		if !ok {
			fmt.Fprintf(w, " (%s)", c.Kind)
		}
		fmt.Fprintln(w)
		for _, d := range c.Deltas {
			switch d.Kind {
			case "Create":
				fmt.Fprintf(w, "      + %s: %s\n", d.Path, jsonValue(d.After))
			case "Delete":
				fmt.Fprintf(w, "      - %s: %s\n", d.Path, jsonValue(d.Before))
			default:
				fmt.Fprintf(w, "      ~ %s: %s => %s\n", d.Path, jsonValue(d.Before), jsonValue(d.After))
			}
		}
	}
	if n := hiddenTotal(p.Hidden); n > 0 {
		reasons := make([]string, 0, len(p.Hidden))
		for why, k := range p.Hidden {
			reasons = append(reasons, fmt.Sprintf("%d %s", k, why))
		}
		sort.Strings(reasons)
		fmt.Fprintf(w, "  (%d known what-if noise property change(s) hidden: %s)\n", n, strings.Join(reasons, "; "))
	}
}

func hiddenTotal(m map[string]int) int {
	n := 0
	for _, k := range m {
		n += k
	}
	return n
}

func jsonValue(v any) string {
	if s, ok := v.(string); ok {
		return formatValue(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return formatValue(v)
	}
	s := string(b)
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}

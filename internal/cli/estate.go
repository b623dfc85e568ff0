package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/deploy"
)

// Several templates as one estate: --template repeated, each value a path
// optionally followed by its own options, or --estate naming a manifest.
//
//	--template hub.json,resource-group=rg-hub,param=location=eastus2
//	--template spoke.json,resource-group=rg-spoke,parameters=spoke.parameters.json
//
// Options: parameters=FILE, param=NAME=VALUE (repeatable), subscription=ID,
// resource-group=NAME. Defaults: the placeholder subscription
// 00000000-0000-0000-0000-000000000000 and resource group rg-privaks
// (arm.DefaultScope) for every template. The sets are joined by resource
// ID (arm.Merge).

// estatePart is one template of an estate.
type estatePart struct {
	Path          string         `yaml:"template"`
	Parameters    string         `yaml:"parameters,omitempty"`
	Param         map[string]any `yaml:"param,omitempty"`
	Subscription  string         `yaml:"subscription,omitempty"`
	ResourceGroup string         `yaml:"resourceGroup,omitempty"`
}

// estateManifest is the --estate file.
type estateManifest struct {
	Templates []estatePart `yaml:"templates"`
}

// templateList is the repeatable --template flag; the first path is also
// kept in sourceFlags.template for the single-template code paths.
type templateList struct{ f *sourceFlags }

func (l templateList) String() string { return strings.Join(l.f.templates, " ") }
func (l templateList) Type() string   { return "file[,opts]" }
func (l templateList) Set(s string) error {
	l.f.templates = append(l.f.templates, s)
	if len(l.f.templates) == 1 {
		p, err := parseTemplateSpec(s)
		if err != nil {
			return err
		}
		l.f.template = p.Path
	}
	return nil
}

// parseTemplateSpec reads PATH[,key=value...].
func parseTemplateSpec(s string) (estatePart, error) {
	fields := splitOptions(s)
	p := estatePart{Path: fields[0]}
	if p.Path == "" {
		return p, fmt.Errorf("--template %q: no file", s)
	}
	for _, kv := range fields[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			return p, fmt.Errorf("--template %q: option %q is not key=value", s, kv)
		}
		switch k {
		case "parameters":
			p.Parameters = v
		case "param":
			name, value, ok := strings.Cut(v, "=")
			if !ok || name == "" {
				return p, fmt.Errorf("--template %q: param %q: want NAME=VALUE", s, v)
			}
			m, err := parseParams([]string{name + "=" + value})
			if err != nil {
				return p, err
			}
			if p.Param == nil {
				p.Param = map[string]any{}
			}
			p.Param[name] = m[name]
		case "subscription":
			p.Subscription = v
		case "resource-group":
			p.ResourceGroup = v
		default:
			return p, fmt.Errorf("--template %q: unknown option %q (parameters, param, subscription, resource-group)", s, k)
		}
	}
	return p, nil
}

// splitOptions splits a --template value at the commas outside JSON
// brackets and strings of an option's value, so that a param's array or
// object value (param=ids=["a","b"]) stays whole. Brackets and quotes
// count only after a field's first '=' (a path may hold them).
func splitOptions(s string) []string {
	var out []string
	depth, inStr, esc, inValue, start := 0, false, false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr:
			esc = c == '\\'
			inStr = c != '"'
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start, inValue = i+1, false
		case !inValue:
			inValue = c == '='
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
	}
	return append(out, s[start:])
}

// multiTemplate reports whether the flags name an estate rather than one
// template.
func (f *sourceFlags) multiTemplate() bool {
	return f.estate != "" || len(f.templates) > 1 || (len(f.templates) == 1 && strings.Contains(f.templates[0], ","))
}

// loadEstate evaluates each template in its own scope and joins them.
func (f *sourceFlags) loadEstate() (*arm.Set, error) {
	if f.file != "" {
		return nil, badInput(fmt.Errorf("give either -f or templates, not both"))
	}
	if f.parameters != "" || len(f.params) > 0 {
		return nil, badInput(fmt.Errorf("with several templates give parameters per template: --template FILE,parameters=P,param=NAME=VALUE (or an --estate manifest)"))
	}
	var parts []estatePart
	if f.estate != "" {
		if len(f.templates) > 0 {
			return nil, badInput(fmt.Errorf("give either --estate or --template, not both"))
		}
		data, err := os.ReadFile(f.estate)
		if err != nil {
			return nil, badInput(fmt.Errorf("read estate %q: %w", f.estate, err))
		}
		var m estateManifest
		if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
			return nil, badInput(fmt.Errorf("%s: %s", f.estate, yaml.FormatError(err, false, true)))
		}
		if len(m.Templates) == 0 {
			return nil, badInput(fmt.Errorf("%s: no templates", f.estate))
		}
		dir := filepath.Dir(f.estate)
		for i, p := range m.Templates {
			if p.Path == "" {
				return nil, badInput(fmt.Errorf("%s: templates[%d]: no template file", f.estate, i))
			}
			p.Path = relTo(dir, p.Path)
			if p.Parameters != "" {
				p.Parameters = relTo(dir, p.Parameters)
			}
			parts = append(parts, p)
		}
	} else {
		for _, s := range f.templates {
			p, err := parseTemplateSpec(s)
			if err != nil {
				return nil, badInput(err)
			}
			parts = append(parts, p)
		}
	}
	var sets []*arm.Set
	for _, p := range parts {
		s, err := loadEstatePart(p, f)
		if err != nil {
			return nil, err
		}
		sets = append(sets, s)
	}
	set, replaced := arm.Merge(sets...)
	if f.warn != nil {
		for _, r := range replaced {
			fmt.Fprintf(f.warn, "privaks: warning: %s\n", r)
		}
	}
	return set, nil
}

func relTo(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func loadEstatePart(p estatePart, f *sourceFlags) (*arm.Set, error) {
	// Values given on the command line are armeval.Params already (typed
	// text, converted by the declared type); a manifest's are YAML values.
	extra := map[string]armeval.Param{}
	for k, v := range p.Param {
		if pv, ok := v.(armeval.Param); ok {
			extra[k] = pv
			continue
		}
		extra[k] = armeval.Param{Value: v, Pos: arm.Pos{File: "param " + k + " of " + p.Path}}
	}
	scope := arm.DefaultScope
	if p.Subscription != "" {
		scope.Subscription = p.Subscription
	}
	if p.ResourceGroup != "" {
		scope.ResourceGroup = p.ResourceGroup
	}
	return loadTemplateSetWith(p.Path, p.Parameters, extra, f.warn, armeval.WithScope(scope))
}

// traceSources names the file (and line and column, when the reader
// recorded them) of each resource a trace mentions (resources are matched
// by name in the trace text), sorted by name.
func traceSources(set *arm.Set, steps []string) []string {
	if len(set.Origins) == 0 && len(set.Positions) == 0 {
		return nil
	}
	text := strings.Join(steps, "\n")
	seen := map[string]bool{}
	var out []string
	for _, r := range set.Resources {
		// A child resource (zone/link) counts when both its parent's
		// name and its own appear.
		names := strings.Split(r.Name, "/")
		ok := true
		for _, n := range []string{names[0], names[len(names)-1]} {
			ok = ok && len(n) >= 3 && containsWord(text, n)
		}
		if !ok {
			continue
		}
		line := fmt.Sprintf("%s %s: %s", r.Type, r.Name, set.PosOf(r.ID))
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	sort.Strings(out)
	return out
}

// containsWord reports whether w occurs in s not inside a longer name.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		// A name followed by a dot is the first label of an FQDN
		// (<registry>.azurecr.io) and counts.
		before, after := j == 0 || !nameByte(s[j-1]), j+len(w) == len(s) || !nameByte(s[j+len(w)]) || s[j+len(w)] == '.'

		if before && after {
			return true
		}
		i = j + 1
	}
}

func nameByte(b byte) bool {
	return b == '-' || b == '_' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// registerLive adds the flags that read existing resource groups instead
// of a template: --subscription and --resource-group (repeatable).
func (f *sourceFlags) registerLive(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.liveSub, "subscription", "", "read existing resource groups of this subscription from Azure (read-only) instead of a template")
	stringsVar(cmd.Flags(), &f.liveGroups, false, "resource-group", "with --subscription: a resource group to read; repeatable (one estate)")
	cmd.Flags().StringVar(&f.liveCloud, "cloud", "AzurePublic", "with --subscription: AzurePublic, AzureUSGovernment or AzureChina")
}

// loadLive reads the resource groups --subscription and --resource-group
// name, with the credential apply uses.
func (f *sourceFlags) loadLive() (*arm.Set, error) {
	if f.file != "" || f.template != "" || f.estate != "" {
		return nil, badInput(fmt.Errorf("give either --subscription with --resource-group, or a spec or templates, not both"))
	}
	if len(f.liveGroups) == 0 {
		return nil, badInput(fmt.Errorf("--subscription needs at least one --resource-group"))
	}
	af := azureFlags{subscription: f.liveSub, cloud: f.liveCloud}
	conn, err := af.connect()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	set, err := deploy.ReadResourceGroups(ctx, f.liveSub, f.liveGroups, conn)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", strings.Join(f.liveGroups, ", "), err)
	}
	return set, nil
}

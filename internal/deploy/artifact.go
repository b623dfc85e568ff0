package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/agnivade/levenshtein"

	"github.com/privaks/privaks/internal/arm"
)

// Artifact is what `privaks plan` wrote: a resource-group template and its
// parameters file. Apply deploys it as read, never recompiling (style.md
// item 19).
type Artifact struct {
	// Raw is the template exactly as decoded (numbers kept as json.Number),
	// sent to ARM unchanged.
	Raw map[string]any
	// Template is the same template in privaks' typed form, read for the
	// preflight (resource types, names, securestring parameters).
	Template *arm.Template
	// Parameters are the parameters file's entries.
	Parameters map[string]arm.ParameterValue
	// TemplatePath and ParametersPath name the files, for messages.
	TemplatePath, ParametersPath string
}

// LoadArtifact reads a template and its parameters file. parametersPath may
// be empty when the template needs no parameter values.
func LoadArtifact(templatePath, parametersPath string) (*Artifact, error) {
	a := &Artifact{TemplatePath: templatePath, ParametersPath: parametersPath}
	b, err := os.ReadFile(templatePath)
	if err != nil {
		return nil, fmt.Errorf("read template %q: %w (run `privaks plan` first)", templatePath, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&a.Raw); err != nil {
		return nil, fmt.Errorf("read template %q: %w", templatePath, err)
	}
	a.Template = new(arm.Template)
	if err := json.Unmarshal(b, a.Template); err != nil {
		return nil, fmt.Errorf("read template %q: %w", templatePath, err)
	}
	if parametersPath == "" {
		return a, nil
	}
	pb, err := os.ReadFile(parametersPath)
	if err != nil {
		return nil, fmt.Errorf("read parameters %q: %w (run `privaks plan` first)", parametersPath, err)
	}
	var pf arm.ParametersFile
	dec = json.NewDecoder(bytes.NewReader(pb))
	dec.UseNumber()
	if err := dec.Decode(&pf); err != nil {
		return nil, fmt.Errorf("read parameters %q: %w", parametersPath, err)
	}
	for name := range pf.Parameters {
		if _, ok := lookupParam(a.Template.Parameters, name); !ok {
			return nil, fmt.Errorf("read parameters %q: parameter %q is not declared by template %q", parametersPath, name, templatePath)
		}
	}
	a.Parameters = pf.Parameters
	return a, nil
}

// ErrBadSecret marks secret problems a user fixes on the command line: an
// unknown name, a parameter that is not secure, a missing value.
var ErrBadSecret = errors.New("bad secret")

func isSecureType(t string) bool {
	return strings.EqualFold(t, "securestring") || strings.EqualFold(t, "secureobject")
}

func lookupParam(ps map[string]arm.Parameter, name string) (string, bool) {
	if _, ok := ps[name]; ok {
		return name, true
	}
	for k := range ps {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

// SecureParameters returns the names of the template's securestring and
// secureobject parameters, sorted.
func (a *Artifact) SecureParameters() []string {
	var out []string
	for name, p := range a.Template.Parameters {
		if isSecureType(p.Type) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// CheckSecrets verifies the secret names given against the template: every
// name must be a secure parameter, and every secure parameter without a
// default or parameters-file value must have one. Errors wrap ErrBadSecret.
func (a *Artifact) CheckSecrets(secrets map[string]string) error {
	secure := a.SecureParameters()
	names := make([]string, 0, len(secrets))
	for n := range secrets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		key, ok := lookupParam(a.Template.Parameters, n)
		if !ok {
			// The name is not echoed: a user who put a value where the
			// name goes must not see it printed back.
			return fmt.Errorf("%w: --secret names a parameter the template does not have (the name is not shown: it may be a value)%s; secure parameters: %s", ErrBadSecret, didYouMean(n, secure), listOrNone(secure))
		}
		if !isSecureType(a.Template.Parameters[key].Type) {
			return fmt.Errorf("%w: parameter %q is a %s, not a securestring: set it in the parameters file", ErrBadSecret, key, a.Template.Parameters[key].Type)
		}
	}
	for _, n := range secure {
		if a.Template.Parameters[n].DefaultValue != nil || hasSecret(secrets, n) {
			continue
		}
		if pv, ok := a.Parameters[n]; ok && (pv.Value != nil || pv.Reference != nil) {
			continue
		}
		return fmt.Errorf("%w: securestring parameter %q has no value: pass --secret %s=@FILE or --secret %s=- (stdin)", ErrBadSecret, n, n, n)
	}
	return nil
}

// didYouMean suggests the secure parameter closest to a mistyped name
// (at most a third of its letters changed), or nothing.
func didYouMean(name string, candidates []string) string {
	best, bestD := "", len(name)/3+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return ": did you mean " + best + "?"
}

// CheckParameters verifies that every parameter that is not secure and has
// no default gets a value from the parameters file, so that a missing value
// is an input error before any call to Azure rather than an ARM failure
// after the preflight. Errors wrap ErrBadSecret (an input error).
func (a *Artifact) CheckParameters() error {
	var missing []string
	for name, p := range a.Template.Parameters {
		if isSecureType(p.Type) || p.DefaultValue != nil {
			continue
		}
		if pv, ok := a.Parameters[name]; ok && (pv.Value != nil || pv.Reference != nil) {
			continue
		}
		missing = append(missing, name)
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("%w: parameter(s) %s have no value: set them in %s (for a privaks design, vms.sshPublicKey in the spec sets adminSshPublicKey; then run privaks plan again)",
		ErrBadSecret, strings.Join(missing, ", "), orName(a.ParametersPath, "the parameters file"))
}

func orName(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func hasSecret(secrets map[string]string, name string) bool {
	for k := range secrets {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// parameterBody returns the "parameters" object sent to ARM: the parameters
// file's entries plus the secrets. It is built at the moment of the request
// and never stored or printed.
func (a *Artifact) parameterBody(secrets map[string]string) map[string]any {
	out := make(map[string]any, len(a.Parameters)+len(secrets))
	for name, p := range a.Parameters {
		if p.Reference != nil {
			out[name] = map[string]any{"reference": p.Reference}
			continue
		}
		out[name] = map[string]any{"value": p.Value}
	}
	for name, v := range secrets {
		key, _ := lookupParam(a.Template.Parameters, name)
		out[key] = map[string]any{"value": v}
	}
	return out
}

var paramExpr = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$`)
})

// resolveString returns s with a whole-string "[parameters('x')]" replaced
// by x's string value (parameters file first, then default). Other
// expressions are returned unresolved with ok false.
func (a *Artifact) resolveString(s string) (string, bool) {
	if !strings.HasPrefix(s, "[") || strings.HasPrefix(s, "[[") {
		return s, true
	}
	m := paramExpr().FindStringSubmatch(s)
	if m == nil {
		return s, false
	}
	key, ok := lookupParam(a.Template.Parameters, m[1])
	if !ok {
		return s, false
	}
	if pv, ok := a.Parameters[key]; ok {
		if v, ok := pv.Value.(string); ok {
			return v, true
		}
	}
	if v, ok := a.Template.Parameters[key].DefaultValue.(string); ok && !strings.HasPrefix(v, "[") {
		return v, true
	}
	return s, false
}

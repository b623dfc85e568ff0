package armeval

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// ReadTemplate reads a deployment template as ARM does: JSON with "//" and
// "/* */" comments, trailing commas and multi-line strings. Syntax errors
// name the line and column; a template over ARM's size limit (4 MB) or
// nested too deep is a *LimitError. Resource keys are matched
// case-insensitively. A languageVersion 2.0 template (resources keyed by
// symbolic name) is turned into a resource array in key order, each
// resource keeping its symbolic name; "existing" resources are kept (they
// give names to what the template refers to) and deploy nothing.
func ReadTemplate(data []byte) (*arm.Template, error) {
	return ReadTemplateScaled(data, 1)
}

// ReadTemplateScaled is ReadTemplate accepting k times ARM's size limit
// (k < 1 counts as 1), for the synthetic estates of the scale benchmarks
// (WithBoundScale).
func ReadTemplateScaled(data []byte, k int) (*arm.Template, error) {
	v, err := readJSONC("template", data, MaxTemplateBytes*max(k, 1))
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("read template: not a JSON object")
	}
	if _, ok := lookupFold(m, "resources"); !ok {
		return nil, errors.New("read template: no \"resources\"")
	}
	return toTemplate(m)
}

// normalizeResources turns a languageVersion 2.0 resources object into an
// array in key order, recording each symbolic name under symKey, and moves
// a "properties" given as one expression string to propsKey (arm.Resource
// holds properties as an object).
func normalizeResources(m map[string]any) {
	for k, v := range m {
		if !strings.EqualFold(k, "resources") {
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			arr, _ := v.([]any)
			for _, e := range arr {
				if r, ok := e.(map[string]any); ok {
					movePropsExpr(r)
				}
			}
			return
		}
		keys := sortedKeys(obj)
		arr := make([]any, 0, len(obj))
		for _, name := range keys {
			r, ok := obj[name].(map[string]any)
			if !ok {
				continue
			}
			r[symKey] = name
			movePropsExpr(r)
			arr = append(arr, r)
		}
		delete(m, k)
		m["resources"] = arr
		return
	}
}

// propsKey holds a resource's "properties" written as one expression.
const propsKey = "\x00props"

func movePropsExpr(r map[string]any) {
	for k, v := range r {
		if strings.EqualFold(k, "properties") {
			if _, isObj := v.(map[string]any); !isObj && v != nil {
				delete(r, k)
				r[propsKey] = v
			}
			return
		}
	}
}

// Param is one parameter value as given, and where.
type Param struct {
	// Value is the value: JSON from a parameters file, or an arm.Unknown
	// for a Key Vault reference.
	Value any
	// Text marks a value typed on the command line (--param NAME=VALUE):
	// it is converted to the parameter's declared type, so that a string
	// parameter given true is the string "true".
	Text bool
	// Pos is where the value was given (file:line:column, or "--param").
	Pos arm.Pos
}

// ReadParameters reads a parameters file ({"parameters": {"x": {"value":
// ...}}}; a bare {"x": {"value": ...}} object is accepted too). Values are
// literals: a value that looks like "[expression]" is kept as written. A Key
// Vault reference ({"reference": {"keyVault": {"id": ...}, "secretName":
// ...}}) becomes an arm.Unknown whose Ref is the vault and whose Path is
// "secrets/<name>".
func ReadParameters(data []byte) (map[string]any, error) {
	ps, err := ReadParametersFile("", data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(ps))
	for k, p := range ps {
		out[k] = p.Value
	}
	return out, nil
}

// ReadParametersFile is ReadParameters keeping where each value is given
// (file names the file in positions).
func ReadParametersFile(file string, data []byte) (map[string]Param, error) {
	v, err := readJSONCMarked("parameters", data, MaxParametersBytes, 3)
	if err != nil {
		return nil, err
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("read parameters: not a JSON object")
	}
	body := doc
	for k, v := range doc {
		if strings.EqualFold(k, "parameters") {
			if body, ok = v.(map[string]any); !ok {
				return nil, fmt.Errorf("read parameters: \"parameters\" is %s, not an object", typeName(v))
			}
		}
	}
	out := make(map[string]Param, len(body))
	for name, raw := range body {
		if strings.HasPrefix(name, "$") || strings.EqualFold(name, "contentVersion") || isPrivateKey(name) {
			continue
		}
		pv, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("read parameter %q: want an object with \"value\" or \"reference\"", name)
		}
		pos := parsePos(file, pv[posKey])
		if ref, ok := lookupFold(pv, "reference"); ok {
			out[name] = Param{Value: keyVaultUnknown(name, stripPrivate(ref)), Pos: pos}
			continue
		}
		v, ok := lookupFold(pv, "value")
		if !ok {
			return nil, fmt.Errorf("read parameter %q at %s: no \"value\" or \"reference\"", name, pos)
		}
		out[name] = Param{Value: stripPrivate(v), Pos: pos}
	}
	if len(out) > MaxParameters {
		return nil, limitf(fmt.Sprintf("%d parameters (ARM limit)", MaxParameters), "parameters file", "%d given", len(out))
	}
	return out, nil
}

// stripPrivate removes the reader's private keys from a value.
func stripPrivate(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if isPrivateKey(k) {
				delete(t, k)
				continue
			}
			t[k] = stripPrivate(e)
		}
	case []any:
		for i, e := range t {
			t[i] = stripPrivate(e)
		}
	}
	return v
}

// parsePos reads a posKey value.
func parsePos(file string, v any) arm.Pos {
	s, _ := v.(string)
	l, c, _ := strings.Cut(s, ":")
	line, _ := strconv.Atoi(l)
	col, _ := strconv.Atoi(c)
	return arm.Pos{File: file, Line: line, Column: col}
}

func keyVaultUnknown(name string, ref any) arm.Unknown {
	m, _ := ref.(map[string]any)
	vault, _ := arm.Lookup(m, "keyVault.id").(string)
	secret, _ := arm.Lookup(m, "secretName").(string)
	path := "secrets/" + secret
	if v, ok := arm.Lookup(m, "secretVersion").(string); ok && v != "" {
		path += "/" + v
	}
	return arm.Unknown{
		Expr: fmt.Sprintf("keyVaultReference(%s, %s)", quote(vault), quote(secret)),
		Ref:  arm.ResourceID(vault),
		Path: path,
	}
}

// lookupFold returns m's value for key, matched case-insensitively.
func lookupFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

package armeval

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// ReadTemplate reads a deployment template as ARM does: JSON with "//" and
// "/* */" comments, trailing commas and multi-line strings. Syntax errors
// name the line and column. Resource keys are matched case-insensitively.
// A languageVersion 2.0 template (resources keyed by symbolic name) is
// turned into a resource array in key order; "existing" resources are
// dropped, as they deploy nothing.
func ReadTemplate(data []byte) (*arm.Template, error) {
	strict, shifts := jsonc(data)
	var head map[string]json.RawMessage
	if err := unmarshalAt("template", data, strict, shifts, &head); err != nil {
		return nil, err
	}
	if head == nil {
		return nil, errors.New("read template: not a JSON object")
	}
	var res json.RawMessage
	for k, v := range head {
		if strings.EqualFold(k, "resources") {
			res = v
		}
	}
	if res == nil {
		return nil, errors.New("read template: no \"resources\"")
	}
	if trimmed := strings.TrimSpace(string(res)); strings.HasPrefix(trimmed, "{") {
		arr, err := symbolicResources(res)
		if err != nil {
			return nil, err
		}
		for k := range head {
			if strings.EqualFold(k, "resources") {
				delete(head, k)
			}
		}
		head["resources"] = arr
		if strict, err = json.Marshal(head); err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
		data, shifts = strict, nil
	}
	var t arm.Template
	if err := unmarshalAt("template", data, strict, shifts, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func symbolicResources(raw json.RawMessage) (json.RawMessage, error) {
	var m map[string]map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("read template resources: %w", err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	arr := make([]map[string]any, 0, len(m))
	for _, k := range keys {
		r := m[k]
		if b, _ := r["existing"].(bool); b {
			continue
		}
		arr = append(arr, r)
	}
	return json.Marshal(arr)
}

// ReadParameters reads a parameters file ({"parameters": {"x": {"value":
// ...}}}; a bare {"x": {"value": ...}} object is accepted too). Values are
// literals: a value that looks like "[expression]" is kept as written. A Key
// Vault reference ({"reference": {"keyVault": {"id": ...}, "secretName":
// ...}}) becomes an arm.Unknown whose Ref is the vault and whose Path is
// "secrets/<name>".
func ReadParameters(data []byte) (map[string]any, error) {
	var doc map[string]json.RawMessage
	if err := decodeJSONC("parameters", data, &doc); err != nil {
		return nil, err
	}
	body := doc
	for k, v := range doc {
		if strings.EqualFold(k, "parameters") {
			body = nil
			if err := json.Unmarshal(v, &body); err != nil {
				return nil, fmt.Errorf("read parameters: %w", err)
			}
		}
	}
	out := make(map[string]any, len(body))
	for name, raw := range body {
		if strings.HasPrefix(name, "$") || strings.EqualFold(name, "contentVersion") {
			continue
		}
		var pv map[string]any
		if err := json.Unmarshal(raw, &pv); err != nil || pv == nil {
			return nil, fmt.Errorf("read parameter %q: want an object with \"value\" or \"reference\"", name)
		}
		if ref, ok := lookupFold(pv, "reference"); ok {
			out[name] = keyVaultUnknown(name, ref)
			continue
		}
		v, ok := lookupFold(pv, "value")
		if !ok {
			return nil, fmt.Errorf("read parameter %q: no \"value\" or \"reference\"", name)
		}
		out[name] = v
	}
	return out, nil
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

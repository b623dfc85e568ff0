package armeval

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// toTemplate converts a template in generic JSON form (the root, a linked
// template, or an inline nested template) into arm.Template directly, field
// by field: a JSON round trip costs more than reading the template did.
// Top-level and resource keys are matched case-insensitively, as ARM does.
func toTemplate(v any) (*arm.Template, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template is %s, not an object", typeName(v))
	}
	normalizeResources(m)
	t := &arm.Template{}
	var err error
	for k, x := range m {
		switch strings.ToLower(k) {
		case "$schema":
			t.Schema, err = asString(x, "$schema")
		case "contentversion":
			t.ContentVersion, err = asString(x, "contentVersion")
		case "languageversion":
			t.LanguageVersion, err = asString(x, "languageVersion")
		case "metadata":
			t.Metadata, err = asObject(x, "metadata")
		case "definitions":
			t.Definitions, err = asObject(x, "definitions")
		case "variables":
			t.Variables, err = asObject(x, "variables")
		case "functions":
			if x != nil {
				arr, ok := x.([]any)
				if !ok {
					return nil, fmt.Errorf("read template: functions is %s, not an array", typeName(x))
				}
				t.Functions = arr
			}
		case "parameters":
			t.Parameters, err = toParameters(x)
		case "outputs":
			t.Outputs, err = toOutputs(x)
		case "resources":
			t.Resources, err = toResourceList(x)
		}
		if err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
	}
	if len(t.Parameters) > MaxParameters {
		return nil, limitf(fmt.Sprintf("%d parameters (ARM limit)", MaxParameters), "parameters", "%d declared", len(t.Parameters))
	}
	if len(t.Variables) > MaxVariables {
		return nil, limitf(fmt.Sprintf("%d variables (ARM limit)", MaxVariables), "variables", "%d declared", len(t.Variables))
	}
	if len(t.Outputs) > MaxOutputs {
		return nil, limitf(fmt.Sprintf("%d outputs (ARM limit)", MaxOutputs), "outputs", "%d declared", len(t.Outputs))
	}
	return t, nil
}

func asString(v any, what string) (string, error) {
	switch s := v.(type) {
	case nil:
		return "", nil
	case string:
		return s, nil
	}
	return "", fmt.Errorf("%s is %s, not a string", what, typeName(v))
}

func asObject(v any, what string) (map[string]any, error) {
	switch m := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return m, nil
	}
	return nil, fmt.Errorf("%s is %s, not an object", what, typeName(v))
}

func asIntPtr(v any, what string) (*int, error) {
	if v == nil {
		return nil, nil
	}
	n, ok := toInt(v)
	if !ok {
		return nil, fmt.Errorf("%s is %s, not an integer", what, typeName(v))
	}
	return &n, nil
}

// paramKey returns the lower-case form of a parameter declaration's key
// that toParameters reads, "" for any other key. The usual spellings are
// matched without allocating.
func paramKey(k string) string {
	switch k {
	case "type", "$ref", "nullable", "metadata":
		return k
	case "defaultValue":
		return "defaultvalue"
	case "allowedValues":
		return "allowedvalues"
	case "minLength":
		return "minlength"
	case "maxLength":
		return "maxlength"
	case "minValue":
		return "minvalue"
	case "maxValue":
		return "maxvalue"
	}
	switch lk := strings.ToLower(k); lk {
	case "type", "$ref", "nullable", "metadata", "defaultvalue", "allowedvalues", "minlength", "maxlength", "minvalue", "maxvalue":
		return lk
	}
	return ""
}

func toParameters(v any) (map[string]arm.Parameter, error) {
	m, err := asObject(v, "parameters")
	if err != nil || m == nil {
		return nil, err
	}
	out := make(map[string]arm.Parameter, len(m))
	for name, x := range m {
		pm, err := asObject(x, "parameter "+quote(name))
		if err != nil {
			return nil, err
		}
		var p arm.Parameter
		for k, f := range pm {
			if k == posKey {
				pos := parsePos("", f)
				p.Line, p.Column = pos.Line, pos.Column
				continue
			}
			lk := paramKey(k)
			if lk == "" {
				continue
			}
			what := "parameter " + quote(name) + " " + k
			switch lk {
			case "type":
				p.Type, err = asString(f, what)
			case "$ref":
				p.Ref, err = asString(f, what)
			case "nullable":
				p.Nullable = f == true
			case "defaultvalue":
				p.DefaultValue = f
			case "allowedvalues":
				if f != nil {
					arr, ok := f.([]any)
					if !ok {
						return nil, fmt.Errorf("%s is %s, not an array", what, typeName(f))
					}
					p.AllowedValues = arr
				}
			case "minlength":
				p.MinLength, err = asIntPtr(f, what)
			case "maxlength":
				p.MaxLength, err = asIntPtr(f, what)
			case "minvalue":
				p.MinValue, err = asIntPtr(f, what)
			case "maxvalue":
				p.MaxValue, err = asIntPtr(f, what)
			case "metadata":
				p.Metadata, err = asObject(f, what)
			}
			if err != nil {
				return nil, err
			}
		}
		out[name] = p
	}
	return out, nil
}

func toOutputs(v any) (map[string]arm.Output, error) {
	m, err := asObject(v, "outputs")
	if err != nil || m == nil {
		return nil, err
	}
	out := make(map[string]arm.Output, len(m))
	for name, x := range m {
		om, err := asObject(x, "output "+quote(name))
		if err != nil {
			return nil, err
		}
		var o arm.Output
		for k, f := range om {
			switch strings.ToLower(k) {
			case "type":
				o.Type, err = asString(f, "output "+quote(name)+" type")
			case "value":
				o.Value = f
			case "condition":
				o.Condition = f
			case "copy":
				o.Copy = f
			}
			if err != nil {
				return nil, err
			}
		}
		out[name] = o
	}
	return out, nil
}

func toResourceList(v any) ([]arm.Resource, error) {
	if v == nil {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("resources is %s, not an array", typeName(v))
	}
	out := make([]arm.Resource, 0, len(arr))
	for i, x := range arr {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("resources[%d] is %s, not an object", i, typeName(x))
		}
		movePropsExpr(m)
		r, err := toResource(m)
		if err != nil {
			return nil, fmt.Errorf("resources[%d]: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func toResource(m map[string]any) (arm.Resource, error) {
	var r arm.Resource
	var err error
	for k, f := range m {
		switch strings.ToLower(k) {
		case "type":
			r.Type, err = asString(f, k)
		case "apiversion":
			r.APIVersion, err = asString(f, k)
		case "name":
			if n, ok := f.(float64); ok {
				r.Name = formatNumber(n)
			} else {
				r.Name, err = asString(f, k)
			}
		case "scope":
			r.Scope, err = asString(f, k)
		case "location":
			r.Location, err = asString(f, k)
		case "kind":
			r.Kind, err = asString(f, k)
		case "tags":
			r.Tags = f
		case "sku":
			r.SKU = f
		case "identity":
			r.Identity = f
		case "zones":
			r.Zones = f
		case "condition":
			r.Condition = f
		case "properties":
			r.Properties, err = asObject(f, k)
		case "copy":
			r.Copy, err = asObject(f, k)
		case "dependson":
			if f != nil {
				arr, ok := f.([]any)
				if !ok {
					return r, fmt.Errorf("dependsOn is %s, not an array", typeName(f))
				}
				for _, d := range arr {
					s, ok := d.(string)
					if !ok {
						return r, fmt.Errorf("dependsOn entry is %s, not a string", typeName(d))
					}
					r.DependsOn = append(r.DependsOn, s)
				}
			}
		default:
			if r.Extra == nil {
				r.Extra = map[string]any{}
			}
			r.Extra[k] = f
		}
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

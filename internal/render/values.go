package render

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Values are what the manifests need that exists only once the landing
// zone is deployed. They come from the deployment's outputs (see
// ValuesFromOutputs); privaks never invents them.
type Values struct {
	// TenantID is the Microsoft Entra tenant of the subscription (output
	// tenantId).
	TenantID string
	// ClientIDs maps a workload name to the client ID of its user-assigned
	// identity (output workloadClientIds).
	ClientIDs map[string]string
	// KeyVaultName is the keyVaultName output, when present. It is only a
	// cross-check: the vault written in the manifests comes from the
	// resource set, and outputs naming another vault are refused (they
	// belong to another deployment).
	KeyVaultName string
}

// Output names of a privaks deployment (compile.Compile's outputs).
const (
	OutputTenantID     = "tenantId"
	OutputClientIDs    = "workloadClientIds"
	OutputKeyVaultName = "keyVaultName"
)

// ValuesFromOutputs reads the outputs of a privaks deployment, decoded from
// JSON. It accepts:
//
//   - the outputs object itself, {"tenantId": {"type": "String", "value":
//     "..."}, ...}, as `az deployment group show --query properties.outputs`
//     and `az stack group show --query outputs` print it;
//   - a whole deployment or deployment stack, where the outputs are under
//     properties.outputs (ARM REST, `az deployment group show`) or under
//     outputs (`az stack group show`, which flattens properties).
//
// Output names are matched case-insensitively. A missing output is left
// empty (Kubernetes then says what is missing); a present output of the
// wrong shape is an error.
func ValuesFromOutputs(outputs map[string]any) (Values, error) {
	m := outputsOf(outputs)
	var v Values
	found := false
	if raw, ok := getFold(m, OutputTenantID); ok {
		found = true
		s, err := stringOutput(OutputTenantID, raw)
		if err != nil {
			return Values{}, err
		}
		v.TenantID = s
	}
	if raw, ok := getFold(m, OutputKeyVaultName); ok {
		s, err := stringOutput(OutputKeyVaultName, raw)
		if err != nil {
			return Values{}, err
		}
		v.KeyVaultName = s
	}
	if raw, ok := getFold(m, OutputClientIDs); ok {
		found = true
		obj, ok := outputValue(raw).(map[string]any)
		if !ok {
			return Values{}, fmt.Errorf("read output %q: want an object of workload name to client ID, got %s", OutputClientIDs, kind(outputValue(raw)))
		}
		v.ClientIDs = map[string]string{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, ok := obj[k].(string)
			if !ok {
				return Values{}, fmt.Errorf("read output %q: workload %q: want a client ID string, got %s", OutputClientIDs, k, kind(obj[k]))
			}
			v.ClientIDs[k] = s
		}
	}
	if !found {
		return Values{}, fmt.Errorf("read deployment outputs: neither %q nor %q is present: want the outputs of a privaks deployment", OutputTenantID, OutputClientIDs)
	}
	return v, nil
}

// outputsOf finds the outputs object in the shapes ValuesFromOutputs
// accepts.
func outputsOf(m map[string]any) map[string]any {
	if _, ok := getFold(m, OutputTenantID); ok {
		return m
	}
	if _, ok := getFold(m, OutputClientIDs); ok {
		return m
	}
	if p, ok := getFold(m, "properties"); ok {
		if pm, ok := p.(map[string]any); ok {
			if o, ok := getFold(pm, "outputs"); ok {
				if om, ok := o.(map[string]any); ok {
					return om
				}
			}
		}
	}
	if o, ok := getFold(m, "outputs"); ok {
		if om, ok := o.(map[string]any); ok {
			return om
		}
	}
	return m
}

// outputValue unwraps {"type": ..., "value": ...}; a bare value (a user's
// own --query ...value) is taken as is.
func outputValue(raw any) any {
	if m, ok := raw.(map[string]any); ok {
		_, hasType := getFold(m, "type")
		val, hasValue := getFold(m, "value")
		if hasType && hasValue {
			return val
		}
	}
	return raw
}

func stringOutput(name string, raw any) (string, error) {
	s, ok := outputValue(raw).(string)
	if !ok {
		return "", fmt.Errorf("read output %q: want a string, got %s", name, kind(outputValue(raw)))
	}
	return s, nil
}

func getFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic when two keys differ only in case
	for _, k := range keys {
		if strings.EqualFold(k, key) {
			return m[k], true
		}
	}
	return nil, false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

var guidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
}) // compiled on first use, not at start-up

// isGUID reports whether s is a GUID: client and tenant IDs are, and a
// placeholder or an unevaluated ARM expression is not.
func isGUID(s string) bool { return guidRE().MatchString(s) }

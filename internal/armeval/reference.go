package armeval

import (
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// evalReference evaluates reference(target[, apiVersion[, 'Full']])
// followed by the property and index accesses in steps. The runtime state
// of a resource is not known offline, so the result is an Unknown whose Ref
// is the referenced resource's ID and whose Path is the property path read
// (relative to properties; a 'Full' reference keeps top-level keys such as
// "identity."). A reference to an inline nested deployment of the same
// evaluation reads its evaluated outputs instead.
func (f *frame) evalReference(c *call, steps []node, whole node, src string) (any, error) {
	if len(c.args) < 1 || len(c.args) > 3 {
		return nil, fmt.Errorf("call %s: reference takes 1 to 3 arguments, got %d", src[c.start:c.end], len(c.args))
	}
	args := make([]any, len(c.args))
	for i, a := range c.args {
		v, err := f.eval(a, src)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if u, ok := args[0].(arm.Unknown); ok && u.Ref != "" && strings.EqualFold(u.Path, endpointNIC) && (len(args) < 3 || !containsUnknown(args[2])) {
		// reference() of the NIC a private endpoint created, named by
		// reference(endpoint).networkInterfaces[0].id: a read of that
		// NIC, recorded on the endpoint (older templates write a zone's A
		// record so, before zone groups).
		path, unknown, err := f.refPath(steps, len(args) == 3 && strings.EqualFold(fmt.Sprint(args[2]), "full"), src)
		if err != nil || unknown {
			return unknownOf(whole, src), err
		}
		s, e := whole.span()
		return arm.Unknown{Expr: src[s:e], Ref: u.Ref, Path: endpointNIC + "/" + path}, nil
	}
	if containsUnknown(args[0]) {
		return unknownOf(whole, src), nil
	}
	target, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("call %s: target is %s, not a resource name or ID", src[c.start:c.end], typeName(args[0]))
	}
	if len(args) == 3 && containsUnknown(args[2]) {
		return unknownOf(whole, src), nil
	}
	full := len(args) == 3 && strings.EqualFold(fmt.Sprint(args[2]), "full")
	id := f.t.resolveRef(target)

	if state, ok := f.t.ev.deploymentState(id); ok {
		var v any = state
		if full {
			v = map[string]any{"properties": state}
		}
		for _, s := range steps {
			key, err := f.stepKey(s, src)
			if err != nil {
				return nil, err
			}
			if v, err = access(v, key, s, src); err != nil {
				return nil, err
			}
		}
		return v, nil
	}

	path, unknown, err := f.refPath(steps, full, src)
	if err != nil {
		return nil, err
	}
	if unknown {
		return unknownOf(whole, src), nil
	}
	s, e := whole.span()
	return arm.Unknown{Expr: src[s:e], Ref: id, Path: path}, nil
}

// endpointNIC is the path of a private endpoint's first NIC ID; an
// Unknown whose Path starts with it and "/" reads that NIC's properties.
const endpointNIC = "networkInterfaces.0.id"

// refPath joins the keys of the accesses after reference() (without the
// leading "properties" of a 'Full' reference); unknown is true when a key
// is only known at deployment.
func (f *frame) refPath(steps []node, full bool, src string) (path string, unknown bool, err error) {
	var keys []string
	for i, s := range steps {
		key, err := f.stepKey(s, src)
		if err != nil {
			return "", false, err
		}
		if containsUnknown(key) {
			return "", true, nil
		}
		k := toText(key)
		if full && i == 0 && strings.EqualFold(k, "properties") {
			continue
		}
		keys = append(keys, k)
	}
	return strings.Join(keys, "."), false, nil
}

// stepKey evaluates the key of one property or index access.
func (f *frame) stepKey(n node, src string) (any, error) {
	switch s := n.(type) {
	case *prop:
		return s.name, nil
	case *index:
		return f.eval(s.idx, src)
	}
	return nil, fmt.Errorf("evaluate %q: bad access step", src)
}

// resolveRef turns reference()'s first argument into a resource ID: a full
// ID as is, a name of a resource in the template (this one or an enclosing
// outer-scope one) to that resource's ID, anything else to an ID of that
// name relative to the target resource group (empty when it cannot be).
func (t *tmpl) resolveRef(target string) arm.ResourceID {
	if strings.HasPrefix(target, "/") {
		return arm.ResourceID(target)
	}
	for x := t; x != nil; x = x.outer {
		if ids := x.bySym[strings.ToLower(target)]; len(ids) > 0 {
			return ids[0]
		}
		if ids := x.byName[strings.ToLower(target)]; len(ids) > 0 {
			return ids[0]
		}
		if ids := x.byTypeName[strings.ToLower(target)]; len(ids) > 0 {
			return ids[0]
		}
	}
	return ""
}

package tfread

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/privaks/privaks/internal/arm"
)

// unk is the mark a cty unknown carries to say which value it stands for:
// an attribute of a resource (Ref its ARM ID, TF its Terraform type, Path
// the Terraform attribute path), or an external input (Expr only).
type unk struct {
	Ref, TF, Path, Expr string
}

// modInst is one instance of a module: the root, or one call (one count
// index or for_each key) of a module block.
type modInst struct {
	r      *reader
	m      *module
	addr   string // "" for the root, module.a, module.a["k"].module.b
	key    string // modules.json key: a, a.b
	parent *modInst
	call   *callBlock
	extra  map[string]cty.Value // count/each of the module call
	depth  int

	vals  map[string]cty.Value // var.x, local.x, output.x
	state map[string]int       // 1 evaluating, 2 done
	res   map[string]*resState
	kids  map[string]*kidState
}

type resState struct {
	state int
	val   cty.Value
}

type kidState struct {
	state   int
	insts   []*modInst
	keys    []cty.Value
	mode    int // 0 single, 1 count, 2 for_each
	missing bool
	val     cty.Value
}

// instance is one resource instance: its evaluated body and its ARM ID.
type instance struct {
	mi    *modInst
	rb    *resBlock
	key   cty.Value // NilVal, a number (count) or a string (for_each)
	addr  string
	body  map[string]any
	id    arm.ResourceID
	mp    *mapping
	deps  []hcl.Traversal
	refs  map[string]bool // resource keys the body references (same module)
	left  *arm.LeftOut
	extra map[string]cty.Value
}

func newModInst(r *reader, m *module, addr, key string, parent *modInst, call *callBlock, extra map[string]cty.Value, depth int) *modInst {
	return &modInst{r: r, m: m, addr: addr, key: key, parent: parent, call: call, extra: extra, depth: depth,
		vals: map[string]cty.Value{}, state: map[string]int{}, res: map[string]*resState{}, kids: map[string]*kidState{}}
}

// prefix returns the module address prefix for resource addresses.
func (mi *modInst) prefix() string {
	if mi.addr == "" {
		return ""
	}
	return mi.addr + "."
}

// evalError is an expression that could not be evaluated: the resource
// holding it is left out (not bad input).
type evalError struct {
	rng     hcl.Range
	msg     string
	missing string
}

func (e *evalError) Error() string { return e.msg }

// eval evaluates expr in this module instance, with extra variables (count,
// each, a dynamic block's iterator).
func (mi *modInst) eval(expr hcl.Expression, extra map[string]cty.Value) (cty.Value, error) {
	mi.r.work++
	if mi.r.work > maxWork {
		return cty.NilVal, &Error{Pos: pos(expr.Range()), Msg: fmt.Sprintf("evaluation needs over %d steps; the configuration is too large or loops", maxWork)}
	}
	vars := map[string]cty.Value{}
	objs := map[string]map[string]cty.Value{}
	dataObjs := map[string]map[string]cty.Value{}
	put := func(root, name string, v cty.Value) {
		if objs[root] == nil {
			objs[root] = map[string]cty.Value{}
		}
		objs[root][name] = v
	}
	for _, t := range expr.Variables() {
		root := t.RootName()
		if v, ok := extra[root]; ok {
			vars[root] = v
			continue
		}
		rng := t.SourceRange()
		switch root {
		case "var", "local", "module":
			name, ok := step(t, 1)
			if !ok {
				return cty.NilVal, &Error{Pos: pos(rng), Msg: "invalid reference: " + root + " needs an attribute name"}
			}
			var v cty.Value
			var err error
			switch root {
			case "var":
				v, err = mi.variable(name, rng)
			case "local":
				v, err = mi.local(name, rng)
			default:
				v, err = mi.moduleVal(name, rng)
			}
			if err != nil {
				return cty.NilVal, err
			}
			put(root, name, v)
		case "data":
			typ, ok1 := step(t, 1)
			name, ok2 := step(t, 2)
			if !ok1 || !ok2 {
				return cty.NilVal, &Error{Pos: pos(rng), Msg: "invalid reference: data needs a type and a name"}
			}
			v, err := mi.dataVal(typ+"."+name, rng)
			if err != nil {
				return cty.NilVal, err
			}
			if dataObjs[typ] == nil {
				dataObjs[typ] = map[string]cty.Value{}
			}
			dataObjs[typ][name] = v
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(mi.r.relDir(mi.m.dir)),
				"root": cty.StringVal("."), "cwd": cty.StringVal(".")})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "count", "each", "self":
			return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("%s is not available here", root)}
		default:
			name, ok := step(t, 1)
			if !ok {
				return cty.NilVal, &Error{Pos: pos(rng), Msg: "invalid reference " + root}
			}
			v, err := mi.resourceVal(root+"."+name, rng)
			if err != nil {
				return cty.NilVal, err
			}
			put(root, name, v)
		}
	}
	for root, m := range objs {
		vars[root] = cty.ObjectVal(m)
	}
	if len(dataObjs) > 0 {
		d := map[string]cty.Value{}
		for typ, m := range dataObjs {
			d[typ] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(d)
	}
	v, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: mi.r.funcs})
	if diags.HasErrors() {
		return cty.NilVal, exprError(diags, expr)
	}
	if err := checkSize(v, expr); err != nil {
		return cty.NilVal, err
	}
	return v, nil
}

func exprError(diags hcl.Diagnostics, expr hcl.Expression) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		rng := expr.Range()
		if d.Subject != nil {
			rng = *d.Subject
		}
		e := &evalError{rng: rng, msg: strings.TrimSuffix(d.Summary, ".")}
		if d.Detail != "" {
			// One line: a function's panic detail carries a stack.
			detail, _, _ := strings.Cut(d.Detail, "\n")
			e.msg += ": " + detail
		}
		if d.Summary == "Call to unknown function" {
			if c, ok := d.Expression.(*hclsyntax.FunctionCallExpr); ok {
				e.missing = "function " + c.Name
			} else {
				e.missing = "function"
			}
			if c, ok := expr.(*hclsyntax.FunctionCallExpr); ok && e.missing == "function" {
				e.missing = "function " + c.Name
			}
		}
		return e
	}
	return nil
}

// checkSize bounds the values expressions build (string doubling through
// locals would otherwise exhaust memory).
func checkSize(v cty.Value, expr hcl.Expression) error {
	n := 0
	_ = cty.Walk(v, func(_ cty.Path, x cty.Value) (bool, error) {
		n++
		if x.IsKnown() && !x.IsNull() && x.Type() == cty.String {
			if s, _ := x.Unmark(); s.IsKnown() {
				n += len(s.AsString()) / 16
			}
		}
		return n <= maxValueCells, nil
	})
	if n > maxValueCells {
		return &Error{Pos: pos(expr.Range()), Msg: fmt.Sprintf("value is larger than %d cells", maxValueCells)}
	}
	return nil
}

const (
	maxWork            = 2_000_000
	maxValueCells      = 1 << 20 // elements, and string bytes / 16
	maxModuleInstances = 5000
)

func step(t hcl.Traversal, i int) (string, bool) {
	if len(t) <= i {
		return "", false
	}
	a, ok := t[i].(hcl.TraverseAttr)
	return a.Name, ok
}

func (mi *modInst) enter(key string, rng hcl.Range) (done bool, err error) {
	switch mi.state[key] {
	case 1:
		return false, &Error{Pos: pos(rng), Msg: fmt.Sprintf("%s%s refers to itself (a cycle)", mi.prefix(), key)}
	case 2:
		return true, nil
	}
	mi.state[key] = 1
	return false, nil
}

// variable returns the value of an input variable of this module instance.
func (mi *modInst) variable(name string, rng hcl.Range) (cty.Value, error) {
	key := "var." + name
	if done, err := mi.enter(key, rng); done || err != nil {
		return mi.vals[key], err
	}
	v, err := mi.computeVariable(name, rng)
	if err != nil {
		delete(mi.state, key)
		return cty.NilVal, err
	}
	mi.vals[key], mi.state[key] = v, 2
	return v, nil
}

func (mi *modInst) computeVariable(name string, rng hcl.Range) (cty.Value, error) {
	d := mi.m.vars[name]
	if d == nil {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("reference to undeclared input variable %q", name)}
	}
	ty, defaults := cty.DynamicPseudoType, (*typeexpr.Defaults)(nil)
	if a := d.block.Body.Attributes["type"]; a != nil {
		t, def, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		if diags.HasErrors() {
			return cty.NilVal, diagError(diags)
		}
		ty, defaults = t, def
	}
	var val cty.Value
	given := false
	if mi.parent == nil {
		if raw, ok := mi.r.rootVars[name]; ok {
			v, err := raw.value(ty)
			if err != nil {
				return cty.NilVal, err
			}
			val, given = v, true
		}
	} else if a := mi.call.block.Body.Attributes[name]; a != nil {
		v, err := mi.parent.eval(a.Expr, mi.extra)
		if err != nil {
			return cty.NilVal, err
		}
		val, given = v, true
	}
	nullable := true
	if a := d.block.Body.Attributes["nullable"]; a != nil {
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() {
			nullable = v.True()
		}
	}
	if !given || (val.IsNull() && !nullable) {
		a := d.block.Body.Attributes["default"]
		if a == nil {
			if mi.parent == nil {
				return cty.NilVal, &Error{Pos: pos(d.block.DefRange()), Msg: fmt.Sprintf("variable %q has no value: give it with --var %s=VALUE or --var-file", name, name)}
			}
			return cty.NilVal, &Error{Pos: pos(mi.call.block.DefRange()), Msg: fmt.Sprintf("module %q: missing required argument %q", mi.call.name, name)}
		}
		v, diags := a.Expr.Value(&hcl.EvalContext{Functions: mi.r.funcs})
		if diags.HasErrors() {
			return cty.NilVal, diagError(diags)
		}
		val = v
	}
	if defaults != nil {
		val = defaults.Apply(val)
	}
	out, err := convert.Convert(val, ty)
	if err != nil {
		return cty.NilVal, &Error{Pos: pos(d.block.DefRange()), Msg: fmt.Sprintf("variable %q: %v (type %s)", name, err, typeexpr.TypeString(ty))}
	}
	return out, nil
}

// rawVar is a root variable's value as given: a string from --var (parsed
// by the declared type, as Terraform does) or a value from a tfvars file.
type rawVar struct {
	str   *string
	val   cty.Value
	where arm.Pos
}

func (rv rawVar) value(ty cty.Type) (cty.Value, error) {
	if rv.str == nil {
		return rv.val, nil
	}
	if ty == cty.DynamicPseudoType || ty.IsPrimitiveType() {
		return cty.StringVal(*rv.str), nil
	}
	expr, diags := hclsyntax.ParseExpression([]byte(*rv.str), "--var", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, &Error{Pos: rv.where, Msg: "--var value: " + diags.Error()}
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, &Error{Pos: rv.where, Msg: "--var value: " + diags.Error()}
	}
	return v, nil
}

func (mi *modInst) local(name string, rng hcl.Range) (cty.Value, error) {
	key := "local." + name
	a := mi.m.locals[name]
	if a == nil {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("reference to undeclared local value %q", name)}
	}
	if done, err := mi.enter(key, rng); done || err != nil {
		return mi.vals[key], err
	}
	v, err := mi.eval(a.Expr, nil)
	if err != nil {
		delete(mi.state, key)
		var ee *evalError
		if errors.As(err, &ee) {
			// A local that cannot be evaluated: its readers are left
			// out with the reason; the value itself is an unknown.
			mi.r.leave(arm.LeftOut{Pos: pos(a.NameRange), Resource: mi.prefix() + key, Expr: mi.r.text(ee.rng), Missing: ee.missing,
				Reason: "local value could not be evaluated: " + ee.msg})
			v = cty.DynamicVal.Mark(unk{Expr: mi.prefix() + key})
			mi.vals[key], mi.state[key] = v, 2
			return v, nil
		}
		return cty.NilVal, err
	}
	mi.vals[key], mi.state[key] = v, 2
	return v, nil
}

func (mi *modInst) output(name string, rng hcl.Range) (cty.Value, error) {
	key := "output." + name
	a := mi.m.outputs[name]
	if a == nil {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("module %s has no output %q", mi.addr, name)}
	}
	if done, err := mi.enter(key, rng); done || err != nil {
		return mi.vals[key], err
	}
	v, err := mi.eval(a.Expr, nil)
	if err != nil {
		delete(mi.state, key)
		var ee *evalError
		if !errors.As(err, &ee) {
			return cty.NilVal, err
		}
		v = cty.DynamicVal.Mark(unk{Expr: mi.addr + "." + name})
	}
	mi.vals[key], mi.state[key] = v, 2
	return v, nil
}

// forEachInstances evaluates count or for_each of a block into instance
// keys and their extra variables. ok is false when they are only known
// after apply.
func (mi *modInst) forEachInstances(body *hclsyntax.Body) (keys []cty.Value, extras []map[string]cty.Value, mode int, err error) {
	if a := body.Attributes["count"]; a != nil {
		v, err := mi.eval(a.Expr, mi.extraFor())
		if err != nil {
			return nil, nil, 1, err
		}
		v, _ = v.Unmark()
		if !v.IsKnown() {
			return nil, nil, 1, &evalError{rng: a.Expr.Range(), msg: "count is known only after apply"}
		}
		if v.IsNull() || v.Type() != cty.Number {
			return nil, nil, 1, &Error{Pos: pos(a.Expr.Range()), Msg: "count must be a whole number"}
		}
		n, acc := v.AsBigFloat().Int64()
		if acc != 0 && !v.AsBigFloat().IsInt() || n < 0 {
			return nil, nil, 1, &Error{Pos: pos(a.Expr.Range()), Msg: "count must be a whole number, zero or more"}
		}
		if n > maxInstances {
			return nil, nil, 1, &Error{Pos: pos(a.Expr.Range()), Msg: fmt.Sprintf("count %d is over the limit of %d", n, maxInstances)}
		}
		for i := int64(0); i < n; i++ {
			keys = append(keys, cty.NumberIntVal(i))
			extras = append(extras, map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(i)})})
		}
		return keys, extras, 1, nil
	}
	if a := body.Attributes["for_each"]; a != nil {
		v, err := mi.eval(a.Expr, mi.extraFor())
		if err != nil {
			return nil, nil, 2, err
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || (v.Type().IsSetType() && !v.IsWhollyKnown()) {
			return nil, nil, 2, &evalError{rng: a.Expr.Range(), msg: "for_each is known only after apply"}
		}
		if v.IsNull() {
			return nil, nil, 2, &Error{Pos: pos(a.Expr.Range()), Msg: "for_each is null"}
		}
		ty := v.Type()
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				keys = append(keys, k)
				extras = append(extras, map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})})
			}
		case ty.IsSetType() && (ty.ElementType() == cty.String || ty.ElementType() == cty.DynamicPseudoType):
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				s, err := convert.Convert(e, cty.String)
				if err != nil {
					return nil, nil, 2, &Error{Pos: pos(a.Expr.Range()), Msg: "for_each set elements must be strings"}
				}
				keys = append(keys, s)
				extras = append(extras, map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": s, "value": s})})
			}
		default:
			return nil, nil, 2, &Error{Pos: pos(a.Expr.Range()), Msg: fmt.Sprintf("for_each needs a map or a set of strings, not %s", ty.FriendlyName())}
		}
		if len(keys) > maxInstances {
			return nil, nil, 2, &Error{Pos: pos(a.Expr.Range()), Msg: "for_each has too many elements"}
		}
		return keys, extras, 2, nil
	}
	return []cty.Value{cty.NilVal}, []map[string]cty.Value{nil}, 0, nil
}

// extraFor is what count and for_each of blocks in this module see: none
// of count/each (Terraform forbids self-reference), nothing else.
func (mi *modInst) extraFor() map[string]cty.Value { return nil }

func instKey(k cty.Value) string {
	if k == cty.NilVal {
		return ""
	}
	if k.Type() == cty.Number {
		return "[" + k.AsBigFloat().Text('f', 0) + "]"
	}
	return fmt.Sprintf("[%q]", k.AsString())
}

// moduleVal returns a module call's value: the outputs that expressions
// read, per instance.
func (mi *modInst) moduleVal(name string, rng hcl.Range) (cty.Value, error) {
	ks, err := mi.kid(name, rng)
	if err != nil {
		return cty.NilVal, err
	}
	if ks.state == 2 && ks.val != cty.NilVal {
		return ks.val, nil
	}
	if ks.state == 3 {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("module.%s refers to itself (a cycle)", name)}
	}
	ks.state = 3
	defer func() { ks.state = 2 }()
	// Output names read from this call.
	names := map[string]bool{}
	for _, p := range mi.m.absPaths["module."+name] {
		if a, ok := p[0].(hcl.TraverseAttr); ok {
			names[a.Name] = true
		}
	}
	one := func(k *modInst, addr string) (cty.Value, error) {
		obj := map[string]cty.Value{}
		if k == nil {
			return withUnknowns(cty.EmptyObjectVal, mi.m.absPaths["module."+name], nil,
				func(path string) unk { return unk{Expr: addr + tfPath(path)} }), nil
		}
		for _, n := range sortedKeys(names) {
			if k.m.outputs[n] == nil {
				return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("module %s has no output %q", addr, n)}
			}
			v, err := k.output(n, rng)
			if err != nil {
				return cty.NilVal, err
			}
			obj[n] = v
		}
		for _, n := range sortedKeys(mi.m.relNames) {
			if _, ok := obj[n]; !ok && k != nil && k.m.outputs[n] != nil {
				v, err := k.output(n, rng)
				if err != nil {
					return cty.NilVal, err
				}
				obj[n] = v
			}
		}
		return cty.ObjectVal(obj), nil
	}
	var val cty.Value
	addr := mi.prefix() + "module." + name
	switch {
	case ks.missing:
		val = cty.DynamicVal.Mark(unk{Expr: addr})
		if len(names) > 0 && ks.mode == 0 {
			val, err = one(nil, addr)
		}
	case ks.mode == 0:
		val, err = one(ks.insts[0], addr)
	case ks.mode == 1:
		var l []cty.Value
		for _, k := range ks.insts {
			v, e := one(k, k.addr)
			if e != nil {
				return cty.NilVal, e
			}
			l = append(l, v)
		}
		val = cty.TupleVal(l)
		if len(l) == 0 {
			val = cty.EmptyTupleVal
		}
	default:
		m := map[string]cty.Value{}
		for i, k := range ks.insts {
			v, e := one(k, k.addr)
			if e != nil {
				return cty.NilVal, e
			}
			m[ks.keys[i].AsString()] = v
		}
		val = cty.ObjectVal(m)
	}
	if err != nil {
		return cty.NilVal, err
	}
	ks.val = val
	return val, nil
}

// kid instantiates a module call: resolves its source and expands count
// or for_each.
func (mi *modInst) kid(name string, rng hcl.Range) (*kidState, error) {
	if ks := mi.kids[name]; ks != nil {
		return ks, nil
	}
	c := mi.m.calls[name]
	if c == nil {
		return nil, &Error{Pos: pos(rng), Msg: fmt.Sprintf("reference to undeclared module %q", name)}
	}
	ks := &kidState{state: 1}
	mi.kids[name] = ks
	addr := mi.prefix() + "module." + name
	key := name
	if mi.key != "" {
		key = mi.key + "." + name
	}
	dir, why := mi.r.moduleDir(mi, c, key)
	keys, extras, mode, err := mi.forEachInstances(c.block.Body)
	ks.mode = mode
	if err != nil {
		var ee *evalError
		if !errors.As(err, &ee) {
			return nil, err
		}
		ks.missing, ks.state = true, 2
		mi.r.leave(arm.LeftOut{Pos: pos(c.block.DefRange()), Resource: addr, Expr: srcText(ee.rng), Reason: ee.msg})
		return ks, nil
	}
	if dir == "" {
		ks.missing, ks.state = true, 2
		mi.r.leave(arm.LeftOut{Pos: pos(c.block.DefRange()), Resource: addr, Reason: why, Missing: "module source not on disk"})
		return ks, nil
	}
	if mi.depth+1 > maxModuleDepth {
		return nil, &Error{Pos: pos(c.block.DefRange()), Msg: fmt.Sprintf("modules nest deeper than %d", maxModuleDepth)}
	}
	m, err := mi.r.loadModule(dir)
	if err != nil {
		return nil, err
	}
	for _, a := range sortedAttrs(c.block.Body.Attributes) {
		switch a.Name {
		case "source", "version", "count", "for_each", "providers", "depends_on":
			continue
		}
		if m.vars[a.Name] == nil {
			return nil, &Error{Pos: pos(a.NameRange), Msg: fmt.Sprintf("module %q has no variable %q", name, a.Name)}
		}
	}
	mi.r.nMods += len(keys)
	if mi.r.nMods > maxModuleInstances {
		return nil, &Error{Pos: pos(c.block.DefRange()), Msg: fmt.Sprintf("over %d module instances", maxModuleInstances)}
	}
	for i, k := range keys {
		ka := addr + instKey(k)
		ks.insts = append(ks.insts, newModInst(mi.r, m, ka, key, mi, c, extras[i], mi.depth+1))
	}
	ks.keys, ks.state = keys, 2
	return ks, nil
}

// moduleDir finds a module call's directory: a local path beside the
// caller, or where terraform init put it.
func (r *reader) moduleDir(mi *modInst, c *callBlock, key string) (string, string) {
	a := c.block.Body.Attributes["source"]
	if a == nil {
		return "", "module block has no source"
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() {
		return "", "module source must be a literal string"
	}
	src := v.AsString()
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		if d, ok := r.modJSON[key]; ok {
			return d, ""
		}
		return joinDir(mi.m.dir, src), ""
	}
	if d, ok := r.modJSON[key]; ok {
		return d, ""
	}
	return "", fmt.Sprintf("module source %q is not on disk (run terraform init to fetch it into .terraform/modules; privaks never downloads)", src)
}

// resourceVal returns a managed resource's value for expressions: one
// object, a tuple (count) or an object keyed by for_each key.
func (mi *modInst) resourceVal(key string, rng hcl.Range) (cty.Value, error) {
	rb := mi.m.resources[key]
	if rb == nil {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("reference to undeclared resource %q", key)}
	}
	rs, err := mi.resource(rb, rng)
	if err != nil {
		return cty.NilVal, err
	}
	return rs.val, nil
}

func (mi *modInst) resource(rb *resBlock, rng hcl.Range) (*resState, error) {
	key := rb.key()
	if rb.data {
		key = "data." + key
	}
	rs := mi.res[key]
	if rs != nil {
		if rs.state == 1 {
			return nil, &Error{Pos: pos(rng), Msg: fmt.Sprintf("%s%s refers to itself (a cycle)", mi.prefix(), key)}
		}
		return rs, nil
	}
	rs = &resState{state: 1}
	mi.res[key] = rs
	if err := mi.evalResource(rb, rs); err != nil {
		return nil, err
	}
	rs.state = 2
	return rs, nil
}

func (mi *modInst) evalResource(rb *resBlock, rs *resState) error {
	if !rb.data {
		if _, err := mi.r.checkType(rb); err != nil {
			return err
		}
	}
	addr := mi.prefix() + rb.key()
	if rb.data {
		addr = mi.prefix() + "data." + rb.key()
	}
	keys, extras, mode, err := mi.forEachInstances(rb.block.Body)
	if err != nil {
		var ee *evalError
		if !errors.As(err, &ee) {
			return err
		}
		mi.r.leaveResource(rb, arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: addr, Expr: srcText(ee.rng), Reason: ee.msg})
		rs.val = cty.DynamicVal.Mark(unk{Expr: addr})
		return nil
	}
	var vals []cty.Value
	for i, k := range keys {
		in := &instance{mi: mi, rb: rb, key: k, addr: addr + instKey(k), extra: extras[i]}
		mi.r.nInst++
		if mi.r.nInst > maxInstances {
			return &Error{Pos: pos(rb.block.DefRange()), Msg: fmt.Sprintf("over %d resource instances", maxInstances)}
		}
		v, err := mi.r.evalInstance(in)
		if err != nil {
			return err
		}
		vals = append(vals, v)
	}
	switch mode {
	case 0:
		rs.val = vals[0]
	case 1:
		rs.val = cty.EmptyTupleVal
		if len(vals) > 0 {
			rs.val = cty.TupleVal(vals)
		}
	default:
		m := map[string]cty.Value{}
		for i, k := range keys {
			m[k.AsString()] = vals[i]
		}
		rs.val = cty.ObjectVal(m)
	}
	return nil
}

// evalBody evaluates a block body without a schema: attributes to cty
// values, nested blocks (and dynamic blocks, expanded) to lists of bodies.
func (mi *modInst) evalBody(b *hclsyntax.Body, extra map[string]cty.Value, top bool, refs map[string]bool) (map[string]any, error) {
	out := map[string]any{}
	for _, a := range sortedAttrs(b.Attributes) {
		if top {
			switch a.Name {
			case "count", "for_each", "depends_on", "provider":
				continue
			}
		}
		for _, t := range a.Expr.Variables() {
			if refs != nil {
				refs[t.RootName()+"."+firstName(t)] = true
			}
		}
		v, err := mi.eval(a.Expr, extra)
		if err != nil {
			return nil, err
		}
		out[a.Name] = attrVal{v: v, expr: a.Expr}
	}
	for _, blk := range b.Blocks {
		switch blk.Type {
		case "lifecycle", "provisioner", "connection", "timeouts":
			if top || blk.Type == "timeouts" {
				continue
			}
		case "dynamic":
			if err := mi.expandDynamic(blk, extra, out, refs); err != nil {
				return nil, err
			}
			continue
		}
		sub, err := mi.evalBody(blk.Body, extra, false, refs)
		if err != nil {
			return nil, err
		}
		l, _ := out[blk.Type].([]any)
		out[blk.Type] = append(l, sub)
	}
	return out, nil
}

func firstName(t hcl.Traversal) string {
	n, _ := step(t, 1)
	return n
}

// attrVal is an evaluated attribute with the expression it came from.
type attrVal struct {
	v    cty.Value
	expr hcl.Expression
}

func (mi *modInst) expandDynamic(blk *hclsyntax.Block, extra map[string]cty.Value, out map[string]any, refs map[string]bool) error {
	if len(blk.Labels) != 1 {
		return &Error{Pos: pos(blk.TypeRange), Msg: "a dynamic block needs one label"}
	}
	label := blk.Labels[0]
	fe := blk.Body.Attributes["for_each"]
	if fe == nil {
		return &Error{Pos: pos(blk.TypeRange), Msg: "a dynamic block needs for_each"}
	}
	iter := label
	if a := blk.Body.Attributes["iterator"]; a != nil {
		t, diags := hcl.AbsTraversalForExpr(a.Expr)
		if diags.HasErrors() || len(t) != 1 {
			return &Error{Pos: pos(a.Expr.Range()), Msg: "iterator must be a single name"}
		}
		iter = t.RootName()
	}
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if content == nil {
		return &Error{Pos: pos(blk.TypeRange), Msg: "a dynamic block needs a content block"}
	}
	v, err := mi.eval(fe.Expr, extra)
	if err != nil {
		return err
	}
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return &evalError{rng: fe.Expr.Range(), msg: fmt.Sprintf("dynamic %q: for_each is known only after apply", label)}
	}
	if v.IsNull() || !v.CanIterateElements() {
		if v.IsNull() {
			return nil
		}
		return &Error{Pos: pos(fe.Expr.Range()), Msg: fmt.Sprintf("dynamic %q: for_each needs a collection, not %s", label, v.Type().FriendlyName())}
	}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if v.Type().IsSetType() {
			k = e
		}
		x := map[string]cty.Value{}
		for kk, vv := range extra {
			x[kk] = vv
		}
		x[iter] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})
		sub, err := mi.evalBody(content.Body, x, false, refs)
		if err != nil {
			return err
		}
		l, _ := out[label].([]any)
		out[label] = append(l, sub)
	}
	if _, ok := out[label]; !ok {
		out[label] = []any{}
	}
	return nil
}

// bodyToCty turns an evaluated body into the object expressions read.
func bodyToCty(b map[string]any) cty.Value {
	m := map[string]cty.Value{}
	for k, x := range b {
		switch t := x.(type) {
		case attrVal:
			m[k] = t.v
		case cty.Value:
			m[k] = t
		case []any:
			var l []cty.Value
			for _, e := range t {
				l = append(l, bodyToCty(e.(map[string]any)))
			}
			if len(l) == 0 {
				m[k] = cty.EmptyTupleVal
			} else {
				m[k] = cty.TupleVal(l)
			}
		}
	}
	return cty.ObjectVal(m)
}

// withUnknowns adds, for each attribute path expressions read that the
// value lacks, a named unknown: what the provider computes at apply.
func withUnknowns(v cty.Value, paths [][]hcl.Traverser, rel map[string]bool, mark func(path string) unk) cty.Value {
	for _, p := range paths {
		v = addPath(v, p, "", mark)
	}
	if v.Type().IsObjectType() && !v.IsMarked() {
		m := v.AsValueMap()
		if m == nil {
			m = map[string]cty.Value{}
		}
		changed := false
		for n := range rel {
			if _, ok := m[n]; !ok {
				m[n] = cty.DynamicVal.Mark(mark(n))
				changed = true
			}
		}
		if changed {
			v = cty.ObjectVal(m)
		}
	}
	return v
}

func addPath(v cty.Value, p []hcl.Traverser, prefix string, mark func(string) unk) cty.Value {
	if len(p) == 0 || v.IsMarked() || !v.IsKnown() || v.IsNull() {
		return v
	}
	switch s := p[0].(type) {
	case hcl.TraverseAttr:
		if !v.Type().IsObjectType() {
			return v
		}
		path := joinPath(prefix, s.Name)
		m := v.AsValueMap()
		if m == nil {
			m = map[string]cty.Value{}
		}
		cur, ok := m[s.Name]
		if ok && len(p) > 1 && cur.IsKnown() && !cur.IsMarked() && cur.Type().IsTupleType() && cur.LengthInt() == 0 {
			// An optional, computed block the configuration left empty
			// (a dynamic block over nothing): the provider fills it.
			ok = false
		}
		if !ok {
			cur = shape(p[1:], path, mark)
		} else {
			cur = addPath(cur, p[1:], path, mark)
		}
		m[s.Name] = cur
		return cty.ObjectVal(m)
	case hcl.TraverseIndex:
		if !v.Type().IsTupleType() || s.Key.Type() != cty.Number {
			return v
		}
		l := v.AsValueSlice()
		i, _ := s.Key.AsBigFloat().Int64()
		if i < 0 || int(i) >= len(l) {
			return v
		}
		l[i] = addPath(l[i], p[1:], joinPath(prefix, fmt.Sprint(i)), mark)
		return cty.TupleVal(l)
	}
	return v
}

// shape builds the value an unset computed attribute has for the path
// expressions read: nested objects and one-element lists down to a named
// unknown leaf.
func shape(p []hcl.Traverser, prefix string, mark func(string) unk) cty.Value {
	if len(p) == 0 {
		return cty.DynamicVal.Mark(mark(prefix))
	}
	switch s := p[0].(type) {
	case hcl.TraverseAttr:
		return cty.ObjectVal(map[string]cty.Value{s.Name: shape(p[1:], joinPath(prefix, s.Name), mark)})
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.Number {
			i, _ := s.Key.AsBigFloat().Int64()
			if i >= 0 && i < 16 {
				l := make([]cty.Value, i+1)
				for j := range l {
					l[j] = shape(p[1:], joinPath(prefix, fmt.Sprint(j)), mark)
				}
				return cty.TupleVal(l)
			}
		}
	}
	return cty.DynamicVal.Mark(mark(prefix))
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func srcText(r hcl.Range) string {
	if r.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package tfread

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/privaks/privaks/internal/arm"
)

const maxPlanBytes = 256 << 20

// plannedRes is one resource instance of a plan: its planned values and
// which of its attributes are known only after apply.
type plannedRes struct {
	typ, name, mode string
	index           any
	values          map[string]any
	afterUnknown    any
}

// ReadPlan reads a plan's JSON (terraform show -json plan.out). The
// planned values are the resources' attributes; what the plan leaves
// unknown becomes named unknowns. With dir (the configuration the plan was
// made from), the configuration is read as Read does, with the data
// sources the plan read as given values, and every attribute the plan
// knows replaces the configuration's value: references the plan cannot
// resolve (the ID of a subnet not yet created) stay symbolic.
func ReadPlan(path, dir string, opt Options) (*arm.Set, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("read plan: %v", err)}
	}
	if st.Size() > maxPlanBytes {
		return nil, &Error{Pos: arm.Pos{File: path}, Msg: fmt.Sprintf("plan is %d bytes, over the %d-byte limit", st.Size(), maxPlanBytes)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("read plan: %v", err)}
	}
	var p tfjson.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, &Error{Pos: arm.Pos{File: path}, Msg: fmt.Sprintf("not a plan's JSON (terraform show -json plan.out): %v", err)}
	}
	if err := p.Validate(); err != nil {
		return nil, &Error{Pos: arm.Pos{File: path}, Msg: err.Error()}
	}
	planned := map[string]*plannedRes{}
	if p.PlannedValues != nil {
		walkPlanModule(p.PlannedValues.RootModule, planned)
	}
	for _, rc := range p.ResourceChanges {
		if pr := planned[rc.Address]; pr != nil && rc.Change != nil {
			pr.afterUnknown = rc.Change.AfterUnknown
		}
	}
	data := map[string]*plannedRes{}
	if p.PriorState != nil && p.PriorState.Values != nil {
		walkPlanModule(p.PriorState.Values.RootModule, data)
	}
	if dir != "" {
		if opt.Data == nil {
			opt.Data = map[string]any{}
		}
		for addr, d := range data {
			if d.mode == "data" && d.index == nil {
				if _, given := opt.Data[addr]; !given {
					opt.Data[addr] = d.values
				}
			}
		}
		r, root, err := load(dir, opt)
		if err != nil {
			return nil, err
		}
		r.planned = planned
		set, err := r.build(root)
		if set != nil {
			set.Source = "terraform-plan:" + path
		}
		return set, err
	}
	return readPlanOnly(path, planned, addressPositions(b), opt)
}

var addressKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"address"\s*:\s*"((?:[^"\\]|\\.)*)"`) })

// addressPositions returns where each resource of the plan's
// planned_values is, by address: the line and column of its "address"
// key, the place a plan-only read gives the resource and what it leaves
// out (tfjson's types keep no offsets). The first occurrence wins: a
// resource's address comes before its values in Terraform's output.
func addressPositions(b []byte) map[string]hcl.Pos {
	out := map[string]hcl.Pos{}
	start, end, ok := topLevelValue(b, "planned_values")
	if !ok {
		return out
	}
	line, col0, i := 1, 0, 0 // col0: offset where the current line starts
	for _, m := range addressKey().FindAllSubmatchIndex(b[start:end], -1) {
		var addr string
		if err := json.Unmarshal(b[start+m[2]-1:start+m[3]+1], &addr); err != nil {
			continue
		}
		off := start + m[0]
		for ; i < off; i++ {
			if b[i] == '\n' {
				line, col0 = line+1, i+1
			}
		}
		if _, seen := out[addr]; !seen {
			out[addr] = hcl.Pos{Line: line, Column: utf8.RuneCount(b[col0:off]) + 1, Byte: off}
		}
	}
	return out
}

// topLevelValue returns the byte range of the value of key in the JSON
// object b.
func topLevelValue(b []byte, key string) (int, int, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, 0, false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return 0, 0, false
		}
		from := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return 0, 0, false
		}
		if k == key {
			return int(from), int(dec.InputOffset()), true
		}
	}
	return 0, 0, false
}

func walkPlanModule(m *tfjson.StateModule, out map[string]*plannedRes) {
	if m == nil {
		return
	}
	for _, r := range m.Resources {
		out[r.Address] = &plannedRes{typ: r.Type, name: r.Name, mode: string(r.Mode), index: r.Index, values: r.AttributeValues}
	}
	for _, c := range m.ChildModules {
		walkPlanModule(c, out)
	}
}

// planValue converts planned JSON values to the object expressions see,
// with named unknowns where the plan has none.
func planValue(values map[string]any, afterUnknown any, mark func(string) unk) (cty.Value, error) {
	b, err := json.Marshal(values)
	if err != nil {
		return cty.NilVal, err
	}
	ty, err := ctyjson.ImpliedType(b)
	if err != nil {
		return cty.NilVal, err
	}
	v, err := ctyjson.Unmarshal(b, ty)
	if err != nil {
		return cty.NilVal, err
	}
	return withAfterUnknown(v, afterUnknown, "", mark), nil
}

func withAfterUnknown(v cty.Value, au any, path string, mark func(string) unk) cty.Value {
	switch t := au.(type) {
	case bool:
		if t {
			return cty.DynamicVal.Mark(mark(path))
		}
	case map[string]any:
		m := map[string]cty.Value{}
		if !v.IsNull() && v.IsKnown() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
			m = v.AsValueMap()
			if m == nil {
				m = map[string]cty.Value{}
			}
		}
		for k, x := range t {
			cur, ok := m[k]
			if !ok {
				cur = cty.NullVal(cty.DynamicPseudoType)
			}
			m[k] = withAfterUnknown(cur, x, joinPath(path, k), mark)
		}
		return cty.ObjectVal(m)
	case []any:
		if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() {
			return v
		}
		l := v.AsValueSlice()
		for i, x := range t {
			if i < len(l) {
				l[i] = withAfterUnknown(l[i], x, joinPath(path, fmt.Sprint(i)), mark)
			}
		}
		if len(l) == 0 {
			return v
		}
		return cty.TupleVal(l)
	}
	return v
}

// overlayPlan replaces an instance's attribute values with those the plan
// knows wholly; what the plan leaves unknown keeps the configuration's
// (symbolic) value.
func (r *reader) overlayPlan(in *instance) {
	pr := r.planned[in.addr]
	if pr == nil || in.body == nil {
		return
	}
	for k, pv := range pr.values {
		if pv == nil {
			continue
		}
		if au, ok := pr.afterUnknown.(map[string]any); ok && au[k] != nil && au[k] != false {
			continue // partly unknown at plan time: keep the configuration's
		}
		v, err := planValue(map[string]any{k: pv}, nil, nil)
		if err != nil {
			continue
		}
		x := v.GetAttr(k)
		switch cur := in.body[k].(type) {
		case attrVal:
			in.body[k] = attrVal{v: x, expr: cur.expr}
		case []any:
			// Nested blocks: the plan's list of objects replaces them.
			if l := objectsAsBlocks(attrVal{v: x}); l != nil {
				in.body[k] = l
			}
		default:
			in.body[k] = attrVal{v: x, expr: hcl.StaticExpr(x, hcl.Range{})}
		}
	}
}

// readPlanOnly builds the set from planned values alone: references
// between resources are what the plan resolved (known IDs), everything
// else a named unknown.
func readPlanOnly(path string, planned map[string]*plannedRes, at map[string]hcl.Pos, opt Options) (*arm.Set, error) {
	r := &reader{rootDir: ".", opt: opt, scope: opt.Scope, modules: map[string]*module{}, src: map[string][]byte{},
		seenLeft: map[string]bool{}, usedData: map[string]bool{}}
	if r.scope.Subscription == "" {
		r.scope = arm.DefaultScope
	}
	addrs := make([]string, 0, len(planned))
	for a, pr := range planned {
		if pr.mode == "managed" {
			addrs = append(addrs, a)
		}
	}
	sort.Strings(addrs)
	for _, addr := range addrs {
		pr := planned[addr]
		p := at[addr] // not found: line 0, the file only (never a made-up 1:1)
		blk := &hclsyntax.Block{Type: "resource", Labels: []string{pr.typ, pr.name},
			TypeRange: hcl.Range{Filename: path, Start: p, End: p}}
		here := pos(blk.TypeRange)
		rb := &resBlock{typ: pr.typ, name: pr.name, block: blk}
		in := &instance{rb: rb, addr: addr}
		// First pass without unknowns to build the ID; then mark.
		v, err := planValue(pr.values, nil, nil)
		if err != nil {
			return nil, &Error{Pos: arm.Pos{File: path}, Msg: fmt.Sprintf("%s: %v", addr, err)}
		}
		in.body = ctyBody(v)
		prov := providerOf(pr.typ)
		mp := mappings()[pr.typ]
		switch {
		case mp != nil:
			id, err := mp.idOf(r, in)
			if err != nil {
				l := arm.LeftOut{Pos: here, Resource: addr, Type: mp.arm, Reason: err.Error()}
				in.left = &l
				r.leaveResource(rb, l)
				break
			}
			in.id, in.mp = id, mp
			v, _ = planValue(pr.values, pr.afterUnknown, func(p string) unk {
				return unk{Ref: string(id), TF: pr.typ, Path: p, Expr: addr + tfPath(p)}
			})
			in.body = ctyBody(v)
		case utilityProviders[prov]:
			continue
		default:
			l := arm.LeftOut{Pos: here, Resource: addr, Type: pr.typ, Reason: "resource type " + pr.typ + " is not modelled", Missing: "resource type " + pr.typ}
			r.leaveResource(rb, l)
			continue
		}
		r.insts = append(r.insts, in)
	}
	set := &arm.Set{Scope: r.scope, Source: "terraform-plan:" + path, Outputs: map[string]any{}}
	r.mapAll(set)
	set.Coverage.Declared = r.declared
	set.Coverage.Merge(arm.Coverage{LeftOut: r.leftOut})
	set.Scope = r.setScope(set)
	return set, nil
}

// ctyBody turns an object value into an evaluated body: attributes, and
// lists of objects readable as blocks.
func ctyBody(v cty.Value) map[string]any {
	out := map[string]any{}
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return out
	}
	for k, x := range v.AsValueMap() {
		out[k] = attrVal{v: x, expr: hcl.StaticExpr(x, hcl.Range{})}
	}
	return out
}

package tfread

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/privaks/privaks/internal/arm"
)

// Options are what a user gives besides the configuration.
type Options struct {
	// Vars are --var NAME=VALUE, applied in order after VarFiles.
	Vars []string
	// VarFiles are --var-file paths, applied in order after
	// terraform.tfvars and *.auto.tfvars.
	VarFiles []string
	// Data gives the values of data sources and terraform_remote_state:
	// address ("data.azurerm_subnet.aks", "module.net.data.x.y") to the
	// object Terraform would read.
	Data map[string]any
	// Scope is the subscription and tenant IDs are built in; zero means
	// arm.DefaultScope (or the azurerm provider block's subscription_id).
	Scope arm.Scope
}

// ReadDataFile reads a --terraform-data JSON file: an object of data source
// addresses to their attribute values.
func ReadDataFile(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("read %s: %v", path, err)}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, &Error{Pos: arm.Pos{File: path}, Msg: fmt.Sprintf("want a JSON object of data source addresses to values: %v", err)}
	}
	for k := range m {
		if !strings.Contains(k, "data.") {
			return nil, &Error{Pos: arm.Pos{File: path}, Msg: fmt.Sprintf("key %q is not a data source address (data.TYPE.NAME, module.M.data.TYPE.NAME)", k)}
		}
	}
	return m, nil
}

type reader struct {
	rootDir  string
	opt      Options
	scope    arm.Scope
	modules  map[string]*module
	modJSON  map[string]string
	rootVars map[string]rawVar
	funcs    map[string]function.Function
	src      map[string][]byte
	bytes    int
	work     int
	nInst    int
	nMods    int

	insts    []*instance
	leftOut  []arm.LeftOut
	declared int
	seenLeft map[string]bool
	usedData map[string]bool
	planned  map[string]*plannedRes // ReadPlan with a configuration
	// lockMajor is azurerm's major version in .terraform.lock.hcl.
	lockMajor int
}

// Read reads the Terraform root module in dir.
func Read(dir string, opt Options) (*arm.Set, error) {
	r, root, err := load(dir, opt)
	if err != nil {
		return nil, err
	}
	return r.build(root)
}

func load(dir string, opt Options) (*reader, *modInst, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, &Error{Msg: fmt.Sprintf("read Terraform directory: %v", err)}
	}
	if !st.IsDir() {
		return nil, nil, &Error{Pos: arm.Pos{File: dir}, Msg: "--terraform wants the root module's directory, not a file"}
	}
	r := &reader{rootDir: dir, opt: opt, scope: opt.Scope, modules: map[string]*module{}, rootVars: map[string]rawVar{},
		src: map[string][]byte{}, seenLeft: map[string]bool{}, usedData: map[string]bool{}}
	if r.scope.Subscription == "" {
		r.scope = arm.DefaultScope
	}
	r.funcs = r.functions(dir)
	r.lockMajor = lockedAzurermMajor(dir)
	r.modJSON = readModulesJSON(dir)
	m, err := r.loadModule(dir)
	if err != nil {
		return nil, nil, err
	}
	if len(m.resources) == 0 && len(m.calls) == 0 && len(m.jsonFile) == 0 {
		return nil, nil, &Error{Pos: arm.Pos{File: dir}, Msg: "no Terraform resources or modules in this directory (.tf files)"}
	}
	if err := r.loadVars(m); err != nil {
		return nil, nil, err
	}
	var missing []string
	var first arm.Pos
	for _, name := range sortedKeys(m.vars) {
		if _, ok := r.rootVars[name]; !ok && m.vars[name].block.Body.Attributes["default"] == nil {
			if missing == nil {
				first = pos(m.vars[name].block.DefRange())
			}
			missing = append(missing, name)
		}
	}
	if missing != nil {
		return nil, nil, &Error{Pos: first, Msg: fmt.Sprintf("root variables without a value: %s (give them with --var NAME=VALUE or --var-file)", strings.Join(missing, ", "))}
	}
	root := newModInst(r, m, "", "", nil, nil, nil, 0)
	r.providerScope(root)
	return r, root, nil
}

func (r *reader) display(path string) string {
	if rel, err := filepath.Rel(r.rootDir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Clean(r.rootDir)), rel))
	}
	return filepath.ToSlash(path)
}

func (r *reader) relDir(dir string) string {
	rel, err := filepath.Rel(r.rootDir, dir)
	if err != nil {
		return dir
	}
	if rel == "." {
		return "."
	}
	return "./" + filepath.ToSlash(rel)
}

func joinDir(base, rel string) string { return filepath.Clean(filepath.Join(base, rel)) }

// loadVars reads root variable values in Terraform's order: tfvars
// files, auto.tfvars, --var-file, --var.
func (r *reader) loadVars(m *module) error {
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := os.Stat(filepath.Join(r.rootDir, n)); err == nil {
			files = append(files, filepath.Join(r.rootDir, n))
		}
	}
	auto, _ := filepath.Glob(filepath.Join(r.rootDir, "*.auto.tfvars"))
	autoJSON, _ := filepath.Glob(filepath.Join(r.rootDir, "*.auto.tfvars.json"))
	auto = append(auto, autoJSON...)
	sort.Strings(auto)
	files = append(files, auto...)
	files = append(files, r.opt.VarFiles...)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return &Error{Msg: fmt.Sprintf("read variables file: %v", err)}
		}
		var file *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(f, ".json") {
			file, diags = hcljson.Parse(src, f)
		} else {
			file, diags = hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		}
		if diags.HasErrors() {
			return diagError(diags)
		}
		attrs, diags := file.Body.JustAttributes()
		if diags.HasErrors() {
			return diagError(diags)
		}
		for name, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				return diagError(diags)
			}
			if m.vars[name] == nil {
				continue // Terraform warns and ignores undeclared names in files
			}
			r.rootVars[name] = rawVar{val: v, where: pos(a.NameRange)}
		}
	}
	for _, kv := range r.opt.Vars {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return &Error{Msg: fmt.Sprintf("--var %q: want NAME=VALUE", kv)}
		}
		if m.vars[name] == nil {
			return &Error{Msg: fmt.Sprintf("--var %s: the root module declares no variable %q", name, name)}
		}
		s := value
		r.rootVars[name] = rawVar{str: &s, where: arm.Pos{File: "--var " + name}}
	}
	return nil
}

// providerScope takes subscription_id and tenant_id from the root's azurerm
// provider block when they are known.
func (r *reader) providerScope(root *modInst) {
	p := root.m.provider
	if p == nil {
		return
	}
	for attr, dst := range map[string]*string{"subscription_id": &r.scope.Subscription, "tenant_id": &r.scope.TenantID} {
		a := p.Body.Attributes[attr]
		if a == nil {
			continue
		}
		if v, err := root.eval(a.Expr, nil); err == nil {
			if v, _ = v.Unmark(); v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() != "" {
				*dst = v.AsString()
			}
		}
	}
}

func (r *reader) leave(l arm.LeftOut) {
	k := l.Resource + "|" + l.Reason
	if r.seenLeft[k] {
		return
	}
	r.seenLeft[k] = true
	r.leftOut = append(r.leftOut, l)
}

// leaveResource records a declared resource left out.
func (r *reader) leaveResource(rb *resBlock, l arm.LeftOut) {
	if mp := mappings()[rb.typ]; mp != nil {
		l.Type = mp.arm
	} else if l.Type == "" {
		l.Type = rb.typ
	}
	r.declared++
	r.leave(l)
}

func (r *reader) text(rng hcl.Range) string {
	src := r.src[rng.Filename]
	if src == nil || rng.End.Byte > len(src) || rng.Start.Byte > rng.End.Byte {
		return ""
	}
	s := string(rng.SliceBytes(src))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// utilityProviders create nothing in Azure: their resources are values
// (random names, keys, times), named unknowns where only apply knows them.
var utilityProviders = map[string]bool{"random": true, "tls": true, "time": true, "null": true, "local": true,
	"terraform": true, "cloudinit": true, "archive": true, "template": true}

func providerOf(typ string) string {
	p, _, _ := strings.Cut(typ, "_")
	return p
}

// evalInstance evaluates one resource instance and returns the value
// expressions see.
func (r *reader) evalInstance(in *instance) (cty.Value, error) {
	mi, rb := in.mi, in.rb
	in.refs = map[string]bool{}
	body, err := mi.evalBody(rb.block.Body, in.extra, true, in.refs)
	mark := func(path string) unk {
		return unk{Ref: string(in.id), TF: rb.typ, Path: path, Expr: in.addr + tfPath(path)}
	}
	if a := rb.block.Body.Attributes["depends_on"]; a != nil {
		if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range tup.Exprs {
				if t, diags := hcl.AbsTraversalForExpr(e); !diags.HasErrors() {
					in.deps = append(in.deps, t)
				}
			}
		}
	}
	mp := mappings()[rb.typ]
	prov := providerOf(rb.typ)
	if err != nil {
		var ee *evalError
		if !errors.As(err, &ee) {
			return cty.NilVal, err
		}
		l := arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: in.addr, Expr: r.text(ee.rng), Missing: ee.missing, Reason: ee.msg}
		if mp != nil || prov == "azurerm" || prov == "azapi" || !utilityProviders[prov] {
			in.left = &l
			r.leaveResource(rb, l)
		}
		return cty.DynamicVal.Mark(unk{Expr: in.addr}), nil
	}
	in.body = body
	obj := bodyToCty(body)
	switch {
	case mp != nil:
		in.mp = mp
		id, err := mp.idOf(r, in)
		if err != nil {
			l := arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: in.addr, Type: mp.arm, Reason: err.Error()}
			in.left = &l
			r.leaveResource(rb, l)
		} else {
			in.id = id
			obj = setAttr(obj, "id", cty.StringVal(string(id)))
		}
	case utilityProviders[prov]:
		// A value, not an Azure resource.
	case prov == "azurerm" || prov == "azapi":
		reason := "resource type " + rb.typ + " is not modelled"
		if why, _ := r.checkType(rb); why != "" {
			reason = why
		}
		l := arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: in.addr, Type: rb.typ,
			Reason: reason, Missing: "resource type " + rb.typ}
		in.left = &l
		r.leaveResource(rb, l)
	default:
		l := arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: in.addr, Type: rb.typ,
			Reason: "provider " + prov + " is not modelled (only azurerm and azapi create what privaks analyses)", Missing: "provider " + prov}
		in.left = &l
		r.leaveResource(rb, l)
	}
	r.insts = append(r.insts, in)
	return withUnknowns(obj, mi.m.absPaths[rb.key()], mi.m.relNames, mark), nil
}

func setAttr(obj cty.Value, name string, v cty.Value) cty.Value {
	m := obj.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	m[name] = v
	return cty.ObjectVal(m)
}

// tfPath renders an attribute path as Terraform writes it: .a[0].b.
func tfPath(p string) string {
	var b strings.Builder
	for _, s := range strings.Split(p, ".") {
		if s == "" {
			continue
		}
		if s[0] >= '0' && s[0] <= '9' {
			b.WriteString("[" + s + "]")
		} else {
			b.WriteString("." + s)
		}
	}
	return b.String()
}

// dataVal returns a data source's value: given by the user, derived from
// the deployment scope (azurerm_client_config, azurerm_subscription), or
// named unknowns.
func (mi *modInst) dataVal(key string, rng hcl.Range) (cty.Value, error) {
	rb := mi.m.data[key]
	if rb == nil {
		return cty.NilVal, &Error{Pos: pos(rng), Msg: fmt.Sprintf("reference to undeclared data source \"data.%s\"", key)}
	}
	sk := "data." + key
	if rs := mi.res[sk]; rs != nil {
		return rs.val, nil
	}
	rs := &resState{state: 2}
	mi.res[sk] = rs
	addr := mi.prefix() + "data." + key
	r := mi.r
	mark := func(path string) unk { return unk{Expr: addr + tfPath(path)} }
	if given, ok := r.opt.Data[addr]; ok {
		r.usedData[addr] = true
		b, _ := json.Marshal(given)
		ty, err := ctyjson.ImpliedType(b)
		if err == nil {
			if v, err := ctyjson.Unmarshal(b, ty); err == nil {
				rs.val = withUnknowns(v, mi.m.absPaths[sk], nil, mark)
				return rs.val, nil
			}
		}
		return cty.NilVal, &Error{Msg: fmt.Sprintf("--terraform-data %s: %v", addr, err)}
	}
	base := cty.EmptyObjectVal
	switch rb.typ {
	case "azurerm_client_config", "azapi_client_config":
		base = cty.ObjectVal(map[string]cty.Value{"tenant_id": cty.StringVal(r.scope.TenantID),
			"subscription_id": cty.StringVal(r.scope.Subscription)})
	case "azurerm_subscription":
		if rb.block.Body.Attributes["subscription_id"] == nil {
			base = cty.ObjectVal(map[string]cty.Value{"tenant_id": cty.StringVal(r.scope.TenantID),
				"subscription_id": cty.StringVal(r.scope.Subscription), "id": cty.StringVal("/subscriptions/" + r.scope.Subscription)})
		}
	}
	keys, _, mode, err := mi.forEachInstances(rb.block.Body)
	if err != nil {
		var ee *evalError
		if !errors.As(err, &ee) {
			return cty.NilVal, err
		}
		keys, mode = nil, -1
	}
	if base.LengthInt() == 0 && (mode == -1 || len(keys) > 0) {
		r.leave(arm.LeftOut{Pos: pos(rb.block.DefRange()), Resource: addr, Type: "data." + rb.typ,
			Reason: "data source: an external input, unknown unless given (--terraform-data FILE)"})
	}
	one := func(k cty.Value) cty.Value {
		a := addr + instKey(k)
		return withUnknowns(base, mi.m.absPaths[sk], mi.m.relNames, func(path string) unk { return unk{Expr: a + tfPath(path)} })
	}
	switch mode {
	case -1:
		rs.val = cty.DynamicVal.Mark(unk{Expr: addr})
	case 0:
		rs.val = one(cty.NilVal)
	case 1:
		var l []cty.Value
		for _, k := range keys {
			l = append(l, one(k))
		}
		rs.val = cty.EmptyTupleVal
		if len(l) > 0 {
			rs.val = cty.TupleVal(l)
		}
	default:
		m := map[string]cty.Value{}
		for _, k := range keys {
			m[k.AsString()] = one(k)
		}
		rs.val = cty.ObjectVal(m)
	}
	_ = mark
	return rs.val, nil
}

// walk evaluates every resource of every module instance, in file order.
func (r *reader) walk(mi *modInst) error {
	for _, k := range mi.m.order {
		if _, err := mi.resource(mi.m.resources[k], mi.m.resources[k].block.DefRange()); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(mi.m.data) {
		if _, err := mi.dataVal(k, mi.m.data[k].block.DefRange()); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(mi.m.calls) {
		ks, err := mi.kid(name, mi.m.calls[name].block.DefRange())
		if err != nil {
			return err
		}
		for _, k := range ks.insts {
			if err := r.walk(k); err != nil {
				return err
			}
		}
	}
	for _, p := range mi.m.override {
		r.leave(arm.LeftOut{Pos: p, Resource: p.File, Reason: "override files are not merged into the configuration", Missing: "override files"})
	}
	for _, p := range mi.m.jsonFile {
		r.leave(arm.LeftOut{Pos: p, Resource: p.File, Reason: "JSON configuration syntax (.tf.json) is not read", Missing: ".tf.json files"})
	}
	return nil
}

// build evaluates everything and maps the instances to ARM resources.
func (r *reader) build(root *modInst) (*arm.Set, error) {
	if err := r.walk(root); err != nil {
		return nil, err
	}
	set := &arm.Set{Scope: r.scope, Source: "terraform:" + filepath.ToSlash(r.rootDir), Outputs: map[string]any{}}
	for _, name := range sortedKeys(root.m.outputs) {
		v, err := root.output(name, root.m.outputs[name].SrcRange)
		if err != nil {
			return nil, err
		}
		set.Outputs[name] = r.toGo(v)
	}
	for _, in := range r.insts {
		r.overlayPlan(in)
	}
	r.mapAll(set)
	set.Coverage.Declared = r.declared
	set.Coverage.Merge(arm.Coverage{LeftOut: r.leftOut})
	set.Scope = r.setScope(set)
	return set, nil
}

// setScope names the resource group and location most resources share.
func (r *reader) setScope(set *arm.Set) arm.Scope {
	sc := r.scope
	groups, locs := map[string]int{}, map[string]int{}
	for _, res := range set.Resources {
		if p, err := arm.ParseResourceID(string(res.ID)); err == nil && p.ResourceGroup != "" {
			groups[p.ResourceGroup]++
		}
		if res.Location != "" && res.Location != "global" {
			locs[res.Location]++
		}
	}
	best := func(m map[string]int) string {
		b, n := "", -1
		for _, k := range sortedKeys(m) {
			if m[k] > n {
				b, n = k, m[k]
			}
		}
		return b
	}
	if g := best(groups); g != "" {
		sc.ResourceGroup = g
	}
	if l := best(locs); l != "" {
		sc.Location = l
	}
	return sc
}

package armeval

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Option configures Evaluate.
type Option func(*options)

type options struct {
	scope      arm.Scope
	params     map[string]any
	source     string
	deployName string
}

// WithScope sets the subscription, resource group, location and tenant the
// template is deployed to (default arm.DefaultScope).
func WithScope(s arm.Scope) Option { return func(o *options) { o.scope = s } }

// WithParameters supplies parameter values, as ReadParameters returns them.
// Values are literals: strings that look like expressions are not
// evaluated. Parameters without a value or default evaluate to Unknown.
func WithParameters(p map[string]any) Option { return func(o *options) { o.params = p } }

// WithSource names where the template came from, for Set.Source.
func WithSource(src string) Option { return func(o *options) { o.source = src } }

// WithDeploymentName sets what deployment().name returns (default
// "azuredeploy").
func WithDeploymentName(name string) Option { return func(o *options) { o.deployName = name } }

// Evaluate evaluates t into a Set: one resource per deployed resource, with
// concrete IDs and every expression evaluated (see the package comment).
//
// Problems with single resources (an unknown function, a misused argument)
// do not stop evaluation: the resource is left out and Evaluate returns
// the Set together with an error joining every problem. A nil Set means the
// template could not be evaluated at all.
func Evaluate(t *arm.Template, opts ...Option) (*arm.Set, error) {
	o := options{scope: arm.DefaultScope, deployName: "azuredeploy"}
	for _, opt := range opts {
		opt(&o)
	}
	if t == nil {
		return nil, errors.New("evaluate template: no template")
	}
	if o.scope.Subscription == "" {
		return nil, errors.New("evaluate template: scope has no subscription")
	}
	ev := newEvaluator(o.scope, o.source)
	scope := o.scope
	if strings.Contains(strings.ToLower(t.Schema), "subscriptiondeploymenttemplate") {
		scope.ResourceGroup = ""
	}
	root := ev.newTemplate(t, o.params, scope, scope, o.deployName, nil)
	outputs, err := root.run()
	if err != nil {
		return nil, err
	}
	ev.set.Outputs = outputs
	return ev.set, errors.Join(ev.errs...)
}

// evaluator holds what one Evaluate call shares across nested templates.
type evaluator struct {
	set       *arm.Set
	errs      []error
	exprs     map[string]parsed
	instances map[string]*instance      // by ID key, every expanded resource
	states    map[string]map[string]any // nested deployment ID key → {"outputs": ...}
}

func newEvaluator(scope arm.Scope, source string) *evaluator {
	return &evaluator{
		exprs:     map[string]parsed{},
		instances: map[string]*instance{},
		states:    map[string]map[string]any{},
		set:       &arm.Set{Scope: scope, Source: source},
	}
}

type parsed struct {
	n   node
	err error
}

func (ev *evaluator) parse(src string) (node, error) {
	if p, ok := ev.exprs[src]; ok {
		return p.n, p.err
	}
	n, err := parseExpr(src)
	ev.exprs[src] = parsed{n, err}
	return n, err
}

// deploymentState returns the evaluated runtime properties of a nested
// deployment, evaluating the deployment first if it has not been yet.
func (ev *evaluator) deploymentState(id arm.ResourceID) (map[string]any, bool) {
	if id == "" {
		return nil, false
	}
	if s, ok := ev.states[id.Key()]; ok {
		return s, true
	}
	if in, ok := ev.instances[id.Key()]; ok && in.isDeployment() && in.state == 0 {
		in.evaluate()
		s, ok := ev.states[id.Key()]
		return s, ok
	}
	return nil, false
}

// tmpl is one template being evaluated: the root or a nested deployment's.
type tmpl struct {
	ev         *evaluator
	t          *arm.Template
	given      map[string]any // lower-case name → literal value
	params     map[string]*slot
	vars       map[string]*slot
	udfs       map[string]*udf
	outer      *tmpl // outer-scope nested template: parameters and variables come from here
	baseLoops  *loop
	exprScope  arm.Scope // what resourceGroup(), subscription() and resourceId() see
	target     arm.Scope // where the resources are deployed
	deployName string

	insts      []*instance
	byName     map[string][]arm.ResourceID // lower-case full name
	byTypeName map[string][]arm.ResourceID // lower-case "type/name"
	byLoop     map[string][]arm.ResourceID // lower-case copy loop name
	dropped    map[string]bool             // lower-case names and IDs of resources whose condition is false
}

// slot is a lazily evaluated parameter or variable.
type slot struct {
	name  string
	raw   any
	loop  *propLoop // variable copy loop
	decl  *arm.Parameter
	state int // 0 new, 1 evaluating, 2 done
	val   any
	err   error
}

func (ev *evaluator) newTemplate(t *arm.Template, given map[string]any, exprScope, target arm.Scope, deployName string, outer *tmpl) *tmpl {
	x := &tmpl{
		ev: ev, t: t, outer: outer, exprScope: exprScope, target: target, deployName: deployName,
		given: map[string]any{}, params: map[string]*slot{}, vars: map[string]*slot{}, udfs: map[string]*udf{},
		byName: map[string][]arm.ResourceID{}, byTypeName: map[string][]arm.ResourceID{},
		byLoop: map[string][]arm.ResourceID{}, dropped: map[string]bool{},
	}
	for k, v := range given {
		x.given[strings.ToLower(k)] = normalize(v)
	}
	for k, p := range t.Parameters {
		x.params[strings.ToLower(k)] = &slot{name: k, decl: &p}
	}
	for k, v := range t.Variables {
		if strings.EqualFold(k, "copy") {
			if loops, ok := propertyLoops(v); ok {
				for i := range loops {
					x.vars[strings.ToLower(loops[i].name)] = &slot{name: loops[i].name, loop: &loops[i]}
				}
				continue
			}
		}
		x.vars[strings.ToLower(k)] = &slot{name: k, raw: v}
	}
	x.addFunctions(t.Functions)
	if outer != nil {
		for k, u := range outer.udfs {
			if _, ok := x.udfs[k]; !ok {
				x.udfs[k] = u
			}
		}
	}
	return x
}

func (t *tmpl) frame() *frame { return &frame{t: t, loops: t.baseLoops} }

// parameter returns a parameter's value: the supplied literal, else the
// evaluated default, else an Unknown.
func (t *tmpl) parameter(name string) (any, error) {
	if t.outer != nil {
		return t.outer.parameter(name)
	}
	s, ok := t.params[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("parameter %q is not declared", name)
	}
	return t.resolve(s, "parameter", func() (any, error) {
		if v, ok := t.given[strings.ToLower(name)]; ok {
			return v, nil
		}
		if s.decl.DefaultValue != nil {
			return (&frame{t: t}).evalValue(s.decl.DefaultValue)
		}
		return arm.Unknown{Expr: fmt.Sprintf("parameters(%s)", quote(s.name))}, nil
	})
}

// variable returns a variable's evaluated value.
func (t *tmpl) variable(name string) (any, error) {
	if t.outer != nil {
		return t.outer.variable(name)
	}
	s, ok := t.vars[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("variable %q is not declared", name)
	}
	return t.resolve(s, "variable", func() (any, error) {
		f := &frame{t: t}
		if s.loop != nil {
			return f.expandPropertyLoop(*s.loop)
		}
		return f.evalValue(s.raw)
	})
}

func (t *tmpl) resolve(s *slot, kind string, eval func() (any, error)) (any, error) {
	switch s.state {
	case 1:
		return nil, fmt.Errorf("%s %q refers to itself", kind, s.name)
	case 0:
		s.state = 1
		s.val, s.err = eval()
		if s.err != nil {
			s.err = fmt.Errorf("evaluate %s %q: %w", kind, s.name, s.err)
		}
		s.state = 2
	}
	return copyValue(s.val), s.err
}

// run expands and evaluates the template's resources and returns its
// evaluated outputs.
func (t *tmpl) run() (map[string]any, error) {
	t.expand(t.t.Resources, t.frame(), nil)
	for _, in := range t.insts {
		in.evaluate()
	}
	return t.outputs(), nil
}

// outputs evaluates the template's outputs; a failing output is reported
// and left out.
func (t *tmpl) outputs() map[string]any {
	out := map[string]any{}
	for name, o := range t.t.Outputs {
		f := t.frame()
		if o.Condition != nil {
			c, err := f.evalValue(o.Condition)
			if err != nil {
				t.ev.errs = append(t.ev.errs, fmt.Errorf("evaluate output %q condition: %w", name, err))
				continue
			}
			if b, ok := c.(bool); ok && !b {
				continue
			}
		}
		v, err := f.evalValue(o.Value)
		if err != nil {
			t.ev.errs = append(t.ev.errs, fmt.Errorf("evaluate output %q: %w", name, err))
			continue
		}
		out[name] = v
	}
	return out
}

// udf is a user-defined function.
type udf struct {
	params []string
	output any
}

func (t *tmpl) addFunctions(fns []any) {
	for _, ns := range fns {
		m, _ := ns.(map[string]any)
		nsName, _ := lookupFold(m, "namespace")
		members, _ := lookupFold(m, "members")
		mm, _ := members.(map[string]any)
		for name, def := range mm {
			d, _ := def.(map[string]any)
			u := &udf{}
			ps, _ := lookupFold(d, "parameters")
			pa, _ := ps.([]any)
			for _, p := range pa {
				pm, _ := p.(map[string]any)
				n, _ := lookupFold(pm, "name")
				s, _ := n.(string)
				u.params = append(u.params, strings.ToLower(s))
			}
			outDef, _ := lookupFold(d, "output")
			om, _ := outDef.(map[string]any)
			u.output, _ = lookupFold(om, "value")
			t.udfs[strings.ToLower(fmt.Sprint(nsName)+"."+name)] = u
		}
	}
}

func (f *frame) callUser(n *call, lname, src string) (any, error) {
	u, ok := f.t.udfs[lname]
	if !ok {
		return nil, fmt.Errorf("unknown function %q", n.name)
	}
	if len(n.args) != len(u.params) {
		return nil, fmt.Errorf("call %s: %s takes %d arguments, got %d", src[n.start:n.end], n.name, len(u.params), len(n.args))
	}
	locals := make(map[string]any, len(u.params))
	for i, a := range n.args {
		v, err := f.eval(a, src)
		if err != nil {
			return nil, err
		}
		locals[u.params[i]] = v
	}
	g := &frame{t: f.t, locals: locals}
	v, err := g.evalValue(u.output)
	if err != nil {
		return nil, fmt.Errorf("call %s: %w", src[n.start:n.end], err)
	}
	return v, nil
}

// toTemplate converts an inline template (generic JSON) into arm.Template.
func toTemplate(v any) (*arm.Template, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var t arm.Template
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

package armeval

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Option configures Evaluate.
type Option func(*options)

type options struct {
	scope      arm.Scope
	params     map[string]any
	typed      map[string]Param
	strict     bool
	required   bool
	source     string
	deployName string
	mg         string
	dir        string
	readFile   func(string) ([]byte, error)
	boundScale int
}

// WithScope sets the subscription, resource group, location and tenant the
// template is deployed to (default arm.DefaultScope). A template whose
// $schema is a subscription, management group or tenant deployment
// template deploys there instead, and Location is the deployment's
// location (deployment().location).
func WithScope(s arm.Scope) Option { return func(o *options) { o.scope = s } }

// WithManagementGroup names the management group a management group scope
// template deploys to (default DefaultManagementGroup).
func WithManagementGroup(name string) Option { return func(o *options) { o.mg = name } }

// WithParameters supplies parameter values, as ReadParameters returns them.
// Values are literals: strings that look like expressions are not
// evaluated. Parameters without a value or default evaluate to Unknown
// (null when nullable). Values are not checked against the declarations;
// WithParams does that.
func WithParameters(p map[string]any) Option { return func(o *options) { o.params = p } }

// WithParams supplies parameter values with where each was given
// (ReadParametersFile, the command line) and has Evaluate check them as
// ARM does before it deploys anything: a name the template does not
// declare or a value of another type than the declared one (a
// command-line value is converted to the declared type first) is a
// *ParamError and no Set. Parameters without a value evaluate to Unknown
// unless WithRequiredParams is given too.
func WithParams(p map[string]Param) Option {
	return func(o *options) { o.typed, o.strict = p, true }
}

// WithRequiredParams makes a required parameter (no default value, not
// nullable) without a value a *ParamError, as ARM does, instead of an
// Unknown.
func WithRequiredParams() Option { return func(o *options) { o.required = true } }

// WithSource names where the template came from, for Set.Source and the
// file in Coverage positions.
func WithSource(src string) Option { return func(o *options) { o.source = src } }

// WithDeploymentName sets what deployment().name returns (default
// "azuredeploy").
func WithDeploymentName(name string) Option { return func(o *options) { o.deployName = name } }

// WithLinkedTemplates lets nested deployments with templateLink.relativePath
// read their template from dir (the directory of the template being
// evaluated) through read (os.ReadFile when nil). Without it, and always
// for templateLink.uri, linked templates are left out with the reason:
// nothing is ever fetched from the network.
func WithLinkedTemplates(dir string, read func(path string) ([]byte, error)) Option {
	return func(o *options) {
		o.dir = dir
		o.readFile = read
		if o.readFile == nil {
			o.readFile = os.ReadFile
		}
	}
}

// WithBoundScale multiplies the bounds privaks sets on its own work
// (MaxResourcesBound and MaxWork) by k (k < 1 counts as 1), for synthetic
// estates larger than any real deployment: the scale benchmarks evaluate
// 10,000 spokes (180,161 resources, nested deployments of at most 800) as
// one. The bounds stay bounds; ARM's own limits (resources per template,
// parameters, variables, copy count) do not change. ReadTemplateScaled is
// its counterpart for the template's size.
func WithBoundScale(k int) Option { return func(o *options) { o.boundScale = max(k, 1) } }

// Evaluate evaluates t into a Set: one resource per deployed resource, with
// concrete IDs and every expression evaluated (see the package comment).
//
// Problems with single resources (an unknown function, a name only known
// at deployment time) do not stop evaluation: the resource is left out,
// recorded in Set.Coverage with its place and reason, and Evaluate returns
// the Set together with an error joining every problem. A nil Set means
// the template could not be evaluated at all: a *LimitError (a limit of
// ARM's or a bound on privaks's work was exceeded) or a *ParamError (the
// parameters do not fit the template) is bad input.
func Evaluate(t *arm.Template, opts ...Option) (*arm.Set, error) {
	o := options{scope: arm.DefaultScope, deployName: "azuredeploy", mg: DefaultManagementGroup, boundScale: 1}
	for _, opt := range opts {
		opt(&o)
	}
	if t == nil {
		return nil, errors.New("evaluate template: no template")
	}
	if o.scope.Subscription == "" {
		return nil, errors.New("evaluate template: scope has no subscription")
	}
	given := o.params
	if o.strict {
		var err error
		if given, err = checkParams(t, o.typed, o.source, o.required); err != nil {
			return nil, err
		}
	}
	ev := newEvaluator(o.scope, o.source)
	// The evaluation's maps by resource, sized for what the template and
	// its inline nested templates declare (copies counted once): grown
	// one doubling at a time, the maps of an estate of 100,000 resources
	// were rehashed a dozen times each.
	n := min(declaredInline(t.Resources, MaxDeploymentDepth), MaxResourcesBound*o.boundScale)
	ev.instances = make(map[string]*instance, n)
	ev.sizeHint = n
	ev.dir, ev.readFile = o.dir, o.readFile
	ev.maxWork, ev.maxResources = int64(MaxWork)*int64(o.boundScale), MaxResourcesBound*o.boundScale
	sc := newScope(schemaLevel(t.Schema), o.scope, o.mg)
	root := ev.newTemplate(t, given, sc, sc, o.deployName, nil)
	root.file = o.source
	outputs := root.run()
	if ev.fatal != nil {
		return nil, ev.fatal
	}
	ev.set.Outputs = outputs
	ev.set.Coverage.Merge(arm.Coverage{Declared: ev.declared, Deployments: len(ev.states), LeftOut: ev.leftOut})
	return ev.set, errors.Join(ev.errs...)
}

// evaluator holds what one Evaluate call shares across nested templates.
type evaluator struct {
	set       *arm.Set
	errs      []error
	leftOut   []arm.LeftOut
	declared  int
	instances map[string]*instance      // by ID key, every expanded resource
	states    map[string]map[string]any // nested deployment ID key → {"outputs": ...}
	dir       string
	readFile  func(string) ([]byte, error)

	// Budget: work done so far, the depth of nested user-defined function
	// and lambda calls, and the first limit breached (which ends the
	// evaluation: every later step fails with it).
	work      int64
	callDepth int
	fatal     error
	// maxWork and maxResources are MaxWork and MaxResourcesBound times
	// WithBoundScale's factor.
	maxWork      int64
	maxResources int
	// sizeHint is how many resources the template declares, for the
	// Set's maps.
	sizeHint int
}

func newEvaluator(scope arm.Scope, source string) *evaluator {
	return &evaluator{
		instances:    map[string]*instance{},
		states:       map[string]map[string]any{},
		set:          &arm.Set{Scope: scope, Source: source},
		maxWork:      MaxWork,
		maxResources: MaxResourcesBound,
	}
}

// charge adds n steps of work and fails once MaxWork is exceeded. place
// is what is being evaluated, shortened only for the error: an expression
// is charged for at every step, and shortening it each time allocated.
func (ev *evaluator) charge(n int, place string) error {
	if ev.fatal != nil {
		return ev.fatal
	}
	ev.work += int64(n)
	if ev.work > ev.maxWork {
		ev.fatal = limitf(fmt.Sprintf("evaluation work %d steps", ev.maxWork), abbrev(place),
			"the template needs more work to evaluate than any real template does (exponential growth or very long loops)")
		return ev.fatal
	}
	return nil
}

// declaredInline counts the resources rs declares, with those of the inline
// templates of nested deployments among them down to depth levels (each
// copy loop counted once): a size for the evaluation's maps, not a bound.
func declaredInline(rs []arm.Resource, depth int) int {
	n := len(rs)
	if depth == 0 {
		return n
	}
	for i := range rs {
		if !strings.EqualFold(rs[i].Type, "Microsoft.Resources/deployments") {
			continue
		}
		tm, _ := rs[i].Properties["template"].(map[string]any)
		switch inner := tm["resources"].(type) {
		case []any:
			n += declaredInlineRaw(inner, depth-1)
		case map[string]any: // symbolic names (languageVersion 2.0)
			n += len(inner)
		}
	}
	return n
}

// declaredInlineRaw is declaredInline of a nested template's resources as
// read (JSON values).
func declaredInlineRaw(rs []any, depth int) int {
	n := len(rs)
	if depth == 0 {
		return n
	}
	for _, x := range rs {
		m, _ := x.(map[string]any)
		if typ, _ := m["type"].(string); !strings.EqualFold(typ, "Microsoft.Resources/deployments") {
			continue
		}
		props, _ := m["properties"].(map[string]any)
		tm, _ := props["template"].(map[string]any)
		switch inner := tm["resources"].(type) {
		case []any:
			n += declaredInlineRaw(inner, depth-1)
		case map[string]any:
			n += len(inner)
		}
	}
	return n
}

// breach records a limit error as fatal and returns it.
func (ev *evaluator) breach(err *LimitError) error {
	if ev.fatal == nil {
		ev.fatal = err
	}
	return ev.fatal
}

type parsed struct {
	n   node
	err error
}

// parse parses an expression (without its brackets), once per template.
func (t *tmpl) parse(src string) (node, error) {
	if p, ok := t.exprs[src]; ok {
		return p.n, p.err
	}
	ev := t.ev
	if len(src) > MaxExpressionChars {
		return nil, ev.breach(limitf(fmt.Sprintf("%d characters in an expression (ARM limit)", MaxExpressionChars),
			abbrev(src), "%d characters", len(src)))
	}
	n, err := parseExpr(src)
	var le *LimitError
	if errors.As(err, &le) {
		return nil, ev.breach(le)
	}
	if t.exprs == nil {
		t.exprs = map[string]parsed{}
	}
	t.exprs[src] = parsed{n, err}
	return n, err
}

// abbrev shortens an expression for messages.
func abbrev(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// deploymentState returns the evaluated runtime properties of a nested
// deployment, evaluating the deployment first if it has not been yet.
func (ev *evaluator) deploymentState(id arm.ResourceID) (map[string]any, bool) {
	if id == "" {
		return nil, false
	}
	// The key built on the stack: a lookup that lower-cased the ID into a
	// new string three times was a twentieth of evaluate's allocation.
	var buf [256]byte
	key := id.AppendKey(buf[:0])
	if s, ok := ev.states[string(key)]; ok {
		return s, true
	}
	if in, ok := ev.instances[string(key)]; ok && in.isDeployment() && in.state == 0 {
		in.evaluate()
		s, ok := ev.states[string(key)]
		return s, ok
	}
	return nil, false
}

// tmpl is one template being evaluated: the root or a nested deployment's.
type tmpl struct {
	ev         *evaluator
	t          *arm.Template
	file       string         // where its resources' positions refer to
	depth      int            // nested deployments above it
	given      map[string]any // lower-case name → literal value
	params     map[string]*slot
	vars       map[string]*slot
	udfs       map[string]*udf
	outer      *tmpl // outer-scope nested template: parameters and variables come from here
	baseLoops  *loop
	exprScope  dscope // what resourceGroup(), subscription() and resourceId() see
	target     dscope // where the resources are deployed
	deployName string
	location   string // deployment().location (empty: the root's scope location)
	nestedIn   string // the nested deployment whose template this is (empty: the root)

	// exprs caches the template's parsed expressions while it runs
	// (copy loops and functions evaluate one many times). It is the
	// template's, not the evaluation's: an estate of many nested
	// deployments has few expressions in common between them, and one
	// cache for all would grow with the estate, keep every parsed
	// expression alive and cost more per lookup as it grows.
	exprs map[string]parsed

	insts      []*instance
	keys       []string                    // ID keys of the registered instances
	byName     map[string][]arm.ResourceID // lower-case full name
	byTypeName map[string][]arm.ResourceID // lower-case "type/name"
	byLoop     map[string][]arm.ResourceID // lower-case copy loop name
	bySym      map[string][]arm.ResourceID // lower-case symbolic name (and "name[i]")
	symInfo    map[string]map[string]any   // what resourceInfo() returns, by bySym key
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

func (ev *evaluator) newTemplate(t *arm.Template, given map[string]any, exprScope, target dscope, deployName string, outer *tmpl) *tmpl {
	x := &tmpl{
		ev: ev, t: t, outer: outer, exprScope: exprScope, target: target, deployName: deployName,
		given: map[string]any{}, params: map[string]*slot{}, vars: map[string]*slot{}, udfs: map[string]*udf{},
		// Sized for the declared resources: growing maps of 100,000
		// entries one rehash at a time made evaluation superlinear.
		byName: make(map[string][]arm.ResourceID, len(t.Resources)), byTypeName: make(map[string][]arm.ResourceID, len(t.Resources)),
		byLoop: map[string][]arm.ResourceID{}, bySym: map[string][]arm.ResourceID{}, symInfo: map[string]map[string]any{}, dropped: map[string]bool{},
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

// deployLocation is the location of the deployment this template runs
// in: deployment().location.
func (t *tmpl) deployLocation() string {
	if t.location != "" {
		return t.location
	}
	return t.ev.set.Scope.Location
}

func (t *tmpl) frame() *frame { return &frame{t: t, loops: t.baseLoops} }

// parameter returns a parameter's value: the supplied literal, else the
// evaluated default, else null for a nullable parameter, else an Unknown.
func (t *tmpl) parameter(name string) (any, error) {
	if t.outer != nil {
		return t.outer.parameter(name)
	}
	s, ok := t.params[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("parameter %q is not declared", name)
	}
	return t.resolve(s, "parameter", func() (any, error) {
		if v, ok := t.given[strings.ToLower(name)]; ok && (v != nil || s.decl.DefaultValue == nil) {
			return v, nil
		}
		// A null value given for a parameter with a default takes the
		// default, as ARM does: Bicep and Azure Verified Modules rely on
		// it (a module called with "[coalesce(..., null())]" for a
		// parameter whose default is [1, 2, 3]).
		if s.decl.DefaultValue != nil {
			return (&frame{t: t, inDefault: true}).evalValue(s.decl.DefaultValue)
		}
		if t.nullable(s.decl) {
			return nil, nil
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
	if s.err != nil {
		return nil, s.err
	}
	return t.ev.copyValue(s.val, s.name)
}

// run expands and evaluates the template's resources and returns its
// evaluated outputs.
func (t *tmpl) run() map[string]any {
	t.expand(t.t.Resources, t.frame(), nil)
	for _, in := range t.insts {
		in.evaluate()
	}
	out := t.outputs()
	t.exprs = nil // what is evaluated later (a reference() into it) parses again
	return out
}

// outputs evaluates the template's outputs; a failing output is reported
// and left out.
func (t *tmpl) outputs() map[string]any {
	out := map[string]any{}
	// In name order: a failing output is reported, and reports come out in
	// the same order on every run.
	for _, name := range slices.Sorted(maps.Keys(t.t.Outputs)) {
		o := t.t.Outputs[name]
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
		var v any
		var err error
		if cp := o.Copy; cp != nil {
			v, err = f.outputLoop(cp)
		} else {
			v, err = f.evalValue(o.Value)
		}
		if err != nil {
			t.ev.errs = append(t.ev.errs, fmt.Errorf("evaluate output %q: %w", name, err))
			continue
		}
		out[name] = v
	}
	return out
}

// outputLoop evaluates an output's "copy": {"count", "input"}.
func (f *frame) outputLoop(cp any) (any, error) {
	m, ok := cp.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("output copy is %s, not an object", typeName(cp))
	}
	count, _ := lookupFold(m, "count")
	input, _ := lookupFold(m, "input")
	return f.expandPropertyLoop(propLoop{name: "", count: count, input: input, output: true})
}

// udf is a user-defined function.
type udf struct {
	name   string
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
			u := &udf{name: fmt.Sprint(nsName) + "." + name}
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
			t.udfs[strings.ToLower(u.name)] = u
		}
	}
}

func (f *frame) callUser(n *call, lname, src string) (any, error) {
	u, ok := f.t.udfs[lname]
	if !ok {
		return nil, &missingError{what: "function " + n.name, msg: fmt.Sprintf("unknown function %q", n.name)}
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
	ev := f.t.ev
	if ev.callDepth >= MaxCallDepth {
		return nil, ev.breach(limitf(fmt.Sprintf("call depth %d", MaxCallDepth), "function "+u.name,
			"user-defined functions and lambdas nest deeper than that (a function that calls itself?)"))
	}
	ev.callDepth++
	defer func() { ev.callDepth-- }()
	g := &frame{t: f.t, locals: locals}
	v, err := g.evalValue(u.output)
	if err != nil {
		return nil, fmt.Errorf("call %s: %w", src[n.start:n.end], err)
	}
	return v, nil
}

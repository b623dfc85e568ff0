package check

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/privaks/privaks/internal/twin"
)

// Severity ranks findings. The zero Severity is invalid.
type Severity string

// The severities, from most to least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// rank orders severities: a higher rank is more serious; 0 is invalid.
func (s Severity) rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as serious as min.
func (s Severity) AtLeast(min Severity) bool { return s.rank() >= min.rank() }

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, bool) {
	v := Severity(strings.ToLower(s))
	return v, v.rank() > 0
}

// Rule is one check of the catalogue. ID is permanent (PVK + 3 digits) and
// never reused; Slug is a short kebab-case name. Rationale is one paragraph
// saying why the rule exists, Fix what to change, Doc the URL the rule
// rests on. Check returns the rule's findings on a model; it fills Resource
// and Message (and may override Severity, e.g. to Info for a value that is
// unknown before deployment), Run fills the rest.
type Rule struct {
	ID        string
	Slug      string
	Severity  Severity
	Title     string
	Rationale string
	Fix       string
	Doc       string
	// Absent lists the resource types whose absence a finding of this
	// rule concludes ("zone has no virtual network link" concludes that no
	// privateDnsZones/virtualNetworkLinks links it). While a resource of
	// one of these types (or of unknown type, or a nested deployment) was
	// left out or is not modelled, the rule's findings are undecided, not
	// confident: the missing resource may be the one they say is absent.
	Absent []string
	Check  func(*Context) []Finding
}

// Status of a finding.
const (
	// Found: the rule is violated (the default).
	Found = "fail"
	// Undecided: the rule's input was left out of the analysis; the
	// finding may be false. It never counts as an error.
	Undecided = "undecided"
)

// Finding is one violation of a rule by one resource.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Resource is the ID of the resource at fault (for resources Azure
	// creates implicitly, the owner's ID with a #fragment).
	Resource string `json:"resource"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	Doc      string `json:"doc"`
	// Suppressed is the reason the rule was disabled; empty when active.
	Suppressed string `json:"suppressed,omitempty"`
	// Status is Found or Undecided.
	Status string `json:"status"`
	// UndecidedBecause names what was left out, for an undecided finding.
	UndecidedBecause []string `json:"undecidedBecause,omitempty"`
}

// Context is what a rule reads: the model and the options of the run.
type Context struct {
	Twin *twin.Twin
	// OnPremises are the on-premises ranges (from the spec or a flag).
	OnPremises []netip.Prefix
	// Previous is the model of what is deployed now (a previous template
	// or a live read-back), for rules about changes; nil when unknown.
	Previous *twin.Twin
	// Coverage says what the model holds of its sources and what was left
	// out (see Rule.Absent).
	Coverage twin.Coverage

	subnetUses map[string]*subnetUse
	spaces     *spaceIndex
	zoneLinks  map[*twin.Zone][]*twin.ZoneLink
}

type options struct {
	disabled map[string]string
	min      Severity
	onPrem   []netip.Prefix
	only     map[string]bool
	previous *twin.Twin
}

// Option configures Run.
type Option func(*options)

// WithDisabled turns rules off: id → the reason. Their findings are still
// returned, with Suppressed set to the reason.
func WithDisabled(reasons map[string]string) Option {
	return func(o *options) {
		for id, r := range reasons {
			o.disabled[strings.ToUpper(id)] = r
		}
	}
}

// WithMinSeverity drops findings less serious than min (default Info: keep
// everything).
func WithMinSeverity(min Severity) Option { return func(o *options) { o.min = min } }

// WithOnPremises gives the on-premises ranges the addressing rules check
// against.
func WithOnPremises(ps ...netip.Prefix) Option {
	return func(o *options) { o.onPrem = append(o.onPrem, ps...) }
}

// WithPrevious gives the model of what is deployed now, so rules can judge
// changes (e.g. an outboundType changed on an existing cluster).
func WithPrevious(t *twin.Twin) Option { return func(o *options) { o.previous = t } }

// WithOnly runs only the given rules (for tests and `privaks rules`).
func WithOnly(ids ...string) Option {
	return func(o *options) {
		if o.only == nil {
			o.only = map[string]bool{}
		}
		for _, id := range ids {
			o.only[strings.ToUpper(id)] = true
		}
	}
}

// Run evaluates the catalogue on t and returns the findings sorted by
// resource, then rule, then message.
func Run(t *twin.Twin, opts ...Option) []Finding {
	o := options{disabled: map[string]string{}, min: Info}
	for _, f := range opts {
		f(&o)
	}
	ctx := &Context{Twin: t, OnPremises: o.onPrem, Previous: o.previous, Coverage: t.Coverage()}
	// Every rule's findings first, then one slice of the right size:
	// appending 10^5 findings one by one was mostly the allocation of the
	// slices it outgrew.
	type ruleFindings struct {
		r       *Rule
		fs      []Finding
		missing []string
	}
	rules := All()
	found := make([]ruleFindings, 0, len(rules))
	n := 0
	for i := range rules {
		r := &rules[i]
		if o.only != nil && !o.only[r.ID] {
			continue
		}
		var missing []string
		if len(r.Absent) > 0 {
			for _, l := range ctx.Coverage.Missing(r.Absent...) {
				missing = append(missing, l.String())
			}
		}
		fs := r.Check(ctx)
		found = append(found, ruleFindings{r, fs, missing})
		n += len(fs)
	}
	out := make([]Finding, 0, n)
	for _, x := range found {
		r, missing := x.r, x.missing
		for _, f := range x.fs {
			f.Rule = r.ID
			if f.Status == "" {
				f.Status = Found
			}
			if len(missing) > 0 {
				f.Status, f.UndecidedBecause = Undecided, missing
			}
			if f.Severity == "" {
				f.Severity = r.Severity
			}
			if !f.Severity.AtLeast(o.min) {
				continue
			}
			f.Fix, f.Doc = r.Fix, r.Doc
			if reason, off := o.disabled[r.ID]; off {
				f.Suppressed = reason
				if f.Suppressed == "" {
					f.Suppressed = "disabled"
				}
			}
			out = append(out, f)
		}
	}
	return orderFindings(out)
}

// orderFindings orders fs in place by resource (case-insensitive), then
// rule, then message, keeping the order of findings that compare equal. Each
// resource is lower-cased once, not twice per comparison, and what
// sort.SliceStable moves is an index, not a Finding: sorting the findings
// themselves was a third of check at 10,000 spokes (O(n log² n) moves of
// a 150-byte struct, and two lower-cased copies per comparison). Sorting
// the indices with the same comparison and the same algorithm gives the
// same order, ties included.
func orderFindings(fs []Finding) []Finding {
	keys := make([]string, len(fs))
	idx := make([]int32, len(fs))
	for i := range fs {
		keys[i] = strings.ToLower(fs[i].Resource)
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(i, j int) bool {
		x, y := idx[i], idx[j]
		a, b := &fs[x], &fs[y]
		if a.Resource != b.Resource {
			return keys[x] < keys[y]
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	// Put each finding in its place, one cycle of the permutation at a
	// time, instead of into a copy of fs.
	for i := range fs {
		if idx[i] < 0 {
			continue
		}
		tmp, j := fs[i], i
		for {
			k := int(idx[j])
			idx[j] = -1
			if k == i {
				fs[j] = tmp
				break
			}
			fs[j], j = fs[k], k
		}
	}
	return fs
}

// Lookup returns the rule with the given ID (case-insensitive).
func Lookup(id string) (Rule, bool) {
	for _, r := range All() {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return Rule{}, false
}

// Count returns how many active (not suppressed, not undecided) findings
// have severity s.
func Count(fs []Finding, s Severity) int {
	n := 0
	for _, f := range fs {
		if f.Suppressed == "" && f.Status != Undecided && f.Severity == s {
			n++
		}
	}
	return n
}

// CountUndecided returns how many active findings are undecided.
func CountUndecided(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Suppressed == "" && f.Status == Undecided {
			n++
		}
	}
	return n
}

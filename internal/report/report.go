// Package report writes one self-contained HTML file about a resource set:
// the architecture diagram (package diagram, laid out by Graphviz), every
// intent with its status and trace (package verify), findings by severity
// with each rule's rationale and fix (package check), coverage (what the
// readers left out and why), the IP arithmetic of each subnet, and the
// inputs it came from. Everything it needs — CSS, the one script, the font,
// the SVG — is inline: opening it fetches nothing. It prints to PDF (print
// CSS opens every section). Output is deterministic: no clock, no random
// ids, everything sorted.
package report

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/diagram"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// Input is what a report is made of. Results and Findings are computed by
// the caller (the CLI runs verify and check as their own commands do).
type Input struct {
	Twin     *twin.Twin
	Results  []verify.Result
	Findings []check.Finding
	// Inputs describe the sources ("spec privaks.yaml", "template
	// azuredeploy.json with parameters azuredeploy.parameters.json").
	Inputs []string
	// Diagram options (spoke grouping).
	Diagram diagram.Options
}

//go:embed report.html.tmpl
var pageTemplate string

//go:embed report.css
var pageCSS string

//go:embed report.js
var pageJS string

// page is parsed on first use: every command links report, few write one.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"lower": strings.ToLower,
	}).Parse(pageTemplate))
})

// gzipAbove is the size of the traces' JSON above which the report carries
// them gzipped.
const gzipAbove = 512 << 10

// Verdict of the whole report.
const (
	VerdictPass       = "pass"
	VerdictFail       = "fail"
	VerdictIncomplete = "incomplete"
)

type view struct {
	Title     string
	Verdict   string
	Why       []string
	CSS       template.CSS
	JS        template.JS
	SVG       template.HTML
	Collapsed []string

	Intents                     []verify.Result
	Traces                      string // JSON (or gzipped JSON in base64): each intent's from, to and trace
	TraceEncoding               string // "json" or "gzip+base64"
	Pass, Fail, Unknown         int
	Severities                  []severityGroup
	Suppressed                  []findingView
	NErr, NWarn, NInfo          int
	Declared, Modelled, NLeft   int
	Ignored                     int
	IgnoredTypes                []string
	LeftOut                     []arm.LeftOut
	Capacity                    []capacityView
	Inputs                      []string
	Source, Location, Group     string
	Types                       []typeCount
	NodeCount, EdgeCount, NVNet int
}

type severityGroup struct {
	Severity string
	Count    int
	Rules    []ruleGroup
}

// ruleGroup is one rule's findings of one severity, with the rule's
// rationale and fix said once.
type ruleGroup struct {
	Rule, Severity, Title, Rationale, Fix, Doc string
	Findings                                   []findingView
}

type findingView struct {
	check.Finding
	Title, Rationale, Short string
}

type capacityView struct {
	check.SubnetCapacity
	Free    int
	Percent int // of usable needed at the largest scale
	Unknown bool
	Short   bool
}

type typeCount struct {
	Type  string
	Count int
}

// Write renders the report.
func Write(w io.Writer, in Input) error {
	v, err := build(in)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := page().Execute(&b, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

func build(in Input) (*view, error) {
	t := in.Twin
	m := diagram.Build(t, in.Diagram)
	var svg bytes.Buffer
	if err := m.SVG(&svg, false); err != nil {
		return nil, err
	}
	// Graphviz escapes label text; refuse anything active all the same,
	// since the SVG is inlined as trusted HTML.
	if low := bytes.ToLower(svg.Bytes()); bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<foreignobject")) {
		return nil, fmt.Errorf("report: the diagram holds active content")
	}
	cov := t.Coverage()
	v := &view{
		Title: "privaks report — " + orDefault(t.Set.Source, "resource set"),
		CSS:   template.CSS(diagram.FontFace() + "\n" + pageCSS),
		JS:    template.JS(pageJS),
		SVG:   template.HTML(svg.String()), //nolint:gosec // Graphviz output, checked above
		// The legend lists what the diagram draws.
		Collapsed: m.Collapsed,
		Intents:   in.Results,
		Inputs:    in.Inputs,
		Source:    t.Set.Source, Location: t.Scope.Location, Group: t.Scope.ResourceGroup,
		Declared: cov.Declared, Modelled: cov.Modelled, Ignored: cov.Ignored, IgnoredTypes: cov.IgnoredTypes,
		LeftOut: cov.LeftOut, NLeft: len(cov.LeftOut),
		EdgeCount: len(m.Edges),
	}
	m.Walk(func(g *diagram.Group, _ int) {
		if g.Kind == diagram.KindVNet || g.Kind == diagram.KindSpokes {
			v.NVNet++
		}
	}, func(*diagram.Node, *diagram.Group) { v.NodeCount++ })
	for _, r := range in.Results {
		switch r.Status {
		case verify.Pass:
			v.Pass++
		case verify.Fail:
			v.Fail++
		default:
			v.Unknown++
		}
	}
	groups := map[check.Severity]*severityGroup{}
	rules := map[string]*ruleGroup{}
	for _, f := range in.Findings {
		fv := findingView{Finding: f, Short: shortResource(f.Resource)}
		r, _ := check.Lookup(f.Rule)
		fv.Title, fv.Rationale = r.Title, r.Rationale
		if f.Suppressed != "" {
			v.Suppressed = append(v.Suppressed, fv)
			continue
		}
		g := groups[f.Severity]
		if g == nil {
			g = &severityGroup{Severity: string(f.Severity)}
			groups[f.Severity] = g
		}
		g.Count++
		k := string(f.Severity) + "|" + f.Rule
		if rules[k] == nil {
			rules[k] = &ruleGroup{Rule: f.Rule, Severity: string(f.Severity), Title: r.Title, Rationale: r.Rationale, Fix: f.Fix, Doc: f.Doc}
		}
		rules[k].Findings = append(rules[k].Findings, fv)
	}
	keys := make([]string, 0, len(rules))
	for k := range rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rg := rules[k]
		g := groups[check.Severity(rg.Severity)]
		g.Rules = append(g.Rules, *rg)
	}
	for _, s := range []check.Severity{check.Error, check.Warning, check.Info} {
		if g := groups[s]; g != nil {
			v.Severities = append(v.Severities, *g)
		}
	}
	type body struct {
		From  string        `json:"from"`
		To    string        `json:"to"`
		Trace []verify.Step `json:"trace"`
	}
	traces := make([]body, len(in.Results))
	for i, r := range in.Results {
		traces[i] = body{r.From, r.To, r.Trace}
	}
	js, err := json.Marshal(traces)
	if err != nil {
		return nil, err
	}
	// The traces are most of a large report's weight (6.5 MB of JSON for
	// the 200-spoke estate): above gzipAbove they are gzipped
	// (deterministic: no name, no time) and base64-encoded, and the page
	// inflates them with the browser's DecompressionStream. Below, plain
	// JSON is parsed at once, so printing right after opening holds them.
	v.TraceEncoding, v.Traces = "json", string(js)
	if len(js) > gzipAbove {
		var gz bytes.Buffer
		zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := zw.Write(js); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		v.TraceEncoding, v.Traces = "gzip+base64", base64.StdEncoding.EncodeToString(gz.Bytes())
	}
	v.NErr, v.NWarn, v.NInfo = check.Count(in.Findings, check.Error), check.Count(in.Findings, check.Warning), check.Count(in.Findings, check.Info)
	for _, c := range check.Capacity(t) {
		cv := capacityView{SubnetCapacity: c, Free: c.Free(), Unknown: c.Need < 0}
		if c.Usable > 0 && c.Need >= 0 {
			cv.Percent = (c.Need*100 + c.Usable - 1) / c.Usable
			cv.Short = c.Need > c.Usable
		}
		v.Capacity = append(v.Capacity, cv)
	}
	counts := map[string]int{}
	for _, r := range t.Set.Resources {
		counts[r.Type]++
	}
	for typ, n := range counts {
		v.Types = append(v.Types, typeCount{typ, n})
	}
	sort.Slice(v.Types, func(i, j int) bool { return strings.ToLower(v.Types[i].Type) < strings.ToLower(v.Types[j].Type) })
	switch {
	case v.Fail > 0 || v.NErr > 0:
		v.Verdict = VerdictFail
	case v.Unknown > 0 || v.NLeft > 0 || len(in.Results) == 0 || check.CountUndecided(in.Findings) > 0:
		v.Verdict = VerdictIncomplete
	default:
		v.Verdict = VerdictPass
	}
	if v.Fail > 0 {
		v.Why = append(v.Why, fmt.Sprintf("%d of %d intents fail", v.Fail, len(in.Results)))
	}
	if v.NErr > 0 {
		v.Why = append(v.Why, fmt.Sprintf("%d error findings", v.NErr))
	}
	if v.Unknown > 0 {
		v.Why = append(v.Why, fmt.Sprintf("%d intents cannot be decided from this set", v.Unknown))
	}
	if v.NLeft > 0 {
		v.Why = append(v.Why, fmt.Sprintf("%d declared resources or constructs were left out of the model", v.NLeft))
	}
	if len(in.Results) == 0 {
		v.Why = append(v.Why, "no intent was derived from this set")
	}
	if n := check.CountUndecided(in.Findings); n > 0 {
		v.Why = append(v.Why, fmt.Sprintf("%d findings undecided (their input was left out)", n))
	}
	if len(v.Why) == 0 {
		v.Why = append(v.Why, fmt.Sprintf("all %d intents hold, no error finding, every declared resource modelled", len(in.Results)))
	}
	return v, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// shortResource keeps a resource ID's type and name:
// …/providers/Microsoft.Network/virtualNetworks/vnet-hub → virtualNetworks/vnet-hub.
func shortResource(id string) string {
	i := strings.LastIndex(strings.ToLower(id), "/providers/")
	if i < 0 {
		return id
	}
	rest := id[i+len("/providers/"):]
	if j := strings.Index(rest, "/"); j >= 0 {
		rest = rest[j+1:]
	}
	return rest
}

package check

import (
	"encoding/json"
	"io"
	"path/filepath"
)

// SARIF 2.1.0 output (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

// sarifInvocation carries the resources left out of the analysis as tool
// execution notifications, each at its place in the source.
type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string             `json:"level"`
	Message    sarifText          `json:"message"`
	Locations  []sarifNoteLoc     `json:"locations,omitempty"`
	Properties map[string]any     `json:"properties,omitempty"`
	Descriptor *sarifDescriptorID `json:"descriptor,omitempty"`
}

type sarifDescriptorID struct {
	ID string `json:"id"`
}

type sarifNoteLoc struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	ShortDescription     sarifText   `json:"shortDescription"`
	FullDescription      sarifText   `json:"fullDescription"`
	Help                 sarifText   `json:"help"`
	HelpURI              string      `json:"helpUri"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Kind         string             `json:"kind"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Properties   map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Name               string `json:"name"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes findings as a SARIF 2.1.0 log whose driver lists the
// whole catalogue. artifact, when not empty, is the file the findings come
// from (a spec or template path), given as each result's physical
// location; the resource ID is always the logical location. Suppressed
// findings carry a suppression with the reason.
//
// An undecided finding is a result of kind "review" with level "none"
// (SARIF 2.1.0 §3.27.10: a kind other than "fail" has level "none"), its
// rule's severity and what was left out in its properties. The report's
// coverage and verdict are the run's properties; each resource left out is
// a tool execution notification at its place in the source.
func WriteSARIF(w io.Writer, fs []Finding, artifact string) error {
	return Report{Findings: fs}.WriteSARIF(w, artifact)
}

// WriteSARIF writes the report as a SARIF 2.1.0 log (see WriteSARIF).
func (rep Report) WriteSARIF(w io.Writer, artifact string) error {
	fs := rep.Findings
	rules := All()
	index := map[string]int{}
	drv := sarifDriver{Name: "privaks", InformationURI: "https://github.com/privaks/privaks", Rules: []sarifRule{}}
	for i, r := range rules {
		index[r.ID] = i
		drv.Rules = append(drv.Rules, sarifRule{ID: r.ID, Name: r.Slug, ShortDescription: sarifText{r.Title},
			FullDescription: sarifText{r.Rationale}, Help: sarifText{r.Fix}, HelpURI: r.Doc,
			DefaultConfiguration: sarifConfig{sarifLevel(r.Severity)}})
	}
	results := []sarifResult{}
	if rep.Verified {
		results = rep.intentResults(&drv, artifact)
	}
	for _, f := range fs {
		loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: f.Resource, Name: shortResource(f.Resource), Kind: "resource"}}}
		if artifact != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifact}}
		}
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Kind: "fail", Level: sarifLevel(f.Severity),
			Message: sarifText{f.Message}, Locations: []sarifLocation{loc}}
		if f.Status == Undecided {
			res.Kind, res.Level = "review", "none"
			res.Message.Text += " (undecided: its input was left out of the analysis)"
			res.Properties = map[string]any{"privaks.status": Undecided, "privaks.severity": string(f.Severity),
				"privaks.undecidedBecause": f.UndecidedBecause}
		}
		if f.Suppressed != "" {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Suppressed}}
		}
		results = append(results, res)
	}
	run := sarifRun{Tool: sarifTool{drv}, Results: results}
	if rep.Coverage != nil {
		run.Properties = map[string]any{"privaks.coverage": map[string]any{
			"declared": rep.Coverage.Declared, "modelled": rep.Coverage.Modelled,
			"ignored": rep.Coverage.Ignored, "leftOut": len(rep.Coverage.LeftOut)}}
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, l := range rep.Coverage.LeftOut {
			n := sarifNotification{Level: "warning", Message: sarifText{"left out of the analysis: " + l.String()},
				Descriptor: &sarifDescriptorID{ID: "privaks.left-out"},
				Properties: map[string]any{"resource": l.Resource}}
			if l.Type != "" {
				n.Properties["type"] = l.Type
			}
			if l.Expr != "" {
				n.Properties["expression"] = l.Expr
			}
			if l.Missing != "" {
				n.Properties["missing"] = l.Missing
			}
			if l.Pos.File != "" {
				ph := sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(l.Pos.File)}}
				if l.Pos.Line > 0 {
					ph.Region = &sarifRegion{StartLine: l.Pos.Line, StartColumn: l.Pos.Column}
				}
				n.Locations = []sarifNoteLoc{{PhysicalLocation: ph}}
			}
			inv.Notifications = append(inv.Notifications, n)
		}
		run.Invocations = []sarifInvocation{inv}
	}
	if rep.Verified {
		if run.Properties == nil {
			run.Properties = map[string]any{}
		}
		counts := map[string]int{"total": len(rep.Intents), "pass": 0, "fail": 0, "unknown": 0}
		for _, in := range rep.Intents {
			counts[in.Status]++
		}
		run.Properties["privaks.intents"] = counts
	}
	if rep.Verdict != "" {
		if run.Properties == nil {
			run.Properties = map[string]any{}
		}
		run.Properties["privaks.verdict"] = rep.Verdict
		if len(rep.Incomplete) > 0 {
			run.Properties["privaks.incomplete"] = rep.Incomplete
		}
		if rep.Accepted {
			run.Properties["privaks.acceptedIncomplete"] = true
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{run}})
}

// IntentRuleID is the SARIF rule of an intent that does not hold (check
// --verify): one rule for every intent, whose name is the message.
const IntentRuleID = "intent"

// intentResults adds the intent rule to the driver and returns the intents
// that do not hold as its results: a failed intent is a result of kind
// "fail" and level "error"; an unknown one, of kind "review" and level
// "none", with what was left out (as an undecided finding is). Intents
// that hold are counted in the run's properties, not listed.
func (rep Report) intentResults(drv *sarifDriver, artifact string) []sarifResult {
	idx := len(drv.Rules)
	drv.Rules = append(drv.Rules, sarifRule{ID: IntentRuleID, Name: "intent-holds",
		ShortDescription: sarifText{"An intent the design implies does not hold"},
		FullDescription: sarifText{"Each client resolves each private name to its private endpoint and reaches it, " +
			"each workload reads its secrets, and the Internet reaches nothing it should not (privaks verify)."},
		Help:                 sarifText{"privaks explain traces the intent hop by hop: DNS answers, network rules and identity steps."},
		HelpURI:              "https://github.com/privaks/privaks/blob/main/docs/verify.md",
		DefaultConfiguration: sarifConfig{"error"}})
	var out []sarifResult
	for _, in := range rep.Intents {
		if in.Status != "fail" && in.Status != "unknown" {
			continue
		}
		loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: in.From, Name: in.From, Kind: "resource"}}}
		if artifact != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifact}}
		}
		res := sarifResult{RuleID: IntentRuleID, RuleIndex: idx, Kind: "fail", Level: "error",
			Message: sarifText{in.Name + ": " + in.Cause}, Locations: []sarifLocation{loc},
			Properties: map[string]any{"privaks.intent": in.Name, "privaks.from": in.From, "privaks.to": in.To, "privaks.status": in.Status}}
		if in.Status == "unknown" {
			res.Kind, res.Level = "review", "none"
			res.Message.Text += " (unknown: what it needs is outside or left out of the analysis)"
			if len(in.LeftOut) > 0 {
				res.Properties["privaks.undecidedBecause"] = in.LeftOut
			}
		}
		out = append(out, res)
	}
	return out
}

// fileURI turns a file path into a SARIF URI: relative paths stay
// relative (forward slashes), absolute ones become file:// URIs.
func fileURI(path string) string {
	if filepath.IsAbs(path) {
		return "file://" + filepath.ToSlash(path)
	}
	return filepath.ToSlash(path)
}

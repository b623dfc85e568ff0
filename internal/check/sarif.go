package check

import (
	"encoding/json"
	"io"
)

// SARIF 2.1.0 output (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
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
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
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
func WriteSARIF(w io.Writer, fs []Finding, artifact string) error {
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
	for _, f := range fs {
		loc := sarifLocation{LogicalLocations: []sarifLogical{{FullyQualifiedName: f.Resource, Name: shortResource(f.Resource), Kind: "resource"}}}
		if artifact != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifact}}
		}
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message: sarifText{f.Message}, Locations: []sarifLocation{loc}}
		if f.Suppressed != "" {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Suppressed}}
		}
		results = append(results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{drv}, Results: results}}})
}

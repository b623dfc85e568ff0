package cli

import (
	"fmt"
	"io"
	"net/netip"
	"sort"
	"time"

	"github.com/privaks/privaks/internal/addrplan"
	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/deploy"
)

// The -o json shapes of plan, status, rules and plan-addresses: stable,
// camelCase documents with a formatVersion, built here from the packages'
// own types (which carry no JSON contract of their own).

// checkOutput validates an -o value of a text|json command.
func checkOutput(o string) error {
	if o != "text" && o != "json" {
		return badInput(fmt.Errorf("-o %q: want text or json", o))
	}
	return nil
}

type planJSON struct {
	FormatVersion string              `json:"formatVersion"`
	Spec          string              `json:"spec"`
	Components    []planComponentJSON `json:"components"`
	Total         int                 `json:"total"`
	Intents       int                 `json:"intentsVerified"`
	Warnings      int                 `json:"warningFindings"`
	Placeholders  []string            `json:"placeholders,omitempty"`
	Written       []string            `json:"written"`
}

type planComponentJSON struct {
	Component string         `json:"component"`
	Resources int            `json:"resources"`
	Types     map[string]int `json:"types"`
}

func planSummary(t *arm.Template) ([]planComponentJSON, int) {
	byComp := map[string]map[string]int{}
	for i := range t.Resources {
		r := &t.Resources[i]
		c := compile.Component(r)
		if byComp[c] == nil {
			byComp[c] = map[string]int{}
		}
		byComp[c][shortType(r.Type)]++
	}
	var out []planComponentJSON
	total := 0
	for _, c := range append(append([]string(nil), compile.Components...), "other") {
		types := byComp[c]
		if len(types) == 0 {
			continue
		}
		n := 0
		for _, v := range types {
			n += v
		}
		out = append(out, planComponentJSON{Component: c, Resources: n, Types: types})
		total += n
	}
	return out, total
}

type ruleJSON struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Severity  string `json:"severity"`
	Title     string `json:"title"`
	Rationale string `json:"rationale,omitempty"`
	Fix       string `json:"fix,omitempty"`
	Doc       string `json:"doc,omitempty"`
}

func ruleDoc(r check.Rule) ruleJSON {
	return ruleJSON{ID: r.ID, Slug: r.Slug, Severity: fmt.Sprint(r.Severity), Title: r.Title, Rationale: r.Rationale, Fix: r.Fix, Doc: r.Doc}
}

func writeRulesJSON(w io.Writer, rules []check.Rule) error {
	out := struct {
		FormatVersion string     `json:"formatVersion"`
		Rules         []ruleJSON `json:"rules"`
	}{FormatVersion: "1"}
	for _, r := range rules {
		out.Rules = append(out.Rules, ruleDoc(r))
	}
	return writeJSON(w, out)
}

type statusJSON struct {
	FormatVersion string              `json:"formatVersion"`
	Stack         string              `json:"stack"`
	ID            string              `json:"id"`
	ResourceGroup string              `json:"resourceGroup"`
	State         string              `json:"state"`
	DeploymentID  string              `json:"deploymentId,omitempty"`
	Duration      string              `json:"duration,omitempty"`
	DenyMode      string              `json:"denyMode,omitempty"`
	OnUnmanage    string              `json:"onUnmanage,omitempty"`
	CreatedAt     *time.Time          `json:"createdAt,omitempty"`
	ModifiedAt    *time.Time          `json:"modifiedAt,omitempty"`
	ModifiedBy    string              `json:"modifiedBy,omitempty"`
	Resources     []managedJSON       `json:"resources"`
	Causes        []deployFailureJSON `json:"causes,omitempty"`
}

type managedJSON struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Status     string `json:"status,omitempty"`
	DenyStatus string `json:"denyStatus,omitempty"`
}

type deployFailureJSON struct {
	ResourceType string   `json:"resourceType,omitempty"`
	ResourceName string   `json:"resourceName,omitempty"`
	Code         string   `json:"code"`
	Message      string   `json:"message"`
	Chain        []string `json:"chain,omitempty"`
	Hint         string   `json:"hint,omitempty"`
}

func writeStatusJSON(w io.Writer, st *deploy.StackStatus) error {
	out := statusJSON{FormatVersion: "1", Stack: st.Name, ID: st.ID, ResourceGroup: st.ResourceGroup, State: st.State,
		DeploymentID: st.DeploymentID, Duration: st.Duration, DenyMode: st.DenyMode, OnUnmanage: st.OnUnmanage,
		CreatedAt: st.CreatedAt, ModifiedAt: st.ModifiedAt, ModifiedBy: st.ModifiedBy, Resources: []managedJSON{}}
	for _, r := range st.Resources {
		out.Resources = append(out.Resources, managedJSON(r))
	}
	for _, c := range st.Causes {
		out.Causes = append(out.Causes, deployFailureJSON{ResourceType: c.ResourceType, ResourceName: c.ResourceName,
			Code: c.Code, Message: c.Message, Chain: c.Chain, Hint: c.Hint})
	}
	return writeJSON(w, out)
}

type addrPlanJSON struct {
	FormatVersion string         `json:"formatVersion"`
	Hub           vnetJSON       `json:"hub"`
	Spoke         vnetJSON       `json:"spoke"`
	ServiceCIDR   netip.Prefix   `json:"serviceCIDR"`
	DNSServiceIP  netip.Addr     `json:"dnsServiceIP"`
	PodCIDR       *netip.Prefix  `json:"podCIDR,omitempty"`
	PodFormula    string         `json:"podFormula,omitempty"`
	OnPremises    []netip.Prefix `json:"onPremises"`
}

type vnetJSON struct {
	Name         string       `json:"name"`
	AddressSpace netip.Prefix `json:"addressSpace"`
	Subnets      []subnetJSON `json:"subnets"`
}

type subnetJSON struct {
	Field   string       `json:"field"`
	Name    string       `json:"name"`
	Prefix  netip.Prefix `json:"prefix"`
	Need    int          `json:"need"`
	Formula string       `json:"formula"`
}

func writeAddrPlanJSON(w io.Writer, p *addrplan.Plan) error {
	vnet := func(v addrplan.VNet) vnetJSON {
		out := vnetJSON{Name: v.Name, AddressSpace: v.Prefix, Subnets: []subnetJSON{}}
		for _, s := range v.Subnets {
			out.Subnets = append(out.Subnets, subnetJSON{Field: s.Key, Name: s.Name, Prefix: s.Prefix, Need: s.Need, Formula: s.Formula})
		}
		return out
	}
	out := addrPlanJSON{FormatVersion: "1", Hub: vnet(p.Hub), Spoke: vnet(p.Spoke), ServiceCIDR: p.ServiceCIDR,
		DNSServiceIP: p.DNSServiceIP, PodFormula: p.PodFormula, OnPremises: append([]netip.Prefix{}, p.OnPrem...)}
	if p.PodCIDR.IsValid() {
		pc := p.PodCIDR
		out.PodCIDR = &pc
	}
	sort.Slice(out.OnPremises, func(i, j int) bool { return out.OnPremises[i].String() < out.OnPremises[j].String() })
	return writeJSON(w, out)
}

// fieldName turns $.agent.url into agent.url.
func fieldName(path string) string {
	if len(path) > 2 && path[:2] == "$." {
		return path[2:]
	}
	return path
}

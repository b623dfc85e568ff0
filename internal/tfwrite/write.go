package tfwrite

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/privaks/privaks/internal/arm"
)

// Provider versions the module pins: azurerm of the major whose schema
// privaks checks against (testdata/azurerm-schema-subset.json, 5.2), and
// azapi 2.x (HCL object bodies, write-only-free fallback).
const (
	AzurermVersion = "~> 5.2"
	AzapiVersion   = "~> 2.5"
	// TerraformVersion is the oldest Terraform with write-only arguments
	// and ephemeral variables.
	TerraformVersion = ">= 1.11"
)

// Module is a written root module: file paths relative to its directory.
type Module struct {
	Files map[string][]byte
	// Inputs are the variables standing for values the set knows only as
	// ARM expressions no resource of it produces (a parameter-derived ID,
	// listKeys()): the user must give them.
	Inputs []string
}

// Names returns the file paths, sorted.
func (m *Module) Names() []string {
	out := make([]string, 0, len(m.Files))
	for n := range m.Files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// WriteDir writes every file below dir (directories created as needed).
func (m *Module) WriteDir(dir string) error {
	for _, n := range m.Names() {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, m.Files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// tres is one set resource and the Terraform resource it becomes.
type tres struct {
	r      *arm.Resource
	typ    string // Terraform type
	name   string // Terraform name
	file   string // component file (network.tf, …)
	writer typeWriter
	body   *hclwrite.Body
	// exports are azapi body paths other resources read
	// (response_export_values).
	exports []string
	// more are the further blocks one ARM resource is written as (a
	// VNet's azurerm_subnet resources and their associations).
	more []*hclwrite.Body
	// absorbed are set resources written inside this one's block (a
	// private endpoint's DNS zone group).
	absorbed []*arm.Resource
}

func (t *tres) addr() string { return t.typ + "." + t.name }

type variable struct {
	name, typ, desc string
	sensitive       bool
	ephemeral       bool
	dflt            *string
	number          bool
}

type writer struct {
	set    *arm.Set
	rgID   string
	byKey  map[string]*tres
	list   []*tres
	vars   map[string]*variable
	files  map[string]*hclwrite.File
	extra  map[string][]byte
	client bool // data.azurerm_client_config.current is referenced
	cur    *tres
	// inputs are the variables standing for unknowns no resource of
	// the set produces.
	inputs []string
}

// Write builds the root module of a set. It fails only on a set it cannot
// express (a value that is neither JSON nor an unknown of a set resource).
func Write(set *arm.Set) (*Module, error) {
	w := &writer{set: set, byKey: map[string]*tres{}, vars: map[string]*variable{},
		files: map[string]*hclwrite.File{}, extra: map[string][]byte{}}
	w.rgID = string(set.Scope.ResourceGroupID())
	names := map[string]int{}
	for _, r := range set.Resources {
		if r.Is("Microsoft.Resources/resourceGroups") {
			continue // the module's own azurerm_resource_group.this
		}
		t := &tres{r: r, file: componentFile(r)}
		t.writer = writerFor(r)
		if t.writer != nil {
			t.typ = t.writer.tfType(r)
		} else {
			t.typ = "azapi_resource"
		}
		base := tfName(r)
		k := t.typ + "." + base
		names[k]++
		t.name = base
		if names[k] > 1 {
			t.name = fmt.Sprintf("%s_%d", base, names[k])
		}
		w.byKey[r.ID.Key()] = t
		w.list = append(w.list, t)
	}
	w.absorb()
	for _, t := range w.list {
		if a, ok := t.writer.(aliaser); ok {
			for k, x := range a.aliases(t) {
				w.byKey[k] = x
			}
		}
	}
	for _, t := range w.list {
		f := w.file(t.file)
		b := f.Body().AppendNewBlock("resource", []string{t.typ, t.name})
		t.body = b.Body()
		w.cur = t
		var err error
		if t.writer != nil {
			err = t.writer.write(w, t, b.Body())
		} else {
			err = w.azapi(t, b.Body())
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", t.r.Type, t.r.ID, err)
		}
		w.dependsOn(t, b.Body())
		f.Body().AppendNewline()
	}
	w.cur = nil
	if err := w.outputs(); err != nil {
		return nil, err
	}
	for _, t := range w.list {
		if len(t.exports) > 0 {
			sort.Strings(t.exports)
			var l []cty.Value
			for _, e := range t.exports {
				l = append(l, cty.StringVal(e))
			}
			t.body.SetAttributeValue("response_export_values", cty.ListVal(l))
		}
	}
	w.mainFile()
	w.variablesFile()
	m := &Module{Files: map[string][]byte{}, Inputs: w.inputs}
	for n, f := range w.files {
		m.Files[n] = hclwrite.Format(trimTrailingBlank(f.Bytes()))
	}
	for n, b := range w.extra {
		m.Files[n] = b
	}
	return m, nil
}

func trimTrailingBlank(b []byte) []byte {
	s := strings.TrimRight(string(b), "\n") + "\n"
	return []byte(s)
}

// block appends a further resource block of t (after its own) to t's file.
func (w *writer) block(t *tres, typ, name string) *hclwrite.Body {
	f := w.file(t.file)
	f.Body().AppendNewline()
	b := f.Body().AppendNewBlock("resource", []string{typ, name}).Body()
	t.more = append(t.more, b)
	return b
}

// aliaser is a writer whose resource's sub-resources are resources of
// their own in Terraform (a VNet's subnets): references to them are
// references to those.
type aliaser interface {
	aliases(t *tres) map[string]*tres
}

// absorb folds the set resources an azurerm block writes inline into
// that block: a private endpoint's DNS zone group (private_dns_zone_group)
// when it fits; references to it are references to the endpoint.
func (w *writer) absorb() {
	var keep []*tres
	for _, t := range w.list {
		r := t.r
		if t.writer == nil && r.Is("Microsoft.Network/privateEndpoints/privateDnsZoneGroups") && zoneGroupFits(r) {
			if pe := w.byKey[arm.ResourceID(parentID(r)).Key()]; pe != nil && pe.typ == "azurerm_private_endpoint" && len(pe.absorbed) == 0 {
				pe.absorbed = append(pe.absorbed, r)
				w.byKey[r.ID.Key()] = pe
				continue
			}
		}
		keep = append(keep, t)
	}
	w.list = keep
}

func (w *writer) file(name string) *hclwrite.File {
	f := w.files[name]
	if f == nil {
		f = hclwrite.NewEmptyFile()
		w.files[name] = f
	}
	return f
}

// dependsOn writes the ARM dependsOn entries that are not already implied
// by a reference in the block: Terraform orders by references, and an
// explicit dependency keeps the readiness ordering (the DNS forwarder's
// readiness extension before the VMs and the cluster that resolve through
// it).
func (w *writer) dependsOn(t *tres, b *hclwrite.Body) {
	body := string(b.BuildTokens(nil).Bytes())
	for _, m := range t.more {
		body += string(m.BuildTokens(nil).Bytes())
	}
	var deps []hclwrite.Tokens
	seen := map[string]bool{}
	for _, d := range t.r.DependsOn {
		dt := w.byKey[arm.ResourceID(d).Key()]
		if dt == nil || dt == t || seen[dt.addr()] || strings.Contains(body, dt.addr()+".") {
			continue
		}
		seen[dt.addr()] = true
		deps = append(deps, traversal(dt.typ, dt.name))
	}
	if len(deps) > 0 {
		b.SetAttributeRaw("depends_on", hclwrite.TokensForTuple(deps))
	}
}

// mainFile writes versions, providers, the resource group and the data
// source the module reads its subscription and tenant from.
func (w *writer) mainFile() {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	tf := b.AppendNewBlock("terraform", nil).Body()
	tf.SetAttributeValue("required_version", str(TerraformVersion))
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeRaw("azurerm", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
		{Name: hclwrite.TokensForIdentifier("source"), Value: hclwrite.TokensForValue(str("hashicorp/azurerm"))},
		{Name: hclwrite.TokensForIdentifier("version"), Value: hclwrite.TokensForValue(str(AzurermVersion))},
	}))
	rp.SetAttributeRaw("azapi", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
		{Name: hclwrite.TokensForIdentifier("source"), Value: hclwrite.TokensForValue(str("Azure/azapi"))},
		{Name: hclwrite.TokensForIdentifier("version"), Value: hclwrite.TokensForValue(str(AzapiVersion))},
	}))
	b.AppendNewline()
	// The subscription comes from ARM_SUBSCRIPTION_ID or the Azure CLI's
	// current one, as for every azurerm configuration.
	pb := b.AppendNewBlock("provider", []string{"azurerm"}).Body()
	pb.AppendNewBlock("features", nil)
	b.AppendNewline()
	b.AppendNewBlock("provider", []string{"azapi"})
	b.AppendNewline()
	b.AppendNewBlock("data", []string{"azurerm_client_config", "current"})
	b.AppendNewline()
	rg := b.AppendNewBlock("resource", []string{"azurerm_resource_group", "this"}).Body()
	rg.SetAttributeTraversal("name", travs("var", "resource_group_name"))
	rg.SetAttributeTraversal("location", travs("var", "location"))
	w.vars["resource_group_name"] = &variable{name: "resource_group_name", typ: "string",
		desc: "Resource group the landing zone is created in", dflt: ptr(w.set.Scope.ResourceGroup)}
	w.vars["location"] = &variable{name: "location", typ: "string",
		desc: "Azure region of the resource group and of every regional resource", dflt: ptr(w.set.Scope.Location)}
	w.files["main.tf"] = f
}

func (w *writer) variablesFile() {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	names := make([]string, 0, len(w.vars))
	for n := range w.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		v := w.vars[n]
		vb := b.AppendNewBlock("variable", []string{n}).Body()
		vb.SetAttributeTraversal("type", travs(v.typ))
		vb.SetAttributeValue("description", str(v.desc))
		if v.dflt != nil && v.number {
			vb.SetAttributeRaw("default", hclwrite.Tokens{{Type: hclsyntax.TokenNumberLit, Bytes: []byte(*v.dflt)}})
		} else if v.dflt != nil {
			vb.SetAttributeValue("default", str(*v.dflt))
		}
		if v.sensitive {
			vb.SetAttributeValue("sensitive", boolv(true))
		}
		if v.ephemeral {
			vb.SetAttributeValue("ephemeral", boolv(true))
		}
		if i < len(names)-1 {
			b.AppendNewline()
		}
	}
	w.files["variables.tf"] = f
}

func (w *writer) outputs() error {
	if len(w.set.Outputs) == 0 {
		return nil
	}
	f := w.file("outputs.tf")
	names := make([]string, 0, len(w.set.Outputs))
	for n := range w.set.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	used := map[string]bool{}
	for i, n := range names {
		tok, err := w.value(w.set.Outputs[n], n)
		if err != nil {
			return fmt.Errorf("output %s: %w", n, err)
		}
		name, src := outputName(n)
		for k, base := 2, name; used[name]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		used[name] = true
		ob := f.Body().AppendNewBlock("output", []string{name}).Body()
		if src != "" {
			ob.SetAttributeValue("description", cty.StringVal("output "+n[len(src)+1:]+" of "+src))
		}
		ob.SetAttributeRaw("value", tok)
		if i < len(names)-1 {
			f.Body().AppendNewline()
		}
	}
	return nil
}

// cloudInit writes a VM's customData beside the module and returns the
// expression reading it.
func (w *writer) cloudInit(vm, data string) (hclwrite.Tokens, error) {
	doc, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("customData is not base64: %w", err)
	}
	p := "cloud-init/" + vm + ".yaml"
	w.extra[p] = doc
	return hclwrite.TokensForFunctionCall("filebase64", templ([]tpart{{ref: travs("path", "module")}, {lit: "/" + p}})), nil
}

// componentFile files a resource under its component.
func componentFile(r *arm.Resource) string {
	t := strings.ToLower(r.Type)
	name := strings.ToLower(r.Name)
	switch {
	case strings.HasPrefix(t, "microsoft.network/privatednszones"), strings.HasPrefix(t, "microsoft.network/dnsresolvers"),
		strings.HasPrefix(t, "microsoft.network/dnsforwardingrulesets"):
		return "dns.tf"
	case strings.HasPrefix(t, "microsoft.containerservice/"), strings.HasPrefix(t, "microsoft.operationalinsights/"):
		return "aks.tf"
	case strings.HasPrefix(t, "microsoft.managedidentity/"), t == "microsoft.authorization/roleassignments":
		return "identity.tf"
	case strings.HasPrefix(t, "microsoft.compute/"), t == "microsoft.network/networkinterfaces":
		return "compute.tf"
	case t == "microsoft.network/applicationgateways", t == "microsoft.network/applicationgatewaywebapplicationfirewallpolicies",
		t == "microsoft.network/publicipaddresses" && strings.Contains(name, "appgw"):
		return "gateway.tf"
	case strings.HasPrefix(t, "microsoft.network/azurefirewalls"), strings.HasPrefix(t, "microsoft.network/firewallpolicies"),
		t == "microsoft.network/routetables", t == "microsoft.network/publicipaddresses" && strings.Contains(name, "fw"):
		return "firewall.tf"
	case strings.HasPrefix(t, "microsoft.keyvault/"), strings.HasPrefix(t, "microsoft.containerregistry/"),
		strings.HasPrefix(t, "microsoft.storage/"), strings.HasPrefix(t, "microsoft.network/privateendpoints"):
		return "services.tf"
	case strings.HasPrefix(t, "microsoft.network/bastionhosts"), t == "microsoft.network/publicipaddresses" && strings.Contains(name, "bastion"):
		return "bastion.tf"
	case strings.HasPrefix(t, "microsoft.network/"):
		return "network.tf"
	}
	return "other.tf"
}

var nonIdent = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9_]+`) })

// outputName is the Terraform name of a set's output: its ARM name, which
// is a valid identifier, or for an estate of several templates (outputs
// named "FILE:NAME" by arm.Merge) the file's base name and the output's,
// joined by "__" with every other character an underscore; src is FILE
// then, for the description.
func outputName(n string) (name, src string) {
	if hclsyntax.ValidIdentifier(n) {
		return n, ""
	}
	if i := strings.LastIndex(n, ":"); i > 0 {
		src = n[:i]
		base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		n = base + "__" + n[i+1:]
	}
	s := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, n)
	if !hclsyntax.ValidIdentifier(s) { // empty, or starts with a digit or '-'
		s = "o_" + s
	}
	return s, src
}

// tfName is a resource's Terraform name: its ARM name, lower case, with
// every other character an underscore (a role assignment, named by a
// GUID, by its description when it has one).
func tfName(r *arm.Resource) string {
	n := r.Name
	if i := strings.LastIndex(n, "/"); i >= 0 && !r.Is("Microsoft.Network/virtualNetworks/virtualNetworkPeerings") {
		// Children: parent and own name keep names unique across parents.
		n = strings.ReplaceAll(n, "/", "_")
	}
	if r.Is("Microsoft.Authorization/roleAssignments") {
		if d, ok := r.Prop("description").(string); ok && d != "" {
			n = d
		}
	}
	s := strings.Trim(nonIdent().ReplaceAllString(strings.ToLower(n), "_"), "_")
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "r_" + s
	}
	return s
}

func ptr(s string) *string { return &s }

package armschema

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaBaseURL is the prefix of every schema reference; the rest of the URL
// is a path inside the local schema folder.
const SchemaBaseURL = "https://schema.management.azure.com/schemas/"

// expressionURL is the common definition of an ARM expression string.
const expressionURL = SchemaBaseURL + "common/definitions.json#/definitions/expression"

// templateSchema is the deployment template schema the envelope and the
// resource base keys (condition, copy, dependsOn...) are checked against.
const templateSchema = "2019-04-01/deploymentTemplate.json"

// Problem is one reason a template or resource does not conform.
type Problem struct {
	// Resource locates the resource within a template, e.g.
	// "resources[3] (Microsoft.Network/virtualNetworks vnet-hub)"; empty for
	// ValidateResource and for problems with the template envelope.
	Resource string
	// Path is a JSONPath-like location inside the resource (or template):
	// "$.properties.subnets[0].properties.addressPrefix".
	Path    string
	Message string
}

// String renders the problem on one line.
func (p Problem) String() string {
	if p.Resource == "" {
		return p.Path + ": " + p.Message
	}
	return p.Resource + ": " + p.Path + ": " + p.Message
}

// Stats counts the work a Validator has done, for timing reports.
type Stats struct {
	FilesLoaded    int           // schema files read and parsed
	LoadTime       time.Duration // time spent reading and parsing them
	Compiles       int           // schemas compiled by the library
	CompileTime    time.Duration // time spent compiling (includes the library's metaschema check of each file)
	LenientRegexps []string      // schema patterns RE2 cannot compile, accepted as match-anything
}

// Validator validates resources against a local copy of the ARM schemas.
type Validator struct {
	dir      string
	versions []string // API version folders, sorted

	mu       sync.Mutex
	docs     map[string]*schemaDoc          // by path relative to dir
	compiler *jsonschema.Compiler           // guarded by mu
	compiled map[string]*jsonschema.Schema  // by absolute URL with fragment
	index    map[string]map[string][]string // namespace (lower) -> type (lower) -> versions, see versionsOf
	stats    Stats
}

// schemaDoc is one parsed schema file.
type schemaDoc struct {
	rel  string // path relative to the schema folder, slash separated
	url  string // SchemaBaseURL + rel
	root map[string]any
}

// Load prepares a Validator over the schema folder dir (the layout of
// azure-resource-manager-schemas' schemas/ folder). Only the folder listing
// is read now; schema files are read on first use.
func Load(dir string) (*Validator, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load arm schemas: %w", err)
	}
	v := &Validator{
		dir:      dir,
		docs:     map[string]*schemaDoc{},
		compiled: map[string]*jsonschema.Schema{},
		index:    map[string]map[string][]string{},
	}
	for _, e := range entries {
		if e.IsDir() && apiVersionRE.MatchString(e.Name()) {
			v.versions = append(v.versions, e.Name())
		}
	}
	if len(v.versions) == 0 {
		return nil, fmt.Errorf("load arm schemas: %s has no <apiVersion> folders", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "common", "definitions.json")); err != nil {
		return nil, fmt.Errorf("load arm schemas: %w", err)
	}
	sort.Strings(v.versions)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(localLoader{v})
	c.UseRegexpEngine(v.regexpEngine)
	v.compiler = c
	return v, nil
}

var apiVersionRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(-preview)?$`)

// Stats returns a snapshot of the work done so far.
func (v *Validator) Stats() Stats {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.stats
	s.LenientRegexps = append([]string(nil), s.LenientRegexps...)
	return s
}

// localLoader resolves schema URLs to files in the folder and refuses every
// other URL: validation must never reach the network.
type localLoader struct{ v *Validator }

func (l localLoader) Load(url string) (any, error) {
	rel, ok := relOf(url)
	if !ok {
		return nil, fmt.Errorf("armschema loads only %s* from the local folder, not %s", SchemaBaseURL, url)
	}
	d, err := l.v.docLocked(rel)
	if err != nil {
		return nil, err
	}
	return d.root, nil
}

// relOf maps a schema URL (fragment ignored) to a path in the folder.
func relOf(url string) (string, bool) {
	url, _, _ = strings.Cut(url, "#")
	rel, ok := strings.CutPrefix(url, SchemaBaseURL)
	if !ok || rel == "" || path.Clean(rel) != rel || strings.HasPrefix(rel, "../") || !strings.HasSuffix(rel, ".json") {
		return "", false
	}
	return rel, true
}

// regexpEngine compiles schema patterns with RE2. A few patterns in the
// official schemas use look-around ("(?!...)", "(?<!...)"), which RE2 lacks;
// the library would reject the whole file while checking it against the
// draft-04 metaschema (format "regex"). Those patterns are accepted as
// match-anything and listed in Stats.LenientRegexps. Called with mu held.
func (v *Validator) regexpEngine(s string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(s)
	if err == nil {
		return re, nil
	}
	for _, p := range v.stats.LenientRegexps {
		if p == s {
			return anyRegexp(s), nil
		}
	}
	v.stats.LenientRegexps = append(v.stats.LenientRegexps, s)
	return anyRegexp(s), nil
}

type anyRegexp string

func (r anyRegexp) String() string          { return string(r) }
func (r anyRegexp) MatchString(string) bool { return true }

// docLocked returns the parsed schema file rel, reading it on first use.
// Called with mu held.
func (v *Validator) docLocked(rel string) (*schemaDoc, error) {
	if d, ok := v.docs[rel]; ok {
		return d, nil
	}
	start := time.Now()
	f, err := os.Open(filepath.Join(v.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", rel, err)
	}
	defer f.Close()
	raw, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", rel, err)
	}
	root, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s: not a JSON object", rel)
	}
	d := &schemaDoc{rel: rel, url: SchemaBaseURL + rel, root: root}
	v.docs[rel] = d
	v.stats.FilesLoaded++
	v.stats.LoadTime += time.Since(start)
	return d, nil
}

// compileLocked compiles the schema at url (with fragment). Called with mu held.
func (v *Validator) compileLocked(url string) (*jsonschema.Schema, error) {
	if s, ok := v.compiled[url]; ok {
		return s, nil
	}
	start := time.Now()
	s, err := v.compiler.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", strings.TrimPrefix(url, SchemaBaseURL), err)
	}
	v.compiled[url] = s
	v.stats.Compiles++
	v.stats.CompileTime += time.Since(start)
	return s, nil
}

// compile is compileLocked for callers not holding mu.
func (v *Validator) compile(url string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.compileLocked(url)
}

// providerFiles lists the schema files in the version folder that may define
// types of namespace ns: Microsoft.Network.json, Microsoft.Network.NRP.json,
// Microsoft.Network.privateDns.json... (case-insensitive).
func (v *Validator) providerFiles(version, ns string) []string {
	entries, err := os.ReadDir(filepath.Join(v.dir, version))
	if err != nil {
		return nil
	}
	ns = strings.ToLower(ns)
	var out []string
	for _, e := range entries {
		base, ok := strings.CutSuffix(strings.ToLower(e.Name()), ".json")
		if ok && (base == ns || strings.HasPrefix(base, ns+".")) {
			out = append(out, version+"/"+e.Name())
		}
	}
	return out
}

// resourceDef is a resource definition found for a type and API version.
type resourceDef struct {
	doc  *schemaDoc
	ptr  string // JSON pointer of the definition in doc, e.g. /resourceDefinitions/virtualNetworks
	typ  string // canonical full type from the definition's type enum
	node map[string]any
}

func (r *resourceDef) url() string { return r.doc.url + "#" + r.ptr }

// findDef locates the definition of full type typ (case-insensitive) at
// apiVersion. It returns nil, nil when there is none.
func (v *Validator) findDef(typ, apiVersion string) (*resourceDef, error) {
	ns, _, ok := strings.Cut(typ, "/")
	if !ok || !apiVersionRE.MatchString(apiVersion) {
		return nil, nil
	}
	files := v.providerFiles(apiVersion, ns)
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, rel := range files {
		d, err := v.docLocked(rel)
		if err != nil {
			return nil, err
		}
		if def := lookupType(d, typ); def != nil {
			return def, nil
		}
	}
	return nil, nil
}

// lookupType searches every *resourceDefinitions section of d (resource
// group, subscription, management group, tenant and extension scoped) for
// the full type typ.
func lookupType(d *schemaDoc, typ string) *resourceDef {
	sections := make([]string, 0, 5)
	for k := range d.root {
		if strings.HasSuffix(k, "resourceDefinitions") {
			sections = append(sections, k)
		}
	}
	sort.Strings(sections) // "resourceDefinitions" sorts before the scoped ones
	for _, sec := range sections {
		defs, _ := d.root[sec].(map[string]any)
		names := make([]string, 0, len(defs))
		for k := range defs {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			node, _ := defs[k].(map[string]any)
			if t := defType(node); t != "" && strings.EqualFold(t, typ) {
				return &resourceDef{doc: d, ptr: "/" + sec + "/" + escapePtr(k), typ: t, node: node}
			}
		}
	}
	return nil
}

// defType returns the full type a resource definition declares in its
// properties.type.enum.
func defType(node map[string]any) string {
	props, _ := node["properties"].(map[string]any)
	t, _ := props["type"].(map[string]any)
	enum, _ := t["enum"].([]any)
	if len(enum) == 1 {
		s, _ := enum[0].(string)
		return s
	}
	return ""
}

// versionsOf lists the API versions whose schema files define typ. It reads
// only the resourceDefinitions section names of each candidate file (cheap
// compared to a full parse) and caches the result per namespace.
func (v *Validator) versionsOf(typ string) []string {
	ns, _, _ := strings.Cut(typ, "/")
	key := strings.ToLower(ns)
	v.mu.Lock()
	idx, ok := v.index[key]
	v.mu.Unlock()
	if !ok {
		idx = map[string][]string{}
		for _, ver := range v.versions {
			seen := map[string]bool{}
			for _, rel := range v.providerFiles(ver, ns) {
				for _, t := range typesIn(filepath.Join(v.dir, filepath.FromSlash(rel))) {
					lt := strings.ToLower(t)
					if !seen[lt] {
						seen[lt] = true
						idx[lt] = append(idx[lt], ver)
					}
				}
			}
		}
		v.mu.Lock()
		v.index[key] = idx
		v.mu.Unlock()
	}
	return idx[strings.ToLower(typ)]
}

// typesIn returns the full types defined in a schema file, decoding only
// what it needs.
func typesIn(file string) []string {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return nil
	}
	type def struct {
		Properties struct {
			Type struct {
				Enum []string `json:"enum"`
			} `json:"type"`
		} `json:"properties"`
	}
	var out []string
	for k, raw := range top {
		if !strings.HasSuffix(k, "resourceDefinitions") {
			continue
		}
		var defs map[string]def
		if json.Unmarshal(raw, &defs) != nil {
			continue
		}
		for _, d := range defs {
			if len(d.Properties.Type.Enum) == 1 {
				out = append(out, d.Properties.Type.Enum[0])
			}
		}
	}
	return out
}

// escapePtr escapes a JSON pointer token.
func escapePtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

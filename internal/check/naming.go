package check

import (
	"regexp"
	"strings"

	"github.com/privaks/privaks/internal/arm"
)

// Naming rules: names ARM or the resource provider rejects at deployment
// time (azure-rules.md §4).

// The name patterns: each a regular expression without counted repetition
// and the length bounds, checked apart. A counted repetition such as
// {0,61} compiles to sixty-one nested alternatives: compiling the eight
// patterns that way was ~60 page faults (~1.5 ms) of every check of a
// template, for the same languages (TestNamePatternsMatchCountedForms).
var (
	reACRName     = namePattern{lazyRegexp(`^[a-zA-Z0-9]+$`), 5, 50}
	reVaultName   = namePattern{lazyRegexp(`^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$`), 3, 24}
	reClusterName = namePattern{lazyRegexp(`^[a-zA-Z0-9](?:[a-zA-Z0-9_-]*[a-zA-Z0-9])?$`), 1, 63}
	reDNSPrefix   = namePattern{lazyRegexp(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`), 1, 54}
	reLinuxPool   = namePattern{lazyRegexp(`^[a-z][a-z0-9]*$`), 1, 12}
	reWindowsPool = namePattern{lazyRegexp(`^[a-z][a-z0-9]*$`), 1, 6}
	reLinuxHost   = namePattern{lazyRegexp(`^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?$`), 1, 64}
	reWindowsHost = namePattern{lazyRegexp(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`), 1, 15}
)

// namePattern is a name's pattern and its length in bytes (the patterns'
// classes are ASCII, so bytes are characters).
type namePattern struct {
	re       func() *regexp.Regexp
	min, max int
}

// MatchString reports whether s has the pattern's length and form.
func (p namePattern) MatchString(s string) bool {
	return len(s) >= p.min && len(s) <= p.max && p.re().MatchString(s)
}

// unknownName reports whether a name is an expression left unknown.
func unknownName(s string) bool { return s == "" || isUnknown(s) }

var ruleACRName = Rule{
	ID: "PVK001", Slug: "acr-name", Severity: Error,
	Title:     "Container registry name is 5-50 letters and digits",
	Rationale: "ACR names are globally unique DNS labels of 5 to 50 alphanumeric characters; hyphens and other characters are rejected when the registry is created, after everything before it in the deployment has been built.",
	Fix:       "Rename the registry with 5-50 letters and digits only (privaks derives one from the landing zone name and region).",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, g := range c.Twin.Registries {
			if !unknownName(g.Name) && !reACRName.MatchString(g.Name) {
				out = append(out, at(g.ID, "registry name %q is not 5-50 letters and digits", g.Name))
			}
		}
		return out
	},
}

var ruleVaultName = Rule{
	ID: "PVK002", Slug: "keyvault-name", Severity: Error,
	Title:     "Key Vault name is 3-24 characters, starts with a letter, no consecutive hyphens",
	Rationale: "Key Vault names are globally unique: 3 to 24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, with no two hyphens in a row. A soft-deleted vault keeps its name reserved for the retention period.",
	Fix:       "Choose a 3-24 character name that starts with a letter, ends with a letter or digit and has no consecutive hyphens.",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, v := range c.Twin.Vaults {
			if unknownName(v.Name) {
				continue
			}
			if !reVaultName.MatchString(v.Name) || strings.Contains(v.Name, "--") {
				out = append(out, at(v.ID, "key vault name %q breaks the naming rules (3-24 characters, letter first, letter or digit last, no \"--\")", v.Name))
			}
		}
		return out
	},
}

var ruleClusterName = Rule{
	ID: "PVK003", Slug: "aks-name", Severity: Error,
	Title:     "AKS cluster name is 1-63 characters of letters, digits, '_' and '-'",
	Rationale: "A managed cluster name is 1 to 63 characters of letters, digits, underscores and hyphens, starting and ending with a letter or digit; anything else is rejected by the resource provider.",
	Fix:       "Rename the cluster within the allowed characters and length.",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			if !unknownName(cl.Name) && !reClusterName.MatchString(cl.Name) {
				out = append(out, at(cl.ID, "cluster name %q is not 1-63 letters, digits, '_' or '-' starting and ending alphanumeric", cl.Name))
			}
		}
		return out
	},
}

var ruleDNSPrefix = Rule{
	ID: "PVK004", Slug: "aks-dns-prefix", Severity: Error,
	Title:     "AKS dnsPrefix is 1-54 letters, digits and hyphens",
	Rationale: "dnsPrefix becomes the first label of the API server FQDNs: 1 to 54 letters, digits and hyphens, starting and ending alphanumeric, no dots. It cannot be changed after creation, and a cluster needs either dnsPrefix or fqdnSubdomain.",
	Fix:       "Set dnsPrefix to 1-54 letters, digits and hyphens (or fqdnSubdomain with a custom private zone).",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			r := c.res(cl.ID)
			p := prop(r, "dnsPrefix")
			switch {
			case p.unknown:
				continue
			case cl.DNSPrefix == "":
				if !prop(r, "fqdnSubdomain").set() {
					out = append(out, at(cl.ID, "cluster has neither dnsPrefix nor fqdnSubdomain"))
				}
			case !reDNSPrefix.MatchString(cl.DNSPrefix):
				out = append(out, at(cl.ID, "dnsPrefix %q is not 1-54 letters, digits and hyphens starting and ending alphanumeric", cl.DNSPrefix))
			}
		}
		return out
	},
}

var rulePoolName = Rule{
	ID: "PVK005", Slug: "node-pool-name", Severity: Error,
	Title:     "Node pool name is 1-12 lowercase characters (Windows 1-6)",
	Rationale: "Agent pool names become VM scale set and node name prefixes: lowercase letters and digits, starting with a letter, at most 12 characters for Linux pools and 6 for Windows pools.",
	Fix:       "Rename the pool, e.g. \"system\", \"user\", \"np1\".",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			r := c.res(cl.ID)
			osType := map[string]string{}
			for _, p := range prop(r, "agentPoolProfiles").list() {
				if n, ok := arm.Lookup(p, "name").(string); ok {
					os, _ := arm.Lookup(p, "osType").(string)
					osType[n] = os
				}
			}
			for _, p := range cl.Pools {
				if unknownName(p.Name) {
					continue
				}
				re, limit := reLinuxPool, "1-12 lowercase letters and digits"
				if strings.EqualFold(osType[p.Name], "Windows") {
					re, limit = reWindowsPool, "1-6 lowercase letters and digits (Windows)"
				}
				if !re.MatchString(p.Name) {
					out = append(out, at(cl.ID, "node pool name %q is not %s starting with a letter", p.Name, limit))
				}
			}
		}
		return out
	},
}

var ruleNodeRG = Rule{
	ID: "PVK006", Slug: "node-resource-group-length", Severity: Error,
	Title:     "Node resource group name is at most 80 characters",
	Rationale: "AKS creates a node resource group named MC_<resource group>_<cluster>_<region> unless nodeResourceGroup is set; that name must be at most 80 characters and cluster creation fails when the derived name is longer.",
	Fix:       "Shorten the resource group or cluster name, or set nodeResourceGroup explicitly.",
	Doc:       docAKSTrouble,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, cl := range c.Twin.Clusters {
			r := c.res(cl.ID)
			nrg := prop(r, "nodeResourceGroup")
			if nrg.unknown {
				continue
			}
			name := nrg.str()
			if name == "" {
				rg := c.Twin.Scope.ResourceGroup
				if p, err := arm.ParseResourceID(string(cl.ID)); err == nil && p.ResourceGroup != "" {
					rg = p.ResourceGroup
				}
				if unknownName(rg) || unknownName(cl.Name) {
					continue
				}
				name = "MC_" + rg + "_" + cl.Name + "_" + cl.Region
			}
			if len(name) > 80 {
				out = append(out, at(cl.ID, "node resource group %q is %d characters, more than 80", name, len(name)))
			}
		}
		return out
	},
}

var ruleHostName = Rule{
	ID: "PVK007", Slug: "vm-computer-name", Severity: Error,
	Title:     "VM computer name is 1-64 characters (Windows 1-15)",
	Rationale: "The OS host name (osProfile.computerName, or the VM name when unset) is limited to 64 characters on Linux and 15 on Windows; longer names fail VM creation.",
	Fix:       "Set osProfile.computerName to a shorter host name.",
	Doc:       docNames,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, vm := range c.Twin.VMs {
			r := c.res(vm.ID)
			cn := prop(r, "osProfile.computerName")
			if cn.unknown || prop(r, "osProfile").v == nil {
				continue
			}
			name := cn.str()
			if name == "" {
				name = vm.Name
			}
			re, limit := reLinuxHost, "1-64"
			if prop(r, "osProfile.windowsConfiguration").v != nil {
				re, limit = reWindowsHost, "1-15"
			}
			if !unknownName(name) && !re.MatchString(name) {
				out = append(out, at(vm.ID, "computer name %q is not %s letters, digits and hyphens", name, limit))
			}
		}
		return out
	},
}

var ruleZoneName = Rule{
	ID: "PVK008", Slug: "private-zone-name", Severity: Warning,
	Title:     "Private DNS zone name has 2-34 labels and avoids .local",
	Rationale: "A private zone name needs at least two and at most 34 labels; names under .local collide with multicast DNS on clients and Microsoft advises against them.",
	Fix:       "Use a routable-looking name such as contoso.internal or the privatelink zone the service documents.",
	Doc:       docZone,
	Check: func(c *Context) []Finding {
		var out []Finding
		for _, z := range c.Twin.Zones {
			if z.Implicit || unknownName(z.Name) {
				continue
			}
			n := strings.Count(z.Name, ".") + 1
			switch {
			case n < 2 || n > 34:
				out = append(out, Finding{Resource: string(z.ID), Severity: Error, Message: "zone name " + z.Name + " has " + plural(n, "label", "labels") + " (2-34 allowed)"})
			case strings.HasSuffix(z.Name, ".local") || z.Name == "local":
				out = append(out, at(z.ID, "zone name %s ends in .local", z.Name))
			}
		}
		return out
	},
}

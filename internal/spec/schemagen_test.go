package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	orderedmap "github.com/pb33f/ordered-map/v2"
)

// TestSchemaFileIsGenerated: landingzone.schema.json, which JSONSchema
// returns, is what generateSchema writes from the Go types and the
// constraints table today (go test ./internal/spec -run
// TestSchemaFileIsGenerated -update rewrites it).
func TestSchemaFileIsGenerated(t *testing.T) {
	b, err := generateSchema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("landingzone.schema.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b) {
		t.Errorf("landingzone.schema.json is stale: go test ./internal/spec -run TestSchemaFileIsGenerated -update")
	}
}

var update = flag.Bool("update", false, "rewrite landingzone.schema.json")

// generateSchema returns the JSON Schema (draft 2020-12) of the spec file.
//
// The shape (fields, types, no unknown keys) is reflected from the Go types
// by invopop/jsonschema. Every constraint is then added from the table in
// constraints below, in Go: struct tags cannot carry them, because
// invopop splits tag values on commas (a pattern such as {0,15} and any
// description with a comma were cut). The patterns are the validator's own
// regular expressions (validate.go, validate_azure.go), so the schema and
// the loader cannot drift apart; a test validates the reference design,
// every variant the tests compile, and specs that must fail, with
// santhosh-tekuri/jsonschema.
func generateSchema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true, // required fields come from the table
		DoNotReference:             true, // one inline tree: editors show it best, constraints address it by path
		Anonymous:                  true,
	}
	s := r.Reflect(&File{})
	s.ID = SchemaID
	s.Title = "privaks landing zone"
	s.Description = "A private AKS landing zone (hub and spoke, Key Vault, Workload ID). Every field has a default (docs/spec.md); agent.url is required."
	for _, c := range constraints() {
		node, err := schemaAt(s, c.path)
		if err != nil {
			return nil, err
		}
		c.set(node)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// schemaAt returns the schema of the field at a dotted path; "[]" steps
// into a list's items ("aks.nodePools[].name"). "" is the root.
func schemaAt(root *jsonschema.Schema, path string) (*jsonschema.Schema, error) {
	s := root
	if path == "" {
		return s, nil
	}
	for _, step := range strings.Split(path, ".") {
		items := strings.HasSuffix(step, "[]")
		step = strings.TrimSuffix(step, "[]")
		if s.Properties == nil {
			return nil, fmt.Errorf("schema: %s: %s has no properties", path, step)
		}
		next, ok := s.Properties.Get(step)
		if !ok {
			return nil, fmt.Errorf("schema: %s: no field %s", path, step)
		}
		s = next
		if items {
			if s.Items == nil {
				return nil, fmt.Errorf("schema: %s: %s is not a list", path, step)
			}
			s = s.Items
		}
	}
	return s, nil
}

type constraint struct {
	path string
	set  func(*jsonschema.Schema)
}

// Building blocks of the table.
func desc(d string) func(*jsonschema.Schema) { return func(s *jsonschema.Schema) { s.Description = d } }
func pattern(re func() *regexp.Regexp) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Pattern = re().String() }
}
func patternString(p string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Pattern = p }
}
func enum(vs ...string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		s.Enum = nil
		for _, v := range vs {
			s.Enum = append(s.Enum, v)
		}
	}
}
func length(min, max uint64) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.MinLength, s.MaxLength = &min, &max }
}
func maxLen(max uint64) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.MaxLength = &max }
}
func between(min, max int) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		s.Minimum, s.Maximum = json.Number(strconv.Itoa(min)), json.Number(strconv.Itoa(max))
	}
}
func maxItems(n uint64) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.MaxItems = &n }
}
func unique(s *jsonschema.Schema) { s.UniqueItems = true }
func required(fields ...string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Required = fields }
}
func def(v any) func(*jsonschema.Schema) { return func(s *jsonschema.Schema) { s.Default = v } }
func format(f string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Format = f }
}
func notPattern(p string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) { s.Not = &jsonschema.Schema{Pattern: p} }
}
func notEnum(vs ...string) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		n := &jsonschema.Schema{}
		for _, v := range vs {
			n.Enum = append(n.Enum, v)
		}
		s.Not = n
	}
}
func all(fs ...func(*jsonschema.Schema)) func(*jsonschema.Schema) {
	return func(s *jsonschema.Schema) {
		for _, f := range fs {
			f(s)
		}
	}
}

// Patterns the validator checks with net/netip, written as regular
// expressions for editors: dotted-quad IPv4 without leading zeros, and a
// prefix length of 0-32.
const (
	octet      = `(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`
	patIPv4    = `^` + octet + `(\.` + octet + `){3}$`
	patCIDR    = `^` + octet + `(\.` + octet + `){3}/([0-9]|[12][0-9]|3[0-2])$`
	patDur     = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	patHTTPSNo = `^https://[^@?#\s]+$` // no user information, query or fragment
	// patHost is reHost (exposure.go) with upper case allowed: the loader
	// compares host names in lower case.
	patHost = `^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`
)

func cidr(d string) func(*jsonschema.Schema) { return all(patternString(patCIDR), desc(d)) }
func ipv4(d string) func(*jsonschema.Schema) {
	return all(patternString(patIPv4), format("ipv4"), desc(d))
}

// constraints is every rule the schema states, by field.
func constraints() []constraint {
	regions := Regions()
	return []constraint{
		{"", required("agent")},
		{"apiVersion", all(enum(APIVersion), def(APIVersion), desc("Spec version this build reads."))},
		{"kind", all(enum(Kind), def(Kind))},
		{"name", all(pattern(reName), length(1, 16), def("privaks"), desc("Landing zone name; prefixes derived resource names. 1-16 lowercase letters, digits or hyphens, starting with a letter."))},
		{"region", all(enum(regions...), def(DefaultRegion), desc("Azure region that offers AKS (list and source: docs/spec.md)."))},

		{"network.hub.addressSpace", all(cidr("Hub VNet CIDR; must not overlap the spoke, on-premises ranges or the service CIDR."), def(DefaultHubSpace))},
		{"network.hub.subnets.bastion", cidr("AzureBastionSubnet, /26 or larger. Default: the first free /26 of the hub.")},
		{"network.hub.subnets.dns", cidr("DNS forwarder subnet, /29 or larger. Default: the next free /27.")},
		{"network.hub.subnets.agents", cidr("CI agent subnet, /29 or larger. Default: the next free /27.")},
		{"network.hub.subnets.privateEndpoints", cidr("Private endpoint subnet, /28 or larger. Default: the next free /24.")},
		{"network.hub.subnets.firewall", cidr("AzureFirewallSubnet, /26 or larger; only with egress.mode firewall.")},
		{"network.spoke.addressSpace", all(cidr("Spoke VNet CIDR (AKS nodes and Application Gateway)."), def(DefaultSpokeSpace))},
		{"network.spoke.subnets.nodes", cidr("AKS node subnet; Azure CNI pre-allocates (maxCount + maxSurge) x (maxPods + 1) addresses per pool. Default: twice today's need.")},
		{"network.spoke.subnets.appGateway", cidr("Dedicated Application Gateway subnet, /27 or larger (/24 recommended).")},
		{"network.onPremises", all(maxItems(maxListItems), desc("On-premises CIDRs that must not overlap and may query the DNS forwarder."))},
		{"network.onPremises[]", patternString(patCIDR)},

		{"dns.forwarderIP", ipv4("Static IP of the DNS forwarder VM; default the first usable address of the dns subnet.")},
		{"dns.upstream", all(maxItems(maxListItems), desc("The forwarder's default upstream resolvers; default Azure DNS 168.63.129.16."))},
		{"dns.upstream[]", all(patternString(patIPv4), format("ipv4"))},
		{"dns.negativeCacheTTL", all(patternString(patDur), def(DefaultNegativeCacheTTL), desc("Longest time an NXDOMAIN is cached, 1s to 1h (a Go duration such as 10s)."))},

		{"aks.name", all(pattern(reAKS), length(1, 63), desc("Cluster name; default aks-<name>."))},
		{"aks.dnsPrefix", all(pattern(reDNSPrefix), length(1, 54), desc("Cluster DNS prefix; default the cluster name."))},
		{"aks.kubernetesVersion", all(pattern(reVersion), desc("Kubernetes version such as 1.33; empty: the region's default."))},
		{"aks.serviceCIDR", all(cidr("Kubernetes service range; must not overlap any VNet or on-premises range."), def(DefaultServiceCIDR))},
		{"aks.dnsServiceIP", ipv4("Cluster DNS service IP, inside serviceCIDR and not its first address; default .10.")},
		{"aks.adminGroupObjectIDs", all(maxItems(maxListItems), unique, desc("Entra ID groups given cluster admin."))},
		{"aks.adminGroupObjectIDs[]", all(pattern(reGUID), format("uuid"))},
		{"aks", aksNetworkConditional},
		{"aks.networkPluginMode", all(enum("overlay"), desc("Empty: Azure CNI (pods take node subnet addresses); overlay: Azure CNI Overlay (pods take addresses from podCIDR, outside the VNet)."))},
		{"aks.podCIDR", all(cidr("Overlay pod CIDR; one /24 per node; only with networkPluginMode overlay; must not overlap the VNets, on-premises ranges, the service CIDR or ranges AKS reserves."), def(DefaultPodCIDR))},
		{"aks.networkDataplane", all(enum("azure", "cilium"), def("azure"), desc("azure, or cilium (Azure CNI Powered by Cilium)."))},
		{"aks.networkPolicy", all(enum("azure", "cilium", "calico", "none"), desc("Default azure with the azure dataplane; cilium, the only one the cilium dataplane takes."))},
		{"aks.nodePools", all(maxItems(maxNodePools), desc("Agent pools; at least one with mode System. Default: system (3-5 nodes) and user (2-5)."))},
		{"aks.nodePools[]", required("name")},
		{"aks.nodePools[].name", all(pattern(rePool), length(1, 12), desc("Linux node pool name: 1-12 lowercase letters or digits, starting with a letter."))},
		{"aks.nodePools[].mode", all(enum("System", "User"), desc("The first pool defaults to System, the others to User."))},
		{"aks.nodePools[].vmSize", all(pattern(reVMSize), def(DefaultNodeVMSize))},
		{"aks.nodePools[].minCount", all(between(0, 1000), desc("Fewest nodes (at least 1 for a System pool); default 1."))},
		{"aks.nodePools[].maxCount", all(between(0, 1000), desc("Most nodes, at least minCount; default minCount."))},
		{"aks.nodePools[].maxPods", all(between(10, 250), def(DefaultMaxPods), desc("Pods per node (Azure CNI: 10 to 250)."))},
		{"aks.nodePools[].maxSurge", all(between(0, 100), def(DefaultMaxSurge), desc("Extra nodes during upgrades."))},
		{"aks.nodePools[].zones", all(unique, maxItems(3))},
		{"aks.nodePools[].zones[]", enum("1", "2", "3")},
		{"aks.nodePools[].taints", maxItems(maxListItems)},
		{"aks.nodePools[].taints[]", all(pattern(reTaint), desc("key=value:Effect"))},

		{"registry.name", all(pattern(reACR), length(5, 50), desc("Globally unique ACR name, 5-50 letters or digits; default derived from name and region."))},
		{"keyVault.name", all(pattern(reKV), length(3, 24), notPattern("--"), desc("Globally unique Key Vault name, 3-24 letters, digits or single hyphens; default derived from name and region."))},

		{"appGateway.privateIP", ipv4("Private frontend IP, a usable address of the appGateway subnet; default its last usable address.")},
		{"appGateway.minCapacity", all(between(0, 125), def(DefaultAppGwMin))},
		{"appGateway.maxCapacity", all(between(0, 125), def(DefaultAppGwMax), desc("At least minCapacity."))},
		{"appGateway.wafMode", all(enum("Prevention", "Detection"), def(DefaultWAFMode))},
		{"appGateway.tlsCertificate", all(pattern(reKVObject), def(DefaultTLSCertificate), desc("Key Vault certificate (in keyVault) the HTTPS listeners present; you import or issue it (docs/deploy.md)."))},

		{"vms.adminUsername", all(pattern(reAdminUser), notEnum(sortedKeys(reservedAdminUsers)...), def(DefaultAdminUsername))},
		{"vms.sshPublicKey", all(patternString(`^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$`), desc("OpenSSH public key (ssh-rsa of 2048 bits or more, or ssh-ed25519); empty: given at deploy time as template parameter adminSshPublicKey."))},
		{"vms.size", all(pattern(reVMSize), def(DefaultVMSize))},

		{"agent", all(required("url"), agentConditional)},
		{"agent.kind", all(enum("azdo", "github"), def(DefaultAgentKind))},
		{"agent.url", all(patternString(patHTTPSNo), maxLen(maxAgentURL), format("uri"), desc("Azure DevOps organisation URL (https://dev.azure.com/<org>) or GitHub owner/repository URL (https://github.com/<owner>[/<repo>]); no credentials, query or fragment."))},
		{"agent.pool", all(pattern(reAgentPool), length(1, maxAgentPool), desc("Azure DevOps agent pool; default privaks."))},
		{"agent.labels", maxItems(maxLabels)},
		{"agent.labels[]", pattern(reLabel)},
		{"agent.tokenSecretName", all(pattern(reSecret), def(DefaultTokenSecretName), desc("Key Vault secret holding the agent registration token."))},

		{"workloads", maxItems(maxWorkloads)},
		{"workloads[]", required("name")},
		{"workloads[].name", all(pattern(reDNSLabel), length(1, 40), desc("Workload name; default of its namespace and service account."))},
		{"workloads[].namespace", all(pattern(reDNSLabel), length(1, 63))},
		{"workloads[].serviceAccount", all(pattern(reDNSLabel), length(1, 63))},
		{"workloads[].secrets", all(maxItems(maxListItems), unique, desc("Key Vault secrets the workload reads."))},
		{"workloads[].secrets[]", pattern(reSecret)},
		{"workloads[].exposure", all(enum("public", "private", "none"), def("none"))},
		{"workloads[].image", all(pattern(reImage), maxLen(maxImageRef))},
		{"workloads[].host", all(patternString(patHost), maxLen(253), desc("Host name of the workload's HTTPS listener (exposure public or private); default <name>.<landing zone name>.internal. Each exposed workload has its own."))},

		{"rules.disabled", maxItems(maxRules)},
		{"rules.disabled[]", required("id", "reason")},
		{"rules.disabled[].id", all(pattern(reRuleID), desc("Rule ID such as PVK012 (privaks rules lists them)."))},
		{"rules.disabled[].reason", all(length(1, maxFreeText), patternString(`\S`), desc("Why the rule is off; reviewers read it."))},

		{"egress", egressConditional},
		{"egress.mode", all(enum("natGateway", "firewall"), def("natGateway"))},
		{"egress.aksOutboundType", all(enum("loadBalancer", "natGateway", "userDefinedRouting"), desc("Default loadBalancer; userDefinedRouting (required, and the default) with egress.mode firewall."))},

		{"intents", maxItems(maxIntents)},
		{"intents[]", required("from", "to")},
		{"intents[].name", maxLen(maxFreeText)},
		{"intents[].from", all(length(1, maxFreeText), patternString(`\S`), desc("A VM, a node pool (cluster/pool), a bastion or \"workload <name>\"."))},
		{"intents[].to", all(length(1, maxFreeText), patternString(`\S`), desc("A name or resource with an optional :port (default 443)."))},
		{"intents[].expect", all(enum("reachable", "blocked"), def("reachable"))},

		{"", firewallSubnetConditional},
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// agentConditional: a github agent registers with a GitHub URL.
func agentConditional(s *jsonschema.Schema) {
	s.AllOf = append(s.AllOf, &jsonschema.Schema{
		If:   &jsonschema.Schema{Properties: props("kind", &jsonschema.Schema{Const: "github"}), Required: []string{"kind"}},
		Then: &jsonschema.Schema{Properties: props("url", &jsonschema.Schema{Pattern: reGitHubURL().String()})},
	})
}

// aksNetworkConditional: the rules between the cluster's network choices
// (aksnetwork.go): a pod CIDR only with overlay; the cilium dataplane takes
// the cilium policy; the cilium policy needs the cilium dataplane.
func aksNetworkConditional(s *jsonschema.Schema) {
	s.AllOf = append(s.AllOf,
		&jsonschema.Schema{
			If:   &jsonschema.Schema{Required: []string{"podCIDR"}},
			Then: &jsonschema.Schema{Properties: props("networkPluginMode", &jsonschema.Schema{Const: "overlay"}), Required: []string{"networkPluginMode"}},
		},
		&jsonschema.Schema{
			If: &jsonschema.Schema{Properties: props("networkDataplane", &jsonschema.Schema{Const: "cilium"}), Required: []string{"networkDataplane"}},
			// The loader (aksnetwork.go) takes only cilium here, though its
			// message also names none.
			Then: &jsonschema.Schema{Properties: props("networkPolicy", &jsonschema.Schema{Const: "cilium"})},
		},
		&jsonschema.Schema{
			If:   &jsonschema.Schema{Properties: props("networkPolicy", &jsonschema.Schema{Const: "cilium"}), Required: []string{"networkPolicy"}},
			Then: &jsonschema.Schema{Properties: props("networkDataplane", &jsonschema.Schema{Const: "cilium"}), Required: []string{"networkDataplane"}},
		},
	)
}

// egressConditional: the firewall needs userDefinedRouting; the NAT
// gateway has no next hop for it.
func egressConditional(s *jsonschema.Schema) {
	s.AllOf = append(s.AllOf, &jsonschema.Schema{
		If:   &jsonschema.Schema{Properties: props("mode", &jsonschema.Schema{Const: "firewall"}), Required: []string{"mode"}},
		Then: &jsonschema.Schema{Properties: props("aksOutboundType", &jsonschema.Schema{Const: "userDefinedRouting"})},
		Else: &jsonschema.Schema{Properties: props("aksOutboundType", &jsonschema.Schema{Enum: []any{"loadBalancer", "natGateway"}})},
	})
}

// firewallSubnetConditional: a firewall subnet only with egress.mode firewall.
func firewallSubnetConditional(s *jsonschema.Schema) {
	subnets := &jsonschema.Schema{Required: []string{"firewall"}}
	hub := &jsonschema.Schema{Properties: props("subnets", subnets), Required: []string{"subnets"}}
	network := &jsonschema.Schema{Properties: props("hub", hub), Required: []string{"hub"}}
	mode := &jsonschema.Schema{Properties: props("mode", &jsonschema.Schema{Const: "firewall"}), Required: []string{"mode"}}
	s.AllOf = append(s.AllOf, &jsonschema.Schema{
		If:   &jsonschema.Schema{Properties: props("network", network), Required: []string{"network"}},
		Then: &jsonschema.Schema{Properties: props("egress", mode), Required: []string{"egress"}},
	})
}

func props(name string, s *jsonschema.Schema) *orderedmap.OrderedMap[string, *jsonschema.Schema] {
	p := jsonschema.NewProperties()
	p.Set(name, s)
	return p
}

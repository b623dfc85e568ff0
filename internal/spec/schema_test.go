package spec_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/spec"
	"github.com/privaks/privaks/internal/spec/spectest"
)

const hdr = "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {url: \"https://dev.azure.com/acme\"}\n"

func TestSchemaShape(t *testing.T) {
	b, err := spec.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s["$id"] != spec.SchemaID || s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$id/$schema = %v / %v", s["$id"], s["$schema"])
	}
	name := s["properties"].(map[string]any)["name"].(map[string]any)
	if name["pattern"] != "^[a-z][a-z0-9-]{0,15}$" {
		t.Errorf("name pattern cut: %v", name["pattern"])
	}
	if d, _ := name["description"].(string); !strings.Contains(d, "digits or hyphens, starting with a letter.") {
		t.Errorf("name description cut: %q", d)
	}
	// Each string field either has a constraint or is free text on purpose.
	for _, want := range []string{`"enum"`, `"pattern"`, `"maxLength"`, `"minimum"`, `"maximum"`, `"maxItems"`, `"uniqueItems"`, `"additionalProperties": false`, `"if"`, `"canadacentral"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("schema lacks %s", want)
		}
	}
}

// The loader and the schema agree: what the loader accepts, the schema
// accepts (fixture.Variant and spectest.Parse check every variant the
// other packages' tests compile); what the schema can express and the
// loader refuses, the schema refuses too.
func TestSchemaAcceptsValidSpecs(t *testing.T) {
	valid := map[string]string{
		"reference":       string(spec.ReferenceYAML()),
		"reference + BOM": "\xEF\xBB\xBF" + string(spec.ReferenceYAML()),
		"variant header":  fixture.VariantHeader,
		"minimal":         hdr,
		"firewall":        hdr + "egress:\n  mode: firewall\nnetwork:\n  hub:\n    subnets:\n      firewall: 10.0.3.0/26\n",
		"nat on aks":      hdr + "egress:\n  aksOutboundType: natGateway\n",
		"overlay cilium":  hdr + "aks: {networkPluginMode: overlay, podCIDR: 10.244.0.0/16, networkDataplane: cilium, networkPolicy: cilium}\n",
		"hosts":           hdr + "appGateway: {tlsCertificate: lz-tls}\nworkloads:\n  - {name: web, exposure: public, host: Web.Contoso.com}\n  - {name: api, exposure: private, host: api.lz.internal}\n",
		"github":          "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {kind: github, url: \"https://github.com/acme/app\", labels: [linux, x64]}\n",
		"everything": hdr + `region: westeurope
network:
  hub: {addressSpace: 10.10.0.0/22}
  spoke: {addressSpace: 10.11.0.0/16, subnets: {nodes: 10.11.0.0/20, appGateway: 10.11.16.0/24}}
  onPremises: [192.168.0.0/16]
dns: {upstream: [168.63.129.16], negativeCacheTTL: 30s, forwarderIP: 10.10.0.68}
aks:
  name: aks-lz
  dnsPrefix: aks-lz
  kubernetesVersion: "1.33"
  serviceCIDR: 172.20.0.0/16
  dnsServiceIP: 172.20.0.10
  adminGroupObjectIDs: [6f1c2a4e-8d3b-4c7a-9e2f-1a2b3c4d5e6f]
  nodePools:
    - {name: system, mode: System, vmSize: Standard_D4ds_v5, minCount: 3, maxCount: 5, maxPods: 30, maxSurge: 1, zones: ["1", "2", "3"], taints: ["CriticalAddonsOnly=true:NoSchedule"]}
registry: {name: acrlz12345}
keyVault: {name: kv-lz-1}
appGateway: {minCapacity: 1, maxCapacity: 2, wafMode: Detection}
vms: {adminUsername: ops, size: Standard_B2s, sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq1vYbB0sM2o8pQyQ5J8vW0gJ3kY6hHfXn2v9w8h1yZ ops@lz"}
workloads:
  - {name: web, namespace: web, serviceAccount: web, secrets: [db-password], exposure: private, image: "mcr.microsoft.com/azuredocs/aks-helloworld:v1"}
rules:
  disabled: [{id: PVK012, reason: "accepted for the pilot"}]
intents:
  - {name: agent to web, from: vm-agent, to: "web:443", expect: reachable}
`,
	}
	for name, src := range valid {
		t.Run(name, func(t *testing.T) {
			spectest.Parse(t, name+".yaml", []byte(src))
		})
	}
}

func TestSchemaRejectsWhatTheLoaderRejects(t *testing.T) {
	invalid := map[string]string{
		"unknown key":              hdr + "regoin: westeurope\n",
		"bad name":                 "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: My_LZ\nagent: {url: \"https://dev.azure.com/acme\"}\n",
		"name too long":            "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: abcdefghijklmnopq\nagent: {url: \"https://dev.azure.com/acme\"}\n",
		"unknown region":           hdr + "region: narnia\n",
		"bad cidr":                 hdr + "network:\n  hub: {addressSpace: 10.0.0.0/33}\n",
		"bad ip":                   hdr + "dns: {forwarderIP: 10.0.0.256}\n",
		"bad duration":             hdr + "dns: {negativeCacheTTL: forever}\n",
		"bad pool name":            hdr + "aks:\n  nodePools: [{name: System_Pool, mode: System}]\n",
		"pool without name":        hdr + "aks:\n  nodePools: [{mode: System}]\n",
		"maxPods over 250":         hdr + "aks:\n  nodePools: [{name: sys, maxPods: 251}]\n",
		"maxCount over 1000":       hdr + "aks:\n  nodePools: [{name: sys, maxCount: 1001}]\n",
		"zone 4":                   hdr + "aks:\n  nodePools: [{name: sys, zones: [\"4\"]}]\n",
		"bad taint":                hdr + "aks:\n  nodePools: [{name: sys, taints: [\"nocolon\"]}]\n",
		"bad guid":                 hdr + "aks: {adminGroupObjectIDs: [not-a-guid]}\n",
		"acr name with hyphen":     hdr + "registry: {name: my-acr}\n",
		"kv double hyphen":         hdr + "keyVault: {name: kv--x}\n",
		"reserved admin":           hdr + "vms: {adminUsername: admin}\n",
		"not an ssh key":           hdr + "vms: {sshPublicKey: \"ssh-rsa notakey!\"}\n",
		"bad exposure":             hdr + "workloads: [{name: web, exposure: internet}]\n",
		"bad secret name":          hdr + "workloads: [{name: web, secrets: [\"a_b\"]}]\n",
		"url with credentials":     "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {url: \"https://user:tok@dev.azure.com/acme\"}\n",
		"url with query":           "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {url: \"https://dev.azure.com/acme?sig=x\"}\n",
		"github kind, other url":   "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\nagent: {kind: github, url: \"https://dev.azure.com/acme\"}\n",
		"no agent url":             "apiVersion: privaks.dev/v1alpha1\nkind: LandingZone\nname: lz\n",
		"firewall with lb":         hdr + "egress: {mode: firewall, aksOutboundType: loadBalancer}\n",
		"nat with udr":             hdr + "egress: {aksOutboundType: userDefinedRouting}\n",
		"firewall subnet, no fw":   hdr + "network:\n  hub:\n    subnets: {firewall: 10.0.3.0/26}\n",
		"rule without reason":      hdr + "rules:\n  disabled: [{id: PVK012}]\n",
		"bad rule id":              hdr + "rules:\n  disabled: [{id: R12, reason: x}]\n",
		"intent without to":        hdr + "intents: [{from: vm-agent}]\n",
		"bad expect":               hdr + "intents: [{from: vm-agent, to: x, expect: maybe}]\n",
		"string for a number":      hdr + "appGateway: {maxCapacity: many}\n",
		"appgw capacity over 125":  hdr + "appGateway: {maxCapacity: 126}\n",
		"wrong apiVersion":         "apiVersion: v2\nkind: LandingZone\nname: lz\nagent: {url: \"https://dev.azure.com/acme\"}\n",
		"101 workloads":            hdr + "workloads:\n" + strings.Repeat("  - {name: w}\n", 101),
		"bad vm size":              hdr + "vms: {size: B2s}\n",
		"image with a space":       hdr + "workloads: [{name: web, image: \"a b\"}]\n",
		"pod cidr without overlay": hdr + "aks: {podCIDR: 10.244.0.0/16}\n",
		"cilium with azure policy": hdr + "aks: {networkDataplane: cilium, networkPolicy: azure}\n",
		"cilium with no policy":    hdr + "aks: {networkDataplane: cilium, networkPolicy: none}\n",
		"cilium policy, azure dp":  hdr + "aks: {networkPolicy: cilium}\n",
		"bad plugin mode":          hdr + "aks: {networkPluginMode: kubenet}\n",
		"bad host":                 hdr + "workloads: [{name: web, exposure: public, host: \"not a host\"}]\n",
		"bad tls certificate name": hdr + "appGateway: {tlsCertificate: \"a_b\"}\n",
		"duplicate admin group id": hdr + "aks: {adminGroupObjectIDs: [6f1c2a4e-8d3b-4c7a-9e2f-1a2b3c4d5e6f, 6f1c2a4e-8d3b-4c7a-9e2f-1a2b3c4d5e6f]}\n",
	}
	for name, src := range invalid {
		t.Run(name, func(t *testing.T) {
			if _, _, err := spec.Parse("bad.yaml", []byte(src)); err == nil {
				t.Fatalf("the loader accepts it; the case is wrong")
			}
			if err := spectest.ValidateYAML([]byte(src)); err == nil {
				t.Errorf("the schema accepts a spec the loader refuses:\n%s", src)
			}
		})
	}
}

// Every value of the schema carries a constraint (pattern, enum, length,
// range or format), so a field added to the Go types without its rule in
// schema.go's table fails here rather than reaching editors unchecked.
func TestSchemaEveryFieldConstrained(t *testing.T) {
	b, err := spec.JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		switch s["type"] {
		case "object":
			props, _ := s["properties"].(map[string]any)
			for name, p := range props {
				walk(strings.TrimPrefix(path+"."+name, "."), p.(map[string]any))
			}
			if s["additionalProperties"] != false {
				t.Errorf("%s: unknown keys are not refused", path)
			}
		case "array":
			if _, ok := s["maxItems"]; !ok {
				t.Errorf("%s: a list without maxItems", path)
			}
			walk(path+"[]", s["items"].(map[string]any))
		case "string", "integer":
			for _, k := range []string{"pattern", "enum", "maxLength", "maximum", "format", "const"} {
				if _, ok := s[k]; ok {
					return
				}
			}
			t.Errorf("%s: no constraint in the schema (add it to constraints() in schema.go)", path)
		}
	}
	walk("", root)
}

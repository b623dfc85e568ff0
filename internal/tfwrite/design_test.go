package tfwrite_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// TestSameDesign writes each design as Terraform, reads the module back
// through internal/tfread and checks that it is the same design: the same
// resources (IDs, types) with the same properties, and every intent of the
// design passes on what was read back.
func TestSameDesign(t *testing.T) {
	for name, tmpl := range designs(t) {
		t.Run(name, func(t *testing.T) {
			set := evaluate(t, tmpl)
			_, m, back := writeRead(t, set)
			// IDs are references, the subscription and tenant the module's.
			for n, b := range m.Files {
				for _, id := range []string{set.Scope.Subscription, set.Scope.TenantID} {
					if strings.HasSuffix(n, ".tf") && strings.Contains(string(b), id) {
						t.Errorf("%s holds the literal subscription or tenant ID %s", n, id)
					}
				}
			}
			if !back.Coverage.Complete() {
				t.Fatalf("the reader left out: %+v", back.Coverage.LeftOut)
			}
			for _, d := range compareSets(set, back) {
				t.Error(d)
			}
			var diffs []string
			walk("outputs", "outputs", map[string]any(set.Outputs), map[string]any(back.Outputs), nil, &diffs)
			if len(set.Outputs) != len(back.Outputs) {
				diffs = append(diffs, fmt.Sprintf("%d outputs, %d read back", len(set.Outputs), len(back.Outputs)))
			}
			for _, d := range diffs {
				t.Error(d)
			}
			at, bt := twin.Build(set), twin.Build(back)
			want := verify.Run(at, verify.Derive(at))
			got := verify.Run(bt, verify.Derive(bt))
			if len(got) != len(want) || len(got) < 20 {
				t.Errorf("%d intents derived from the Terraform, %d from the ARM set", len(got), len(want))
			}
			for _, r := range got {
				if r.Status != verify.Pass {
					t.Errorf("intent %s: %s: %s", r.Name, r.Status, r.Cause)
				}
			}
		})
	}
}

// notCompared lists, per ARM type (lower case), property paths not
// compared, with the reason. Every other property is compared: ID, type,
// location, SKU, kind, identity, zones and every property leaf, in both
// directions (but armDefaults: a property ARM leaves out that the reader
// fills in with ARM's default), because an azurerm writer is used only
// for a resource all of whose properties it carries (fits), and
// everything else is azapi with its ARM body. Also not compared: the
// order of the set's resources (the reader orders by dependency) and
// dependsOn (Terraform orders by references; the explicit depends_on
// kept for the readiness chain is checked by TestReadinessOrderKept), and
// a Key Vault secret's value (never written; TestNoSecretInAnyFile).
var notCompared = map[string][]string{
	// azurerm_linux_virtual_machine has no argument for the VM's
	// deleteOption of its NICs and OS disk (ARM: Delete when the VM is
	// deleted). Under Terraform the NICs are resources of the module,
	// destroyed with it, and the provider deletes the OS disk with the VM
	// (features.virtual_machine.delete_os_disk_on_deletion, default true):
	// docs/terraform.md says so.
	"microsoft.compute/virtualmachines": {"properties.networkProfile.networkInterfaces.*.properties.deleteOption",
		"properties.storageProfile.osDisk.deleteOption"},
}

// armDefaults are the properties the Terraform reader fills in from an
// azurerm argument's default where the ARM resource leaves them out: each
// is ARM's own default for that property, so the resource is the same
// (type, lower case → path → value).
var armDefaults = map[string]map[string]string{
	"microsoft.keyvault/vaults": {"properties.enableSoftDelete": "true", "properties.softDeleteRetentionInDays": "90",
		"properties.enablePurgeProtection": "false", "properties.enabledForDeployment": "false",
		"properties.enabledForDiskEncryption": "false", "properties.enabledForTemplateDeployment": "false"},
	"microsoft.network/virtualnetworks/virtualnetworkpeerings": {"properties.allowGatewayTransit": "false",
		"properties.useRemoteGateways": "false"},
	"microsoft.network/virtualnetworks/subnets": {"properties.privateEndpointNetworkPolicies": `"Disabled"`,
		"properties.privateLinkServiceNetworkPolicies": `"Enabled"`},
	"microsoft.containerregistry/registries": {"properties.adminUserEnabled": "false", "properties.anonymousPullEnabled": "false",
		"properties.dataEndpointEnabled": "false", "properties.publicNetworkAccess": `"Enabled"`,
		"properties.zoneRedundancy": `"Disabled"`, "properties.networkRuleBypassOptions": `"AzureServices"`},
	// OSDisk.caching: "None for Standard storage" (Compute API); the
	// writer writes it only for standard disk types.
	"microsoft.compute/virtualmachines": {"properties.storageProfile.osDisk.caching": `"None"`},
	"microsoft.containerservice/managedclusters": {"sku": `{"name":"Base","tier":"Free"}`, "properties.enableRBAC": "true",
		"properties.disableLocalAccounts": "false", "properties.agentPoolProfiles.0.enableAutoScaling": "false",
		"properties.agentPoolProfiles.0.osType": `"Linux"`, "properties.agentPoolProfiles.0.type": `"VirtualMachineScaleSets"`},
	"microsoft.containerservice/managedclusters/agentpools": {"properties.enableAutoScaling": "false",
		"properties.osType": `"Linux"`, "properties.type": `"VirtualMachineScaleSets"`},
	"microsoft.network/routetables": {"properties.disableBgpRoutePropagation": "false"},
	"microsoft.network/natgateways": {"properties.idleTimeoutInMinutes": "4"},
	"microsoft.network/networkinterfaces": {"properties.enableIPForwarding": "false",
		"properties.enableAcceleratedNetworking": "false", "properties.ipConfigurations.0.properties.primary": "true"},
}

// armDefault reports whether a read-back-only difference ("ID: path =
// value, read back null") is an ARM default.
func armDefault(typ, diff string) bool {
	for path, v := range armDefaults[strings.ToLower(typ)] {
		if strings.Contains(diff, ": "+path+" = "+v+", read back null") {
			return true
		}
	}
	return false
}

// splitChildren writes a set's inline sub-resources that Terraform writes
// as resources of their own as those child resources: a VNet's subnets
// (azurerm_subnet) and a cluster's agent pools after the first
// (azurerm_kubernetes_cluster_node_pool). Inline or child, ARM has them as the same resources
// with the same IDs and properties, so both sets are compared in that one
// form.
func splitChildren(s *arm.Set) *arm.Set {
	out := &arm.Set{Scope: s.Scope, Outputs: s.Outputs, Coverage: s.Coverage}
	for _, r := range s.Resources {
		if r.Is("Microsoft.ContainerService/managedClusters") && len(asList(r.Prop("agentPoolProfiles"))) > 1 {
			c := *r
			c.Properties = map[string]any{}
			for k, v := range r.Properties {
				c.Properties[k] = v
			}
			pools := asList(r.Prop("agentPoolProfiles"))
			c.Properties["agentPoolProfiles"] = pools[:1]
			out.Add(&c)
			for _, x := range pools[1:] {
				p := map[string]any{}
				for k, v := range x.(map[string]any) {
					p[k] = v
				}
				n, _ := p["name"].(string)
				delete(p, "name")
				out.Add(&arm.Resource{Type: "Microsoft.ContainerService/managedClusters/agentPools", APIVersion: r.APIVersion,
					Name: r.Name + "/" + n, ID: arm.ResourceID(string(r.ID) + "/agentPools/" + n), Properties: p})
			}
			continue
		}
		if !r.Is("Microsoft.Network/virtualNetworks") || r.Prop("subnets") == nil {
			out.Add(r)
			continue
		}
		c := *r
		c.Properties = map[string]any{}
		for k, v := range r.Properties {
			if k != "subnets" {
				c.Properties[k] = v
			}
		}
		out.Add(&c)
		for _, x := range r.Prop("subnets").([]any) {
			m := x.(map[string]any)
			n, _ := m["name"].(string)
			p, _ := m["properties"].(map[string]any)
			out.Add(&arm.Resource{Type: "Microsoft.Network/virtualNetworks/subnets", APIVersion: r.APIVersion,
				Name: r.Name + "/" + n, ID: arm.ResourceID(string(r.ID) + "/subnets/" + n), Properties: p})
		}
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func compareSets(a, b *arm.Set) []string {
	a, b = splitChildren(a), splitChildren(b)
	var diffs []string
	for _, r := range a.Resources {
		o := b.Get(r.ID)
		if o == nil {
			diffs = append(diffs, fmt.Sprintf("%s: not read back", r.ID))
			continue
		}
		if !strings.EqualFold(r.Type, o.Type) {
			diffs = append(diffs, fmt.Sprintf("%s: type %s read back as %s", r.ID, r.Type, o.Type))
		}
		skip := notCompared[strings.ToLower(r.Type)]
		top := func(k string, x, y any) {
			if x == nil {
				return // absent in ARM: the other way below compares it
			}
			walk(string(r.ID), k, x, y, skip, &diffs)
		}
		top("location", r.Location, o.Location)
		top("sku", r.SKU, o.SKU)
		top("kind", r.Kind, o.Kind)
		top("identity", r.Identity, o.Identity)
		top("zones", r.Zones, o.Zones)
		top("properties", map[string]any(r.Properties), map[string]any(o.Properties))
		// And the other way: nothing read back that the ARM set lacks.
		var extra []string
		walk(string(r.ID), "properties", map[string]any(o.Properties), map[string]any(r.Properties), skip, &extra)
		walk(string(r.ID), "sku", o.SKU, r.SKU, skip, &extra)
		walk(string(r.ID), "identity", o.Identity, r.Identity, skip, &extra)
		walk(string(r.ID), "zones", o.Zones, r.Zones, skip, &extra)
		for _, d := range extra {
			if !armDefault(r.Type, d) {
				diffs = append(diffs, "read back only: "+d)
			}
		}
	}
	for _, r := range b.Resources {
		if a.Get(r.ID) == nil && !r.Is("Microsoft.Resources/resourceGroups") {
			diffs = append(diffs, fmt.Sprintf("%s: read back but not in the ARM set", r.ID))
		}
	}
	sort.Strings(diffs)
	return diffs
}

// walk compares every leaf of the ARM value x with the read-back value y.
func walk(id, path string, x, y any, skip []string, diffs *[]string) {
	for _, s := range skip {
		if skipped(path, s) {
			return
		}
	}
	x, y = norm(x), norm(y)
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok {
			if len(xv) == 0 && y == nil {
				return
			}
			*diffs = append(*diffs, fmt.Sprintf("%s: %s = %s, read back %s", id, path, js(x), js(y)))
			return
		}
		for k, v := range xv {
			walk(id, path+"."+k, v, lookupFold(yv, k), skip, diffs)
		}
		return
	case []any:
		yv, ok := y.([]any)
		if len(xv) == 0 && y == nil {
			return // an empty list is ARM's default for an absent one
		}
		if !ok || len(yv) != len(xv) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %s = %s, read back %s", id, path, js(x), js(y)))
			return
		}
		for i := range xv {
			walk(id, fmt.Sprintf("%s.%d", path, i), xv[i], yv[i], skip, diffs)
		}
		return
	case arm.Unknown:
		if yu, ok := y.(arm.Unknown); ok && xv.Ref.Equal(yu.Ref) && strings.EqualFold(xv.Path, yu.Path) {
			return
		}
	case string:
		if ys, ok := y.(string); ok && (xv == ys || (strings.HasPrefix(xv, "/subscriptions/") && strings.EqualFold(xv, ys))) {
			return
		}
		if xv == "" && y == nil {
			return
		}
	default:
		if reflect.DeepEqual(x, y) {
			return
		}
	}
	*diffs = append(*diffs, fmt.Sprintf("%s: %s = %s, read back %s", id, path, js(x), js(y)))
}

// skipped reports whether path is pattern or below it; a "*" segment of
// the pattern matches any one segment (a list index).
func skipped(path, pattern string) bool {
	ps, qs := strings.Split(strings.ToLower(path), "."), strings.Split(strings.ToLower(pattern), ".")
	if len(ps) < len(qs) {
		return false
	}
	for i, q := range qs {
		if q != "*" && q != ps[i] {
			return false
		}
	}
	return true
}

func lookupFold(m map[string]any, k string) any {
	if v, ok := m[k]; ok {
		return v
	}
	for mk, v := range m {
		if strings.EqualFold(mk, k) {
			return v
		}
	}
	return nil
}

// norm makes numbers float64 and typed maps and lists generic.
func norm(v any) any {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case json.Number:
		f, _ := t.Float64()
		return f
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = norm(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = norm(x)
		}
		return l
	case []string:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = x
		}
		return l
	}
	return v
}

func js(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// A set privaks did not compile — the generated hub-and-spoke estate,
// written as a template by hand (VMs, spokes, endpoints of three kinds,
// clusters sharing a custom zone) — is exported and read back the same.
func TestSameEstate(t *testing.T) {
	set, err := armeval.Evaluate(fixture.Estate(t, 3, 6, 12, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, m, back := writeRead(t, set)
	if !back.Coverage.Complete() {
		t.Fatalf("the reader left out: %+v", back.Coverage.LeftOut)
	}
	if len(m.Inputs) != 0 {
		t.Errorf("inputs %v for a set with every value known", m.Inputs)
	}
	// Its clusters leave SKU, RBAC, local accounts and pool defaults to
	// ARM, and are azurerm all the same.
	if !strings.Contains(string(m.Files["aks.tf"]), `resource "azurerm_kubernetes_cluster" "aks_estate_0"`) {
		t.Error("the estate's cluster is not written with azurerm")
	}
	if !strings.Contains(string(m.Files["dns.tf"]), `resource "azurerm_private_dns_a_record"`) {
		t.Error("the estate's A records are not written with azurerm")
	}
	for _, d := range compareSets(set, back) {
		t.Error(d)
	}
	at, bt := twin.Build(set), twin.Build(back)
	want := verify.Run(at, verify.Derive(at))
	got := verify.Run(bt, verify.Derive(bt))
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d intents from the Terraform, %d from the ARM set", len(got), len(want))
	}
	for i := range got {
		if got[i].Status != want[i].Status {
			t.Errorf("intent %s: %s from Terraform, %s from ARM", got[i].Name, got[i].Status, want[i].Status)
		}
	}
}

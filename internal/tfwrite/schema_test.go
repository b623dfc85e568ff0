package tfwrite_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/tfwrite"
)

// TestWrittenModuleMatchesProviderSchema checks every azurerm resource and
// data source the writer emits, for every design, against the azurerm
// provider schema (testdata/azurerm-schema-subset.json, 5.2): the type
// exists, every attribute and nested block exists (a block may also be an
// attribute of list or set of objects, written in block form), every
// required attribute is set, and every literal value converts to the
// attribute's type. azapi_resource blocks are checked for their required
// arguments (type with @apiVersion, name, parent_id); no azapi schema is
// at hand to check more.
func TestWrittenModuleMatchesProviderSchema(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "azurerm-schema-subset.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ps tfjson.ProviderSchemas
	if err := json.Unmarshal(b, &ps); err != nil {
		t.Fatal(err)
	}
	p := ps.Schemas["registry.terraform.io/hashicorp/azurerm"]
	seen := map[string]int{}
	sets := designs(t)
	// With the token the Key Vault secret is in the set too.
	withToken, err := armeval.Evaluate(fixture.Reference(t), armeval.WithParameters(map[string]any{
		compile.ParamSSHKey: testSSHKey, compile.ParamAgentToken: "x"}))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"reference+token"}
	for n := range sets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		set := withToken
		if tmpl, ok := sets[name]; ok {
			set = evaluate(t, tmpl)
		}
		m, err := tfwrite.Write(set)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range m.Names() {
			if !strings.HasSuffix(fn, ".tf") {
				continue
			}
			f, diags := hclsyntax.ParseConfig(m.Files[fn], fn, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("%s/%s: %v", name, fn, diags)
			}
			for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
				if (blk.Type != "resource" && blk.Type != "data") || len(blk.Labels) != 2 {
					continue
				}
				typ := blk.Labels[0]
				where := name + "/" + fn + ": " + blk.Type + " " + typ + "." + blk.Labels[1]
				seen[typ]++
				switch {
				case typ == "azapi_resource":
					for _, a := range []string{"type", "name", "parent_id"} {
						if blk.Body.Attributes[a] == nil {
							t.Errorf("%s: no %s", where, a)
						}
					}
					if v, d := blk.Body.Attributes["type"].Expr.Value(nil); d.HasErrors() || !strings.Contains(v.AsString(), "@") {
						t.Errorf("%s: type is not a literal TYPE@API-VERSION", where)
					}
				case blk.Type == "data":
					s := p.DataSourceSchemas[typ]
					if s == nil {
						t.Errorf("%s: not an azurerm data source", where)
						continue
					}
					checkBlock(t, where, blk.Body, s.Block)
				default:
					s := p.ResourceSchemas[typ]
					if s == nil {
						t.Errorf("%s: not in the azurerm provider schema", where)
						continue
					}
					checkBlock(t, where, blk.Body, s.Block)
				}
			}
		}
	}
	// Never green on nothing: the azurerm types the writer emits were seen.
	for _, typ := range []string{"azurerm_resource_group", "azurerm_user_assigned_identity", "azurerm_role_assignment",
		"azurerm_private_dns_zone", "azurerm_network_security_group", "azurerm_client_config",
		"azurerm_virtual_network", "azurerm_subnet", "azurerm_subnet_network_security_group_association",
		"azurerm_subnet_nat_gateway_association", "azurerm_subnet_route_table_association", "azurerm_nat_gateway",
		"azurerm_nat_gateway_public_ip_association", "azurerm_network_interface", "azurerm_linux_virtual_machine",
		"azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool", "azurerm_application_gateway",
		"azurerm_private_endpoint", "azurerm_container_registry", "azurerm_firewall", "azurerm_firewall_policy",
		"azurerm_firewall_policy_rule_collection_group", "azurerm_route_table"} {
		if seen[typ] == 0 {
			t.Errorf("no design wrote %s", typ)
		}
	}
	t.Logf("checked blocks: %v", seen)
}

var metaArgs = map[string]bool{"depends_on": true, "count": true, "for_each": true, "provider": true, "lifecycle": true}

func checkBlock(t *testing.T, where string, body *hclsyntax.Body, s *tfjson.SchemaBlock) {
	t.Helper()
	for name, a := range body.Attributes {
		if metaArgs[name] {
			continue
		}
		sa := s.Attributes[name]
		if sa == nil {
			t.Errorf("%s: no attribute %q in the schema", where, name)
			continue
		}
		if sa.Computed && !sa.Optional && !sa.Required {
			t.Errorf("%s: %q is computed only", where, name)
		}
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsWhollyKnown() {
			if _, err := convert.Convert(v, sa.AttributeType); err != nil {
				t.Errorf("%s: %s = %s does not convert to %s: %v", where, name, v.GoString(), sa.AttributeType.FriendlyName(), err)
			}
		}
	}
	for name, sa := range s.Attributes {
		if sa.Required && body.Attributes[name] == nil {
			t.Errorf("%s: required attribute %q is not set", where, name)
		}
	}
	for _, nb := range body.Blocks {
		if nb.Type == "lifecycle" {
			continue
		}
		if bt := s.NestedBlocks[nb.Type]; bt != nil {
			checkBlock(t, where+"."+nb.Type, nb.Body, bt.Block)
			continue
		}
		// Attributes as blocks: a list or set of objects.
		sa := s.Attributes[nb.Type]
		if sa == nil || !(sa.AttributeType.IsListType() || sa.AttributeType.IsSetType()) || !sa.AttributeType.ElementType().IsObjectType() {
			t.Errorf("%s: no block %q in the schema", where, nb.Type)
			continue
		}
		obj := sa.AttributeType.ElementType()
		for an, a := range nb.Body.Attributes {
			if !obj.HasAttribute(an) {
				t.Errorf("%s.%s: no attribute %q", where, nb.Type, an)
				continue
			}
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsWhollyKnown() {
				if _, err := convert.Convert(v, obj.AttributeType(an)); err != nil {
					t.Errorf("%s.%s: %s does not convert: %v", where, nb.Type, an, err)
				}
			}
		}
	}
	for name, bt := range s.NestedBlocks {
		n := 0
		for _, nb := range body.Blocks {
			if nb.Type == name {
				n++
			}
		}
		if uint64(n) < bt.MinItems {
			t.Errorf("%s: block %q needs %d, has %d", where, name, bt.MinItems, n)
		}
	}
}

// TestNodeProvisioningProfileNotEmpty: azurerm 5.2 requires the block and
// one of mode or default_node_pools in it (an AtLeastOneOf the provider
// schema JSON does not carry); terraform validate with the provider built
// from its source refused the empty block.
func TestNodeProvisioningProfileNotEmpty(t *testing.T) {
	for name, tmpl := range designs(t) {
		m, err := tfwrite.Write(evaluate(t, tmpl))
		if err != nil {
			t.Fatal(err)
		}
		aks := string(m.Files["aks.tf"])
		if !strings.Contains(aks, "azurerm_kubernetes_cluster\"") {
			continue
		}
		if !regexp.MustCompile(`node_provisioning_profile \{\s*mode\s*=\s*"Manual"\s*\}`).MatchString(aks) {
			t.Errorf("%s: node_provisioning_profile without mode:\n%s", name, aks)
		}
	}
}

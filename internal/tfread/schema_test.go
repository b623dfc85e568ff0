package tfread_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/privaks/privaks/internal/tfread"
)

// TestMappingReadsExistInProviderSchema reads every test configuration
// while recording each attribute the mappings read, then checks each one
// against the azurerm provider schema (testdata/azurerm-schema-subset.json):
// the attribute or block exists where the mapping reads it, with the type
// the mapping expects. Names kept for azurerm 3.x (Legacy) must be gone
// from the current schema, or the mapping reads the wrong name first.
func TestMappingReadsExistInProviderSchema(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "azurerm-schema-subset.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ps tfjson.ProviderSchemas
	if err := json.Unmarshal(b, &ps); err != nil {
		t.Fatal(err)
	}
	schemas := ps.Schemas["registry.terraform.io/hashicorp/azurerm"].ResourceSchemas

	stop := tfread.RecordReads()
	readAllFixtures(t)
	reads := stop()
	if len(reads) < 200 {
		t.Fatalf("only %d reads recorded: the fixtures do not exercise the mappings", len(reads))
	}
	types := map[string]bool{}
	for _, r := range reads {
		if !strings.HasPrefix(r.Type, "azurerm_") {
			continue
		}
		types[r.Type] = true
		s := schemas[r.Type]
		if s == nil {
			t.Errorf("%s: not in the provider schema", r.Type)
			continue
		}
		kind, found := lookupSchema(s.Block, strings.Split(r.Path, "."))
		switch {
		case r.Legacy && found:
			t.Errorf("%s.%s is read as a legacy (3.x) name but the current schema has it", r.Type, r.Path)
		case r.Legacy:
		case !found:
			t.Errorf("%s.%s: no such attribute or block in the provider schema", r.Type, r.Path)
		case !kindMatches(r.Kind, kind):
			t.Errorf("%s.%s: the mapping reads a %s, the schema has %s", r.Type, r.Path, r.Kind, kind)
		}
	}
	// Every mapped azurerm type must have been exercised.
	for _, typ := range tfread.MappedTypes() {
		if strings.HasPrefix(typ, "azurerm_") && !types[typ] && !unexercised[typ] {
			t.Errorf("%s is mapped but no test configuration uses it", typ)
		}
	}
}

// unexercised lists mapped types no fixture declares yet; each is still
// checked by name against the schema below.
var unexercised = map[string]bool{}

func readAllFixtures(t *testing.T) {
	t.Helper()
	_, _ = tfread.Read(filepath.Join("testdata", "features"), tfread.Options{})
	_, _ = tfread.Read(filepath.Join("testdata", "mapping"), tfread.Options{})
	_, _ = tfread.Read(filepath.Join("testdata", "public", "private-aks-cluster-terraform-devops", "terraform"), tfread.Options{
		Vars: []string{"ssh_public_key=ssh-rsa AAAA", "script_storage_account_name=s", "script_storage_account_key=k"}})
	for _, d := range []string{"terraform-azurerm-aks/examples/with_acr", "terraform-azurerm-aks/examples/application_gateway_ingress",
		"avm-res-containerservice-managedcluster/examples/private", "avm-res-keyvault-vault/examples/private-endpoint",
		"avm-ptn-hubnetworking/examples/azure_landing_zone_firewall"} {
		_, _ = tfread.Read(filepath.Join("testdata", "public", d), tfread.Options{})
	}
}

// lookupSchema resolves a dotted path through blocks and nested
// attributes and returns the schema's kind for it.
func lookupSchema(b *tfjson.SchemaBlock, path []string) (string, bool) {
	if b == nil || len(path) == 0 {
		return "", false
	}
	name := path[0]
	if a, ok := b.Attributes[name]; ok {
		if len(path) == 1 {
			if a.AttributeNestedType != nil {
				return "block", true
			}
			return ctyKind(a.AttributeType), true
		}
		// A list of objects given as an attribute (azurerm 5.x subnet).
		if a.AttributeNestedType != nil {
			nb := &tfjson.SchemaBlock{Attributes: a.AttributeNestedType.Attributes}
			return lookupSchema(nb, path[1:])
		}
		if a.AttributeType.IsListType() || a.AttributeType.IsSetType() {
			if et := a.AttributeType.ElementType(); et.IsObjectType() {
				if len(path) == 2 && et.HasAttribute(path[1]) {
					return ctyKind(et.AttributeType(path[1])), true
				}
			}
		}
		return "", false
	}
	if nb, ok := b.NestedBlocks[name]; ok {
		if len(path) == 1 {
			return "block", true
		}
		return lookupSchema(nb.Block, path[1:])
	}
	return "", false
}

func kindMatches(want, have string) bool {
	switch want {
	case "dynamic":
		return true
	case "list":
		return have == "list" || have == "set"
	case "block":
		return have == "block" || have == "list-object"
	}
	return want == have
}

func ctyKind(ty interface {
	IsPrimitiveType() bool
	FriendlyName() string
	IsListType() bool
	IsSetType() bool
	IsMapType() bool
}) string {
	switch {
	case ty.IsListType() || ty.IsSetType():
		name := ty.FriendlyName()
		if strings.Contains(name, "object") {
			return "list-object"
		}
		if ty.IsSetType() {
			return "set"
		}
		return "list"
	case ty.IsMapType():
		return "map"
	}
	switch ty.FriendlyName() {
	case "string":
		return "string"
	case "bool":
		return "bool"
	case "number":
		return "number"
	}
	return ty.FriendlyName()
}

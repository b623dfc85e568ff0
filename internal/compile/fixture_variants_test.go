package compile_test

import (
	"testing"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/armschema"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/testenv"
)

// Every named variant of internal/fixture compiles to a template valid
// against the official ARM schemas.
func TestFixtureVariantsSchemaValid(t *testing.T) {
	v, err := armschema.Load(testenv.Testdata(t, "arm-schemas"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fixture.VariantNames() {
		t.Run(name, func(t *testing.T) {
			files, err := compile.Artifacts(fixture.VariantDesign(t, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range v.ValidateTemplate(files["azuredeploy.json"]) {
				t.Errorf("schema: %s", p)
			}
		})
	}
}

// Overlay and Cilium reach the cluster's network profile with the AKS API's
// property names, and overlay shrinks the node subnet to node addresses.
func TestOverlayAndCiliumNetworkProfile(t *testing.T) {
	cases := map[string]map[string]any{
		"overlay": {"networkPlugin": "azure", "networkPluginMode": "overlay", "podCidr": "10.244.0.0/16", "networkPolicy": "azure", "networkDataplane": nil},
		"cilium":  {"networkPlugin": "azure", "networkPluginMode": "overlay", "podCidr": "10.244.0.0/16", "networkPolicy": "cilium", "networkDataplane": "cilium"},
	}
	ref := fixture.VariantDesign(t, "aks-nat-gateway").NodeSubnet
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			d := fixture.VariantDesign(t, name)
			if d.NodeSubnet.Bits() <= ref.Bits() {
				t.Errorf("overlay node subnet %s is not smaller than Azure CNI's %s", d.NodeSubnet, ref)
			}
			set, err := armeval.Evaluate(fixture.Named(t, name))
			if err != nil {
				t.Fatal(err)
			}
			aks := set.OfType("Microsoft.ContainerService/managedClusters")[0]
			for k, v := range want {
				if got := aks.Prop("networkProfile." + k); got != v {
					t.Errorf("networkProfile.%s = %v, want %v", k, got, v)
				}
			}
		})
	}
}

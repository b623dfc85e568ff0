package verify_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/testenv"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// FuzzPipeline runs any bytes through the whole offline path, as `privaks
// verify --template` and `privaks check --template` do: ReadTemplate →
// Evaluate → twin.Build → Derive/Run and check.Run. Every input is either
// refused by the reader or analysed with well-formed results and coverage
// that adds up; never a panic, and each input within 5 s and 512 MB.
func FuzzPipeline(f *testing.F) {
	ref, err := json.Marshal(fixture.Reference(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref)
	files, _ := filepath.Glob(filepath.Join(testenv.Testdata(f, "arm"), "*.json"))
	for _, p := range files {
		if strings.Contains(p, "parameters") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 64<<10 { // big seeds slow every mutation down
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"resources":[]}`,
		`{"resources":[{"type":"Microsoft.Network/virtualNetworks","apiVersion":"2024-05-01","name":"v","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"s","properties":{"addressPrefix":"10.0.0.0/24"}}]}}]}`,
		`{"resources":[{"type":"Microsoft.Network/privateDnsZones","apiVersion":"2024-06-01","name":"privatelink.vaultcore.azure.net","location":"global","resources":[{"type":"virtualNetworkLinks","apiVersion":"2024-06-01","name":"[concat('l', parameters('x'))]","location":"global","properties":{"virtualNetwork":{"id":"[resourceId('Microsoft.Network/virtualNetworks','v')]"}}}]}],"parameters":{"x":{"type":"string"}}}`,
		`{"resources":[{"copy":{"name":"c","count":3},"type":"Microsoft.Network/publicIPAddresses","apiVersion":"2024-05-01","name":"[concat('p', copyIndex())]"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		testenv.Within(t, 5*time.Second, 512<<20, func() {
			tmpl, err := armeval.ReadTemplate(data)
			if err != nil {
				return
			}
			set, _ := armeval.Evaluate(tmpl)
			if set == nil {
				return
			}
			tw := twin.Build(set)
			cov := tw.Coverage()
			if cov.Declared < cov.Modelled+cov.Ignored || cov.Declared < len(set.Resources) {
				t.Fatalf("coverage does not add up: %+v with %d resources", cov, len(set.Resources))
			}
			for _, r := range verify.Run(tw, verify.Derive(tw)) {
				if r.Name == "" || (r.Status != verify.Pass && r.Status != verify.Fail && r.Status != verify.Unknown) ||
					(r.Status != verify.Pass && r.Cause == "") {
					t.Fatalf("malformed result %+v", r)
				}
			}
			for _, fd := range check.Run(tw) {
				if fd.Rule == "" || fd.Message == "" || (fd.Status != check.Found && fd.Status != check.Undecided) {
					t.Fatalf("malformed finding %+v", fd)
				}
			}
		})
	})
}

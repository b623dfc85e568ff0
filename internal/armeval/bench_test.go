package armeval

import (
	"os"
	"testing"

	"github.com/privaks/privaks/internal/testenv"
)

// LargeTemplate is the 2.7 MB subscription-scope template (AVM App
// Service landing zone accelerator) the read and verify benchmarks use;
// see testdata/arm/README.md.
const LargeTemplate = "avm-ptn-app-service-lza-hosting-environment.json"

// BenchmarkReadEvaluateLargeTemplate reads and evaluates the 2.7 MB
// subscription-scope template with ~100 nested deployments.
func BenchmarkReadEvaluateLargeTemplate(b *testing.B) {
	data, err := os.ReadFile(testenv.Testdata(b, "arm", LargeTemplate))
	if err != nil {
		b.Fatal(err)
	}
	params := corpus10[0].params
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tp, err := ReadTemplate(data)
		if err != nil {
			b.Fatal(err)
		}
		set, _ := Evaluate(tp, WithParameters(params), WithSource(LargeTemplate))
		if set == nil || len(set.Resources) < 50 {
			b.Fatal("not evaluated")
		}
	}
}

// BenchmarkReadTemplateAKSAGIC is the reading (JSONC → generic values →
// arm.Template) of the 90 KB aks-agic sample that check and verify read
// first: its allocation is heap every process touches for the first time.
func BenchmarkReadTemplateAKSAGIC(b *testing.B) {
	data, err := os.ReadFile(testenv.Testdata(b, "arm", "Azure-Samples__aks-agic__templates__azuredeploy.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadTemplate(data); err != nil {
			b.Fatal(err)
		}
	}
}

package tfwrite_test

import (
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/tfread"
	"github.com/privaks/privaks/internal/tfwrite"
)

const testSSHKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1tfwritetestkey0000000000000000000000000000 privaks-test"

// designs are the reference design and every named variant.
func designs(t *testing.T) map[string]*arm.Template {
	out := map[string]*arm.Template{"reference": fixture.Reference(t)}
	for _, n := range fixture.VariantNames() {
		out[n] = fixture.Named(t, n)
	}
	return out
}

func evaluate(t *testing.T, tmpl *arm.Template) *arm.Set {
	t.Helper()
	set, err := armeval.Evaluate(tmpl, armeval.WithParameters(map[string]any{compile.ParamSSHKey: testSSHKey}))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// writeRead writes a set's module to a directory and reads it back.
func writeRead(t *testing.T, set *arm.Set, vars ...string) (string, *tfwrite.Module, *arm.Set) {
	t.Helper()
	m, err := tfwrite.Write(set)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	back, err := tfread.Read(dir, tfread.Options{Vars: vars})
	if err != nil {
		t.Fatalf("read the written module back: %v", err)
	}
	return dir, m, back
}

package tfread_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/tfread"
)

// FuzzRead reads arbitrary bytes as a root module's main.tf (with the
// features fixture's local module beside it): no input may panic, and
// each must be read, refused as bad input, or left out, within seconds.
func FuzzRead(f *testing.F) {
	for _, p := range []string{"features/main.tf", "mapping/main.tf", "plan/azurerm/main.tf"} {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`locals { a = "${local.a}${local.a}" }`))
	f.Add([]byte("resource \"azurerm_resource_group\" \"r\" {\n count = length(range(1000))\n name = \"x${count.index}\"\n location = \"x\"\n}\n"))
	f.Add([]byte("module \"m\" {\n source = \"./\"\n}\nresource \"azurerm_resource_group\" \"r\" {\n name = \"x\"\n location = \"x\"\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := tfread.Read(dir, tfread.Options{})
		var e *tfread.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error is not bad input: %v", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("read took %v", d)
		}
	})
}

package internal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/testenv"
)

// TestGoroutinesUseConc: the commands' code starts no goroutine with a
// bare go statement. A panic on such a goroutine escapes the CLI's
// recover and ends the process with the runtime's exit status 2, which
// privaks documents as bad input; conc.WaitGroup (github.com/sourcegraph/conc)
// re-panics on the goroutine that waits, where the CLI turns it into exit
// 4 (TestInternalErrorsNeverBadInput). Test support that serves tests
// (bindtest's DNS and BIND processes) is exempt.
func TestGoroutinesUseConc(t *testing.T) {
	root := testenv.RepoRoot(t)
	exempt := map[string]bool{"internal/bind/bindtest": true}
	checked := 0
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if exempt[rel] || d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			checked++
			ast.Inspect(f, func(n ast.Node) bool {
				if g, ok := n.(*ast.GoStmt); ok {
					p := fset.Position(g.Pos())
					t.Errorf("%s:%d: a bare go statement: start it with conc.WaitGroup.Go so that a panic exits 4, not 2", rel, p.Line)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 100 {
		t.Errorf("only %d files checked", checked)
	}
}

// Package testenv locates the material tests read: the repository root and
// its testdata folder. No test reads anything outside the repository.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, searching upward from the
// working directory (a package directory under go test).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Testdata returns the path of <repo>/testdata/<elem...> and fails the test
// when it does not exist. Every file a test reads lives in the repository
// (a fresh clone has nothing beside it); testdata/README.md says where each
// third-party file came from and under which licence.
func Testdata(t testing.TB, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "testdata"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("test material %s: %v", p, err)
	}
	return p
}

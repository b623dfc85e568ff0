package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// writeFiles writes every file under dir, each through a temporary file and
// a rename, so a reader never sees a half-written artifact. The caller
// builds all contents first: an input error writes nothing.
func writeFiles(dir string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("create directory %q: %w", filepath.Dir(p), err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), ".privaks-*")
		if err != nil {
			return nil, fmt.Errorf("write %q: %w", p, err)
		}
		_, werr := tmp.Write(files[n])
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), p)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("write %q: %w", p, werr)
		}
	}
	return names, nil
}

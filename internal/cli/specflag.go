package cli

import (
	"github.com/privaks/privaks/internal/spec"
)

// loadDesign reads the spec at path, or the embedded reference design when
// path is empty. Spec errors are input errors (exit 2).
func loadDesign(path string) (*spec.Design, string, error) {
	if path == "" {
		d, _, err := spec.Default()
		if err != nil {
			return nil, "", err // the embedded design is tested; a failure is a bug
		}
		return d, spec.ReferenceName, nil
	}
	d, _, err := spec.Load(path)
	if err != nil {
		return nil, "", badInput(err)
	}
	return d, path, nil
}

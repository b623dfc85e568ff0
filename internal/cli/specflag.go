package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/spec"
)

// DefaultSpecFile is the spec a command reads when -f is not given and the
// file exists in the working directory.
const DefaultSpecFile = "privaks.yaml"

// specFlagUsage is the help text of every -f that reads a spec.
const specFlagUsage = "spec file (default: ./" + DefaultSpecFile + " when it exists, else the embedded reference design)"

// addSpecFlag registers -f/--file for a command that reads a spec.
func addSpecFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVarP(file, "file", "f", "", specFlagUsage)
}

// resolveSpec returns the spec file a command reads: path when given,
// ./privaks.yaml when it exists, else "" (the embedded reference design).
func resolveSpec(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	if _, err := os.Stat(DefaultSpecFile); err == nil {
		return DefaultSpecFile, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", badInput(fmt.Errorf("read spec %q: %w", DefaultSpecFile, err))
	}
	return "", nil
}

// loadDesign reads the spec at path, ./privaks.yaml when path is empty and
// that file exists, or else the embedded reference design. It returns the
// name of what it read (spec.ReferenceName for the embedded design). Spec
// errors are input errors (exit 2).
func loadDesign(path string) (*spec.Design, string, error) {
	path, err := resolveSpec(path)
	if err != nil {
		return nil, "", err
	}
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

// noteSpec tells the user which spec a command read, so that a
// privaks.yaml that is not picked up (or one that is) never surprises.
func noteSpec(w io.Writer, name string) {
	if w == nil {
		return
	}
	if name == spec.ReferenceName {
		fmt.Fprintf(w, "• spec: %s (no ./%s; privaks init writes one)\n", spec.ReferenceName, DefaultSpecFile)
		return
	}
	fmt.Fprintf(w, "• spec: %s\n", name)
}

// warnPlaceholders prints the design's placeholders as located warnings:
// plan goes on, apply will refuse them.
func warnPlaceholders(w io.Writer, d *spec.Design) {
	if err := d.PlaceholderError(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(w, "privaks: warning: %s (privaks apply refuses placeholders)\n", line)
		}
	}
}

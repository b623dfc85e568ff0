package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/spec"
)

type initFlags struct {
	file  string
	force bool
}

func newInitCmd(s Streams) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write the reference design to privaks.yaml for you to edit",
		Example: `  privaks init
  privaks init -f landing-zone.yaml --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(f.file); err == nil && !f.force {
				return badInput(fmt.Errorf("%s exists; use --force to overwrite", f.file))
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.WriteFile(f.file, spec.ReferenceYAML(), 0o644); err != nil {
				return fmt.Errorf("write %q: %w", f.file, err)
			}
			fmt.Fprintf(s.Out, "wrote %s; edit it, then run: privaks plan -f %s\n", f.file, f.file)
			return nil
		},
	}
	cmd.Flags().StringVarP(&f.file, "file", "f", "privaks.yaml", "spec file to write")
	cmd.Flags().BoolVar(&f.force, "force", false, "overwrite an existing file")
	return cmd
}

package cli

import (
	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/spec"
)

func newSchemaCmd(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the spec file, for editor completion",
		Example: `  privaks schema > privaks.schema.json
  # then, first line of privaks.yaml:
  # yaml-language-server: $schema=./privaks.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := spec.JSONSchema()
			if err != nil {
				return err
			}
			_, err = s.Out.Write(b)
			return err
		},
	}
}

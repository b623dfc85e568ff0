package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/addrplan"
	"github.com/privaks/privaks/internal/spec"
)

// SchemaFile is the name init gives the JSON Schema it writes beside the spec.
const SchemaFile = "privaks.schema.json"

type initFlags struct {
	file   string
	force  bool
	base   string
	onPrem []string
}

func newInitCmd(s Streams) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write the reference design to privaks.yaml for you to edit",
		Long: `init writes the embedded reference design to a spec file, and the spec's JSON
Schema beside it (privaks.schema.json), which the first line of the spec points
editors at (# yaml-language-server: $schema=./privaks.schema.json). With --base or
--on-prem, the address plan comes from the planner (privaks plan-addresses): VNets
and subnets sized for the reference node pools, carved from --base, avoiding the
on-premises ranges.`,
		Example: `  privaks init
  privaks init -f landing-zone.yaml --force
  privaks init --base 10.20.0.0/16 --on-prem 10.0.0.0/14 --on-prem 192.168.0.0/16`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(f.file); err == nil && !f.force {
				return badInput(fmt.Errorf("%s exists; use --force to overwrite", f.file))
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			doc := spec.ReferenceYAML()
			if f.base != "" || len(f.onPrem) > 0 {
				var err error
				if doc, err = plannedReference(f.base, f.onPrem); err != nil {
					return err
				}
			}
			schema, err := spec.JSONSchema()
			if err != nil {
				return err
			}
			// Editors (the YAML language server) validate and complete the
			// file against the schema written beside it: offline, and
			// always the schema of this privaks.
			schemaPath := filepath.Join(filepath.Dir(f.file), SchemaFile)
			doc = append([]byte("# yaml-language-server: $schema=./"+SchemaFile+"\n"), doc...)
			if _, err := writeFiles(filepath.Dir(f.file), map[string][]byte{filepath.Base(f.file): doc, SchemaFile: schema}); err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "wrote %s and %s (its JSON Schema, for editors); edit %s, then run: privaks plan\n", f.file, schemaPath, f.file)
			return nil
		},
	}
	cmd.Flags().StringVarP(&f.file, "file", "f", "privaks.yaml", "spec file to write")
	cmd.Flags().BoolVar(&f.force, "force", false, "overwrite an existing file")
	cmd.Flags().StringVar(&f.base, "base", "", "plan the addresses from this range (default 10.0.0.0/8 when --on-prem is given)")
	stringsVar(cmd.Flags(), &f.onPrem, true, "on-prem", "on-premises CIDRs the plan must avoid (repeatable)")
	return cmd
}

// plannedReference returns the reference design with its network block and
// service range replaced by the address planner's proposal.
func plannedReference(base string, onPrem []string) ([]byte, error) {
	in := addrplan.Defaults()
	if base != "" {
		p, err := netip.ParsePrefix(base)
		if err != nil {
			return nil, badInput(fmt.Errorf("parse --base %q: %w", base, err))
		}
		in.Base = p.Masked()
	}
	for _, s := range onPrem {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, badInput(fmt.Errorf("parse --on-prem %q: %w", s, err))
		}
		in.OnPrem = append(in.OnPrem, p.Masked())
	}
	plan, err := addrplan.Make(in)
	if err != nil {
		return nil, badInput(fmt.Errorf("plan addresses: %w", err))
	}
	var block strings.Builder
	if err := plan.WriteNetworkYAML(&block); err != nil {
		return nil, err
	}
	var network []string
	for _, l := range strings.SplitAfter(block.String(), "\n") {
		if !strings.HasPrefix(l, "#") && l != "" {
			network = append(network, l)
		}
	}
	ref := string(spec.ReferenceYAML())
	start := strings.Index(ref, "network:\n")
	end := strings.Index(ref, "\ndns:\n")
	if start < 0 || end < start {
		return nil, errors.New("the embedded design has no network block to replace")
	}
	out := ref[:start] + "# Planned by privaks plan-addresses (the arithmetic: privaks plan-addresses --help).\n" +
		strings.Join(network, "") + ref[end:]
	out = strings.Replace(out, "serviceCIDR: 172.16.0.0/16", "serviceCIDR: "+plan.ServiceCIDR.String(), 1)
	return []byte(out), nil
}

package cli

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// stringsValue parses, reports and documents its flags as pflag's own
// StringArray and StringSlice do.
func TestStringsValueIsPflags(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"--x", "a"},
		{"--x", "a,b", "--x", "c"},
		{"--x", `"a,b",c`},
		{"--x", ""},
		{"--x", "", "--x", "d"},
		{"--x=a", "--x", "b"},
		{"--x", `"unterminated`},
	} {
		for _, csv := range []bool{false, true} {
			var want, got []string
			ref := pflag.NewFlagSet("ref", pflag.ContinueOnError)
			if csv {
				ref.StringSliceVar(&want, "x", nil, "usage")
			} else {
				ref.StringArrayVar(&want, "x", nil, "usage")
			}
			ours := pflag.NewFlagSet("ours", pflag.ContinueOnError)
			stringsVar(ours, &got, csv, "x", "usage")
			errRef, errOurs := ref.Parse(args), ours.Parse(args)
			if (errRef == nil) != (errOurs == nil) {
				t.Errorf("csv %v, %q: error %v, pflag's %v", csv, args, errOurs, errRef)
				continue
			}
			if !slices.Equal(got, want) || (got == nil) != (want == nil) {
				t.Errorf("csv %v, %q: %#v, pflag's %#v", csv, args, got, want)
			}
			if errRef == nil && ours.Lookup("x").Value.String() != ref.Lookup("x").Value.String() && len(got) > 0 {
				t.Errorf("csv %v, %q: String %q, pflag's %q", csv, args, ours.Lookup("x").Value.String(), ref.Lookup("x").Value.String())
			}
			if u, w := ours.FlagUsages(), ref.FlagUsages(); u != w {
				t.Errorf("csv %v: help %q, pflag's %q", csv, u, w)
			}
		}
	}
}

// TestRepeatableFlagsAreStringsValues: no command defines its repeatable
// string flags with pflag's StringArray or StringSlice, whose definition
// allocates a CSV writer per flag at every start-up.
func TestRepeatableFlagsAreStringsValues(t *testing.T) {
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			switch f.Value.Type() {
			case "stringArray", "stringSlice":
				n++
				if _, ok := f.Value.(*stringsValue); !ok {
					t.Errorf("%s --%s is pflag's %s: define it with stringsVar", c.CommandPath(), f.Name, f.Value.Type())
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}))
	if n == 0 {
		t.Error("no repeatable string flag found: the walk is broken")
	}
}

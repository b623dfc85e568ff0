package cli

import (
	"encoding/csv"
	"strings"

	"github.com/spf13/pflag"
)

// stringsValue is pflag's stringArray (each occurrence of the flag adds
// its value) or, with csv set, its stringSlice (each occurrence adds its
// comma-separated values, read as one CSV record), with the same type
// names, so help and parsing are pflag's. It exists because pflag's own
// values compute their default's text when the flag is defined, with a
// CSV writer and its 4 KB buffer even for an empty list: ~110 KB of fresh
// heap at every start-up for the repeatable flags of every command.
type stringsValue struct {
	p       *[]string
	csv     bool
	changed bool
}

// stringsVar defines a repeatable string flag (pflag's StringArrayVar or,
// with csv, StringSliceVar) with an empty default.
func stringsVar(fl *pflag.FlagSet, p *[]string, csv bool, name, usage string) {
	*p = nil
	fl.Var(&stringsValue{p: p, csv: csv}, name, usage)
}

func (s *stringsValue) Set(v string) error {
	vals := []string{v}
	switch {
	case s.csv && v == "":
		vals = []string{}
	case s.csv:
		r, err := csv.NewReader(strings.NewReader(v)).Read()
		if err != nil {
			return err
		}
		vals = r
	}
	if !s.changed {
		*s.p = vals
	} else {
		*s.p = append(*s.p, vals...)
	}
	s.changed = true
	return nil
}

func (s *stringsValue) Type() string {
	if s.csv {
		return "stringSlice"
	}
	return "stringArray"
}

// String is "" for the empty default (so that help, like pflag's, shows
// no default) and otherwise pflag's "[a,b]".
func (s *stringsValue) String() string {
	if len(*s.p) == 0 {
		return ""
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(*s.p)
	w.Flush()
	return "[" + strings.TrimSuffix(b.String(), "\n") + "]"
}

package cli

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/privaks/privaks/internal/arm"
)

// fillCoverage records in set.Coverage the resources armeval left out,
// from the error it returned, when the evaluator did not fill Coverage
// itself. It is a stopgap: once armeval fills Coverage (with positions),
// Declared is set and this does nothing; then delete this file.
//
// It returns the errors that are not about a resource (an output that
// could not be evaluated), for a warning.
func fillCoverage(set *arm.Set, evalErr error, file string) (others []error) {
	if set == nil || set.Coverage.Declared > 0 || len(set.Coverage.LeftOut) > 0 {
		return nil
	}
	for _, e := range leafErrors(evalErr) {
		m := leftOutMsg().FindStringSubmatch(e.Error())
		if m == nil {
			others = append(others, e)
			continue
		}
		typ, name, reason := unquote(m[1]), unquote(m[2]), m[3]
		set.Coverage.LeftOut = append(set.Coverage.LeftOut, arm.LeftOut{
			Pos:      arm.Pos{File: file},
			Resource: typ + " " + name,
			Type:     typ,
			Expr:     unknownExpr(reason, name),
			Reason:   reason,
		})
	}
	set.Coverage.Declared = len(set.Resources) + len(set.Coverage.LeftOut)
	return others
}

// leftOutMsg matches armeval's "evaluate resource %q name %q: reason".
var leftOutMsg = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)^evaluate resource "((?:[^"\\]|\\.)*)" name "((?:[^"\\]|\\.)*)": (.*)$`)
})

func unquote(s string) string {
	if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
		return u
	}
	return s
}

func leafErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// unknownExpr returns the expression the reason names, or the name's own
// expression when the name is one.
func unknownExpr(reason, name string) string {
	if i := strings.LastIndex(reason, ": ["); i >= 0 && strings.HasSuffix(reason, "]") {
		return reason[i+2:]
	}
	if strings.HasPrefix(name, "[") {
		return name
	}
	return ""
}

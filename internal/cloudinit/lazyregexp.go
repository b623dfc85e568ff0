package cloudinit

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles pattern on first use rather than at package
// initialisation: every privaks command links this package, few use each
// pattern, and compiling counted repetitions such as {1,127} is the
// largest part of start-up.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

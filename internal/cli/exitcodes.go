package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime/debug"
	"strings"

	"github.com/sourcegraph/conc/panics"
	"github.com/spf13/cobra"
)

// Exit codes: one table for every command. README.md and docs/verify.md
// show it; TestExitCodeTableDocumented keeps them in step.
//
//	0  OK          everything that matters was modelled and holds (no failing
//	               intent, no error finding, the deployment succeeded)
//	1  failed      an intent fails, a check finds an error, a deployment or an
//	               Azure call failed, or an output could not be written
//	2  bad input   the input is wrong (file:line:column and field); nothing
//	               was analysed or written
//	3  incomplete  nothing failed, but the analysis is incomplete: resources
//	               left out or not modelled, intents unknown, rules undecided,
//	               or no intent derivable from a template that declares
//	               resources (--accept-incomplete turns it into 0)
//	4  internal    privaks itself failed (a bug, a panic): please report it
const (
	ExitOK         = 0
	ExitFailed     = 1
	ExitBadInput   = 2
	ExitIncomplete = 3
	ExitInternal   = 4
)

// exitCodeTable is the table as users read it (--help of verify and check,
// README.md, docs/verify.md).
const exitCodeTable = `Exit codes (every command):
  0  everything that matters was modelled and holds
  1  an intent fails or an error finding exists (or a deployment failed)
  2  bad input: nothing was analysed or written
  3  incomplete: nothing failed, but something was left out or not modelled,
     an intent is unknown, a rule undecided, or a template with resources
     gave no intent (--accept-incomplete: exit 0, still reported)
  4  internal error: a bug in privaks, please report it`

// bugReport is printed with an internal error.
const bugReport = "this is a bug in privaks: please report it at https://github.com/privaks/privaks/issues with the command line and, if you can, the input"

// badInput marks err as a user-input error (exit code 2).
func badInput(err error) error { return &ExitError{Code: ExitBadInput, Err: err} }

// internalError marks err as privaks' own failure (exit code 4).
func internalError(err error) error { return &ExitError{Code: ExitInternal, Err: err} }

// classifyRunErrors wraps every command's RunE so that an error a command
// returns without an exit code is never taken for bad input: a file that
// cannot be read or written fails the command (1), anything else is
// privaks' own failure (4). Errors cobra reports before RunE (unknown
// flag or command, wrong arguments) stay bad input (Run).
func classifyRunErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			if err == nil || errors.As(err, new(*ExitError)) {
				return err
			}
			if errors.As(err, new(*fs.PathError)) {
				return &ExitError{Code: ExitFailed, Err: err}
			}
			return internalError(err)
		}
	}
	for _, sub := range c.Commands() {
		classifyRunErrors(sub)
	}
}

// recovered turns a panic into an internal error with the stack on w.
// A panic in a goroutine a command started reaches here through
// conc.WaitGroup's Wait (github.com/sourcegraph/conc), which re-panics on
// the command's goroutine with a *panics.Recovered: its value and the
// stack of the goroutine that panicked are reported, not Wait's.
// TestGoroutinesUseConc keeps bare go statements out of the commands'
// code: an unrecovered panic on another goroutine would end the process
// with the runtime's exit status 2, which says bad input.
func recovered(w io.Writer, v any) int {
	stack := debug.Stack()
	if r, ok := v.(*panics.Recovered); ok {
		v, stack = r.Value, r.Stack
	}
	fmt.Fprintf(w, "privaks: internal error: %v\n%s\nprivaks: %s\n", v, indent(string(stack)), bugReport)
	return ExitInternal
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
)

// Streams are the command's standard streams, injected so commands are
// testable.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// ExitError carries a process exit code. Commands return it to exit non-zero
// after having printed their result (e.g. a failed verify exits 1).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Main runs privaks with the process's arguments and exits.
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Args[1:])
	stop()
	os.Exit(code)
}

// Run executes one command line and returns the exit code. It prints an
// error once, on Err.
// A panic anywhere in the command is caught here: it is reported with a
// bug-report hint and exits ExitInternal, never as bad input.
func Run(ctx context.Context, s Streams, args []string) int {
	return runRoot(ctx, s, newRootCmdFor(s, args), args)
}

// newRootCmdFor is newRootCmd for one command line: when its first word
// names a verb, the root has only that verb, the one cobra runs, so that
// the flags of the fifteen others are not built at every start-up. Any
// other command line (privaks --help, help VERB, completion, __complete, a
// mistyped verb, a flag first) gets every verb.
func newRootCmdFor(s Streams, args []string) *cobra.Command {
	if len(args) > 0 {
		for _, v := range verbs {
			if v.name == args[0] {
				root := newBareRootCmd(s)
				root.AddCommand(v.new(s))
				// The completion verb is not this command line's; cobra
				// would build its four commands and their flags.
				root.CompletionOptions.DisableDefaultCmd = v.name != "completion"
				return root
			}
		}
	}
	return newRootCmd(s)
}

func runRoot(ctx context.Context, s Streams, root *cobra.Command, args []string) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = recovered(s.Err, v)
		}
	}()
	classifyRunErrors(root)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(s.Err, "privaks:", ee.Err)
		}
		if ee.Code == ExitInternal {
			fmt.Fprintln(s.Err, "privaks:", bugReport)
		}
		return ee.Code
	}
	fmt.Fprintln(s.Err, "privaks:", err)
	// cobra's own errors (unknown flag, bad args) are input errors.
	return ExitBadInput
}

// newRootCmd is the root with every verb.
func newRootCmd(s Streams) *cobra.Command {
	root := newBareRootCmd(s)
	root.AddCommand(commands(s)...)
	return root
}

// newBareRootCmd is the root without its verbs.
func newBareRootCmd(s Streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "privaks",
		Short: "Compile, prove and deploy a private AKS landing zone on Azure",
		Long: `privaks compiles one short YAML file (or the embedded reference design) into the
ARM resources of a private AKS cluster in a hub-and-spoke network whose pods read
Key Vault secrets, proves offline that DNS, packets and identities work, and deploys
it through Azure Resource Manager.`,
		Example: `  privaks plan                          # ./privaks.yaml (or the embedded reference design) → out/azuredeploy.json
  privaks init && privaks plan -f privaks.yaml
  privaks verify -f privaks.yaml         # prove DNS, reachability and identities offline
  privaks apply --subscription <id> --resource-group rg-privaks --location canadacentral --dry-run`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.Version = currentBuild().String()
	root.SetVersionTemplate("privaks {{.Version}}\n")
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	return root
}

package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/privaks/privaks/internal/deploy"
	"github.com/spf13/cobra"
)

// azureSeam is how the Azure verbs (apply, destroy, status) reach Azure.
// Production uses defaultAzure; tests in this package replace the variable
// to inject a fake credential and an in-memory transport. No flag or
// environment variable reaches it.
type azureSeam struct {
	credential   func(cloud.Configuration) (azcore.TokenCredential, error)
	transport    policy.Transporter  // nil: the SDK's HTTP client
	retry        policy.RetryOptions // zero: the SDK's defaults
	pollInterval time.Duration       // zero: deploy's default
	isTerminal   func(any) bool      // for Streams.In (prompt) and Streams.Err (redrawn progress)
}

var defaultAzure = azureSeam{credential: defaultCredential, isTerminal: isTerminal}

var azure = defaultAzure

// defaultCredential is azidentity's default chain (environment, workload
// identity, managed identity, Azure CLI, azd, ...). It is built here and
// nowhere else: package deploy only receives an azcore.TokenCredential.
func defaultCredential(c cloud.Configuration) (azcore.TokenCredential, error) {
	return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: policy.ClientOptions{Cloud: c}})
}

var clouds = map[string]cloud.Configuration{
	"AzurePublic":       cloud.AzurePublic,
	"AzureUSGovernment": cloud.AzureGovernment,
	"AzureChina":        cloud.AzureChina,
}

// azureFlags are the flags every Azure verb takes.
type azureFlags struct {
	subscription, resourceGroup, cloud string
}

func addAzureFlags(cmd *cobra.Command, f *azureFlags, defaultGroup string) {
	cmd.Flags().StringVar(&f.subscription, "subscription", "", "Azure subscription ID (required)")
	cmd.Flags().StringVar(&f.resourceGroup, "resource-group", defaultGroup, "resource group holding the landing zone")
	cmd.Flags().StringVar(&f.cloud, "cloud", "AzurePublic", "Azure cloud: AzurePublic, AzureUSGovernment or AzureChina")
	_ = cmd.MarkFlagRequired("subscription")
	if defaultGroup == "" {
		_ = cmd.MarkFlagRequired("resource-group")
	}
}

// connect builds the deploy connection: the credential (through the seam)
// and the ARM client options for the chosen cloud.
func (f *azureFlags) connect() (deploy.Connection, error) {
	c, ok := clouds[f.cloud]
	if !ok {
		return deploy.Connection{}, badInput(fmt.Errorf("unknown cloud %q: want AzurePublic, AzureUSGovernment or AzureChina", f.cloud))
	}
	cred, err := azure.credential(c)
	if err != nil {
		return deploy.Connection{}, fmt.Errorf("sign in to Azure: %w", err)
	}
	opts := &azarm.ClientOptions{ClientOptions: policy.ClientOptions{Cloud: c, Transport: azure.transport, Retry: azure.retry}}
	return deploy.Connection{Credential: cred, Options: opts}, nil
}

func (f *azureFlags) progressOptions(s Streams) []deploy.Option {
	// Progress redraws its lines only on a terminal that understands ANSI.
	opts := []deploy.Option{deploy.WithProgress(s.Err, azure.isTerminal(s.Err) && ansiAllowed(os.Getenv))}
	if azure.pollInterval > 0 {
		opts = append(opts, deploy.WithPollInterval(azure.pollInterval))
	}
	return opts
}

// confirm asks on s.Err and reads one line from s.In; only "yes" proceeds.
func confirm(s Streams, question string) (bool, error) {
	fmt.Fprintf(s.Err, "%s Only 'yes' will be accepted: ", question)
	line, err := bufio.NewReader(s.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read confirmation: %w", err)
	}
	return strings.TrimSpace(line) == "yes", nil
}

// azureError turns deploy's typed errors into exit codes and messages.
func azureError(f *azureFlags, err error) error {
	var ie *deploy.InterruptedError
	switch {
	case errors.As(err, &ie):
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%w\n  watch it:  privaks status --subscription %s --resource-group %s\n  re-running `privaks apply` is safe: the stack PUT is idempotent", err, f.subscription, f.resourceGroup)}
	case errors.Is(err, deploy.ErrNotConfirmed):
		return &ExitError{Code: ExitFailed, Err: errors.New("cancelled: nothing was changed")}
	case errors.Is(err, deploy.ErrBadSecret):
		return badInput(err)
	case errors.As(err, new(*deploy.ChangeError)):
		return &ExitError{Code: ExitFailed, Err: err}
	case errors.Is(err, deploy.ErrNoStack):
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("no privaks deployment stack in resource group %s: run `privaks apply` first", f.resourceGroup)}
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return err
	}
	return &ExitError{Code: ExitFailed, Err: err}
}

type applyFlags struct {
	azureFlags
	template, parameters, location string
	specFile                       string
	yes, dryRun, prune, noVerify   bool
	skipCheck                      bool
	deny                           string
	secrets                        []string
}

func newApplyCmd(s Streams) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Deploy the planned template to Azure through a deployment stack",
		Long: `apply deploys the artifact written by ` + "`privaks plan`" + ` (out/azuredeploy.json and
out/azuredeploy.parameters.json) to a resource group, as the ARM deployment stack
"privaks". It signs in with Azure's default credential chain (az login, environment,
managed identity), then:

  0. refuses an artifact that is not the current spec compiled: it compiles the
     spec again (-f; without it ./privaks.yaml when it exists, else the embedded
     design) and compares the template byte for byte, and refuses placeholders
     (the reference design's sample organisation); each refusal says the command
     that fixes it. A template privaks did not write is deployed as given;
  1. preflight: registers missing resource providers, and checks the region offers
     every resource type, you may create role assignments, and the container
     registry and key vault names are free (a soft-deleted vault holds its name);
     then runs the rule catalogue (privaks check) on the template with what the
     resource group holds now as the previous state: an error finding, such as an
     AKS outboundType changed in place, stops here (--skip-check skips it);
  2. preview: ARM what-if, as a diff with known noise hidden; --dry-run stops here;
  3. asks for confirmation (or --yes), creates the resource group if needed and
     creates or updates the stack, showing each resource's progress;
  4. on failure, prints the root cause of each failed resource and a fix;
  5. after success, reads the deployed resources back and runs the same intents
     as privaks verify on them (real addresses and object IDs); a failing intent
     exits 1. --no-verify skips this.

Resources removed from the template are detached from the stack (kept) unless
--prune deletes them. Securestring parameters are given with --secret and only
ever sent to Azure. Ctrl-C stops waiting but not the deployment.`,
		Example: `  privaks apply --subscription 00000000-0000-0000-0000-000000000000 --location canadacentral --dry-run
  privaks apply --subscription 00000000-0000-0000-0000-000000000000 --resource-group rg-privaks --location canadacentral
  privaks apply --subscription 00000000-0000-0000-0000-000000000000 --secret agentRegistrationToken=@token.txt --yes
  cat token.txt | privaks apply --subscription 00000000-0000-0000-0000-000000000000 --secret agentRegistrationToken=- --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runApply(cmd.Context(), s, f) },
	}
	addAzureFlags(cmd, &f.azureFlags, "rg-privaks")
	fl := cmd.Flags()
	fl.StringVar(&f.template, "template", "out/azuredeploy.json", "template written by `privaks plan`")
	addSpecFlag(cmd, &f.specFile)
	fl.StringVar(&f.parameters, "parameters", "out/azuredeploy.parameters.json", "parameters file written by `privaks plan`")
	fl.StringVar(&f.location, "location", "", "region of the resource group (default: the existing group's)")
	fl.BoolVar(&f.yes, "yes", false, "deploy without asking for confirmation")
	fl.BoolVar(&f.dryRun, "dry-run", false, "stop after the preflight and the preview; change nothing")
	fl.BoolVar(&f.prune, "prune", false, "delete resources removed from the template instead of detaching them")
	fl.StringVar(&f.deny, "deny-settings", deploy.DenyNone, "stack deny settings: none, denyDelete or denyWriteAndDelete")
	fl.BoolVar(&f.noVerify, "no-verify", false, "skip verifying the deployed resources")
	fl.BoolVar(&f.skipCheck, "skip-check", false, "skip the rule catalogue against what is deployed now")
	stringsVar(fl, &f.secrets, false, "secret", "securestring parameter value: NAME=@FILE or NAME=- (stdin); repeatable")
	return cmd
}

func runApply(ctx context.Context, s Streams, f *applyFlags) error {
	deny, err := deploy.ParseDenyMode(f.deny)
	if err != nil {
		return badInput(err)
	}
	art, err := deploy.LoadArtifact(f.template, f.parameters)
	if err != nil {
		return badInput(err)
	}
	if err := checkArtifactCurrent(s.Err, f.specFile, f.template, filepath.Dir(f.template), art); err != nil {
		return err
	}
	// Check the secret names against the template before reading any value.
	names, fromStdin, err := parseSecretSpecs(f.secrets)
	if err != nil {
		return badInput(err)
	}
	if err := art.CheckSecrets(names); err != nil {
		return badInput(err)
	}
	if !f.yes && !f.dryRun {
		if fromStdin != "" {
			return badInput(fmt.Errorf("--secret %s=- reads stdin, which then cannot answer the confirmation: review with --dry-run, then add --yes", fromStdin))
		}
		if !azure.isTerminal(s.In) {
			return badInput(errors.New("refusing to deploy without confirmation: stdin is not a terminal; review with --dry-run, then re-run with --yes"))
		}
	}
	secrets, err := readSecrets(s.In, names)
	if err != nil {
		return badInput(err)
	}
	conn, err := f.connect()
	if err != nil {
		return err
	}
	opts := append(f.progressOptions(s), deploy.WithDenySettings(deny))
	for name, v := range secrets {
		opts = append(opts, deploy.WithSecret(name, v))
	}
	if f.prune {
		opts = append(opts, deploy.WithPrune())
	}
	if f.dryRun {
		opts = append(opts, deploy.WithDryRun())
	}
	if !f.noVerify {
		opts = append(opts, deploy.WithVerifier(liveVerifier{deployed: art.Template}))
	}
	if !f.skipCheck {
		opts = append(opts, deploy.WithChangeChecker(changeChecker{deployed: art.Template}))
	}
	opts = append(opts, deploy.WithPreviewHandler(func(p *deploy.Preview) (bool, error) {
		deploy.WritePreview(s.Out, p)
		if f.yes {
			return true, nil
		}
		return confirm(s, fmt.Sprintf("Deploy these changes to resource group %s?", f.resourceGroup))
	}))
	t := deploy.Target{Subscription: f.subscription, ResourceGroup: f.resourceGroup, Location: f.location}
	res, err := deploy.Apply(ctx, conn, t, art, opts...)
	if err != nil {
		// Azure's own messages may quote a parameter value.
		return redactError(azureError(&f.azureFlags, err), secrets)
	}
	return writeApplyResult(s.Out, f, res)
}

func writeApplyResult(w io.Writer, f *applyFlags, res *deploy.Result) error {
	if res.DryRun {
		deploy.WritePreview(w, res.Preview)
		fmt.Fprintln(w, "Dry run: nothing was changed.")
		return nil
	}
	fmt.Fprintf(w, "✓ stack %s in resource group %s: %s, %d managed resource(s)\n", deploy.DefaultStackName, f.resourceGroup, res.State, res.Managed)
	if res.ReadBack != nil {
		fmt.Fprintf(w, "  read back %d resource(s) from the resource group\n", len(res.ReadBack.Resources))
	}
	if res.Verification == nil {
		return nil
	}
	fmt.Fprintln(w, res.Verification.Report)
	if !res.Verification.OK {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}

// parseSecretSpecs parses --secret NAME=@FILE and NAME=- flags into name →
// source ("-" or a file path), without reading anything. At most one secret
// may come from stdin; its name is returned.
func parseSecretSpecs(specs []string) (map[string]string, string, error) {
	out := map[string]string{}
	fromStdin := ""
	for _, spec := range specs {
		// Messages name the secret, never what follows "=": a user who
		// typed NAME=VALUE must not see VALUE echoed into a terminal,
		// a CI log or a shell history tool.
		name, src, ok := strings.Cut(spec, "=")
		if !ok || name == "" || !validSecretName(name) {
			return nil, "", errors.New("parse --secret: want NAME=@FILE or NAME=- (the argument is not shown: it may hold a secret)")
		}
		if src != "-" && (!strings.HasPrefix(src, "@") || len(src) == 1) {
			return nil, "", fmt.Errorf("parse --secret %s=…: want %s=@FILE or %s=- (values are never taken from the command line; the value given is not shown)", name, name, name)
		}
		if _, dup := out[name]; dup {
			return nil, "", fmt.Errorf("parse --secret %s=…: %s given twice", name, name)
		}
		if src == "-" {
			if fromStdin != "" {
				return nil, "", fmt.Errorf("parse --secret %s=-: only one secret can come from stdin (%s already does)", name, fromStdin)
			}
			fromStdin = name
		} else {
			src = src[1:]
		}
		out[name] = src
	}
	return out, fromStdin, nil
}

// readSecrets reads each secret's value from its file or stdin, dropping a
// trailing newline. Values stay in memory.
func readSecrets(in io.Reader, sources map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(sources))
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		var b []byte
		var err error
		if src := sources[name]; src == "-" {
			b, err = io.ReadAll(in)
		} else {
			b, err = os.ReadFile(src)
		}
		if err != nil {
			return nil, fmt.Errorf("read secret %q: %w", name, err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return nil, fmt.Errorf("read secret %q: empty value", name)
		}
		out[name] = v
	}
	return out, nil
}

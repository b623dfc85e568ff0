package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	"github.com/privaks/privaks/internal/arm"
)

// Result is what Apply did.
type Result struct {
	Preview *Preview
	// DryRun is true when Apply stopped after the preview.
	DryRun bool
	// StackID, State and Duration describe the stack after the deployment.
	StackID, State, Duration string
	// Managed is the number of resources the stack manages.
	Managed int
	// ReadBack holds the deployed resources read back from the resource
	// group.
	ReadBack *arm.Set
	// Verification is the Verifier's verdict, nil without WithVerifier.
	Verification *Verification
}

// Verification is a Verifier's verdict on the read-back resources.
type Verification struct {
	OK     bool
	Report string
}

// ErrNotConfirmed is returned when the preview handler declines.
var ErrNotConfirmed = errors.New("not confirmed: nothing was changed")

// InterruptedError is returned when the context ends while waiting for a
// stack operation. Nothing is cancelled in Azure: the operation continues.
type InterruptedError struct {
	Stack, ResourceGroup, Operation string
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("stopped waiting for the %s of deployment stack %q in resource group %q: it continues in Azure (nothing was cancelled)", e.Operation, e.Stack, e.ResourceGroup)
}

// DeploymentError is a failed stack deployment, with the root cause of each
// failed resource.
type DeploymentError struct {
	Stack, State string
	Causes       []RootCause
	Err          error
}

func (e *DeploymentError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "deploy stack %q: %s", e.Stack, e.State)
	if len(e.Causes) == 0 && e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	for _, c := range e.Causes {
		b.WriteString("\n  ✗ " + strings.ReplaceAll(c.String(), "\n", "\n  "))
	}
	return b.String()
}

func (e *DeploymentError) Unwrap() error { return e.Err }

// Apply deploys the artifact to t through the deployment stack (see the
// package documentation for the steps). Problems the user must fix before
// deploying are returned as *PreflightError; a failed deployment as
// *DeploymentError; a context ended while waiting as *InterruptedError.
func Apply(ctx context.Context, conn Connection, t Target, a *Artifact, opts ...Option) (*Result, error) {
	o := makeOptions(opts)
	if _, err := ParseDenyMode(o.denyMode); err != nil {
		return nil, err
	}
	if err := a.CheckSecrets(o.secrets); err != nil {
		return nil, err
	}
	if err := a.CheckParameters(); err != nil {
		return nil, err
	}
	s, err := newSession(t, conn)
	if err != nil {
		return nil, err
	}
	rgExists, rgLocation, err := s.group(ctx)
	if err != nil {
		return nil, err
	}
	if t.Location == "" {
		t.Location = rgLocation
		s.target.Location = rgLocation
	}
	if t.Location == "" {
		return nil, fmt.Errorf("resource group %q does not exist: give its location (--location)", t.ResourceGroup)
	}
	existing := map[string]bool{}
	if rgExists {
		ids, err := s.listIDs(ctx)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			existing[strings.ToLower(id)] = true
		}
	}
	problems, err := s.preflight(ctx, preflightInput{
		artifact: a, location: normLocation(t.Location), rgExists: rgExists, existing: existing,
		register: !o.dryRun, groupPath: s.rest.rgPath(t.ResourceGroup),
	}, o)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, &PreflightError{Problems: problems}
	}
	if o.changes != nil {
		current := &arm.Set{Scope: arm.Scope{Subscription: t.Subscription, ResourceGroup: t.ResourceGroup, Location: t.Location}}
		if rgExists {
			if current, err = s.readBack(ctx, a); err != nil {
				return nil, err
			}
		}
		ok, report, err := o.changes.CheckChanges(ctx, current)
		if err != nil {
			return nil, fmt.Errorf("check the changes: %w", err)
		}
		if !ok {
			return nil, &ChangeError{Report: report}
		}
		if report != "" {
			o.logf("%s", report)
		}
	}
	preview, err := s.preview(ctx, a, rgExists, o)
	if err != nil {
		return nil, err
	}
	res := &Result{Preview: preview}
	if o.dryRun {
		res.DryRun = true
		return res, nil
	}
	if o.preview != nil {
		ok, err := o.preview(preview)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrNotConfirmed
		}
	}
	if !rgExists {
		_, err := s.groups.CreateOrUpdate(ctx, t.ResourceGroup, armresources.ResourceGroup{
			Location: to.Ptr(t.Location),
			Tags:     map[string]*string{"managed-by": to.Ptr("privaks")},
		}, nil)
		if err != nil {
			return nil, fmt.Errorf("create resource group %q: %w", t.ResourceGroup, err)
		}
		o.logf("✓ created resource group %s in %s", t.ResourceGroup, t.Location)
	}
	final, err := s.deployStack(ctx, a, o)
	if err != nil {
		return nil, err
	}
	res.StackID, res.State, res.Duration = final.ID, final.Properties.ProvisioningState, final.Properties.Duration
	res.Managed = len(final.Properties.Resources)
	set, err := s.readBack(ctx, a)
	if err != nil {
		return res, err
	}
	res.ReadBack = set
	if o.verifier != nil {
		ok, report, err := o.verifier.Verify(ctx, set)
		if err != nil {
			return res, fmt.Errorf("verify deployed resources: %w", err)
		}
		res.Verification = &Verification{OK: ok, Report: report}
	}
	return res, nil
}

// group reports whether the target resource group exists, and its location.
func (s *session) group(ctx context.Context) (bool, string, error) {
	resp, err := s.groups.Get(ctx, s.target.ResourceGroup, nil)
	if isNotFound(err) {
		return false, "", nil
	}
	if err != nil {
		return false, "", fmt.Errorf("get resource group %q: %w", s.target.ResourceGroup, err)
	}
	return true, deref(resp.Location), nil
}

// preview runs what-if (or describes a new group) and adds the resources
// the stack would stop managing: deleted with --prune, detached otherwise.
func (s *session) preview(ctx context.Context, a *Artifact, rgExists bool, o *options) (*Preview, error) {
	if !rgExists {
		return newGroupPreview(s.target.ResourceGroup, a), nil
	}
	p, err := s.runWhatIf(ctx, a, o)
	if err != nil {
		return nil, err
	}
	st, err := s.getStack(ctx, o.stackName)
	if errors.Is(err, ErrNoStack) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	inTemplate := map[string]bool{}
	for _, c := range p.Changes {
		inTemplate[strings.ToLower(c.ID)] = true
	}
	kind := ChangeDetach
	if o.prune {
		kind = ChangeDelete
	}
	for _, r := range st.Properties.Resources {
		if inTemplate[strings.ToLower(r.ID)] || (r.Status != "" && !strings.EqualFold(r.Status, "managed")) {
			continue
		}
		typ, name := typeAndName(r.ID)
		p.Changes = append(p.Changes, ResourceChange{ID: r.ID, Type: typ, Name: name, Kind: kind})
	}
	sortChanges(p.Changes)
	return p, nil
}

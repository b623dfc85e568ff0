package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// StackStatus describes a deployment stack and its last deployment.
type StackStatus struct {
	Name, ID, ResourceGroup string
	// State is the stack's provisioningState of its last create, update or
	// delete (succeeded, failed, deploying, …).
	State        string
	DeploymentID string
	Duration     string
	DenyMode     string
	// OnUnmanage is what happens to resources removed from the template
	// (detach or delete).
	OnUnmanage string
	CreatedAt  *time.Time
	ModifiedAt *time.Time
	ModifiedBy string
	// Resources are the resources the stack manages.
	Resources []ManagedResource
	// Causes are the root causes of a failed last deployment.
	Causes []RootCause
}

// ManagedResource is one resource of a stack.
type ManagedResource struct {
	ID, Type, Name, Status, DenyStatus string
}

// Status reads the privaks stack in t's resource group. It returns an error
// wrapping ErrNoStack when there is none.
func Status(ctx context.Context, conn Connection, t Target, opts ...Option) (*StackStatus, error) {
	o := makeOptions(opts)
	s, err := newSession(t, conn)
	if err != nil {
		return nil, err
	}
	return s.status(ctx, o)
}

func (s *session) status(ctx context.Context, o *options) (*StackStatus, error) {
	st, err := s.getStack(ctx, o.stackName)
	if err != nil {
		return nil, err
	}
	p := st.Properties
	out := &StackStatus{
		Name: o.stackName, ID: st.ID, ResourceGroup: s.target.ResourceGroup,
		State: p.ProvisioningState, DeploymentID: p.DeploymentID, Duration: p.Duration,
		DenyMode: p.DenySettings.Mode, OnUnmanage: p.ActionOnUnmanage.Resources,
	}
	if sd := st.SystemData; sd != nil {
		out.CreatedAt, out.ModifiedAt, out.ModifiedBy = sd.CreatedAt, sd.LastModifiedAt, sd.LastModifiedBy
	}
	for _, r := range p.Resources {
		typ, name := typeAndName(r.ID)
		out.Resources = append(out.Resources, ManagedResource{ID: r.ID, Type: typ, Name: name, Status: r.Status, DenyStatus: r.DenyStatus})
	}
	if p.ProvisioningState == "failed" || p.ProvisioningState == "Failed" || p.Error != nil {
		if de, ok := s.failure(ctx, o, nil).(*DeploymentError); ok {
			out.Causes = de.Causes
		}
	}
	return out, nil
}

// WriteStatus renders a stack status.
func WriteStatus(w io.Writer, st *StackStatus) {
	fmt.Fprintf(w, "Stack %s in resource group %s: %s\n", st.Name, st.ResourceGroup, orUnknownState(st.State))
	if st.ModifiedAt != nil {
		fmt.Fprintf(w, "  last deployment: %s", st.ModifiedAt.UTC().Format(time.RFC3339))
		if st.ModifiedBy != "" {
			fmt.Fprintf(w, " by %s", st.ModifiedBy)
		}
		if st.Duration != "" {
			if d, ok := parseISODuration(st.Duration); ok {
				fmt.Fprintf(w, ", took %s", round(d))
			}
		}
		fmt.Fprintln(w)
	}
	if st.CreatedAt != nil {
		fmt.Fprintf(w, "  created: %s\n", st.CreatedAt.UTC().Format(time.RFC3339))
	}
	if st.DeploymentID != "" {
		fmt.Fprintf(w, "  deployment: %s\n", st.DeploymentID)
	}
	fmt.Fprintf(w, "  deny settings: %s; resources removed from the template are %sed\n", orDefault(st.DenyMode, DenyNone), orDefault(st.OnUnmanage, "detach"))
	fmt.Fprintf(w, "  %d managed resource(s):\n", len(st.Resources))
	for _, r := range st.Resources {
		fmt.Fprintf(w, "    %s %s", r.Type, r.Name)
		if r.Status != "" && r.Status != "managed" {
			fmt.Fprintf(w, " [%s]", r.Status)
		}
		fmt.Fprintln(w)
	}
	for _, c := range st.Causes {
		fmt.Fprintf(w, "  ✗ %s\n", c)
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Destroy deletes the privaks stack in t's resource group together with
// every resource it manages (unmanageAction.Resources=delete). The resource
// group itself is kept. It asks WithDestroyConfirm first.
func Destroy(ctx context.Context, conn Connection, t Target, opts ...Option) error {
	o := makeOptions(opts)
	s, err := newSession(t, conn)
	if err != nil {
		return err
	}
	st, err := s.status(ctx, o)
	if err != nil {
		return err
	}
	if o.confirmDestroy != nil {
		ok, err := o.confirmDestroy(st)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotConfirmed
		}
	}
	p, err := s.deleteStack(ctx, o.stackName)
	if errors.Is(err, ErrNoStack) {
		return err
	}
	if err != nil {
		return err
	}
	o.logf("• deleting stack %s and its %d resource(s)", o.stackName, len(st.Resources))
	interrupted := &InterruptedError{Stack: o.stackName, ResourceGroup: t.ResourceGroup, Operation: "deletion"}
	if _, err := waitDone(ctx, p, o, interrupted); err != nil {
		var ie *InterruptedError
		if errors.As(err, &ie) {
			return err
		}
		return &DeploymentError{Stack: o.stackName, State: "delete failed", Err: err, Causes: lroCauses(err)}
	}
	o.logf("✓ deleted stack %s and its resources", o.stackName)
	return nil
}

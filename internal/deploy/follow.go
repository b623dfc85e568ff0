package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// deployStack PUTs the stack and follows it to the end, showing progress.
func (s *session) deployStack(ctx context.Context, a *Artifact, o *options) (*stack, error) {
	poller, err := s.putStack(ctx, o.stackName, stackBody(a, o))
	if err != nil {
		return nil, err
	}
	o.logf("• deploying stack %s in resource group %s", o.stackName, s.target.ResourceGroup)
	view := newProgressView(o.progress, o.terminal, o.now)
	firstSeen := map[string]time.Time{}
	interrupted := &InterruptedError{Stack: o.stackName, ResourceGroup: s.target.ResourceGroup, Operation: "deployment"}
	for {
		if _, err := poller.Poll(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, interrupted
			}
			return nil, fmt.Errorf("poll deployment stack %q: %w", o.stackName, err)
		}
		s.showProgress(ctx, view, firstSeen, o)
		if poller.Done() {
			break
		}
		if err := sleep(ctx, o.pollInterval); err != nil {
			return nil, interrupted
		}
	}
	final, err := poller.Result(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, interrupted
		}
		return nil, s.failure(ctx, o, err)
	}
	if st := strings.ToLower(final.Properties.ProvisioningState); st != "" && st != "succeeded" {
		return nil, s.failure(ctx, o, fmt.Errorf("stack ended in state %s", final.Properties.ProvisioningState))
	}
	return &final, nil
}

// showProgress reads the stack (for its state and underlying deployment)
// and that deployment's operations, and updates the view. Progress is best
// effort: a failed read is skipped, never fatal.
func (s *session) showProgress(ctx context.Context, view *progressView, firstSeen map[string]time.Time, o *options) {
	st, err := s.getStack(ctx, o.stackName)
	if err != nil || st.Properties.DeploymentID == "" {
		return
	}
	ops, err := s.listOperations(ctx, st.Properties.DeploymentID, o, firstSeen)
	if err != nil {
		return
	}
	view.update(st.Properties.ProvisioningState, ops)
}

// failure builds the DeploymentError of a failed stack: the root cause
// under each failed deployment operation, else under the stack's error,
// else the long-running operation's own error.
func (s *session) failure(ctx context.Context, o *options, lroErr error) error {
	de := &DeploymentError{Stack: o.stackName, State: "failed", Err: lroErr}
	st, err := s.getStack(ctx, o.stackName)
	if err == nil {
		if st.Properties.ProvisioningState != "" {
			de.State = st.Properties.ProvisioningState
		}
		if id := st.Properties.DeploymentID; id != "" {
			if ops, err := s.listOperations(ctx, id, o, map[string]time.Time{}); err == nil {
				for _, op := range ops {
					if op.State == "failed" && op.Error != nil {
						de.Causes = append(de.Causes, rootCauses(op.Error, op.Type, op.Name)...)
					}
				}
			}
		}
		if len(de.Causes) == 0 {
			for _, fr := range st.Properties.FailedResources {
				typ, name := typeAndName(fr.ID)
				de.Causes = append(de.Causes, rootCauses(fr.Error, typ, name)...)
			}
		}
		if len(de.Causes) == 0 && st.Properties.Error != nil {
			de.Causes = rootCauses(st.Properties.Error, "", "")
		}
	}
	if len(de.Causes) == 0 {
		de.Causes = lroCauses(lroErr)
	}
	return de
}

// waitDone polls a long-running operation to its end without progress
// detail (stack deletion).
func waitDone[T any](ctx context.Context, p *runtime.Poller[T], o *options, interrupted *InterruptedError) (T, error) {
	var zero T
	start := o.now()
	for {
		if _, err := p.Poll(ctx); err != nil {
			if ctx.Err() != nil {
				return zero, interrupted
			}
			return zero, err
		}
		if p.Done() {
			break
		}
		if o.terminal {
			fmt.Fprintf(o.progress, "\r\x1b[2K… %s (%s)", interrupted.Operation, round(o.now().Sub(start)))
		}
		if err := sleep(ctx, o.pollInterval); err != nil {
			return zero, interrupted
		}
	}
	if o.terminal {
		fmt.Fprint(o.progress, "\r\x1b[2K")
	}
	return p.Result(ctx)
}

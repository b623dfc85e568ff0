package deploy

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armdeployments"
	"github.com/privaks/privaks/internal/arm"
)

// underTest reports whether the binary is a test binary (the rule azcore uses
// to lift its one-second polling floor).
func underTest() bool { return flag.Lookup("test.v") != nil }

// opState is the latest state of one resource in the stack's deployment.
type opState struct {
	ID, Type, Name string
	State          string // running, succeeded, failed
	Elapsed        time.Duration
	Error          *APIError
}

// listOperations reads the deployment operations of the stack's underlying
// deployment and keeps, per target resource, the latest operation.
func (s *session) listOperations(ctx context.Context, deploymentID string, o *options, firstSeen map[string]time.Time) ([]opState, error) {
	p, err := arm.ParseResourceID(deploymentID)
	if err != nil || p.ResourceGroup == "" {
		return nil, fmt.Errorf("list deployment operations: bad deployment ID %q", deploymentID)
	}
	latest := map[string]*armdeployments.DeploymentOperation{}
	pager := s.operations.NewListPager(p.ResourceGroup, p.Last(), nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list deployment operations of %q: %w", p.Last(), err)
		}
		for _, op := range page.Value {
			if op == nil || op.Properties == nil || op.Properties.TargetResource == nil || op.Properties.TargetResource.ID == nil {
				continue
			}
			key := strings.ToLower(*op.Properties.TargetResource.ID)
			if prev, ok := latest[key]; ok && later(prev, op) {
				continue
			}
			latest[key] = op
		}
	}
	out := make([]opState, 0, len(latest))
	now := o.now()
	for key, op := range latest {
		pr := op.Properties
		st := opState{ID: *pr.TargetResource.ID, Type: deref(pr.TargetResource.ResourceType), Name: deref(pr.TargetResource.ResourceName)}
		if st.Type == "" || st.Name == "" {
			st.Type, st.Name = typeAndName(st.ID)
		}
		switch strings.ToLower(deref(pr.ProvisioningState)) {
		case "succeeded":
			st.State = "succeeded"
		case "failed", "canceled":
			st.State = "failed"
		default:
			st.State = "running"
		}
		if _, ok := firstSeen[key]; !ok {
			firstSeen[key] = now
		}
		st.Elapsed = now.Sub(firstSeen[key])
		if d, ok := parseISODuration(deref(pr.Duration)); ok {
			st.Elapsed = d
		}
		if pr.StatusMessage != nil {
			st.Error = fromSDKError(pr.StatusMessage.Error)
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].ID) < strings.ToLower(out[j].ID) })
	return out, nil
}

func later(a, b *armdeployments.DeploymentOperation) bool {
	ta, tb := a.Properties.Timestamp, b.Properties.Timestamp
	return ta != nil && tb != nil && ta.After(*tb)
}

var isoDuration = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$`)
})

// parseISODuration parses the ISO 8601 durations ARM reports ("PT1M2.5S").
func parseISODuration(s string) (time.Duration, bool) {
	m := isoDuration().FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d time.Duration
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute}
	for i, u := range units {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			d += time.Duration(n) * u
		}
	}
	if m[4] != "" {
		f, _ := strconv.ParseFloat(m[4], 64)
		d += time.Duration(f * float64(time.Second))
	}
	return d, true
}

// progressView shows per-resource status. On a terminal it redraws a table
// in place; otherwise (CI, pipes) it prints one line per state change.
type progressView struct {
	w        io.Writer
	terminal bool
	drawn    int               // lines drawn last time (terminal)
	last     map[string]string // ID → state printed (plain)
	started  time.Time
	now      func() time.Time
}

func newProgressView(w io.Writer, terminal bool, now func() time.Time) *progressView {
	return &progressView{w: w, terminal: terminal, last: map[string]string{}, started: now(), now: now}
}

var stateMark = map[string]string{"running": "…", "succeeded": "✓", "failed": "✗"}

func (v *progressView) update(stackState string, ops []opState) {
	if v.terminal {
		var b strings.Builder
		if v.drawn > 0 {
			fmt.Fprintf(&b, "\x1b[%dA", v.drawn)
		}
		lines := []string{fmt.Sprintf("stack %s (%s)", orUnknownState(stackState), round(v.now().Sub(v.started)))}
		for _, op := range ops {
			lines = append(lines, fmt.Sprintf("  %s %-9s %s %s (%s)", stateMark[op.State], op.State, op.Type, op.Name, round(op.Elapsed)))
		}
		for _, l := range lines {
			b.WriteString("\x1b[2K" + l + "\n")
		}
		v.drawn = len(lines)
		io.WriteString(v.w, b.String())
		return
	}
	for _, op := range ops {
		key := strings.ToLower(op.ID)
		if v.last[key] == op.State {
			continue
		}
		v.last[key] = op.State
		if op.State == "running" {
			fmt.Fprintf(v.w, "  %s %-9s %s %s\n", stateMark[op.State], op.State, op.Type, op.Name)
			continue
		}
		fmt.Fprintf(v.w, "  %s %-9s %s %s (%s)\n", stateMark[op.State], op.State, op.Type, op.Name, round(op.Elapsed))
	}
}

func orUnknownState(s string) string {
	if s == "" {
		return "starting"
	}
	return s
}

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}

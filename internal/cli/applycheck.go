package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/armeval"
	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/twin"
)

// changeChecker runs the rule catalogue on the template apply is about to
// deploy, with what the resource group holds now as the previous state, so
// that changes Azure refuses (PVK062: an AKS outboundType changed in place)
// and error findings stop apply before anything changes.
type changeChecker struct {
	deployed *arm.Template
}

func (c changeChecker) CheckChanges(_ context.Context, current *arm.Set) (bool, string, error) {
	next, err := armeval.Evaluate(c.deployed, armeval.WithScope(current.Scope))
	if next == nil {
		return false, "", fmt.Errorf("evaluate the template: %w", err)
	}
	fs := check.Run(twin.Build(next), check.WithPrevious(twin.Build(current)), check.WithMinSeverity(check.Warning))
	if len(fs) == 0 {
		return true, "✓ privaks check: no error or warning finding against what is deployed", nil
	}
	var b strings.Builder
	if err := check.WriteText(&b, fs, false); err != nil {
		return false, "", err
	}
	return check.Count(fs, check.Error) == 0, strings.TrimRight(b.String(), "\n"), nil
}

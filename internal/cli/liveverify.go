package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/twin"
	"github.com/privaks/privaks/internal/verify"
)

// liveVerifier runs the offline verifier on the resources apply reads back
// from Azure: the same intents, now with real addresses, FQDNs and object
// IDs instead of predictions.
type liveVerifier struct{}

func (liveVerifier) Verify(_ context.Context, set *arm.Set) (bool, string, error) {
	t := twin.Build(set)
	rs := verify.Run(t, verify.Derive(t))
	var b strings.Builder
	fmt.Fprintf(&b, "live verification of %d resource(s):\n", len(set.Resources))
	writeVerifyText(&b, rs)
	return verify.Failed(rs) == 0, strings.TrimRight(b.String(), "\n"), nil
}

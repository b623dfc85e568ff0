package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/deploy/deploytest"
)

// /dev/null is a character device but no terminal; neither is a pipe.
func TestIsTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is taken for a terminal", os.DevNull)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(r) || isTerminal(w) {
		t.Errorf("a pipe is taken for a terminal")
	}
	if isTerminal(new(int)) {
		t.Errorf("a non-file is taken for a terminal")
	}
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, c := range []struct {
		terminal bool
		env      map[string]string
		want     bool
	}{
		{true, map[string]string{"TERM": "xterm"}, true},
		{true, map[string]string{}, true},
		{true, map[string]string{"TERM": "dumb"}, false},
		{true, map[string]string{"TERM": "xterm", "NO_COLOR": "1"}, false},
		{false, map[string]string{"TERM": "xterm"}, false},
	} {
		if got := colourFor(c.terminal, env(c.env)); got != c.want {
			t.Errorf("colourFor(%v, %v) = %v", c.terminal, c.env, got)
		}
	}
}

// apply refuses to deploy without confirmation when stdin is /dev/null,
// which the old character-device test took for a terminal.
func TestApplyStdinDevNullIsNoTerminal(t *testing.T) {
	f := deploytest.New()
	useFakeAzure(t, f, false)
	azure.isTerminal = isTerminal // the real detection
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Streams{In: null, Out: &out, Err: &errOut}, append([]string{"apply"}, writeTestArtifact(t)...))
	if code != ExitBadInput || !strings.Contains(errOut.String(), "stdin is not a terminal") {
		t.Errorf("exit %d\n%s", code, errOut.String())
	}
	if len(f.Snapshot()) != 0 {
		t.Errorf("apply reached Azure without confirmation")
	}
}

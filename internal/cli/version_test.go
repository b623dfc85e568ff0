package cli

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	old := readBuildInfo
	t.Cleanup(func() { readBuildInfo = old })
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/privaks/privaks", Version: "v0.4.1"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	want := "privaks v0.4.1 (0123456789ab, modified, 2026-11-30T10:00:00Z) go1.26.8"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := run(t, args...)
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("%v: exit %d, %q (stderr %q), want prefix %q", args, code, out, errOut, want)
		}
	}
	code, out, _ := run(t, "version", "-o", "json")
	var b buildInfo
	if code != 0 || json.Unmarshal([]byte(out), &b) != nil || b.Version != "v0.4.1" || b.Revision != "0123456789abcdef0123" || !b.Modified {
		t.Errorf("version -o json: exit %d, %s", code, out)
	}
	readBuildInfo = func() (*debug.BuildInfo, bool) { return nil, false }
	if _, out, _ := run(t, "version"); !strings.HasPrefix(out, "privaks unknown go") {
		t.Errorf("without build info: %q", out)
	}
	if code, _, _ := run(t, "version", "-o", "yaml"); code != ExitBadInput {
		t.Errorf("-o yaml: exit %d", code)
	}
}

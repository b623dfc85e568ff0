package check_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/privaks/privaks/internal/check"
	"github.com/privaks/privaks/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite docs/check.md from the catalogue")

// catalogueMarkdown renders docs/check.md.
func catalogueMarkdown() string {
	var b strings.Builder
	b.WriteString(`# privaks check

<!-- Generated from internal/check by "go test ./internal/check -run TestDocsUpToDate -update". Do not edit. -->

` + "`privaks check`" + ` runs the rules below on the ARM resources of a design (` + "`-f privaks.yaml`" + `, the embedded
reference design, or ` + "`--template T [--parameters P]`" + `), offline. Output: ` + "`-o text`" + ` (grouped by resource,
coloured on a terminal unless NO_COLOR is set), ` + "`-o json`" + ` (` + "`{\"formatVersion\":\"1\",\"findings\":[...]}`" + `) or
` + "`-o sarif`" + ` (SARIF 2.1.0). ` + "`--severity`" + ` hides findings below a level; ` + "`--on-prem CIDR`" + ` adds on-premises ranges
to the spec's ` + "`network.onPremises`" + `.

Every report says what it covers: the resources the sources declare, how many were modelled, how many were
ignored (types with no bearing on any rule), and each one left out with its place and reason (text ` + "`coverage:`" + `,
JSON ` + "`coverage`" + `, SARIF run properties and tool execution notifications). A rule that concludes the *absence* of
a resource (no zone link, no role assignment, no route) reports ` + "`undecided`" + ` while a resource of that type was left
out: JSON ` + "`\"status\": \"undecided\"`" + ` with ` + "`undecidedBecause`" + `, SARIF ` + "`kind: review`" + ` with level ` + "`none`" + `. An undecided
finding never counts as an error. Exit 0 when the analysis is complete with no error finding, 1 with an error
finding, 2 on bad input, 3 when nothing failed but the analysis is incomplete (` + "`--accept-incomplete`" + ` makes it 0,
still reported), 4 on an internal error; see [verify.md](verify.md#coverage-and-exit-codes).

` + "`privaks check --verify`" + ` also proves every intent, as ` + "`privaks verify`" + ` does (docs/verify.md), from the same
read of the sources: one process for both, the form to run on every commit. The intents come first in text, as
` + "`intents`" + ` beside ` + "`findings`" + ` in JSON, and in SARIF those that fail (kind ` + "`fail`" + `, level ` + "`error`" + `) or are unknown
(kind ` + "`review`" + `) as results of the rule ` + "`intent`" + `, with the counts in the run property ` + "`privaks.intents`" + `. The
exit code judges findings and intents together: 1 if either fails, 3 if either is incomplete.

` + "```sh" + `
privaks check --verify                       # the embedded reference design: exit 0
privaks check --verify -f privaks.yaml -o sarif > privaks.sarif
` + "```" + `

Rules disabled in the spec (` + "`rules.disabled: [{id: PVK151, reason: ...}]`" + `) still run: their findings are
reported as suppressed with the reason (text, JSON ` + "`suppressed`" + `, SARIF ` + "`suppressions`" + `) and do not count.
A value unknown before deployment (a ` + "`reference()`" + ` result) is never a violation: the rule skips it or reports
` + "`info`" + ` "cannot decide before deployment".

IDs are permanent; ` + "`privaks rules PVK078`" + ` explains one rule. Blocks: 001-019 naming, 020-039 addressing,
040-049 capacity, 050-069 dedicated subnets and SKUs, 070-099 private DNS, 100-119 identity, 120-139 exposure,
140-159 posture, 160-179 deprecations.

` + "`privaks plan-addresses`" + ` proposes an address plan that these rules accept (see ` + "`privaks plan-addresses --help`" + `).

| ID | Severity | Rule | Title | Doc |
|---|---|---|---|---|
`)
	for _, r := range check.All() {
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | [doc](%s) |\n", r.ID, r.Severity, r.Slug, strings.ReplaceAll(r.Title, "|", "\\|"), r.Doc)
	}
	b.WriteString("\n## Rules\n")
	for _, r := range check.All() {
		fmt.Fprintf(&b, "\n### %s %s (%s)\n\n%s.\n\n%s\n\n**Fix:** %s\n\n**Source:** %s\n", r.ID, r.Slug, r.Severity, r.Title, r.Rationale, r.Fix, r.Doc)
	}
	return b.String()
}

func TestDocsUpToDate(t *testing.T) {
	path := filepath.Join(testenv.RepoRoot(t), "docs", "check.md")
	want := catalogueMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read docs/check.md: %v (run go test ./internal/check -run TestDocsUpToDate -update)", err)
	}
	if string(got) != want {
		t.Errorf("docs/check.md is out of date with the catalogue: run go test ./internal/check -run TestDocsUpToDate -update")
	}
}

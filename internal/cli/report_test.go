package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiagramFormats runs the documented `privaks diagram -o …` commands.
func TestDiagramFormats(t *testing.T) {
	for format, want := range map[string]string{
		"svg": "<svg", "d2": "direction: right", "dot": "digraph privaks", "mermaid": "flowchart LR",
	} {
		code, out, errOut := run(t, "diagram", "-o", format)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("diagram -o %s: exit %d, %s\n%.200s", format, code, errOut, out)
		}
	}
	if code, _, errOut := run(t, "diagram", "-o", "png"); code != 2 || !strings.Contains(errOut, "want svg, d2, dot or mermaid") {
		t.Errorf("diagram -o png: exit %d, %s", code, errOut)
	}
}

// TestReportCommand runs `privaks report -o FILE` on the reference design
// and on a template, and refuses bad input without writing.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	code, _, errOut := run(t, "report", "-o", file)
	if code != 0 || !strings.Contains(errOut, "wrote "+file) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"<strong>pass</strong>", "spec embedded reference design, compiled by privaks", `id="capacity"`, "<svg"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The same resources as a template: the report says where they came from.
	if code, _, errOut := run(t, "plan", "--out", dir); code != 0 {
		t.Fatalf("plan: %s", errOut)
	}
	tfile := filepath.Join(dir, "template.html")
	code, _, errOut = run(t, append([]string{"report", "--template", filepath.Join(dir, "azuredeploy.json"), "--parameters", filepath.Join(dir, "azuredeploy.parameters.json"), "-o", tfile}, sshKeyParam...)...)
	if code != 0 {
		t.Fatalf("report --template: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(tfile); !strings.Contains(string(b), "ARM template "+filepath.Join(dir, "azuredeploy.json")) {
		t.Errorf("template report does not name its input")
	}
	bad := filepath.Join(dir, "bad.html")
	if code, _, _ := run(t, "report", "-f", filepath.Join(dir, "missing.yaml"), "-o", bad); code != 2 {
		t.Errorf("missing spec: exit %d, want 2", code)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a report was written for bad input")
	}
}

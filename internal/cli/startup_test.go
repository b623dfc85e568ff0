package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/testenv"
)

// BenchmarkCheckVerifyTemplate is the work of `privaks check --template`
// and `privaks verify --template` on the 90 KB aks-agic sample, without
// process start-up (hyperfine measures whole processes; docs/verify.md),
// with the two required parameters it declares.
func BenchmarkCheckVerifyTemplate(b *testing.B) {
	tmpl := testenv.Testdata(b, "arm", "Azure-Samples__aks-agic__templates__azuredeploy.json")
	for _, cmd := range []string{"check", "verify"} {
		b.Run(cmd, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out, errb bytes.Buffer
				code := Run(context.Background(), Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, []string{cmd, "--template", tmpl,
					"--param", "aksClusterSshPublicKey=" + testSSHKey, "--param", "vmAdminUsername=azureuser"})
				if code == ExitBadInput {
					b.Fatalf("%s: exit %d\n%s", cmd, code, errb.String())
				}
			}
		})
	}
}

// BenchmarkRootCmd is the command tree every process builds before it
// parses its command line: every verb (--help), or the one a command line
// names (check).
func BenchmarkRootCmd(b *testing.B) {
	s := Streams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			newRootCmd(s)
		}
	})
	b.Run("check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			newRootCmdFor(s, []string{"check", "--template", "t.json"})
		}
	})
}

// TestStartupInitIsSmall runs this test binary again with
// GODEBUG=inittrace=1 and reads what each package's initialisation
// allocates (a count, the same on a busy machine as on an idle one). The
// analysis packages every command links compile nothing and build no
// tables at start-up (their regexps compile on first use; tfread's and
// tfwrite's per-type registries and go-cty functions are built on first
// use), and no
// Kubernetes scheme or codec factory is initialised: render writes
// manifests from typed objects without one.
func TestStartupInitIsSmall(t *testing.T) {
	if os.Getenv("PRIVAKS_INITTRACE_CHILD") != "" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartupInitIsSmall$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "PRIVAKS_INITTRACE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const budget = 8 << 10 // bytes a package may allocate at init
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		// init github.com/privaks/privaks/internal/check @2.1 ms, 0.012 ms clock, 1600 bytes, 25 allocs
		f := strings.Fields(line)
		if len(f) < 9 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		pkg := f[1]
		seen[pkg] = true
		bytes, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("inittrace line %q: %v", line, err)
		}
		// armeval's function table (21 KB) is what check and verify use
		// first; deploy's few regexps serve only apply, destroy and status.
		for _, p := range []string{"arm", "twin", "check", "verify", "spec", "compile", "cloudinit", "bind", "render", "cli", "tfread", "tfwrite", "diagram"} {
			if pkg == "github.com/privaks/privaks/internal/"+p && bytes > budget {
				t.Errorf("%s allocates %d bytes at start-up (budget %d): compile regexps and build tables on first use", pkg, bytes, budget)
			}
		}
		// Dependencies patched in third_party to start lazily (their
		// PRIVAKS.md): go-cmp, which hclwrite links, go-graphviz, MSAL,
		// which azidentity links, and yaml v2, which sigs.k8s.io/yaml links.
		for _, p := range []string{"github.com/google/go-cmp/", "github.com/goccy/go-graphviz", "github.com/AzureAD/microsoft-authentication-library-for-go/", "go.yaml.in/yaml/v2"} {
			if strings.HasPrefix(pkg, p) && bytes > budget {
				t.Errorf("%s allocates %d bytes at start-up (budget %d): is the third_party patch still applied (go.mod replace)?", pkg, bytes, budget)
			}
		}
		if strings.Contains(pkg, "k8s.io/client-go") || strings.Contains(pkg, "k8s.io/apimachinery/pkg/runtime/serializer") && !strings.Contains(pkg, "/cbor/") {
			t.Errorf("%s is initialised at start-up: a Kubernetes scheme or codec factory", pkg)
		}
	}
	for _, p := range []string{"check", "spec", "cloudinit", "render", "tfread", "tfwrite"} {
		if !seen["github.com/privaks/privaks/internal/"+p] {
			t.Errorf("no inittrace line for internal/%s: the trace format changed?\n%s", p, out)
		}
	}
	if !seen["github.com/google/go-cmp/cmp"] || !seen["go.yaml.in/yaml/v2"] {
		t.Errorf("no inittrace line for go-cmp or yaml v2: the trace format changed?\n%s", out)
	}
}

// TestStartupLinksNoKubernetesAPI keeps out of the privaks binary what
// every command would pay for at start-up and none of check, verify or plan
// needs: k8s.io/api and apimachinery (render writes manifests from its own
// mirrors of the few types it uses; their tests decode the manifests into
// the real types), and with them json-iterator, CBOR and their tables; and
// invopop/jsonschema, with go/parser and a YAML library (the spec's schema
// is generated into a file by a test, not reflected at run time).
func TestStartupLinksNoKubernetesAPI(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/privaks")
	cmd.Dir = testenv.RepoRoot(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range []string{"k8s.io/api/", "k8s.io/apimachinery/", "k8s.io/client-go/", "github.com/json-iterator/", "github.com/fxamacker/cbor/", "github.com/invopop/jsonschema", "go.yaml.in/yaml/v4"} {
			if strings.HasPrefix(dep, bad) {
				t.Errorf("cmd/privaks links %s, initialised by every command", dep)
			}
		}
	}
}

// TestRootForOneVerb: the root newRootCmdFor builds for a command line
// naming a verb behaves as the full root for that verb (help, flag errors,
// exit codes), and the verbs table names each verb as its command does.
func TestRootForOneVerb(t *testing.T) {
	full := newRootCmd(Streams{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	var names []string
	for _, c := range full.Commands() {
		names = append(names, c.Name())
	}
	var table []string
	for _, v := range verbs {
		table = append(table, v.name)
	}
	slices.Sort(table) // cobra lists commands sorted
	if strings.Join(names, " ") != strings.Join(table, " ") {
		t.Fatalf("verbs table %v, commands %v", table, names)
	}
	run := func(root *cobra.Command, args []string) string {
		var out, errb bytes.Buffer
		s := Streams{In: strings.NewReader(""), Out: &out, Err: &errb}
		if root == nil {
			root = newRootCmd(s)
		} else {
			root = newRootCmdFor(s, args)
		}
		code := runRoot(context.Background(), s, root, args)
		return fmt.Sprintf("exit %d\n%s\n--- stderr\n%s", code, out.String(), errb.String())
	}
	for _, v := range verbs {
		if got := newRootCmdFor(Streams{}, []string{v.name}).Commands(); len(got) != 1 || got[0].Name() != v.name {
			t.Errorf("newRootCmdFor(%s) has %d commands", v.name, len(got))
		}
		for _, args := range [][]string{{v.name, "--help"}, {v.name, "--no-such-flag"}} {
			if want, got := run(nil, args), run(&cobra.Command{}, args); got != want {
				t.Errorf("privaks %s:\n%s\nwith every verb:\n%s", strings.Join(args, " "), got, want)
			}
		}
	}
}

// BenchmarkProcess is issue 17's start-up target as a benchmark: whole
// privaks processes, built the way `make build` builds them (static), on
// the 90 KB aks-agic sample with the two parameters it requires. Each
// operation is one command line, or both of "check+verify" in a row; it
// reports the wall time per operation (ns/op) and, from the children's
// resource usage, their CPU and minor page faults (on a VM where a fresh
// page costs ~15 µs the faults are most of the time, and unlike the time
// they do not move with the machine's load). The binary is built once, in
// the benchmark's setup.
func BenchmarkProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "privaks")
	build := exec.Command("go", "build", "-o", bin, "./cmd/privaks")
	build.Dir = testenv.RepoRoot(b)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	tmpl := testenv.Testdata(b, "arm", "Azure-Samples__aks-agic__templates__azuredeploy.json")
	agic := []string{"--template", tmpl, "--param", "aksClusterSshPublicKey=" + testSSHKey, "--param", "vmAdminUsername=azureuser"}
	for _, bc := range []struct {
		name  string
		lines [][]string
	}{
		{"check --verify", [][]string{append([]string{"check", "--verify"}, agic...)}},
		{"check+verify", [][]string{append([]string{"check"}, agic...), append([]string{"verify"}, agic...)}},
		{"--help", [][]string{{"--help"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var cpu time.Duration
			var faults int64
			for b.Loop() {
				for _, args := range bc.lines {
					cmd := exec.Command(bin, args...)
					err := cmd.Run()
					// aks-agic fails check and verify by design (a public
					// storage account): exit 1 is the expected verdict.
					if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != ExitFailed) {
						b.Fatalf("privaks %s: %v", strings.Join(args, " "), err)
					}
					ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
					cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
					faults += ru.Minflt
				}
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(faults)/float64(b.N), "faults/op")
		})
	}
}

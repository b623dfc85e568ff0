package tfwrite_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/fixture"
	"github.com/privaks/privaks/internal/render"
	"github.com/privaks/privaks/internal/tfwrite"
)

// The VMs' cloud-init files beside the module are the bytes privaks
// render writes, and the VMs read them with filebase64.
func TestCloudInitFilesAreRenderBytes(t *testing.T) {
	set := evaluate(t, fixture.Reference(t))
	m, err := tfwrite.Write(set)
	if err != nil {
		t.Fatal(err)
	}
	want, err := render.CloudInit(set)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range want {
		found := ""
		for n, b := range m.Files {
			if strings.HasPrefix(n, "cloud-init/") && bytes.Equal(b, doc) {
				found = n
			}
		}
		if found == "" {
			t.Fatalf("no file of the module holds a cloud-init document render writes (%d bytes)", len(doc))
		}
		if !strings.Contains(string(m.Files["compute.tf"]), `filebase64("${path.module}/`+found+`")`) {
			t.Errorf("compute.tf does not read %s with filebase64", found)
		}
	}
}

// Writing the same set twice gives the same bytes, for every design.
func TestDeterministic(t *testing.T) {
	for name, tmpl := range designs(t) {
		set := evaluate(t, tmpl)
		a, err := tfwrite.Write(set)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			b, err := tfwrite.Write(set)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(a.Names(), ",") != strings.Join(b.Names(), ",") {
				t.Fatalf("%s: files %v then %v", name, a.Names(), b.Names())
			}
			for n := range a.Files {
				if !bytes.Equal(a.Files[n], b.Files[n]) {
					t.Fatalf("%s: %s differs between two writes", name, n)
				}
			}
		}
	}
}

// terraform fmt -check accepts every written file (Terraform 1.11 at
// /usr/local/bin; fmt needs no provider and no network).
func TestTerraformFmtClean(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		if _, e := os.Stat("/usr/local/bin/terraform"); e != nil {
			t.Fatal("terraform is not installed (this project's machines have Terraform 1.11 at /usr/local/bin): fmt -check cannot run")
		}
		tf = "/usr/local/bin/terraform"
	}
	for name, tmpl := range designs(t) {
		set := evaluate(t, tmpl)
		m, err := tfwrite.Write(set)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := m.WriteDir(dir); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, tf, "fmt", "-check", "-diff", "-recursive", dir)
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("%s: terraform fmt -check: %v\n%s", name, err, out)
		}
		if n := len(m.Names()); n < 8 {
			t.Errorf("%s: only %d files", name, n)
		}
		if _, err := os.Stat(filepath.Join(dir, "main.tf")); err != nil {
			t.Error(err)
		}
	}
}

// The ARM dependsOn that no reference implies is kept as depends_on: the
// agent VM waits for the DNS forwarder's readiness extension.
func TestReadinessOrderKept(t *testing.T) {
	set := evaluate(t, fixture.Reference(t))
	_, _, back := writeRead(t, set)
	for _, r := range set.Resources {
		o := back.Get(r.ID)
		for _, d := range r.DependsOn {
			if !strings.Contains(strings.ToLower(d), "/extensions/dns-ready") {
				continue
			}
			found := false
			for _, od := range o.DependsOn {
				found = found || strings.EqualFold(od, d)
			}
			if !found {
				t.Errorf("%s depends on %s in ARM, not in the Terraform read back (%v)", r.Name, d, o.DependsOn)
			}
		}
	}
	if !strings.Contains(string(mustWrite(t, set).Files["compute.tf"]), "depends_on = [azapi_resource.vm_dns_dns_ready]") {
		t.Error("compute.tf has no depends_on on the readiness extension")
	}
}

func mustWrite(t *testing.T, set *arm.Set) *tfwrite.Module {
	t.Helper()
	m, err := tfwrite.Write(set)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

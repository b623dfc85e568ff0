package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/compile"
	"github.com/privaks/privaks/internal/deploy"
	"github.com/privaks/privaks/internal/spec"
)

// checkArtifactCurrent refuses to deploy a template privaks compiled from
// anything but the current spec (-f, ./privaks.yaml, or the embedded
// design): apply compiles that spec again and compares the template byte
// for byte (compilation is deterministic), so a spec edited after plan, a
// plan of another file, a newer privaks or a hand-edited template are all
// caught, with the command that fixes it. A spec with placeholders is
// refused too. A template privaks did not write (no metadata.generator
// "privaks") is deployed as given, and apply says so.
func checkArtifactCurrent(w io.Writer, specFile, templatePath, outDir string, art *deploy.Artifact) error {
	if gen, _ := art.Template.Metadata["generator"].(string); gen != "privaks" {
		fmt.Fprintf(w, "• %s was not written by privaks plan: deployed as given, without the spec check\n", templatePath)
		return nil
	}
	d, name, err := loadDesign(specFile)
	if err != nil {
		return err
	}
	noteSpec(w, name)
	planCmd := "privaks plan"
	if name != spec.ReferenceName {
		planCmd += " -f " + name
	}
	if outDir != "" && outDir != "out" {
		planCmd += " --out " + outDir
	}
	if err := d.PlaceholderError(); err != nil {
		return badInput(fmt.Errorf("%w\nrefusing to deploy placeholders: set these fields in your spec (privaks init writes one), then run `%s` and apply again", err, planCmd))
	}
	t, err := compile.Compile(d)
	if err != nil {
		return err
	}
	want, err := arm.Marshal(t)
	if err != nil {
		return err
	}
	have, err := os.ReadFile(templatePath)
	if err != nil {
		return badInput(fmt.Errorf("read template %q: %w", templatePath, err))
	}
	if !bytes.Equal(bytes.TrimSpace(have), bytes.TrimSpace(want)) {
		return badInput(fmt.Errorf("%s was not compiled from %s as it is now (the spec, the privaks version or the file changed since plan); run `%s`, review, and apply again (or, if you planned another spec, name it: privaks apply -f FILE)", templatePath, name, planCmd))
	}
	return nil
}

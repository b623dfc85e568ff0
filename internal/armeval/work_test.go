package armeval

import (
	"os"
	"testing"

	"github.com/privaks/privaks/internal/arm"
	"github.com/privaks/privaks/internal/testenv"
)

// TestWorkMargin: every template in testdata/arm evaluates within a fifth
// of MaxWork, so the work budget stops runaway inputs, never real ones.
func TestWorkMargin(t *testing.T) {
	entries, err := os.ReadDir(testenv.Testdata(t, "arm"))
	if err != nil {
		t.Fatal(err)
	}
	most, name := int64(0), ""
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(testenv.Testdata(t, "arm", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		tp, err := ReadTemplate(data)
		if err != nil {
			continue // parameters files, the README
		}
		ev := newEvaluator(arm.DefaultScope, e.Name())
		sc := newScope(schemaLevel(tp.Schema), arm.DefaultScope, DefaultManagementGroup)
		ev.newTemplate(tp, nil, sc, sc, "azuredeploy", nil).run()
		if ev.fatal != nil {
			t.Errorf("%s: %v", e.Name(), ev.fatal)
		}
		if ev.work > most {
			most, name = ev.work, e.Name()
		}
	}
	t.Logf("most work: %d steps (%s)", most, name)
	if most > MaxWork/5 {
		t.Errorf("%s needs %d steps, more than a fifth of MaxWork %d", name, most, MaxWork)
	}
}

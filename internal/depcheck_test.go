package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the layering one-way: the model and analysis
// packages never reach the Azure SDK or the CLI framework, so they stay
// offline by construction; only deploy talks to Azure and only cli uses
// cobra.
func TestImportDirection(t *testing.T) {
	forbidden := map[string][]string{
		"arm":         {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/"},
		"armeval":     {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/twin", "privaks/internal/spec"},
		"spec":        {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/twin"},
		"compile":     {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/twin", "privaks/internal/verify", "privaks/internal/deploy"},
		"twin":        {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/spec", "privaks/internal/verify"},
		"verify":      {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/spec", "privaks/internal/deploy"},
		"bind":        {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/"},
		"cloudinit":   {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/twin"},
		"deploy":      {"spf13/cobra", "privaks/internal/compile", "privaks/internal/spec"},
		"check":       {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/spec", "privaks/internal/verify", "privaks/internal/deploy"},
		"render":      {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/spec", "privaks/internal/compile", "privaks/internal/deploy"},
		"conventions": {"privaks/internal/"},
		"cli":         {"privaks/internal/fixture", "privaks/internal/testenv"},
		"addrplan":    {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/"},
		"diagram":     {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/spec", "privaks/internal/deploy"},
		"tfread":      {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/"},
		"tfwrite":     {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/"},
		"report":      {"azure-sdk-for-go", "spf13/cobra", "privaks/internal/compile", "privaks/internal/spec", "privaks/internal/deploy", "privaks/internal/armeval", "privaks/internal/tfread"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if strings.Contains(dep, b) && !strings.HasSuffix(dep, "/internal/"+pkg) && !allowed(pkg, dep) {
					t.Errorf("internal/%s depends on %s", pkg, dep)
				}
			}
		}
	}
}

// allowed lists the internal packages a layer may use below it.
func allowed(pkg, dep string) bool {
	ok := map[string][]string{
		"bind":        {"internal/bind"},
		"arm":         {"internal/arm"},
		"tfread":      {"internal/arm", "internal/tfread"},
		"tfwrite":     {"internal/arm", "internal/tfwrite"},
		"addrplan":    {"internal/addrplan"},
		"conventions": {"internal/conventions"},
	}
	for _, a := range ok[pkg] {
		if strings.HasSuffix(dep, a) {
			return true
		}
	}
	return false
}

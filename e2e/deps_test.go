package e2e

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestProductBinaryLinksNoTestCode lists the packages the countyhub
// binary is built from and checks that none brings test code in: no
// package imports go-cmp, and none of the module imports testing. The one
// package allowed to import testing is go-plugin's own: its testing.go
// (helpers for testing plugins, in the package itself) is linked into
// every program that uses go-plugin.
func TestProductBinaryLinksNoTestCode(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := []string{"github.com/hashicorp/go-plugin"}
	for line := range strings.Lines(string(out)) {
		pkg, imports, _ := strings.Cut(strings.TrimSpace(line), " ")
		for imp := range strings.FieldsSeq(imports) {
			switch {
			case strings.HasPrefix(imp, "github.com/google/go-cmp/"):
				t.Errorf("%s imports %s", pkg, imp)
			case imp == "testing" && !slices.Contains(allowed, pkg):
				t.Errorf("%s imports testing", pkg)
			}
		}
	}
}

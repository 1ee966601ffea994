package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductBinaryLinksNoTestCode lists the packages the countyhub
// binary and the shipped importers are built from and checks that none
// brings test code in: no package imports go-cmp or testing. go-plugin's
// release imports testing for its test helpers; go.mod replaces it with
// third_party/go-plugin, the same release without them.
func TestProductBinaryLinksNoTestCode(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, ".", "./importers/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for line := range strings.Lines(string(out)) {
		pkg, imports, _ := strings.Cut(strings.TrimSpace(line), " ")
		for imp := range strings.FieldsSeq(imports) {
			if strings.HasPrefix(imp, "github.com/google/go-cmp/") || imp == "testing" {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}

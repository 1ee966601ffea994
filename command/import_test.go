package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseOption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mapping := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(mapping, []byte("dataset: observations\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	for name, tc := range map[string]struct {
		flag, name, value, wantErr string
	}{
		"value":           {flag: "as_of=2023-08-07", name: "as_of", value: "2023-08-07"},
		"empty value":     {flag: "sheet=", name: "sheet", value: ""},
		"equals inside":   {flag: "filter=a=b", name: "filter", value: "a=b"},
		"file":            {flag: "mapping=@" + mapping, name: "mapping", value: "dataset: observations\n"},
		"no equals":       {flag: "as_of", wantErr: `--option "as_of": want NAME=VALUE or NAME=@FILE`},
		"unreadable file": {flag: "mapping=@" + missing, wantErr: "--option mapping=@" + missing + ": open " + missing + ": no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gotName, gotValue, err := parseOption(tc.flag)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseOption(%q) error = %v, want %q", tc.flag, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseOption(%q): %v", tc.flag, err)
			}
			if gotName != tc.name || gotValue != tc.value {
				t.Errorf("parseOption(%q) = %q, %q; want %q, %q", tc.flag, gotName, gotValue, tc.name, tc.value)
			}
		})
	}
}

package importertest

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/conformance"
	"github.com/countyhub/countyhub/plugins/records"
)

// CheckZipBombs imports zip bombs of 1 GB a file into an importer of a
// zip-based format, in process: one whose headers declare what it expands
// to, which must be refused with an error diagnostic saying "archive
// expands beyond 256 MB", and one whose headers lie, which must be
// refused with one saying "archive expands beyond what it declares". Each
// import must end within 5 seconds, having allocated less than maxAlloc
// bytes. in gives the unit, the options and the file name; its data are
// the bombs. Call it from a test that is not parallel, so that the
// allocations measured are the import's own.
func CheckZipBombs(t *testing.T, target Target, in Input, maxAlloc uint64) {
	t.Helper()
	tests := map[string]struct {
		lie  bool
		want string
	}{
		"declared sizes": {false, "archive expands beyond 256 MB"},
		"lying headers":  {true, "archive expands beyond what it declares"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := in
			in.Data = conformance.Bomb(tc.lie)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			out, err := target.Import(ctx, in)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatalf("import failed: %v; want an error diagnostic", err)
			}
			if !slices.ContainsFunc(out.Diagnostics, func(d records.Diagnostic) bool {
				return d.Severity == records.Error && strings.Contains(d.Message, tc.want)
			}) {
				t.Errorf("diagnostics: %s; want an error saying %q", messages(out.Diagnostics), tc.want)
			}
			if len(out.Records) > 0 {
				t.Errorf("%d records; want none", len(out.Records))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAlloc {
				t.Errorf("the import allocated %d MB; want less than %d MB", alloc>>20, maxAlloc>>20)
			}
			t.Logf("refused in %v", took)
		})
	}
}

// ZipBomb returns a zip archive of about size/1000 bytes holding one file
// of each name, each of which inflates to size zero bytes; see
// conformance.ZipBomb.
func ZipBomb(size int64, lie bool, names ...string) []byte {
	return conformance.ZipBomb(size, lie, names...)
}

// messages lists diagnostics for a failure.
func messages(diags []records.Diagnostic) string {
	if len(diags) == 0 {
		return "no diagnostics"
	}
	var s []string
	for _, d := range diags {
		s = append(s, fmt.Sprintf("%s %s: %q", d.Severity, d.Reference, d.Message))
	}
	return strings.Join(s, "; ")
}

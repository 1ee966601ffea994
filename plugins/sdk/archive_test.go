package sdk_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/sdk"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// zipOf writes a zip archive of the files, in the order given.
func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, files[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll opens the archive within limit and reads each file named, in
// order, returning the first error.
func readAll(data []byte, limit int64, names ...string) error {
	a, err := sdk.OpenArchive(bytes.NewReader(data), int64(len(data)), limit)
	if err != nil {
		return err
	}
	for _, name := range names {
		rc, err := a.Open(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func TestArchiveBounds(t *testing.T) {
	t.Parallel()
	doc := strings.Repeat("<w:p/>", 1000) // 6000 bytes
	tests := map[string]struct {
		data    []byte
		limit   int64
		read    []string
		wantErr string // "" for none
		bound   bool   // the error is an *sdk.ArchiveError
	}{
		"within the limit":          {data: zipOf(t, "word/document.xml", doc), limit: 6000, read: []string{"word/document.xml"}},
		"declared past the limit":   {data: zipOf(t, "a", doc, "b", doc), limit: 10000, wantErr: "archive expands beyond 9 KB: its files declare 11 KB", bound: true},
		"read twice past the limit": {data: zipOf(t, "a", doc), limit: 10000, read: []string{"a", "a"}, wantErr: "archive expands beyond 9 KB", bound: true},
		"honest bomb": {data: importertest.ZipBomb(1<<30, false, "word/document.xml"), limit: sdk.MaxArchiveSize,
			wantErr: "archive expands beyond 256 MB: its files declare 1024 MB", bound: true},
		"lying bomb": {data: importertest.ZipBomb(1<<30, true, "word/document.xml"), limit: sdk.MaxArchiveSize, read: []string{"word/document.xml"},
			wantErr: "archive expands beyond what it declares: word/document.xml inflates past the 1 KB its header gives", bound: true},
		"missing file": {data: zipOf(t, "a", doc), limit: sdk.MaxArchiveSize, read: []string{"b"}, wantErr: "open b: no such file in the archive"},
		"not a zip":    {data: []byte("not a zip archive at all"), limit: sdk.MaxArchiveSize, wantErr: "not a zip archive: zip: not a valid zip file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := readAll(tc.data, tc.limit, tc.read...)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("read: %v; want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("read: %v; want an error saying %q", err, tc.wantErr)
			}
			var ae *sdk.ArchiveError
			if got := errors.As(err, &ae); got != tc.bound {
				t.Errorf("read: %v is an *ArchiveError: %v; want %v", err, got, tc.bound)
			}
		})
	}
}

// TestArchiveVerifyIsBounded checks that Verify, which inflates every
// file, refuses a bomb whose headers lie quickly and without inflating it
// into memory. It is not parallel, so that the allocations measured are
// its own.
func TestArchiveVerifyIsBounded(t *testing.T) {
	bomb := importertest.ZipBomb(1<<30, true, "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	a, err := sdk.OpenArchive(bytes.NewReader(bomb), int64(len(bomb)), sdk.MaxArchiveSize)
	if err == nil {
		err = a.Verify()
	}
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	var ae *sdk.ArchiveError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "archive expands beyond what it declares") {
		t.Errorf("Verify: %v; want an *ArchiveError", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("Verify allocated %d MB; want it to stop at the declared 1 KB", alloc>>20)
	}
	if took > 5*time.Second {
		t.Errorf("Verify took %v; want it to stop at the declared 1 KB at once", took)
	}
}

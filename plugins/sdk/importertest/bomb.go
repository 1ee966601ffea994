package importertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/records"
)

// The zip bomb the kit feeds importers of zip-based formats: files of
// the names a .docx and an .xlsx read first, each inflating to 1 GB.
const bombSize = 1 << 30

var bombFiles = []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}

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
			in.Data = ZipBomb(bombSize, tc.lie, bombFiles...)
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
// of each name, each of which inflates to size zero bytes. With lie set,
// the archive's headers declare each file 1 KB, so that only a reader
// counting what it inflates notices. It is quick to make: the compressed
// stream of a run of zeros is one compressed megabyte repeated.
func ZipBomb(size int64, lie bool, names ...string) []byte {
	const chunk = 1 << 20
	repeated := compressedZeros(chunk)
	tail := compressedZeros(int(size % chunk))
	stream := make([]byte, 0, int(size/chunk)*len(repeated)+len(tail)+2)
	for range size / chunk {
		stream = append(stream, repeated...)
	}
	stream = append(stream, tail...)
	stream = append(stream, 0x03, 0x00) // an empty final block

	crc := uint32(0)
	zeros := make([]byte, chunk)
	for left := size; left > 0; left -= chunk {
		crc = crc32.Update(crc, crc32.IEEETable, zeros[:min(left, chunk)])
	}
	declared := uint64(size)
	if lie {
		declared = 1 << 10
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: declared})
		if err != nil {
			panic(fmt.Sprintf("importertest: zip bomb: %v", err))
		}
		if _, err := w.Write(stream); err != nil {
			panic(fmt.Sprintf("importertest: zip bomb: %v", err))
		}
	}
	if err := zw.Close(); err != nil {
		panic(fmt.Sprintf("importertest: zip bomb: %v", err))
	}
	return buf.Bytes()
}

// compressedZeros returns the deflate blocks of n zeros, ending on a byte
// boundary and not final, so that copies of them follow one another in a
// stream: each copy reads only the zeros before it.
func compressedZeros(n int) []byte {
	if n == 0 {
		return nil
	}
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		panic(fmt.Sprintf("importertest: zip bomb: %v", err))
	}
	if _, err := w.Write(make([]byte, n)); err != nil {
		panic(fmt.Sprintf("importertest: zip bomb: %v", err))
	}
	if err := w.Flush(); err != nil {
		panic(fmt.Sprintf("importertest: zip bomb: %v", err))
	}
	return buf.Bytes()
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

package conformance

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"

	"github.com/countyhub/countyhub/plugins/records"
)

// The zip bomb the kit feeds importers of zip-based formats: files of
// the names a .docx and an .xlsx read first, each inflating to 1 GB.
const bombSize = 1 << 30

var bombFiles = []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}

// Bomb is the zip bomb the kit feeds importers of zip-based formats, as
// ZipBomb makes it, with headers that lie when lie is set.
func Bomb(lie bool) []byte { return ZipBomb(bombSize, lie, bombFiles...) }

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
			panic(fmt.Sprintf("conformance: zip bomb: %v", err))
		}
		if _, err := w.Write(stream); err != nil {
			panic(fmt.Sprintf("conformance: zip bomb: %v", err))
		}
	}
	if err := zw.Close(); err != nil {
		panic(fmt.Sprintf("conformance: zip bomb: %v", err))
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
		panic(fmt.Sprintf("conformance: zip bomb: %v", err))
	}
	if _, err := w.Write(make([]byte, n)); err != nil {
		panic(fmt.Sprintf("conformance: zip bomb: %v", err))
	}
	if err := w.Flush(); err != nil {
		panic(fmt.Sprintf("conformance: zip bomb: %v", err))
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

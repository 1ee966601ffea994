package importertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
)

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

package sdk

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// MaxArchiveSize bounds what a zip-based file (.docx, .xlsx) may expand
// to when an importer reads it: 256 MB, far above any county report and
// far below the memory an importer may use.
const MaxArchiveSize = 256 << 20

// ArchiveError is an archive that expands beyond its bound, or beyond the
// sizes its headers declare: a zip bomb, or a damaged file. Its message
// says "archive expands beyond …".
type ArchiveError struct {
	// Limit is the bound, in bytes.
	Limit int64
	// Declared is the total size the archive's files declare, when the
	// archive was refused for it before anything was inflated; else 0.
	Declared uint64
	// File, when set, is the file that inflated past the size its header
	// declares, FileDeclared.
	File         string
	FileDeclared uint64
}

func (e *ArchiveError) Error() string {
	switch {
	case e.File != "":
		return fmt.Sprintf("archive expands beyond what it declares: %s inflates past the %s its header gives (a damaged or crafted file)", e.File, byteSize(e.FileDeclared))
	case e.Declared > 0:
		return fmt.Sprintf("archive expands beyond %s: its files declare %s", byteSize(uint64(e.Limit)), byteSize(e.Declared))
	}
	return fmt.Sprintf("archive expands beyond %s", byteSize(uint64(e.Limit)))
}

// byteSize writes a byte count for a message.
func byteSize(n uint64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Archive is a zip archive (a .docx or .xlsx file) whose reading is
// bounded: the sizes its files declare add up to at most its limit, and
// every byte inflated from it, by any file opened any number of times,
// counts against the limit, whatever the headers say.
type Archive struct {
	zr    *zip.Reader
	limit int64

	mu       sync.Mutex
	inflated int64
}

// OpenArchive opens the zip archive of size bytes that r reads, to be read
// within limit bytes (MaxArchiveSize, unless a format needs less). An
// archive whose files declare more than limit in all is an *ArchiveError,
// before anything is inflated; a file that is not a zip archive is an
// error wrapping zip's.
func OpenArchive(r io.ReaderAt, size, limit int64) (*Archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %w", err)
	}
	var declared uint64
	for _, f := range zr.File {
		if declared += f.UncompressedSize64; declared < f.UncompressedSize64 {
			declared = math.MaxUint64 // sizes that overflow are past any limit
			break
		}
	}
	if declared > uint64(max(limit, 0)) {
		return nil, &ArchiveError{Limit: limit, Declared: declared}
	}
	return &Archive{zr: zr, limit: limit}, nil
}

// Files lists the archive's files.
func (a *Archive) Files() []*zip.File { return a.zr.File }

// Open opens a file of the archive by its name ("word/document.xml"). Its
// reads fail with an *ArchiveError once the archive's inflated bytes pass
// its limit, or once the file inflates past its declared size.
func (a *Archive) Open(name string) (io.ReadCloser, error) {
	for _, f := range a.zr.File {
		if f.Name == name {
			return a.OpenFile(f)
		}
	}
	return nil, fmt.Errorf("open %s: %w", name, ErrNoFile)
}

// ErrNoFile is the error of Open for a name the archive lacks.
var ErrNoFile = errors.New("no such file in the archive")

// OpenFile opens one of the archive's Files, bounded as Open is.
func (a *Archive) OpenFile(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	return &boundedFile{a: a, f: f, rc: rc}, nil
}

// Verify inflates every file of the archive, within its limit, and checks
// its size and checksum, for an archive handed to a reader that inflates
// it by itself (excelize): after Verify, the archive is known to expand
// to what it declares.
func (a *Archive) Verify() error {
	for _, f := range a.zr.File {
		rc, err := a.OpenFile(f)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", f.Name, err)
		}
	}
	return nil
}

// take counts n inflated bytes; it tells how many of them are within the
// limit.
func (a *Archive) take(n int) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	room := a.limit - a.inflated
	if int64(n) > room {
		n = int(max(room, 0))
	}
	a.inflated += int64(n)
	return n
}

// boundedFile reads a file of an archive within the archive's bound.
type boundedFile struct {
	a  *Archive
	f  *zip.File
	rc io.ReadCloser
}

func (b *boundedFile) Read(p []byte) (int, error) {
	// Read one byte more than the room left, to tell a file that ends at
	// the limit from one that goes past it.
	b.a.mu.Lock()
	room := b.a.limit - b.a.inflated
	b.a.mu.Unlock()
	if int64(len(p)) > room+1 {
		p = p[:max(room+1, 0)]
	}
	n, err := b.rc.Read(p)
	if ok := b.a.take(n); ok < n {
		return ok, &ArchiveError{Limit: b.a.limit}
	}
	if errors.Is(err, zip.ErrFormat) {
		// archive/zip refuses a file that inflates past its declared size.
		return n, &ArchiveError{Limit: b.a.limit, File: b.f.Name, FileDeclared: b.f.UncompressedSize64}
	}
	return n, err
}

func (b *boundedFile) Close() error { return b.rc.Close() }

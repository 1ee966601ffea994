package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"unicode/utf8"
)

// window is how many of the last bytes read are kept to count the
// characters of a column.
const window = 1 << 20

// position wraps the input and remembers where its lines start, so that a
// byte offset the JSON decoder reports can be told as a line and column.
type position struct {
	r          io.Reader
	off        int64   // bytes read so far
	lineStarts []int64 // offset of the first byte of each line
	tail       []byte  // the last bytes read, at most 2*window
	tailStart  int64   // offset of tail[0]
}

func newPosition(r io.Reader) *position {
	return &position{r: r, lineStarts: []int64{0}}
}

func (p *position) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	for i, c := range b[:n] {
		if c == '\n' {
			p.lineStarts = append(p.lineStarts, p.off+int64(i)+1)
		}
	}
	p.tail = append(p.tail, b[:n]...)
	if len(p.tail) > 2*window {
		drop := len(p.tail) - window
		p.tail = append(p.tail[:0], p.tail[drop:]...)
		p.tailStart += int64(drop)
	}
	p.off += int64(n)
	return n, err
}

// at returns the line and column (both from 1) of the byte at offset. The
// column counts characters, or bytes on a line longer than the kept
// window.
func (p *position) at(offset int64) (line, col int) {
	offset = max(0, min(offset, p.off))
	i := sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > offset }) - 1
	start := p.lineStarts[i]
	if start < p.tailStart {
		return i + 1, int(offset-start) + 1
	}
	return i + 1, utf8.RuneCount(p.tail[start-p.tailStart:offset-p.tailStart]) + 1
}

// locate finds the offset of the syntax error in the value that starts at
// or after offset start (after spaces and a comma or colon). A
// json.Decoder reports the offset of an error inside a value it decodes
// relative to what it decoded before, not to the file, so the value is
// scanned again from the kept bytes. ok is false when they no longer
// reach back to start, or hold no error.
func (p *position) locate(start int64) (offset int64, ok bool) {
	if start < p.tailStart || start > p.off {
		return 0, false
	}
	b := p.tail[start-p.tailStart:]
	k := len(b) - len(bytes.TrimLeft(b, " \t\r\n"))
	if k < len(b) && (b[k] == ',' || b[k] == ':') {
		k++
	}
	k = len(b) - len(bytes.TrimLeft(b[k:], " \t\r\n"))
	var raw json.RawMessage
	var serr *json.SyntaxError
	if err := json.NewDecoder(bytes.NewReader(b[k:])).Decode(&raw); errors.As(err, &serr) {
		// The scanner counts the bad byte as read.
		return start + int64(k) + max(serr.Offset-1, 0), true
	}
	return 0, false
}

// skipSpace returns the offset of the first byte at or after offset that
// is not JSON whitespace, as far as the kept bytes tell.
func (p *position) skipSpace(offset int64) int64 {
	if offset < p.tailStart || offset > p.off {
		return offset
	}
	b := p.tail[offset-p.tailStart:]
	return offset + int64(len(b)-len(bytes.TrimLeft(b, " \t\r\n")))
}

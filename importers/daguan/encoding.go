package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of the file is looked at to tell its encoding.
const sniffSize = 64 << 10

// Byte-order marks and the signature of a zip archive (an .xlsx workbook).
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	zipMagic   = []byte("PK\x03\x04")
)

// textEncoding is an encoding the importer reads.
type textEncoding string

// The encodings read: Excel's "CSV (逗号分隔)" on a Chinese Windows writes
// GBK, its "CSV UTF-8" writes UTF-8 with a byte-order mark.
const (
	encGBK  textEncoding = "GBK"
	encUTF8 textEncoding = "UTF-8"
)

// errNotText explains a file that is not CSV text in a readable encoding.
type errNotText struct{ reason string }

func (e errNotText) Error() string { return e.reason }

// decodeText returns a reader of the file as UTF-8 and the encoding it
// found. Bytes that are not valid in that encoding come out as U+FFFD,
// for the caller to report by line. A file that is not GBK or UTF-8 with a
// byte-order mark is an errNotText saying what it looks like instead.
func decodeText(in io.Reader) (io.Reader, textEncoding, error) {
	br := bufio.NewReaderSize(in, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", fmt.Errorf("read the file: %w", err)
	}
	if reason := notText(head, len(head) < sniffSize); reason != "" {
		return nil, "", errNotText{reason}
	}
	if bytes.HasPrefix(head, bomUTF8) {
		_, _ = br.Discard(len(bomUTF8))
		return transform.NewReader(br, unicode.UTF8.NewDecoder()), encUTF8, nil
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), encGBK, nil
}

// notText says why the start of a file shows it is not a GBK or UTF-8
// (with byte-order mark) CSV file, or returns "" when it may be one. whole
// tells that head is the whole file.
func notText(head []byte, whole bool) string {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return ""
	case bytes.HasPrefix(head, zipMagic):
		return "the file is a zip archive (an .xlsx workbook?), not CSV text: in Excel use 另存为 (Save As) with the type \"CSV (逗号分隔)\""
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return "the file is UTF-16 text (Excel's \"Unicode 文本\"), not CSV: save it as \"CSV (逗号分隔)\" (GBK) or \"CSV UTF-8\""
	case bytes.IndexByte(head, 0) >= 0:
		return "the file is binary (it holds NUL bytes), not CSV text: want a CSV file in GBK, or in UTF-8 with a byte-order mark"
	case isUTF8WithoutBOM(head, whole):
		return "the file is UTF-8 without a byte-order mark: want GBK (Excel's \"CSV (逗号分隔)\") or UTF-8 with a byte-order mark (Excel's \"CSV UTF-8\"); save it again as one of these"
	}
	return ""
}

// isUTF8WithoutBOM tells whether head is valid UTF-8 holding characters
// beyond ASCII (an ASCII-only file reads the same in GBK). When head is
// only the start of the file, a character cut at its end is forgiven.
func isUTF8WithoutBOM(head []byte, whole bool) bool {
	if !whole {
		head = trimCutRune(head)
	}
	return utf8.Valid(head) && bytes.ContainsFunc(head, func(r rune) bool { return r >= utf8.RuneSelf })
}

// trimCutRune drops an incomplete UTF-8 sequence at the end of b.
func trimCutRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/countyhub/countyhub/plugins/sdk"
)

// sniffSize is how much of a file decode looks at to tell its encoding.
const sniffSize = 64 << 10

var bom = []byte("\ufeff")

// decoders are the encodings a mapping may name other than UTF-8.
var decoders = map[string]encoding.Encoding{
	"gbk":     simplifiedchinese.GBK,
	"gb18030": simplifiedchinese.GB18030,
}

// decode returns the file as UTF-8 text, decoded from the mapping's
// encoding. A file whose beginning is not in that encoding, but reads in
// the other, is a diagnostic saying which encoding to set: a GBK file
// (Excel's CSV on Chinese Windows) read as UTF-8, or the reverse.
func decode(in io.Reader, enc string) (io.Reader, *sdk.Diagnostic) {
	br := bufio.NewReaderSize(in, sniffSize)
	head, _ := br.Peek(sniffSize) // a read error shows again when the table is read
	if enc == "utf-8" {
		if at := invalidUTF8(head); at >= 0 {
			d := sdk.Errorf(fmt.Sprintf("line %d", 1+bytes.Count(head[:at], []byte("\n"))), "",
				"the file is not UTF-8, as the mapping says (encoding: utf-8 is the default)")
			if readsAsGBK(head) {
				d.Message += "; it reads as GBK, as Excel saves CSV on Chinese Windows: set encoding: gbk in the mapping"
			} else {
				d.Message += ": save it as UTF-8, or set encoding: gbk or gb18030 in the mapping if it is in one of those"
			}
			return nil, &d
		}
		if bytes.HasPrefix(head, bom) {
			_, _ = br.Discard(len(bom))
		}
		return br, nil
	}
	if bytes.HasPrefix(head, bom) || (!ascii(head) && invalidUTF8(head) < 0) {
		d := sdk.Errorf("file", "", "the mapping says encoding: %s, but the file is UTF-8: set encoding: utf-8 in the mapping (or leave encoding out)", enc)
		return nil, &d
	}
	return transform.NewReader(br, decoders[enc].NewDecoder()), nil
}

// invalidUTF8 returns the offset of the first byte of b that is not
// UTF-8, or -1; a rune cut off at the end of b is not counted as invalid.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(b[i:]) {
				return -1
			}
			return i
		}
		i += size
	}
	return -1
}

// readsAsGBK tells whether b decodes as GBK without a replacement, apart
// from a character cut off at its end.
func readsAsGBK(b []byte) bool {
	s, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	if err != nil {
		return false
	}
	s = bytes.TrimRight(s, "\ufffd")
	return !bytes.ContainsRune(s, utf8.RuneError)
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

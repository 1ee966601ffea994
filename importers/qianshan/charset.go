package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
)

// maxHeadScan bounds the search for a meta charset: it is in the head,
// near the top of the page.
const maxHeadScan = 64 << 10

// decoded is a page in UTF-8, with a warning when its declared charset was
// wrong but its bytes were readable.
type decoded struct {
	text    []byte
	warning string
}

// decodePage returns the page in UTF-8, decoding it per its meta charset.
// A page whose bytes do not fit its charset gives an error that says
// where and what to do.
func decodePage(data []byte) (decoded, error) {
	if rest, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		return asUTF8(rest, "a UTF-8 byte order mark")
	}
	label := metaCharset(data)
	if label == "" {
		if utf8.Valid(data) {
			return decoded{text: data}, nil
		}
		return decoded{}, fmt.Errorf("the page is not UTF-8 (line %d) and names no charset: if it was saved in GBK, add <meta charset=\"gbk\"> to its head, or save it as UTF-8", badLine(data))
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return decoded{}, fmt.Errorf("the page names the charset %q, which is unknown: want utf-8, gbk, gb2312 or gb18030", label)
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return asUTF8(data, fmt.Sprintf("<meta charset=%q>", label))
	}
	if utf8.Valid(data) && !isASCII(data) {
		return decoded{text: data, warning: fmt.Sprintf("the page names the charset %q, but its text is UTF-8: read as UTF-8; correct the meta charset", label)}, nil
	}
	text, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return decoded{}, fmt.Errorf("the page is not in its charset %q: %v", label, err)
	}
	return decoded{text: text}, nil
}

// asUTF8 checks a page that says it is UTF-8.
func asUTF8(data []byte, says string) (decoded, error) {
	if !utf8.Valid(data) {
		return decoded{}, fmt.Errorf("the page declares UTF-8 (%s) but line %d is not UTF-8: if it was saved in GBK, declare <meta charset=\"gbk\">, or save it as UTF-8", says, badLine(data))
	}
	return decoded{text: data}, nil
}

// metaCharset returns the charset a page's head names, in
// <meta charset="gbk"> or <meta http-equiv="Content-Type"
// content="text/html; charset=gbk">, or "".
func metaCharset(data []byte) string {
	z := html.NewTokenizer(bytes.NewReader(data[:min(len(data), maxHeadScan)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body", "table":
				return ""
			case "meta":
				if label := metaLabel(z, hasAttr); label != "" {
					return label
				}
			}
		}
	}
}

// metaLabel reads the charset of a meta tag's attributes.
func metaLabel(z *html.Tokenizer, more bool) string {
	var content, httpEquiv string
	for more {
		var key, val []byte
		key, val, more = z.TagAttr()
		switch strings.ToLower(string(key)) {
		case "charset":
			return strings.TrimSpace(string(val))
		case "content":
			content = string(val)
		case "http-equiv":
			httpEquiv = string(val)
		}
	}
	if !strings.EqualFold(httpEquiv, "content-type") {
		return ""
	}
	_, after, ok := strings.Cut(strings.ToLower(content), "charset=")
	if !ok {
		return ""
	}
	label, _, _ := strings.Cut(after, ";")
	return strings.Trim(strings.TrimSpace(label), `"'`)
}

// badLine returns the line of the first byte that is not UTF-8.
func badLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

func isASCII(data []byte) bool {
	for _, b := range data {
		if b >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

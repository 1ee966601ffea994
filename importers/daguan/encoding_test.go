package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDecodeText(t *testing.T) {
	t.Parallel()
	const text = "序号,类别,名称\r\n1,指标,志愿服务队伍\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		in      []byte
		want    string
		wantEnc textEncoding
		wantErr string
	}{
		"gbk":          {in: []byte(gbk), want: text, wantEnc: encGBK},
		"utf-8 bom":    {in: append([]byte("\ufeff"), text...), want: text, wantEnc: encUTF8},
		"ascii":        {in: []byte("a,b\n1,2\n"), want: "a,b\n1,2\n", wantEnc: encGBK},
		"empty":        {in: nil, want: "", wantEnc: encGBK},
		"bad gbk byte": {in: []byte("a,\xff\n"), want: "a,\uFFFD\n", wantEnc: encGBK},
		"bad utf-8":    {in: []byte("\ufeffa,\xff\n"), want: "a,\uFFFD\n", wantEnc: encUTF8},
		"utf-8":        {in: []byte(text), wantErr: "UTF-8 without a byte-order mark"},
		"zip":          {in: []byte("PK\x03\x04rest"), wantErr: "zip archive"},
		"utf-16":       {in: []byte("\xff\xfea\x00"), wantErr: "UTF-16"},
		"binary":       {in: []byte("a\x00b"), wantErr: "binary"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, enc, err := decodeText(bytes.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("decodeText error = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want || enc != tc.wantEnc {
				t.Errorf("decodeText = %q, %s; want %q, %s", got, enc, tc.want, tc.wantEnc)
			}
		})
	}
}

// TestUTF8CutAtSniffEnd checks that a UTF-8 file whose sniffed start ends
// inside a character is still recognized.
func TestUTF8CutAtSniffEnd(t *testing.T) {
	t.Parallel()
	data := []byte(strings.Repeat("序", sniffSize)) // 3 bytes each: the start cuts one
	if _, _, err := decodeText(bytes.NewReader(data)); err == nil || !strings.Contains(err.Error(), "UTF-8 without") {
		t.Errorf("decodeText error = %v, want UTF-8 without a byte-order mark", err)
	}
}

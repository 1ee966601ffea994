package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// TestSyntaxErrorPlace checks that a syntax error is reported at the line
// and column (in characters) of the bad byte, whether the decoder meets it
// reading a token or inside a value it decodes whole.
func TestSyntaxErrorPlace(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		doc     string
		wantRef string
		wantMsg string
	}{
		"between top-level fields": {
			doc:     "{\n  \"county\": \"桐城市\"\n  \"asOf\": \"2023-08-07\"\n}",
			wantRef: "line 3, column 3", wantMsg: "in the top-level object"},
		"inside an indicator": {
			doc:     "{\"indicators\": [\n  {\"code\": \"org.owners_committees\",\n   \"value\": 119,,\n  }\n]}",
			wantRef: "line 3, column 17", wantMsg: "in $.indicators[0]"},
		"inside a second community": {
			doc:     "{\"communities\": [{\"name\": \"西苑社区\"},\n {\"name\": \"沿河社区\" \"spaces\": []}]}",
			wantRef: "line 2, column 18", wantMsg: "in $.communities[1]"},
		"after a top-level value": {
			doc:     "{\"asOf\": \"2023-08-07\",\n \"period\": 2023x}",
			wantRef: "line 2, column 16", wantMsg: "invalid character 'x'"},
		"cut short": {
			doc:     "{\"communities\": [{\"name\": \"西苑",
			wantRef: "line 1, column 30", wantMsg: "ends in $.communities[0]"},
		"two documents": {
			doc:     "{\"indicators\": []}\n{}",
			wantRef: "line 2, column 1", wantMsg: "more data after the end"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := importertest.Input{Data: []byte(tc.doc), Unit: "340881", Options: map[string]string{"as_of": "2023-08-07"}}
			out, err := importertest.InProcess(Importer{}).Import(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Diagnostics) != 1 {
				t.Fatalf("diagnostics = %v, want one", out.Diagnostics)
			}
			d := out.Diagnostics[0]
			if d.Reference != tc.wantRef || !strings.Contains(d.Message, tc.wantMsg) {
				t.Errorf("diagnostic %s: %s; want %s saying %q", d.Reference, d.Message, tc.wantRef, tc.wantMsg)
			}
		})
	}
}

// TestPositionLongLine checks columns past the kept window fall back to
// bytes, and that lines are still counted.
func TestPositionLongLine(t *testing.T) {
	t.Parallel()
	data := []byte("\n" + strings.Repeat("桐", 3*window) + "x")
	p := newPosition(bytes.NewReader(data))
	buf := make([]byte, 4096)
	for {
		if _, err := p.Read(buf); err != nil {
			break
		}
	}
	if line, col := p.at(int64(len(data) - 1)); line != 2 || col != 9*window+1 {
		t.Errorf("at(last) = line %d, column %d; want line 2, column %d (bytes)", line, col, 9*window+1)
	}
	if line, col := p.at(0); line != 1 || col != 1 {
		t.Errorf("at(0) = line %d, column %d; want 1, 1", line, col)
	}
}

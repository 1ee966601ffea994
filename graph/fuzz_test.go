package graph

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// nodeTypes are the GraphQL types a global id may name.
var nodeTypes = []string{typeUnit, typeStation, typeSpace, typePilot, typeBudget, typeObservation}

// FuzzGlobalID checks the global id decoder: a made-up id decodes to an id
// that encodes back to it, or gives one of the decoder's errors, never a
// panic; and any id the hub can issue decodes to itself.
func FuzzGlobalID(f *testing.F) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{
		"", "%%%", "run-340828/001", b64("ServiceStation:340828/s1"), b64("AdminUnit:340828100001"),
		b64("Pilot:340828/盛岳集团/先尝后买"), b64("ImportRun:run-1"), b64("ServiceStation:/s1"), b64("Pilot:340828/\xff\xfe"),
		base64.URLEncoding.EncodeToString([]byte("Pilot:340828/p")), "UGlsb3Q6MzQwODI4L3B", b64("Pilot:340828/p") + "\n",
	} {
		f.Add(s, uint8(1), "340828", "s1")
	}
	f.Add("", uint8(0), "340828100001", "")
	f.Add("", uint8(5), "340800", "org.committees|340800|2023")
	f.Add("", uint8(2), "340881:x", "a/b/c")

	f.Fuzz(func(t *testing.T, id string, typ uint8, unit, key string) {
		g, err := parseGlobalID(id)
		switch {
		case err == nil:
			if again := g.String(); again != id {
				t.Errorf("parseGlobalID(%q) = %s %q %q, which encodes as %q", id, g.Type, g.Unit, g.Key, again)
			}
		case !errors.Is(err, errMalformedID) && !strings.HasSuffix(err.Error(), "is not a type of Node"):
			t.Errorf("parseGlobalID(%q): unexpected error %v", id, err)
		}

		// An id the hub issues: a known type, a unit code without a slash,
		// a key for a record (none for a unit), all of it UTF-8.
		want := globalID{Type: nodeTypes[int(typ)%len(nodeTypes)], Unit: unit, Key: key}
		if want.Type == typeUnit {
			want.Key = ""
		}
		if unit == "" || strings.Contains(unit, "/") || !utf8.ValidString(want.Unit) || !utf8.ValidString(want.Key) || (want.Type != typeUnit && key == "") {
			return
		}
		got, err := parseGlobalID(want.String())
		if err != nil {
			t.Fatalf("parseGlobalID(%q) of %s %q %q: %v", want.String(), want.Type, want.Unit, want.Key, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round trip of %q (-want +got):\n%s", want.String(), diff)
		}
	})
}

// cursorDatasets are the connections that issue cursors.
var cursorDatasets = []string{"stations", "spaces", "pilots", "budgets", "runs", "diagnostics"}

// FuzzCursor checks the cursor decoder of the connections: a made-up
// cursor gives a key or an INVALID_CURSOR error, never a panic, and a
// cursor the hub issues decodes to its key in its own connection only.
func FuzzCursor(f *testing.F) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{"", "not-a-cursor", "djE6c3RhdGlvbnM6", b64("v1:stations:340828/000"), b64("v1:runs:\xff"),
		b64("v1:stations:340828/000") + "\n", b64("v2:stations:340828/000"), b64("ServiceStation:340828/000")} {
		f.Add(s, uint8(0), "340828/000")
		f.Add(s, uint8(4), "run-1")
	}
	f.Add("", uint8(4), "20230807T120000-abcd")
	f.Add("", uint8(5), "000042")

	f.Fuzz(func(t *testing.T, cursor string, dataset uint8, key string) {
		ds := cursorDatasets[int(dataset)%len(cursorDatasets)]
		got, err := decodeCursor(ds, cursor)
		var coded *codedError
		switch {
		case err != nil && (!errors.As(err, &coded) || coded.code != CodeInvalidCursor):
			t.Errorf("decodeCursor(%q, %q): %v, want an %s error", ds, cursor, err, CodeInvalidCursor)
		case err == nil && got == "":
			t.Errorf("decodeCursor(%q, %q) gives an empty key", ds, cursor)
		}

		// Keys are record keys and ids: text. A cursor around anything else
		// is refused, as a forged one is.
		if key == "" || !utf8.ValidString(key) {
			return
		}
		issued := encodeCursor(ds, key)
		if got, err := decodeCursor(ds, issued); err != nil || got != key {
			t.Errorf("decodeCursor(%q, encodeCursor(%q, %q)) = %q, %v", ds, ds, key, got, err)
		}
		for _, other := range cursorDatasets {
			if _, err := decodeCursor(other, issued); other != ds && err == nil {
				t.Errorf("the cursor of %s %q reads as one of %s", ds, key, other)
			}
		}
	})
}

package graph

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGlobalIDRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		id   globalID
		want string // before base64url
	}{
		"station":               {globalID{Type: typeStation, Unit: "340828", Key: "s1"}, "ServiceStation:340828/s1"},
		"key with slashes":      {globalID{Type: typeSpace, Unit: "340881", Key: "a/b/c"}, "SharedSpace:340881/a/b/c"},
		"pilot":                 {globalID{Type: typePilot, Unit: "340828", Key: "盛岳集团/先尝后买"}, "Pilot:340828/盛岳集团/先尝后买"},
		"budget":                {globalID{Type: typeBudget, Unit: "340803", Key: "2023|奖补"}, "BudgetLine:340803/2023|奖补"},
		"city-wide observation": {globalID{Type: typeObservation, Unit: "340800", Key: "org.committees|340800|2023"}, "Observation:340800/org.committees|340800|2023"},
		"unit":                  {globalID{Type: typeUnit, Unit: "340828100001"}, "AdminUnit:340828100001"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id := tc.id.String()
			if raw, err := base64.RawURLEncoding.DecodeString(id); err != nil || string(raw) != tc.want {
				t.Errorf("id %q decodes to %q, %v; want %q", id, raw, err, tc.want)
			}
			if strings.ContainsAny(id, "=+/") {
				t.Errorf("id %q is not base64url without padding", id)
			}
			got, err := parseGlobalID(id)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.id, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGlobalIDRefusesGarbage(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := map[string]struct {
		id   string
		want string // in the error
	}{
		"empty":              {"", "not a global id"},
		"not base64":         {"ServiceStation:340828/s1", "not a global id"},
		"padded base64":      {base64.URLEncoding.EncodeToString([]byte("Pilot:340828/p")), "not a global id"},
		"standard base64":    {"U2VydmljZVN0YXRpb246MzQwODI4L3M/", "not a global id"},
		"no type":            {b64("340828/s1"), "not a global id"},
		"unknown type":       {b64("ImportRun:run-1"), `"ImportRun" is not a type of Node`},
		"type of no record":  {b64("Query:340828/x"), `"Query" is not a type of Node`},
		"long unknown type":  {b64(strings.Repeat("x", 100) + ":1/2"), "not a global id"},
		"no unit":            {b64("ServiceStation:/s1"), "not a global id"},
		"no key":             {b64("ServiceStation:340828/"), "not a global id"},
		"no slash":           {b64("BudgetLine:340828"), "not a global id"},
		"unit with a slash":  {b64("AdminUnit:340828/x"), "not a global id"},
		"empty unit code":    {b64("AdminUnit:"), "not a global id"},
		"not UTF-8":          {b64("Pilot:340828/\xff\xfe"), "not a global id"},
		"old run-scoped id":  {"run-340828/001", "not a global id"},
		"lower-case type":    {b64("servicestation:340828/s1"), "is not a type of Node"},
		"cursor, not an id":  {b64("v1:stations:340828/s1"), "is not a type of Node"},
		"whitespace around":  {" " + b64("Pilot:340828/p") + " ", "not a global id"},
		"trailing newline":   {b64("Pilot:340828/p") + "\n", "not a global id"},
		"stray bits":         {"UGlsb3Q6MzQwODI4L3B", "not a global id"},
		"unit of no release": {b64("Observation:340828"), "not a global id"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g, err := parseGlobalID(tc.id)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseGlobalID(%q) = %+v, %v; want an error saying %q", tc.id, g, err, tc.want)
			}
		})
	}
}

func TestOriginPatternsMatchLiterally(t *testing.T) {
	t.Parallel()
	got := originPatterns([]string{"https://dash.example.org", "http://[::1]:5173", `http://a*b?c\d`})
	want := []string{"https://dash.example.org", `http://\[::1]:5173`, `http://a\*b\?c\\d`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patterns (-want +got):\n%s", diff)
	}
}

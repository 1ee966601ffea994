package hub

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corsCase is a request and the CORS headers its response must have
// (Access-Control-Allow-Origin empty: none at all).
type corsCase struct {
	method, path, origin string
	requestHeaders       string // Access-Control-Request-Headers of a preflight
	allowOrigin          string
}

func (tc corsCase) check(t *testing.T, base string) {
	t.Helper()
	req, err := http.NewRequest(tc.method, base+tc.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tc.origin != "" {
		req.Header.Set("Origin", tc.origin)
	}
	preflight := tc.method == http.MethodOptions
	requestMethod := http.MethodGet // an export
	if strings.HasPrefix(tc.path, "/graphql") {
		requestMethod = http.MethodPost
	}
	if preflight {
		req.Header.Set("Access-Control-Request-Method", requestMethod)
		if tc.requestHeaders != "" {
			req.Header.Set("Access-Control-Request-Headers", tc.requestHeaders)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
		t.Errorf("Access-Control-Allow-Origin = %q; want %q", got, tc.allowOrigin)
	}
	if tc.allowOrigin == "" {
		for k := range res.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: %q sent to an origin not allowed", k, res.Header.Get(k))
			}
		}
		return
	}
	if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Origin") {
		t.Errorf("Vary = %q; want Origin in it", res.Header.Values("Vary"))
	}
	if preflight {
		if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Methods") != requestMethod ||
			res.Header.Get("Access-Control-Allow-Headers") != tc.requestHeaders || res.Header.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight: status %d, headers %v", res.StatusCode, res.Header)
		}
	}
}

func TestWithCORS(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	allowed := httptest.NewServer(withCORS([]string{"https://dash.example.org", "http://localhost:5173"}, mux))
	t.Cleanup(allowed.Close)
	none := httptest.NewServer(withCORS(nil, mux))
	t.Cleanup(none.Close)

	const dash = "https://dash.example.org"
	const uploadHeaders = "apollo-require-preflight,authorization,content-type,x-apollo-operation-name"
	tests := map[string]struct {
		srv *httptest.Server
		corsCase
	}{
		"preflight of a GraphQL upload":         {allowed, corsCase{http.MethodOptions, "/graphql", dash, uploadHeaders, dash}},
		"preflight of a persisted query":        {allowed, corsCase{http.MethodOptions, "/graphql", "http://localhost:5173", "content-type", "http://localhost:5173"}},
		"GraphQL request":                       {allowed, corsCase{http.MethodPost, "/graphql", dash, "", dash}},
		"schema":                                {allowed, corsCase{http.MethodGet, "/schema.graphql", dash, "", dash}},
		"export":                                {allowed, corsCase{http.MethodGet, "/export/compare.csv", dash, "", dash}},
		"preflight of an export":                {allowed, corsCase{http.MethodOptions, "/export/budget-totals.xlsx", dash, "authorization", dash}},
		"preflight from another origin":         {allowed, corsCase{http.MethodOptions, "/graphql", "https://evil.example", "content-type", ""}},
		"request from another origin":           {allowed, corsCase{http.MethodPost, "/graphql", "https://evil.example", "", ""}},
		"listed host, other scheme":             {allowed, corsCase{http.MethodPost, "/graphql", "http://dash.example.org", "", ""}},
		"a header not allowed":                  {allowed, corsCase{http.MethodOptions, "/graphql", dash, "x-forged", ""}},
		"no Origin (not a browser)":             {allowed, corsCase{http.MethodPost, "/graphql", "", "", ""}},
		"an endpoint for the hub alone":         {allowed, corsCase{http.MethodGet, "/metrics", dash, "", ""}},
		"a path that only starts like /graphql": {allowed, corsCase{http.MethodGet, "/graphqlx", dash, "", ""}},
		"no origins configured":                 {none, corsCase{http.MethodOptions, "/graphql", dash, "content-type", ""}},
		"no origins configured, request":        {none, corsCase{http.MethodPost, "/graphql", dash, "", ""}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, tc.srv.URL)
		})
	}
}

func TestParseOrigins(t *testing.T) {
	t.Parallel()
	good := map[string]struct {
		in   []string
		want []string
	}{
		"none":                 {nil, nil},
		"as a browser sends":   {[]string{"https://dash.example.org", "http://localhost:5173"}, []string{"https://dash.example.org", "http://localhost:5173"}},
		"spaces and empties":   {[]string{" https://a.example ", ""}, []string{"https://a.example"}},
		"trailing slash, case": {[]string{"HTTPS://Dash.Example.ORG/"}, []string{"https://dash.example.org"}},
		"default ports":        {[]string{"https://a.example:443", "http://b.example:80", "https://c.example:80"}, []string{"https://a.example", "http://b.example", "https://c.example:80"}},
		"IPv6":                 {[]string{"http://[::1]:5173"}, []string{"http://[::1]:5173"}},
	}
	for name, tc := range good {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOrigins(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("origins (-want +got):\n%s", diff)
			}
		})
	}
	bad := map[string]string{
		"no scheme":        "dash.example.org",
		"a path":           "https://dash.example.org/app",
		"a query":          "https://dash.example.org?x=1",
		"other scheme":     "file:///index.html",
		"a wildcard":       "https://*.example.org",
		"everything":       "*",
		"user info":        "https://user@dash.example.org",
		"no host":          "https://",
		"not a URL at all": "https://exa mple.org",
	}
	for name, in := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOrigins([]string{"https://ok.example", in})
			if err == nil || !strings.Contains(err.Error(), strconv.Quote(in)) {
				t.Errorf("ParseOrigins(%q) = %v, %v; want an error naming the value", in, got, err)
			}
		})
	}
}

package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/limit"
)

// FuzzRequestDecoding sends made-up bodies, with one of the content types
// clients send, through the handler behind its guards (anonymous reading
// on). Whatever the body, the answer is GraphQL JSON; each error has a
// documented code, never INTERNAL; and an answer without data has the HTTP
// status of its code.
func FuzzRequestDecoding(f *testing.F) {
	for _, seed := range []struct {
		kind uint8
		body string
	}{
		{0, `{"query":"{ counties { code } }"}`},
		{0, `[{"query":"{ counties { code } }"}]`},
		{0, `{"query":"{ counties { code code code } }","variables":{"a":1}}`},
		{0, `{"query":"query($c: ID!) { unit(code: $c) { name } }","variables":{"c":"340828"},"operationName":"x"}`},
		{0, `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}}`},
		{0, `{"query":"{ __schema { types { fields { type { fields { name } } } } } }"}`},
		{0, `{"query":"query { counties { ...a } } fragment a on AdminUnit { ...a }"}`},
		{0, `{"query":"mutation { publishImport(id: \"x\") { id } }"}`},
		{0, `{"query": 1}`},
		{1, "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--x--\r\n"},
		{2, `query=%7B+counties+%7B+code+%7D+%7D`},
		{3, `{ counties { code } }`},
	} {
		f.Add(seed.kind, []byte(seed.body))
	}
	g := newGuarded(f, true, limit.Rate{}, func(o *graph.Options) { o.BodyBytes = 64 << 10 })
	documented := documentedCodes(f)
	types := []string{"application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/graphql", ""}

	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		req, err := http.NewRequest(http.MethodPost, g.url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ct := types[int(kind)%len(types)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("no answer (did the handler panic?): %v", err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var r struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("status %d: the answer is not JSON: %.200q", res.StatusCode, raw)
		}
		hasData := len(r.Data) > 0 && string(r.Data) != "null"
		if len(r.Errors) == 0 {
			if !hasData || res.StatusCode != http.StatusOK {
				t.Fatalf("status %d without errors: %.200q", res.StatusCode, raw)
			}
			return
		}
		for _, e := range r.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == graph.CodeInternal || !documented[code] {
				t.Errorf("error %q has the code %q; want a documented one other than INTERNAL", e.Message, code)
			}
		}
		code, _ := r.Errors[0].Extensions["code"].(string)
		if !hasData && res.StatusCode != statusOfCode(code) {
			t.Errorf("code %s answered with status %d; want %d", code, res.StatusCode, statusOfCode(code))
		}
		if strings.Contains(string(raw), string(body)) && len(body) > 64 {
			t.Errorf("the answer echoes the body back")
		}
	})
}

// statusOfCode is the HTTP status docs/errors.md gives a code, for an
// answer without data.
func statusOfCode(code string) int {
	switch code {
	case graph.CodeBadRequest, graph.CodePersistedQueryMismatch:
		return 400
	case graph.CodeUnauthenticated:
		return 401
	case graph.CodeForbidden:
		return 403
	case graph.CodeMethodNotAllowed:
		return 405
	case graph.CodePayloadTooLarge:
		return 413
	case graph.CodeUnsupportedMediaType:
		return 415
	case graph.CodeQueryTooLarge, graph.CodeDepthLimit, graph.CodeComplexityLimit, graph.CodeParseFailed, graph.CodeValidationFailed:
		return 422
	case graph.CodeRateLimited:
		return 429
	case graph.CodeUnavailable, graph.CodeTimeout:
		return 503
	}
	return 200
}

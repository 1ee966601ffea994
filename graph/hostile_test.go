package graph_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/limit"
)

// hostile is one request a careless or hostile client might send, and
// the status and code it must get.
type hostile struct {
	method, contentType string
	header              map[string]string
	body                string
	status              int
	code                string
}

func postJSON(body string, status int, code string) hostile {
	return hostile{method: http.MethodPost, contentType: "application/json", body: body, status: status, code: code}
}

func queryBody(q string) string {
	b, _ := json.Marshal(map[string]any{"query": q})
	return string(b)
}

// fragmentBomb spreads each fragment twice in the next: 2^n fields once
// expanded, from a document of a few hundred bytes.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("query { counties { ...f0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment f%d on AdminUnit { ...f%d ...f%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment f%d on AdminUnit { code }\n", n)
	return b.String()
}

func aliased(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

// TestHostileRequestsGetTheirCodes sends the requests of hostile and
// sloppy clients to the handler behind its guards, with anonymous reading
// on, and checks that each is refused with its own code and HTTP status
// before it costs anything, while a normal query is still served.
func TestHostileRequestsGetTheirCodes(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, true, limit.Rate{}, nil)
	// A hub whose operator raised the body limit: the bounds of the
	// document refuse what the body limit lets through.
	wide := newGuarded(t, true, limit.Rate{}, func(o *graph.Options) { o.BodyBytes = 4 << 20 })

	repeated := func(n int) string { return "{ counties { " + strings.Repeat("code ", n) + "} }" }
	megabyte := queryBody(repeated(200_000)) // about 1 MB
	introspection := `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`
	known := `{ counties { code } }`
	sum := sha256.Sum256([]byte(known))
	hash := hex.EncodeToString(sum[:])
	apq := func(q, h string) string {
		b, _ := json.Marshal(map[string]any{"query": q, "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": h}}})
		return string(b)
	}

	for name, c := range map[string]hostile{
		"a normal query":                  postJSON(queryBody(known), 200, ""),
		"10,000 repeats of one field":     postJSON(queryBody(repeated(10_000)), 422, graph.CodeQueryTooLarge),
		"20 repeats of one field":         postJSON(queryBody(repeated(20)), 422, graph.CodeQueryTooLarge),
		"a 1 MB body":                     postJSON(megabyte, 413, graph.CodePayloadTooLarge),
		"5,000 aliased counties":          postJSON(queryBody(aliased(5000, "counties { code }")), 422, graph.CodeQueryTooLarge),
		"200 aliased counties":            postJSON(queryBody(aliased(200, "counties { code }")), 422, graph.CodeQueryTooLarge),
		"a fragment bomb":                 postJSON(queryBody(fragmentBomb(30)), 422, graph.CodeQueryTooLarge),
		"spreading one fragment 50 times": postJSON(queryBody("{ counties { "+strings.Repeat("...f ", 50)+"} } fragment f on AdminUnit { code }"), 422, graph.CodeQueryTooLarge),
		"nesting too deep":                postJSON(queryBody("{ counties "+strings.Repeat("{ children ", 12)+"{ code }"+strings.Repeat(" }", 13)), 422, graph.CodeDepthLimit),
		"introspection lists 4 deep":      postJSON(queryBody(introspection), 422, graph.CodeQueryTooLarge),
		"a syntax error":                  postJSON(queryBody("{ counties { code }"), 422, graph.CodeParseFailed),
		"an unknown field":                postJSON(queryBody("{ nope }"), 422, graph.CodeValidationFailed),
		"an unknown operation name":       postJSON(`{"query":"query A { counties { code } }","operationName":"B"}`, 422, graph.CodeValidationFailed),
		"a variable of the wrong type":    postJSON(`{"query":"query($c: ID!) { unit(code: $c) { name } }","variables":{"c":{"$gt":""}}}`, 422, graph.CodeValidationFailed),
		"a batch":                         postJSON(`[{"query":"{ counties { code } }"},{"query":"{ metrics { code } }"}]`, 400, graph.CodeBadRequest),
		"malformed JSON":                  postJSON(`{"query": "{ counties { code } }"`, 400, graph.CodeBadRequest),
		"not an object":                   postJSON(`"{ counties { code } }"`, 400, graph.CodeBadRequest),
		"an empty body":                   postJSON(``, 400, graph.CodeBadRequest),
		"two JSON values":                 postJSON(queryBody(known)+queryBody(known), 400, graph.CodeBadRequest),
		"variables that are a string":     postJSON(`{"query":"{ counties { code } }","variables":"x"}`, 400, graph.CodeBadRequest),
		"an APQ hash that does not match": postJSON(apq(known, strings.Repeat("0", 64)), 400, graph.CodePersistedQueryMismatch),
		"an APQ hash that is not one":     postJSON(apq(known, "xyz"), 400, graph.CodeBadRequest),
		"an APQ hash alone, unknown":      postJSON(`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"`+strings.Repeat("a", 64)+`"}}}`, 200, graph.CodePersistedQueryNotFound),
		"an APQ hash with its query":      postJSON(apq(known, hash), 200, ""),
		"an APQ of another version":       postJSON(`{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"`+hash+`"}}}`, 400, graph.CodeBadRequest),
		"a subscription over POST":        postJSON(queryBody(`subscription { importRun(id: "x") { id } }`), 400, graph.CodeBadRequest),
		"an anonymous publish":            postJSON(queryBody(`mutation { publishImport(id: "x") { id } }`), 401, graph.CodeUnauthenticated),
		"an anonymous token listing":      postJSON(queryBody(`{ tokens { id } }`), 401, graph.CodeUnauthenticated),
		"a text/plain body":               {method: http.MethodPost, contentType: "text/plain", body: queryBody(known), status: 415, code: graph.CodeUnsupportedMediaType},
		"a body without a type":           {method: http.MethodPost, body: queryBody(known), status: 415, code: graph.CodeUnsupportedMediaType},
		"a form body":                     {method: http.MethodPost, contentType: "application/x-www-form-urlencoded", body: "query=" + url.QueryEscape(known), status: 415, code: graph.CodeUnsupportedMediaType},
		"PUT":                             {method: http.MethodPut, contentType: "application/json", body: queryBody(known), status: 405, code: graph.CodeMethodNotAllowed},
		"DELETE":                          {method: http.MethodDelete, status: 405, code: graph.CodeMethodNotAllowed},
		"an upgrade to h2c":               {method: http.MethodGet, header: map[string]string{"Upgrade": "h2c", "Connection": "Upgrade"}, status: 400, code: graph.CodeBadRequest},
		"a websocket from another site":   {method: http.MethodGet, header: map[string]string{"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13", "Origin": "https://evil.example"}, status: 403, code: graph.CodeForbidden},
		"a websocket without its key":     {method: http.MethodGet, header: map[string]string{"Upgrade": "websocket", "Connection": "Upgrade"}, status: 400, code: graph.CodeBadRequest},
		"an anonymous upload":             {method: http.MethodPost, contentType: "multipart/form-data; boundary=x", body: "--x--", status: 401, code: graph.CodeUnauthenticated},
	} {
		t.Run(name, func(t *testing.T) {
			status, code, _ := send(t, g.url, "", c)
			if status != c.status || code != c.code {
				t.Errorf("status %d, code %q; want %d, %q", status, code, c.status, c.code)
			}
		})
	}

	for name, c := range map[string]hostile{
		"a 1 MB body of repeated fields": postJSON(megabyte, 422, graph.CodeQueryTooLarge),
		"a 1 MB comment":                 postJSON(queryBody(known+" #"+strings.Repeat("x", 1<<20)), 422, graph.CodeQueryTooLarge),
		"a normal query":                 postJSON(queryBody(known), 200, ""),
	} {
		t.Run("with a 4 MiB body limit, "+name, func(t *testing.T) {
			status, code, _ := send(t, wide.url, "", c)
			if status != c.status || code != c.code {
				t.Errorf("status %d, code %q; want %d, %q", status, code, c.status, c.code)
			}
		})
	}

	t.Run("GET", func(t *testing.T) {
		for name, c := range map[string]struct {
			query  url.Values
			status int
			code   string
		}{
			"a query":              {url.Values{"query": {known}}, 200, ""},
			"a mutation":           {url.Values{"query": {`mutation { rebuildRollups }`}}, 405, graph.CodeMethodNotAllowed},
			"malformed variables":  {url.Values{"query": {known}, "variables": {"{"}}, 400, graph.CodeBadRequest},
			"malformed extensions": {url.Values{"query": {known}, "extensions": {"[1]"}}, 400, graph.CodeBadRequest},
			"no query":             {url.Values{}, 422, graph.CodeValidationFailed},
		} {
			status, code, _ := send(t, g.url+"?"+c.query.Encode(), "", hostile{method: http.MethodGet})
			if status != c.status || code != c.code {
				t.Errorf("%s: status %d, code %q; want %d, %q", name, status, code, c.status, c.code)
			}
		}
	})
}

// send sends one request and returns its status, its first error's code
// and its headers.
func send(t *testing.T, url, token string, c hostile) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(c.method, url, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string, http.Header) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("status %d: the answer is not GraphQL JSON: %.200s", res.StatusCode, body)
	}
	if res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
	}
	if len(r.Errors) == 0 {
		return res.StatusCode, "", res.Header
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	if code == "" {
		t.Errorf("an error without a code: %q", r.Errors[0].Message)
	}
	return res.StatusCode, code, res.Header
}

// TestUploadsOverTheLimit: an upload larger than the limit is refused
// with 413 while it is read, whether its length was declared or not.
func TestUploadsOverTheLimit(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, false, limit.Rate{}, func(o *graph.Options) { o.UploadBytes = 1 << 20 })
	q := `mutation($f: Upload!) { importFile(county: "340828", importer: "csv", file: $f) { id } }`
	form := func(w io.Writer, size int) string {
		mw := multipart.NewWriter(w)
		ops, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"f": nil}})
		_ = mw.WriteField("operations", string(ops))
		_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
		fw, _ := mw.CreateFormFile("0", "big.csv")
		chunk := bytes.Repeat([]byte("a,b,c\n"), 1<<10)
		for written := 0; written < size; written += len(chunk) {
			if _, err := fw.Write(chunk); err != nil {
				return mw.FormDataContentType() // the hub stopped reading
			}
		}
		_ = mw.Close()
		return mw.FormDataContentType()
	}
	t.Run("declared length", func(t *testing.T) {
		var body bytes.Buffer
		ct := form(&body, 2<<20)
		status, code, _ := send(t, g.url, g.admin, hostile{method: http.MethodPost, contentType: ct, body: body.String()})
		if status != 413 || code != graph.CodePayloadTooLarge {
			t.Errorf("status %d, code %q; want 413 PAYLOAD_TOO_LARGE", status, code)
		}
	})
	t.Run("chunked", func(t *testing.T) {
		pr, pw := io.Pipe()
		ct := make(chan string, 1)
		var boundary bytes.Buffer
		mw := multipart.NewWriter(&boundary)
		ct <- mw.FormDataContentType()
		go func() {
			// 64 MiB offered; the hub must stop reading after 1 MiB.
			mw2 := multipart.NewWriter(pw)
			_ = mw2.SetBoundary(mw.Boundary())
			ops, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"f": nil}})
			_ = mw2.WriteField("operations", string(ops))
			_ = mw2.WriteField("map", `{"0": ["variables.f"]}`)
			fw, _ := mw2.CreateFormFile("0", "big.csv")
			chunk := bytes.Repeat([]byte("a,b,c\n"), 1<<10)
			for range (64 << 20) / len(chunk) {
				if _, err := fw.Write(chunk); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			_ = mw2.Close()
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, g.url, pr)
		req.ContentLength = -1
		req.Header.Set("Content-Type", <-ct)
		req.Header.Set("Authorization", "Bearer "+g.admin)
		status, code, _ := do(t, req)
		pr.CloseWithError(io.ErrClosedPipe)
		if status != 413 || code != graph.CodePayloadTooLarge {
			t.Errorf("status %d, code %q; want 413 PAYLOAD_TOO_LARGE", status, code)
		}
	})
	for name, body := range map[string]string{
		"no operations first": "--x\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{}\r\n--x--\r\n",
		"a broken body":       "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{",
		"a file not mapped": "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n" + queryBody(q) + "\r\n--x\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{}\r\n" +
			"--x\r\nContent-Disposition: form-data; name=\"0\"; filename=\"a.csv\"\r\n\r\na\r\n--x--\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			status, code, _ := send(t, g.url, g.admin, hostile{method: http.MethodPost, contentType: "multipart/form-data; boundary=x", body: body})
			if status != 400 || code != graph.CodeBadRequest {
				t.Errorf("status %d, code %q; want 400 BAD_REQUEST", status, code)
			}
		})
	}
}

// TestAliasesShareOneRead: a query asking for the same root field under
// many aliases reads the store once for it, not once an alias.
func TestAliasesShareOneRead(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	var out map[string]json.RawMessage
	h.roundTrips()
	h.mustQuery(t, aliased(100, "counties { code }"), nil, &out)
	if len(out) != 100 {
		t.Fatalf("%d answers; want 100", len(out))
	}
	if cmds := h.roundTrips(); len(cmds) > 1 {
		t.Errorf("100 aliases of counties made %d store commands %v; want 1", len(cmds), cmds)
	}
	compare := `compare(metric: "outcome.problems_resolved", period: "2023") { rows { rank } }`
	h.mustQuery(t, "{ "+compare+" }", nil, &out)
	one := h.roundTrips()
	h.mustQuery(t, aliased(50, compare), nil, &out)
	if cmds := h.roundTrips(); len(cmds) > len(one) {
		t.Errorf("50 aliases of one comparison made %d store commands %v; one made %d", len(cmds), cmds, len(one))
	}
}

// TestWebsocketRefusalsHaveCodes: a connection_init without a valid token
// closes the socket with 4401 and a reason that starts with the code.
func TestWebsocketRefusalsHaveCodes(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, false, limit.Rate{}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, payload := range map[string]map[string]any{
		"no token":        {},
		"a made-up token": {"Authorization": "Bearer chub_aaaaaaaaaaaaaaaa_" + strings.Repeat("0", 64)},
		"not bearer":      {"Authorization": "Basic eDp5"},
	} {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(g.url, "http"), &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Fatalf("%s: dial: %v", name, err)
		}
		init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": payload})
		if err := c.Write(ctx, websocket.MessageText, init); err != nil {
			t.Fatal(err)
		}
		var closeErr websocket.CloseError
		for {
			if _, _, err = c.Read(ctx); err != nil {
				break
			}
		}
		if !errors.As(err, &closeErr) || closeErr.Code != 4401 || !strings.HasPrefix(closeErr.Reason, graph.CodeUnauthenticated+": ") {
			t.Errorf("%s: closed with %v; want 4401 and a reason starting %s", name, err, graph.CodeUnauthenticated)
		}
	}
}

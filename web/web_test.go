package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerServesTheEmbeddedUI(t *testing.T) {
	h := Handler()
	get := func(path string, header map[string]string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	for path, want := range map[string]string{"/": `src="/assets/app.js"`, "/graphiql": `src="/assets/graphiql.js"`} {
		res := get(path, nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %s", path, res.StatusCode, want)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q; want the page kept to its origin", path, csp)
		}
	}

	res := get("/assets/app.js", map[string]string{"Accept-Encoding": "gzip"})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET /assets/app.js: %d, encoding %q, type %q", res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(zr)
	if !strings.Contains(string(js), "compare") {
		t.Error("the gzipped bundle does not read back")
	}
	if again := get("/assets/app.js", map[string]string{"If-None-Match": res.Header.Get("ETag")}); again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: %d; want 304", again.StatusCode)
	}
	if plain := get("/assets/app.js", nil); plain.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that did not accept it")
	}
	for _, path := range []string{"/assets/nope.js", "/assets/web.go", "/index.html", "/dist/index.html"} {
		if res := get(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d; want 404", path, res.StatusCode)
		}
	}
}

func TestHandlerServesMapData(t *testing.T) {
	h := Handler()
	get := func(path string) (*http.Response, []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	var index []string
	res, body := get("/assets/maps/index.json")
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &index) != nil || len(index) == 0 {
		t.Fatalf("GET /assets/maps/index.json: %d %.80s", res.StatusCode, body)
	}
	for _, code := range index {
		res, body := get("/assets/maps/" + code + ".json")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET /assets/maps/%s.json: %d, type %q", code, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		var geo struct {
			Features []struct {
				Properties struct{ Name, Code string }
			}
		}
		if err := json.Unmarshal(body, &geo); err != nil || len(geo.Features) == 0 {
			t.Errorf("/assets/maps/%s.json: %v, %d features", code, err, len(geo.Features))
		}
	}
	if res, _ := get("/assets/maps/LICENSES"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /assets/maps/LICENSES: %d", res.StatusCode)
	}
	if res, _ := get("/assets/maps/nope.json"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /assets/maps/nope.json: %d; want 404", res.StatusCode)
	}
}

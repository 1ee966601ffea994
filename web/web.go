// Package web serves the hub's embedded web UI: the dashboard at / and
// GraphiQL at /graphiql, with the dashboard's map data under
// /assets/maps/. Both are bundled from npm packages pinned by
// ui/package-lock.json into dist/, which is committed and embedded, so the
// hub needs no internet and no Node.js to serve them.
package web

//go:generate sh -c "cd ui && npm ci --no-audit --no-fund --loglevel=error && node build.mjs"

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed dist
var dist embed.FS

// csp keeps pages to the hub's own origin: scripts, styles, fonts and
// requests from anywhere else are refused by the browser. Inline styles
// are allowed for the charts and editors, which set them.
const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

type asset struct {
	body []byte
	gz   []byte // body gzipped, when that is smaller
	etag string
	typ  string
}

// Handler serves the dashboard at /, GraphiQL at /graphiql and their
// bundles under /assets/, and map data under /assets/maps/. Assets are
// revalidated by ETag, since their names do not change between builds.
func Handler() http.Handler {
	files := map[string]asset{}
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := dist.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		typ := mime.TypeByExtension(path.Ext(p))
		if typ == "" && path.Base(p) == "LICENSES" {
			typ = "text/plain; charset=utf-8"
		}
		if typ == "" {
			typ = "application/octet-stream"
		}
		files[strings.TrimPrefix(p, "dist")] = asset{body: b, gz: gzipped(b), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, typ: typ}
		return nil
	})
	if err != nil {
		panic("web: read embedded files: " + err.Error()) // the embedded tree is fixed at build time
	}
	serve := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a, ok := files[name]
			if !ok {
				http.NotFound(w, r)
				return
			}
			h := w.Header()
			h.Set("Content-Type", a.typ)
			h.Set("ETag", a.etag)
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("Vary", "Accept-Encoding")
			if strings.HasSuffix(name, ".html") {
				h.Set("Content-Security-Policy", csp)
			}
			if match := r.Header.Get("If-None-Match"); match == a.etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			body := a.body
			if a.gz != nil && acceptsGzip(r) {
				h.Set("Content-Encoding", "gzip")
				body = a.gz
			}
			h.Set("Content-Length", strconv.Itoa(len(body)))
			if r.Method != http.MethodHead {
				w.Write(body)
			}
		})
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", serve("/index.html"))
	mux.Handle("GET /graphiql", serve("/graphiql.html"))
	mux.Handle("GET /assets/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve("/assets/"+r.PathValue("file")).ServeHTTP(w, r)
	}))
	mux.Handle("GET /assets/maps/{file}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve("/assets/maps/"+r.PathValue("file")).ServeHTTP(w, r)
	}))
	return mux
}

// gzipped compresses b, or returns nil when that does not make it smaller.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

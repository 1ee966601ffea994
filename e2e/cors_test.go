package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestServeCORS starts the hub with origins in COUNTYHUB_CORS_ORIGINS and
// checks the routes it applies to, the schema endpoint and the websocket.
// It sets the environment, so it does not run in parallel.
func TestServeCORS(t *testing.T) {
	const a, b = "https://a.example", "https://b.example:8443"
	t.Setenv("COUNTYHUB_CORS_ORIGINS", a+", "+b)
	hub, addr := serveHub(t, "--data", t.TempDir())
	base := "http://" + addr

	// The headers in detail are hub.withCORS's business (its test); here
	// the flag's origins reach it, and the routes it applies to.
	for name, tc := range map[string]struct{ method, path, origin, allowOrigin string }{
		"GraphQL preflight":           {http.MethodOptions, "/graphql", b, b},
		"GraphQL request":             {http.MethodPost, "/graphql", a, a},
		"schema":                      {http.MethodGet, "/schema.graphql", a, a},
		"export preflight":            {http.MethodOptions, "/export/compare.csv", a, a},
		"GraphQL from another origin": {http.MethodOptions, "/graphql", "https://c.example", ""},
		"health":                      {http.MethodGet, "/healthz", a, ""},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, base+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", tc.origin)
			if tc.method == http.MethodOptions {
				req.Header.Set("Access-Control-Request-Method", http.MethodPost)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q; want %q", got, tc.allowOrigin)
			}
		})
	}

	t.Run("schema SDL", func(t *testing.T) {
		res, err := http.Get(base + "/schema.graphql")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || ct != "text/plain; charset=utf-8" {
			t.Fatalf("GET /schema.graphql: status %d, Content-Type %q", res.StatusCode, ct)
		}
		s, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(body)})
		if gqlErr != nil {
			t.Fatalf("the SDL does not parse: %v", gqlErr)
		}
		if s.Query.Fields.ForName("compare") == nil || s.Types["Node"] == nil || s.Types["Node"].Kind != ast.Interface {
			t.Error("the SDL lacks Query.compare or the Node interface")
		}
	})

	t.Run("websocket", func(t *testing.T) {
		for origin, ok := range map[string]bool{a: true, b: true, base: true, "https://c.example": false} {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			conn, res, err := websocket.Dial(ctx, "ws://"+addr+"/graphql", &websocket.DialOptions{
				HTTPHeader: http.Header{"Origin": {origin}}, Subprotocols: []string{"graphql-transport-ws"}})
			cancel()
			switch {
			case ok && err != nil:
				t.Errorf("websocket from %s: %v", origin, err)
			case !ok && (err == nil || res == nil || res.StatusCode != http.StatusForbidden):
				t.Errorf("websocket from %s: %v; want it refused with 403", origin, err)
			}
			if conn != nil {
				conn.Close(websocket.StatusNormalClosure, "")
			}
		}
	})
	hub.stop(t)
}

func TestServeRefusesABadCORSOrigin(t *testing.T) {
	t.Parallel()
	p := start(t, "serve", "--addr", freeAddr(t), "--data", t.TempDir(), "--cors-origin", "https://ok.example", "--cors-origin", "dash.example.org")
	stderr, err := p.wait(t, 15*time.Second)
	if err == nil || !strings.Contains(stderr, "--cors-origin") || !strings.Contains(stderr, `"dash.example.org"`) {
		t.Errorf("exit %v, stderr %q; want a failure naming --cors-origin and the value", err, stderr)
	}
}

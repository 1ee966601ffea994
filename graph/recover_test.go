package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
)

// TestAPanicIsOneInternalError: a resolver that panics (here: over a nil
// store, which no wiring of the hub builds; nothing else makes a resolver
// panic on purpose) costs its request an INTERNAL error with no details,
// is logged with its stack, and the handler serves the next one.
func TestAPanicIsOneInternalError(t *testing.T) {
	var log bytes.Buffer
	h := graph.NewHandler(&graph.Resolver{Store: (*store.Store)(nil), Records: (*release.Reader)(nil), ScopeCode: "340800"}, graph.DefaultOptions(slog.New(slog.NewTextHandler(&log, nil))))
	srv := httptest.NewServer(asSystem(h))
	defer srv.Close()
	for range 2 {
		res, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"query":"{ counties { code } }"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var r response
		if err := json.Unmarshal(body, &r); err != nil || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INTERNAL" || r.Errors[0].Message != "internal error" {
			t.Fatalf("answer to a panicking resolver: %s", body)
		}
	}
	if !strings.Contains(log.String(), "resolver panicked") || !strings.Contains(log.String(), "goroutine") {
		t.Errorf("the panic was not logged with its stack:\n%s", log.String())
	}
}

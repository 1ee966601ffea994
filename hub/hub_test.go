package hub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenServesTheCity starts a hub in-process on the embedded database,
// with no plugins, and reads the city's counties through its handler.
func TestOpenServesTheCity(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	h, err := Open(ctx, Config{Data: data, Plugins: filepath.Join(data, "plugins"), HTTP: HTTPConfig{RequestTimeout: 30 * time.Second, AnonymousRead: true, MaxUpload: 1 << 20, MaxBody: 1 << 20, MaxDepth: 12, MaxComplexity: 20000}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	defer h.Close(context.Background())

	res, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ counties { code name } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Data struct{ Counties []struct{ Code, Name string } }
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data.Counties) != 10 || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("counties %+v, nosniff %q; want the city's 10 county-level units and nosniff", got.Data.Counties, res.Header.Get("X-Content-Type-Options"))
	}
	if h.AdminTokenFile == "" {
		t.Error("a new hub made no first admin token")
	} else if fi, err := os.Stat(h.AdminTokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("admin token file: %v, %v; want it readable by its owner only", fi, err)
	}
	if err := h.Shutdown(ctx); err != nil {
		t.Errorf("shutdown with no imports: %v", err)
	}
}

// TestOpenNamesTheDatabase checks that a database that cannot be reached
// fails Open with ErrDatabase, so that the command can name the setting.
func TestOpenNamesTheDatabase(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, Config{Data: t.TempDir(), MongoURI: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"})
	if !errors.Is(err, ErrDatabase) {
		t.Errorf("Open with a MongoDB that does not listen: %v; want ErrDatabase", err)
	}
}

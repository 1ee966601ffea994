// Package storetest gives tests a real database: a fresh database on the
// MongoDB server named by the MONGODB_URI environment variable, or, when it
// is unset, on an embedded FerretDB server started once per test binary.
// The same tests therefore run against the embedded store and a real
// MongoDB deployment.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/countyhub/countyhub/embedded"
	"github.com/countyhub/countyhub/store"
)

// EnvURI names the variable that points the tests at a MongoDB server.
const EnvURI = "MONGODB_URI"

// EnvLog, when set, sends the embedded server's log to stderr.
const EnvLog = "COUNTYHUB_TEST_DB_LOG"

var (
	mu     sync.Mutex
	server *embedded.Server
	dir    string
)

// Main runs the tests of a package and stops the embedded server, if one
// was started, when they are done. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if server != nil {
		server.Close()
		os.RemoveAll(dir)
	}
	mu.Unlock()
	os.Exit(code)
}

// URI returns the connection string of the test server, starting the
// embedded one on first use.
func URI(tb testing.TB) string {
	tb.Helper()
	if uri := os.Getenv(EnvURI); uri != "" {
		return uri
	}
	mu.Lock()
	defer mu.Unlock()
	if server == nil {
		d, err := os.MkdirTemp("", "countyhub-test-db-")
		if err != nil {
			tb.Fatalf("create embedded database directory: %v", err)
		}
		cfg := embedded.Config{Dir: d}
		if os.Getenv(EnvLog) != "" {
			cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		s, err := embedded.Start(context.Background(), cfg)
		if err != nil {
			os.RemoveAll(d)
			tb.Fatalf("start embedded database: %v", err)
		}
		server, dir = s, d
	}
	return server.URI()
}

// New opens a store on a new, empty database that is dropped when the test
// ends. observe, when not nil, sees every database command.
func New(tb testing.TB, observe store.CommandObserver) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, URI(tb), store.Options{Database: DatabaseName(tb), Observe: observe})
	if err != nil {
		tb.Fatalf("open test store: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Drop(ctx); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
		s.Close(ctx)
	})
	return s
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// DatabaseName returns a database name unique to this test run.
func DatabaseName(tb testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafeChars.ReplaceAllString(tb.Name(), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	return fmt.Sprintf("t_%s_%s", name, hex.EncodeToString(b[:]))
}

// DatabaseURI returns the connection string of the test server with a new
// database name in its path, for a process under test that opens its own
// connection. The database is dropped when the test ends.
func DatabaseURI(tb testing.TB) string {
	tb.Helper()
	u, err := url.Parse(URI(tb))
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvURI, err)
	}
	name := DatabaseName(tb)
	u.Path = "/" + name
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := store.Open(ctx, u.String(), store.Options{})
		if err != nil {
			tb.Errorf("drop test database: %v", err)
			return
		}
		defer s.Close(ctx)
		if err := s.Drop(ctx); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
	})
	return u.String()
}

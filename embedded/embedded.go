// Package embedded runs FerretDB inside the hub's process, with its SQLite
// backend, so that a laptop or a small office needs no separate database
// server, or with its PostgreSQL backend over a PostgreSQL server the
// office already runs. It is a real MongoDB wire-protocol server: the hub
// reaches it through the same MongoDB driver code as a production MongoDB
// deployment.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Config says where the embedded server keeps its data and how it logs.
type Config struct {
	// Dir is the directory for the SQLite database files. It is created
	// when missing and must be writable.
	Dir string
	// Addr is the TCP address to listen on. Empty means a free port on
	// the loopback interface.
	Addr string
	// Logger receives the server's own log records. Nil discards them.
	Logger *slog.Logger
	// PostgreSQLURL, when set, keeps the data in that PostgreSQL
	// database (postgres://user:password@host:port/database) instead of
	// SQLite files in Dir, which is then not used. The database must
	// exist; FerretDB creates its schemas and tables in it.
	PostgreSQLURL string
}

// Server is a running embedded FerretDB.
type Server struct {
	uri    string
	dir    string // SQLite files; empty on PostgreSQL
	cancel context.CancelFunc
	done   chan struct{}
	swept  chan struct{}
}

// Start checks the data directory, starts the server and returns once it
// accepts connections. Close stops it.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	backend := &ferretdb.Config{Handler: "postgresql", PostgreSQLURL: cfg.PostgreSQLURL}
	var dir string
	if cfg.PostgreSQLURL == "" {
		var err error
		if dir, err = filepath.Abs(cfg.Dir); err != nil {
			return nil, fmt.Errorf("embedded database: data directory %q: %w", cfg.Dir, err)
		}
		if err := checkWritable(dir); err != nil {
			return nil, err
		}
		backend = &ferretdb.Config{Handler: "sqlite", SQLiteURL: "file:" + filepath.ToSlash(dir) + "/"}
	}
	addr := cfg.Addr
	var err error
	if addr == "" {
		if addr, err = freeLoopbackAddr(); err != nil {
			return nil, fmt.Errorf("embedded database: %w", err)
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	backend.Listener = ferretdb.ListenerConfig{TCP: addr}
	backend.Logger = logger
	f, err := ferretdb.New(backend)
	if err != nil {
		return nil, fmt.Errorf("embedded database: start on %s: %w", backend.Handler, err)
	}

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &Server{dir: dir, cancel: cancel, done: make(chan struct{}), swept: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(runCtx) // Run returns only when runCtx is cancelled.
	}()
	go func() {
		defer close(s.swept)
		s.sweep(runCtx, logger)
	}()

	// MongoDBURI blocks until the listener is bound, and has the bound
	// port when addr asked for any (":0").
	s.uri = f.MongoDBURI()
	u, err := url.Parse(s.uri)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("embedded database: parse %s: %w", s.uri, err)
	}
	if err := waitListening(ctx, s.uri, u.Host); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// URI is the MongoDB connection string of the server.
func (s *Server) URI() string { return s.uri }

// Close stops the server and waits until its files are closed.
func (s *Server) Close() {
	s.cancel()
	<-s.swept
	<-s.done
}

// ErrDataDir is the error of a data directory that cannot be created or
// written to.
var ErrDataDir = errors.New("data directory unusable")

// checkWritable creates dir when missing and proves that a file can be
// written in it, so that a bad data directory fails at once with a clear
// message rather than on the first write.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("%w: %s cannot be created (%w)", ErrDataDir, dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("%w: %s is not writable (%w)", ErrDataDir, dir, errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitListening dials the server until it answers or ten seconds pass.
func waitListening(ctx context.Context, uri, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("embedded database at %s did not start: %w", uri, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// QuietLogger is a logger for the embedded server that passes its
// warnings and errors on to logger under component=ferretdb, and drops
// its chatter.
func QuietLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(minLevel{logger.Handler(), slog.LevelError}).With("component", "ferretdb")
}

// minLevel drops records below a level.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(a), h.min}
}

func (h minLevel) WithGroup(n string) slog.Handler { return minLevel{h.Handler.WithGroup(n), h.min} }

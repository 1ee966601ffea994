// Package hub assembles a countyhub hub from its parts: the database (the
// embedded FerretDB server or a MongoDB), the store, the importer plugin
// host, the import pipeline, the reader of released records, the rollups,
// the tokens, and the HTTP handler that serves them. `countyhub serve`
// runs one; tests start one in-process.
package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/embedded"
	"github.com/countyhub/countyhub/metrics"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/unitindex"
)

// Errors of Open, for errors.Is: each says which part did not come up,
// so that a command can tell its user which setting to check.
var (
	// ErrDatabase: the store could not reach or prepare the database.
	ErrDatabase = errors.New("database unavailable")
	// ErrDemo: the demo data set did not load, most often because the
	// importers are not built and pinned in the plugins directory.
	ErrDemo = errors.New("demo data set not loaded")
)

// Config is what a hub is made of. The zero value of a field means its
// default, except where a field says otherwise.
type Config struct {
	// Data is the data directory: the embedded database lives in
	// Data/db, and the first admin token is written to Data.
	Data string
	// MongoURI is the MongoDB to use; empty starts the embedded database.
	MongoURI string
	// Plugins is the importer plugins directory, with its plugins.lock.
	Plugins string
	// Plugin limits each importer plugin process; its Logger is the hub's.
	Plugin host.Options
	// Scope is the GB/T 2260 code of the unit the hub serves: a
	// province, a city or a county, in full or short form (see
	// refdata.ScopeCode); default refdata.DefaultScope. The hub loads the
	// reference units within it and above it.
	Scope string
	// Demo loads the demo data set on an empty database.
	Demo bool
	// ReleaseCacheBytes bounds the cache of released records, as
	// estimated from their fields; zero means DefaultReleaseCacheBytes.
	ReleaseCacheBytes int
	// HTTP bounds the requests of the HTTP handler.
	HTTP HTTPConfig
	// Logger receives the hub's log; nil discards it.
	Logger *slog.Logger
}

// Hub is a running hub. Its parts are exported for commands and tests
// that drive one directly.
type Hub struct {
	cfg     Config
	logger  *slog.Logger
	db      *embedded.Server
	metrics *metrics.Metrics

	Store   *store.Store
	units   indexedStore // Store, with units from memory
	Plugins *host.Host
	Records *release.Reader
	Rollups *analytics.Rebuilder
	Imports *pipeline.Pipeline
	// AdminTokenFile is the file the hub wrote its first admin token to,
	// or "" when an earlier start made it.
	AdminTokenFile string
}

// DefaultReleaseCacheBytes bounds the cache of released records when the
// configuration leaves it zero: 256 MiB, about 450,000 observations at
// the 580 bytes each that the estimate gives a typical one, which leaves
// a province's hub room under 1 GiB of RSS for the garbage collector's
// headroom and the rest of the hub.
const DefaultReleaseCacheBytes = 256 << 20

// Open starts a hub: the database, the store with its indexes and the
// reference data, the plugin host and the pipeline; it makes the first
// admin token, fails the runs a stopped hub left running, loads the demo
// data set if asked on an empty database, and brings the rollups up to
// date. Close the hub when done, after Shutdown.
func Open(ctx context.Context, cfg Config) (_ *Hub, err error) {
	if cfg.Scope == "" {
		cfg.Scope = refdata.DefaultScope
	}
	if cfg.Scope, err = refdata.ScopeCode(cfg.Scope); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &Hub{cfg: cfg, logger: logger, metrics: metrics.New()}
	defer func() {
		if err != nil {
			h.Close(context.WithoutCancel(ctx))
		}
	}()
	uri := cfg.MongoURI
	if uri == "" {
		dir := filepath.Join(cfg.Data, "db")
		if h.db, err = embedded.Start(ctx, embedded.Config{Dir: dir, Logger: embedded.QuietLogger(logger)}); err != nil {
			return nil, err
		}
		uri = h.db.URI()
		abs, _ := filepath.Abs(dir)
		logger.Info("store: embedded FerretDB (SQLite)", "data", abs, "uri", uri)
	} else {
		logger.Info("store: MongoDB", "uri", store.Redact(uri))
	}
	if h.Store, err = store.Open(ctx, uri, store.Options{Observe: h.metrics.ObserveCommand}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDatabase, err)
	}
	if err := h.Store.EnsureIndexes(ctx); err != nil {
		return nil, fmt.Errorf("prepare database: %w", err)
	}
	if h.db != nil {
		if _, err := h.db.IndexIDs(ctx); err != nil {
			return nil, fmt.Errorf("prepare database: %w", err)
		}
	}
	if err := refdata.Load(ctx, h.Store, cfg.Scope); err != nil {
		return nil, fmt.Errorf("prepare database: %w", err)
	}

	opts := cfg.Plugin
	opts.Logger = logger
	h.Plugins = host.New(cfg.Plugins, opts)
	logger.Info("importer plugins", "dir", cfg.Plugins)
	h.units = indexedStore{Store: h.Store, units: unitindex.New(h.Store, 0, logger), metrics: &catalog{store: h.Store}}
	cacheBytes := cfg.ReleaseCacheBytes
	if cacheBytes <= 0 {
		cacheBytes = DefaultReleaseCacheBytes
	}
	h.Records = release.New(h.Store, cacheBytes)
	h.Rollups = analytics.NewRebuilder(h.units, h.Records)
	h.Imports = pipeline.New(h.Store, h.Plugins, pipeline.Options{Logger: logger, Released: h.Rollups.Update, ObservePhase: h.metrics.ObservePhase})

	file, secret, err := firstAdminToken(ctx, h.Store, cfg.Data, cfg.Demo)
	if err != nil {
		return nil, fmt.Errorf("prepare database: %w", err)
	}
	if h.AdminTokenFile = file; file != "" {
		abs, _ := filepath.Abs(file)
		if cfg.Demo {
			logger.Info("demo admin token made; it is not shown again", "file", abs, "token", secret)
		} else {
			logger.Info("first admin token made: make other tokens with `countyhub token create --token-file FILE`", "file", abs)
		}
	}
	// The hub's own work (recovery, the demo) runs as the system.
	sys := auth.WithPrincipal(ctx, auth.System)
	if err := h.Imports.Recover(sys); err != nil {
		return nil, fmt.Errorf("recover import runs: %w", err)
	}
	if cfg.Demo {
		if _, err = loadDemo(sys, h.Store, h.Imports, logger); err != nil {
			return nil, err
		}
	}
	// A hub stopped between a publish and its rollups left them stale
	// for the units it was publishing; Sync recomputes those alone.
	n, err := h.Rollups.Sync(ctx)
	if err != nil {
		return nil, fmt.Errorf("update rollups: %w", err)
	}
	if n > 0 {
		logger.Info("rollups updated for releases that changed while the hub was down", "units", n)
	}
	return h, nil
}

// Shutdown lets the imports running finish until ctx ends, then fails
// those still running; it starts no new ones.
func (h *Hub) Shutdown(ctx context.Context) error {
	return h.Imports.Shutdown(ctx)
}

// Close stops the plugin processes, disconnects the store and stops the
// embedded database. Call it after Shutdown.
func (h *Hub) Close(ctx context.Context) {
	if h.Plugins != nil {
		h.Plugins.Close()
	}
	if h.Store != nil {
		h.Store.Close(ctx)
	}
	if h.db != nil {
		h.db.Close()
		h.logger.Info("embedded database stopped")
	}
}

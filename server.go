package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/embedded"
	"github.com/countyhub/countyhub/export"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/limit"
	"github.com/countyhub/countyhub/metrics"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/web"
)

// serveConfig is the configuration of `countyhub serve`.
type serveConfig struct {
	Addr     string
	Data     string
	MongoURI string
	Plugins  string
	City     string
	// Demo loads the demo data set on an empty database.
	Demo           bool
	RequestTimeout time.Duration
	LogFormat      string
	LogLevel       string
	// CORSOrigins are the origins of web pages allowed to call the API
	// from the browser; none by default.
	CORSOrigins []string
	// AnonymousRead lets callers without a token read published data.
	AnonymousRead bool
	// Rate is the requests a second each token (or anonymous client
	// address) may make on average; 0 for no limit.
	Rate float64
	// MaxUpload is the largest upload (a multipart request), in bytes.
	MaxUpload int64
	// MaxBody is the largest JSON request body, in bytes.
	MaxBody int64
	// MaxDepth and MaxComplexity bound GraphQL queries.
	MaxDepth, MaxComplexity int
	// PluginCPU, PluginMemory (bytes) and PluginFiles limit each importer
	// plugin process.
	PluginCPU    time.Duration
	PluginMemory int64
	PluginFiles  int
	// PluginIdle is the longest an import's plugin may send nothing
	// before it is killed and the import fails.
	PluginIdle time.Duration
	// ShutdownGrace is how long, after the first SIGINT or SIGTERM,
	// in-flight requests and running imports may take to finish.
	ShutdownGrace time.Duration
}

func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format: text or json", Sources: cli.EnvVars("COUNTYHUB_LOG_FORMAT")},
		&cli.StringFlag{Name: "log-level", Value: "info", Usage: "least severe level logged: debug, info, warn, error", Sources: cli.EnvVars("COUNTYHUB_LOG_LEVEL")},
	}
}

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "start the hub: the dashboard at /, GraphQL at /graphql (GraphiQL at /graphiql), /healthz, /readyz, /metrics",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "HTTP listen address", Sources: cli.EnvVars("COUNTYHUB_ADDR")},
			&cli.StringFlag{Name: "data", Value: "./data", Usage: "data directory (the embedded database lives in DATA/db)", Sources: cli.EnvVars("COUNTYHUB_DATA")},
			&cli.StringFlag{Name: "mongo-uri", Usage: "MongoDB connection string; empty starts the embedded database", Sources: cli.EnvVars("COUNTYHUB_MONGO_URI")},
			&cli.StringFlag{Name: "plugins", Usage: "importer plugins directory, with its plugins.lock (default: DATA/plugins)", Sources: cli.EnvVars("COUNTYHUB_PLUGINS")},
			&cli.DurationFlag{Name: "plugin-cpu", Value: host.DefaultCPULimit, Usage: "CPU time each importer plugin process may use, in whole seconds; it is killed at the limit (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_CPU")},
			&cli.IntFlag{Name: "plugin-memory", Value: host.DefaultMemoryLimit >> 20, Usage: "memory each importer plugin process may map for its data, in MiB (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_MEMORY")},
			&cli.IntFlag{Name: "plugin-files", Value: host.DefaultFileLimit, Usage: "files and sockets each importer plugin process may hold open (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_FILES")},
			&cli.DurationFlag{Name: "plugin-idle", Value: host.DefaultIdleTimeout, Usage: "longest an importer plugin may send nothing during an import (hung or stopped); it is then killed and the import fails", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_IDLE")},
			&cli.DurationFlag{Name: "shutdown-grace", Value: 30 * time.Second, Usage: "after SIGINT or SIGTERM, how long in-flight requests and running imports may take to finish; imports still running then fail (\"hub shut down\"). A second signal exits at once", Sources: cli.EnvVars("COUNTYHUB_SHUTDOWN_GRACE")},
			&cli.StringFlag{Name: "city", Value: refdata.DefaultCity, Usage: "GB/T 2260 code of the city whose counties the hub serves", Sources: cli.EnvVars("COUNTYHUB_CITY")},
			&cli.BoolFlag{Name: "demo", Usage: "on an empty database, import and publish the demo data set (needs the importers built and pinned: make plugins)", Sources: cli.EnvVars("COUNTYHUB_DEMO")},
			&cli.DurationFlag{Name: "request-timeout", Value: 30 * time.Second, Usage: "longest time one HTTP request may take", Sources: cli.EnvVars("COUNTYHUB_REQUEST_TIMEOUT")},
			&cli.BoolFlag{Name: "anonymous-read", Usage: "let callers without a token read published data (make run turns it on); imports, runs, tokens and the audit log always need a token", Sources: cli.EnvVars("COUNTYHUB_ANONYMOUS_READ")},
			&cli.FloatFlag{Name: "rate", Value: 50, Usage: "requests a second each token (or anonymous client address) may make on average, in bursts of twice that; 0 for no limit", Sources: cli.EnvVars("COUNTYHUB_RATE")},
			&cli.Int64Flag{Name: "max-upload", Value: 64 << 20, Usage: "largest upload (a multipart request: the file with its form) in bytes", Sources: cli.EnvVars("COUNTYHUB_MAX_UPLOAD")},
			&cli.Int64Flag{Name: "max-body", Value: graph.DefaultBodyBytes, Usage: "largest JSON request body of /graphql in bytes", Sources: cli.EnvVars("COUNTYHUB_MAX_BODY")},
			&cli.IntFlag{Name: "max-depth", Value: 12, Usage: "deepest nesting of a GraphQL query", Sources: cli.EnvVars("COUNTYHUB_MAX_DEPTH")},
			&cli.IntFlag{Name: "max-complexity", Value: 20000, Usage: "largest GraphQL query complexity (a list counts its fields `first` times)", Sources: cli.EnvVars("COUNTYHUB_MAX_COMPLEXITY")},
			&cli.StringSliceFlag{Name: "cors-origin", Usage: "origin (scheme://host[:port]) of web pages allowed to call /graphql, /schema.graphql and /export/ from the browser; repeatable (default: none)", Sources: cli.EnvVars("COUNTYHUB_CORS_ORIGINS")},
		}, logFlags()...),
		Action: func(ctx context.Context, c *cli.Command) error {
			cfg := serveConfig{
				Addr: c.String("addr"), Data: c.String("data"), MongoURI: c.String("mongo-uri"), Plugins: pluginsDir(c), City: c.String("city"),
				Demo: c.Bool("demo"), RequestTimeout: c.Duration("request-timeout"), LogFormat: c.String("log-format"), LogLevel: c.String("log-level"),
				AnonymousRead: c.Bool("anonymous-read"), Rate: c.Float("rate"), MaxUpload: c.Int64("max-upload"), MaxBody: c.Int64("max-body"),
				MaxDepth: c.Int("max-depth"), MaxComplexity: c.Int("max-complexity"),
				PluginCPU: c.Duration("plugin-cpu"), PluginMemory: int64(c.Int("plugin-memory")) << 20, PluginFiles: c.Int("plugin-files"),
				PluginIdle: c.Duration("plugin-idle"), ShutdownGrace: c.Duration("shutdown-grace"),
			}
			logger, err := newLogger(cfg.LogFormat, cfg.LogLevel)
			if err != nil {
				return err
			}
			if cfg.PluginIdle <= 0 {
				return fmt.Errorf("--plugin-idle %s: want a duration above zero, such as 60s", cfg.PluginIdle)
			}
			if cfg.ShutdownGrace < 0 {
				return fmt.Errorf("--shutdown-grace %s: want zero (fail running imports at once) or more", cfg.ShutdownGrace)
			}
			if cfg.CORSOrigins, err = corsOrigins(c.StringSlice("cors-origin")); err != nil {
				return err
			}
			return serve(ctx, cfg, logger)
		},
	}
}

func embeddedDBCommand() *cli.Command {
	return &cli.Command{
		Name:  "embedded-db",
		Usage: "run only the embedded MongoDB-compatible database (FerretDB on SQLite) until interrupted; prints its URI on stdout",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:27017", Usage: "listen address", Sources: cli.EnvVars("COUNTYHUB_DB_ADDR")},
			&cli.StringFlag{Name: "data", Value: "./data", Usage: "data directory (the database lives in DATA/db)", Sources: cli.EnvVars("COUNTYHUB_DATA")},
		}, logFlags()...),
		Action: func(ctx context.Context, c *cli.Command) error {
			logger, err := newLogger(c.String("log-format"), c.String("log-level"))
			if err != nil {
				return err
			}
			db, err := embedded.Start(ctx, embedded.Config{Dir: filepath.Join(c.String("data"), "db"), Addr: c.String("addr"), Logger: dbLogger(logger)})
			if err != nil {
				return err
			}
			logger.Info("embedded database ready", "uri", db.URI(), "data", c.String("data"))
			fmt.Println(db.URI()) // for scripts: the URI alone on stdout
			<-ctx.Done()
			logger.Info("stopping embedded database")
			db.Close()
			return nil
		},
	}
}

// serve runs the hub until ctx is cancelled (SIGINT, SIGTERM), then shuts
// down gracefully: in-flight requests finish, the store disconnects and
// the embedded database closes its files.
func serve(ctx context.Context, cfg serveConfig, logger *slog.Logger) error {
	// Bind first: a taken port should fail before the database starts.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w: choose another address with --addr or COUNTYHUB_ADDR", cfg.Addr, err)
	}
	defer ln.Close()

	uri := cfg.MongoURI
	if uri == "" {
		dir := filepath.Join(cfg.Data, "db")
		db, err := embedded.Start(ctx, embedded.Config{Dir: dir, Logger: dbLogger(logger)})
		if err != nil {
			return err
		}
		defer func() {
			db.Close()
			logger.Info("embedded database stopped")
		}()
		uri = db.URI()
		abs, _ := filepath.Abs(dir)
		logger.Info("store: embedded FerretDB (SQLite)", "data", abs, "uri", uri)
	} else {
		logger.Info("store: MongoDB", "uri", store.Redact(uri))
	}

	m := metrics.New()
	st, err := store.Open(ctx, uri, store.Options{Observe: m.ObserveCommand})
	if err != nil {
		if cfg.MongoURI != "" {
			return fmt.Errorf("%w\ncheck --mongo-uri (COUNTYHUB_MONGO_URI) and that the server is running", err)
		}
		return err
	}
	defer st.Close(context.WithoutCancel(ctx))
	if err := st.EnsureIndexes(ctx); err != nil {
		return fmt.Errorf("prepare database: %w", err)
	}
	if err := refdata.Load(ctx, st); err != nil {
		return fmt.Errorf("prepare database: %w", err)
	}

	plugins := host.New(cfg.Plugins, host.Options{Logger: logger, IdleTimeout: cfg.PluginIdle, CPULimit: cfg.PluginCPU, MemoryLimit: cfg.PluginMemory, FileLimit: cfg.PluginFiles, Hints: pluginHints()})
	defer plugins.Close()
	logger.Info("importer plugins", "dir", cfg.Plugins)
	records := release.New(st, releaseCacheRecords)
	rollups := analytics.NewRebuilder(st, records)
	imports := pipeline.New(st, plugins, pipeline.Options{Logger: logger, Released: func(ctx context.Context) error {
		_, err := rollups.Rebuild(ctx)
		return err
	}})
	file, secret, err := firstAdminToken(ctx, st, cfg.Data, cfg.Demo)
	if err != nil {
		return fmt.Errorf("prepare database: %w", err)
	}
	if file != "" {
		abs, _ := filepath.Abs(file)
		if cfg.Demo {
			logger.Info("demo admin token made; it is not shown again", "file", abs, "token", secret)
		} else {
			logger.Info("first admin token made: make other tokens with `countyhub token create --token-file FILE`", "file", abs)
		}
	}
	// The hub's own work (recovery, the demo) runs as the system.
	sys := auth.WithPrincipal(ctx, auth.System)
	if err := imports.Recover(sys); err != nil {
		return fmt.Errorf("recover import runs: %w", err)
	}
	loaded := false
	if cfg.Demo {
		if loaded, err = loadDemo(sys, st, imports, logger); err != nil {
			return err
		}
	}
	// A hub stopped between a publish and its rollups left them stale;
	// the demo's publishes have just rebuilt them.
	if !loaded {
		n, err := rollups.Rebuild(ctx)
		if err != nil {
			return fmt.Errorf("rebuild rollups: %w", err)
		}
		logger.Info("rollups rebuilt", "rollups", n)
	}

	srv := &http.Server{
		Handler:           routes(st, records, rollups, plugins, imports, cfg, m, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("countyhub serving", "addr", "http://"+ln.Addr().String(), "graphql", "http://"+ln.Addr().String()+"/graphql", "database", st.DatabaseName())

	select {
	case err := <-errc:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}
	exitOnSecondSignal(logger)
	logger.Info("shutting down: no new requests or imports; waiting for those running", "grace", cfg.ShutdownGrace)
	grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownGrace)
	defer cancel()
	requests := make(chan error, 1)
	go func() { requests <- srv.Shutdown(grace) }()
	if err := imports.Shutdown(grace); err != nil {
		logger.Warn("imports still running at the end of the grace period failed", "error", err)
	}
	if err := <-requests; err != nil {
		logger.Warn("requests still running at shutdown were cut off", "error", err)
	}
	return nil
}

// exitOnSecondSignal makes a SIGINT or SIGTERM from now on end the hub at
// once, without waiting for requests or imports. Published data stay
// whole (a publish is one update); runs left RUNNING become FAILED at the
// next start.
func exitOnSecondSignal(logger *slog.Logger) {
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-again
		logger.Warn("second signal: exiting at once; imports still running are marked FAILED at the next start", "signal", sig.String())
		os.Exit(1)
	}()
}

// releaseCacheRecords bounds the cache of released records: about 1 KiB a
// record, so about 2 GiB at most.
const releaseCacheRecords = 2_000_000

// routes is the hub's HTTP surface.
func routes(st *store.Store, records *release.Reader, rollups *analytics.Rebuilder, plugins *host.Host, imports *pipeline.Pipeline, cfg serveConfig, m *metrics.Metrics, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	comparisons := analytics.NewCache(st, st)
	resolver := &graph.Resolver{Store: st, Records: records, City: cfg.City, Importers: plugins, Imports: imports, Rollups: rollups, Comparisons: comparisons}
	authn := auth.NewAuthenticator(st, 5*time.Second)
	resolver.Tokens = auth.NewManager(st, authn, logger)
	opts := graph.DefaultOptions(logger)
	opts.Origins = cfg.CORSOrigins
	opts.Authenticate = authn.Authenticate
	opts.UploadBytes, opts.BodyBytes, opts.Bounds.Depth, opts.Complexity = cfg.MaxUpload, cfg.MaxBody, cfg.MaxDepth, cfg.MaxComplexity
	limiter := limit.New(limit.Rate{PerSecond: cfg.Rate, Burst: int(2 * cfg.Rate)})
	// Who calls, then how often: each API request passes both.
	guard := func(h http.Handler) http.Handler {
		return auth.Middleware(authn, cfg.AnonymousRead, limiter.Middleware(h))
	}
	gql := graph.NewHandler(resolver, opts)
	mux.Handle("/graphql", m.Instrument("/graphql", limit.Timeout(cfg.RequestTimeout, logger, guard(gql))))
	mux.Handle("GET /schema.graphql", m.Instrument("/schema.graphql", graph.SchemaHandler()))
	mux.Handle("GET /export/", m.Instrument("/export", limit.Timeout(cfg.RequestTimeout, logger, guard(export.Handler(comparisons, st, cfg.City, logger)))))
	mux.Handle("GET /healthz", m.Instrument("/healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})))
	mux.Handle("GET /readyz", m.Instrument("/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := st.Ping(ctx); err != nil {
			logger.Warn("readiness check failed", "error", err)
			http.Error(w, "store unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})))
	mux.Handle("GET /metrics", m.Handler())
	ui := web.Handler()
	for _, p := range []string{"GET /{$}", "GET /graphiql", "GET /assets/"} {
		mux.Handle(p, m.Instrument("/ui", ui))
	}
	return noSniff(withCORS(cfg.CORSOrigins, mux))
}

// noSniff tells browsers to take every response for the type it
// declares, so that no answer of the hub (an error echoing input, an
// export) is ever run as a script or styled as a page.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

func newLogger(format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	default:
		return nil, errors.New("--log-format must be text or json")
	}
}

// dbLogger is the embedded database's logger: its warnings and errors go
// to the hub's log under component=ferretdb; its chatter does not.
func dbLogger(logger *slog.Logger) *slog.Logger {
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

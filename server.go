package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/command"
	"github.com/countyhub/countyhub/embedded"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/hub"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
)

// serveConfig is the configuration of `countyhub serve`: where to listen,
// how long to wait at shutdown, and the hub.
type serveConfig struct {
	Addr string
	// DebugAddr, when set, is where the Go runtime's profiles are served.
	DebugAddr string
	// ShutdownGrace is how long, after the first SIGINT or SIGTERM,
	// in-flight requests and running imports may take to finish.
	ShutdownGrace time.Duration
	Hub           hub.Config
}

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "start the hub: the dashboard at /, GraphQL at /graphql (GraphiQL at /graphiql), /healthz, /readyz, /metrics",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "HTTP listen address", Sources: cli.EnvVars("COUNTYHUB_ADDR")},
			&cli.StringFlag{Name: "debug-addr", Usage: "address of a second listener that serves the Go runtime's profiles at /debug/pprof/ (go tool pprof http://ADDR/debug/pprof/profile); keep it on loopback: profiles show the process's internals. Empty serves none", Sources: cli.EnvVars("COUNTYHUB_DEBUG_ADDR")},
			&cli.StringFlag{Name: "data", Value: "./data", Usage: "data directory (the embedded database lives in DATA/db)", Sources: cli.EnvVars("COUNTYHUB_DATA")},
			&cli.StringFlag{Name: "mongo-uri", Usage: "MongoDB connection string; empty starts the embedded database", Sources: cli.EnvVars("COUNTYHUB_MONGO_URI")},
			&cli.StringFlag{Name: "plugins", Usage: "importer plugins directory, with its plugins.lock (default: DATA/plugins)", Sources: cli.EnvVars("COUNTYHUB_PLUGINS")},
			&cli.DurationFlag{Name: "plugin-cpu", Value: host.DefaultCPULimit, Usage: "CPU time each importer plugin process may use, in whole seconds; it is killed at the limit (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_CPU")},
			&cli.IntFlag{Name: "plugin-memory", Value: host.DefaultMemoryLimit >> 20, Usage: "memory each importer plugin process may map for its data, in MiB (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_MEMORY")},
			&cli.IntFlag{Name: "plugin-files", Value: host.DefaultFileLimit, Usage: "files and sockets each importer plugin process may hold open (Linux)", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_FILES")},
			&cli.DurationFlag{Name: "plugin-idle", Value: host.DefaultIdleTimeout, Usage: "longest an importer plugin may send nothing during an import (hung or stopped); it is then killed and the import fails", Sources: cli.EnvVars("COUNTYHUB_PLUGIN_IDLE")},
			&cli.DurationFlag{Name: "shutdown-grace", Value: 30 * time.Second, Usage: "after SIGINT or SIGTERM, how long in-flight requests and running imports may take to finish; imports still running then fail (\"hub shut down\"). A second signal exits at once", Sources: cli.EnvVars("COUNTYHUB_SHUTDOWN_GRACE")},
			&cli.StringFlag{Name: "scope", Aliases: []string{"city"}, Value: refdata.DefaultScope, Usage: "GB/T 2260 code of the unit the hub serves: a province (34), a city (3408) or a county (340828); --city is its old name", Sources: cli.EnvVars("COUNTYHUB_SCOPE", "COUNTYHUB_CITY")},
			&cli.BoolFlag{Name: "demo", Usage: "on an empty database, import and publish the demo data set (needs the importers built and pinned: make plugins)", Sources: cli.EnvVars("COUNTYHUB_DEMO")},
			&cli.DurationFlag{Name: "request-timeout", Value: 30 * time.Second, Usage: "longest time one HTTP request may take", Sources: cli.EnvVars("COUNTYHUB_REQUEST_TIMEOUT")},
			&cli.BoolFlag{Name: "anonymous-read", Usage: "let callers without a token read published data (make run turns it on); imports, runs, tokens and the audit log always need a token", Sources: cli.EnvVars("COUNTYHUB_ANONYMOUS_READ")},
			&cli.FloatFlag{Name: "rate", Value: 50, Usage: "requests a second each token (or anonymous client address) may make on average, in bursts of twice that; 0 for no limit", Sources: cli.EnvVars("COUNTYHUB_RATE")},
			&cli.Int64Flag{Name: "max-upload", Value: 64 << 20, Usage: "largest upload (a multipart request: the file with its form) in bytes", Sources: cli.EnvVars("COUNTYHUB_MAX_UPLOAD")},
			&cli.Int64Flag{Name: "max-body", Value: graph.DefaultBodyBytes, Usage: "largest JSON request body of /graphql in bytes", Sources: cli.EnvVars("COUNTYHUB_MAX_BODY")},
			&cli.IntFlag{Name: "max-depth", Value: 12, Usage: "deepest nesting of a GraphQL query", Sources: cli.EnvVars("COUNTYHUB_MAX_DEPTH")},
			&cli.IntFlag{Name: "release-cache", Value: hub.DefaultReleaseCacheBytes >> 20, Usage: "MiB of released records kept in memory for reads, least recently used first out", Sources: cli.EnvVars("COUNTYHUB_RELEASE_CACHE")},
			&cli.IntFlag{Name: "response-cache", Value: graph.DefaultResponseBytes >> 20, Usage: "MiB of answers to queries of published data kept and given again until a publish, a rollup or a unit changes them; 0 turns the cache off", Sources: cli.EnvVars("COUNTYHUB_RESPONSE_CACHE")},
			&cli.IntFlag{Name: "max-complexity", Value: 20000, Usage: "largest GraphQL query complexity (a list counts its fields `first` times)", Sources: cli.EnvVars("COUNTYHUB_MAX_COMPLEXITY")},
			&cli.StringSliceFlag{Name: "cors-origin", Usage: "origin (scheme://host[:port]) of web pages allowed to call /graphql, /schema.graphql and /export/ from the browser; repeatable (default: none)", Sources: cli.EnvVars("COUNTYHUB_CORS_ORIGINS")},
		}, command.LogFlags()...),
		Action: func(ctx context.Context, c *cli.Command) error {
			logger, err := command.Logger(c)
			if err != nil {
				return err
			}
			cfg := serveConfig{
				Addr: c.String("addr"), DebugAddr: c.String("debug-addr"), ShutdownGrace: c.Duration("shutdown-grace"),
				Hub: hub.Config{
					Data: c.String("data"), MongoURI: c.String("mongo-uri"), Plugins: command.PluginsDir(c), Scope: c.String("scope"), Demo: c.Bool("demo"),
					ReleaseCacheBytes: c.Int("release-cache") << 20,
					Plugin: host.Options{
						CPULimit: c.Duration("plugin-cpu"), MemoryLimit: int64(c.Int("plugin-memory")) << 20, FileLimit: c.Int("plugin-files"),
						IdleTimeout: c.Duration("plugin-idle"), Hints: command.PluginHints(),
					},
					HTTP: hub.HTTPConfig{
						RequestTimeout: c.Duration("request-timeout"), AnonymousRead: c.Bool("anonymous-read"), Rate: c.Float("rate"),
						MaxUpload: c.Int64("max-upload"), MaxBody: c.Int64("max-body"), MaxDepth: c.Int("max-depth"), MaxComplexity: c.Int("max-complexity"),
						ResponseCacheBytes: c.Int("response-cache") << 20,
					},
				},
			}
			if idle := cfg.Hub.Plugin.IdleTimeout; idle <= 0 {
				return fmt.Errorf("--plugin-idle %s: want a duration above zero, such as 60s", idle)
			}
			if cfg.ShutdownGrace < 0 {
				return fmt.Errorf("--shutdown-grace %s: want zero (fail running imports at once) or more", cfg.ShutdownGrace)
			}
			if cfg.Hub.HTTP.CORSOrigins, err = hub.ParseOrigins(c.StringSlice("cors-origin")); err != nil {
				return fmt.Errorf("--cors-origin %w: one origin per flag, or comma-separated in COUNTYHUB_CORS_ORIGINS", err)
			}
			return serve(ctx, cfg, logger)
		},
	}
}

// serve runs the hub until ctx is cancelled (SIGINT, SIGTERM), then shuts
// down gracefully: in-flight requests and running imports finish within
// the grace period, the store disconnects and the embedded database
// closes its files.
func serve(ctx context.Context, cfg serveConfig, logger *slog.Logger) error {
	// Bind first: a taken port should fail before the database starts.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w: choose another address with --addr or COUNTYHUB_ADDR", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.DebugAddr != "" {
		dl, err := net.Listen("tcp", cfg.DebugAddr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w: choose another address with --debug-addr", cfg.DebugAddr, err)
		}
		defer dl.Close()
		go func() { _ = http.Serve(dl, profiles()) }()
		logger.Info("profiles served", "addr", "http://"+dl.Addr().String()+"/debug/pprof/")
	}

	cfg.Hub.Logger = logger
	h, err := hub.Open(ctx, cfg.Hub)
	switch {
	case errors.Is(err, hub.ErrDatabase) && cfg.Hub.MongoURI != "":
		return fmt.Errorf("%w\ncheck --mongo-uri (COUNTYHUB_MONGO_URI) and that the server is running", err)
	case errors.Is(err, embedded.ErrDataDir):
		return fmt.Errorf("%w: choose a writable directory with --data or COUNTYHUB_DATA, or fix its permissions", err)
	case errors.Is(err, hub.ErrDemo):
		return fmt.Errorf("--demo: %w\nthe demo needs every importer built and pinned in the plugins directory: run `make plugins`", err)
	case err != nil:
		return err
	}
	defer h.Close(context.WithoutCancel(ctx))

	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("countyhub serving", "addr", "http://"+ln.Addr().String(), "graphql", "http://"+ln.Addr().String()+"/graphql", "database", h.Store.DatabaseName())

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
	if err := h.Shutdown(grace); err != nil {
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

// profiles serves the Go runtime's profiles, as net/http/pprof does on
// its default mux.
func profiles() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

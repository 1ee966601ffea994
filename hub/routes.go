package hub

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/export"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/limit"
	"github.com/countyhub/countyhub/web"
)

// HTTPConfig bounds the requests of the hub's HTTP handler.
type HTTPConfig struct {
	// RequestTimeout is the longest one request may take.
	RequestTimeout time.Duration
	// CORSOrigins are the origins of web pages allowed to call the API
	// from the browser, as CORSOrigins returns them; none by default.
	CORSOrigins []string
	// AnonymousRead lets callers without a token read published data.
	AnonymousRead bool
	// Rate is the requests a second each token (or anonymous client
	// address) may make on average; 0 for no limit.
	Rate float64
	// MaxUpload is the largest upload (a multipart request), and MaxBody
	// the largest JSON request body, in bytes.
	MaxUpload, MaxBody int64
	// MaxDepth and MaxComplexity bound GraphQL queries.
	MaxDepth, MaxComplexity int
	// ResponseCacheBytes bounds the cache of answers to queries of
	// published data; 0 turns it off.
	ResponseCacheBytes int
}

// Handler is the hub's HTTP surface: the dashboard at /, GraphQL at
// /graphql (GraphiQL at /graphiql), /schema.graphql, /export/, /healthz,
// /readyz and /metrics.
func (h *Hub) Handler() http.Handler {
	cfg, st, logger := h.cfg.HTTP, h.units, h.logger
	mux := http.NewServeMux()
	comparisons := analytics.NewCache(st, st)
	resolver := &graph.Resolver{Store: st, Records: h.Records, ScopeCode: h.cfg.Scope, Importers: h.Plugins, Imports: h.Imports, Rollups: h.Rollups, Comparisons: comparisons, Villages: h}
	authn := auth.NewAuthenticator(st, 5*time.Second)
	resolver.Tokens = auth.NewManager(st, authn, logger)
	opts := graph.DefaultOptions(logger)
	opts.Origins = cfg.CORSOrigins
	opts.Authenticate = authn.Authenticate
	opts.UploadBytes, opts.BodyBytes, opts.Bounds.Depth, opts.Complexity = cfg.MaxUpload, cfg.MaxBody, cfg.MaxDepth, cfg.MaxComplexity
	opts.Generations, opts.ResponseBytes = h.Store, cfg.ResponseCacheBytes
	limiter := limit.New(limit.Rate{PerSecond: cfg.Rate, Burst: int(2 * cfg.Rate)})
	// Who calls, then how often: each API request passes both.
	guard := func(next http.Handler) http.Handler {
		return auth.Middleware(authn, cfg.AnonymousRead, limiter.Middleware(next))
	}
	m := h.metrics
	gql := graph.NewHandler(resolver, opts)
	mux.Handle("/graphql", m.Instrument("/graphql", limit.Timeout(cfg.RequestTimeout, logger, guard(gql))))
	mux.Handle("GET /schema.graphql", m.Instrument("/schema.graphql", graph.SchemaHandler()))
	mux.Handle("GET /export/", m.Instrument("/export", limit.Timeout(cfg.RequestTimeout, logger, guard(export.Handler(comparisons, st, h.cfg.Scope, logger)))))
	mux.Handle("GET /healthz", m.Instrument("/healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})))
	mux.Handle("GET /readyz", m.Instrument("/readyz", readiness(h, logger)))
	mux.Handle("GET /metrics", m.Handler())
	ui := web.Handler()
	for _, p := range []string{"GET /{$}", "GET /graphiql", "GET /assets/"} {
		mux.Handle(p, m.Instrument("/ui", ui))
	}
	return noSniff(withCORS(cfg.CORSOrigins, mux))
}

// readiness answers /readyz: ready while the store answers.
func readiness(h *Hub, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := h.Store.Ping(ctx); err != nil {
			logger.Warn("readiness check failed", "error", err)
			http.Error(w, "store unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
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

package graph

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/graph/gqlmodel"
)

// Options tune the GraphQL handler.
type Options struct {
	// Complexity is the largest query complexity accepted: each field
	// counts one, and a list of `first` records counts its fields that
	// many times.
	Complexity int
	// UploadBytes is the largest multipart request (an upload) accepted.
	UploadBytes int64
	// BodyBytes is the largest JSON request body accepted.
	BodyBytes int64
	// Bounds limit the size and shape of a document before it is
	// validated; Bounds.Depth is the deepest nesting of selections.
	Bounds Bounds
	// BatchWait is how long a dataloader collects keys before it queries
	// the store: long enough for the sibling resolvers of one list to ask,
	// short enough not to show in latency.
	BatchWait time.Duration
	// Logger receives resolver failures and panics.
	Logger *slog.Logger
	// Authenticate checks the token of a websocket's connection_init
	// payload; nil accepts only connections whose HTTP request carried a
	// principal.
	Authenticate func(ctx context.Context, token string) (auth.Principal, error)
	// Origins are the origins (scheme://host[:port]) of web pages, besides
	// the hub's own, allowed to open a websocket; the same list as the
	// CORS allow-list.
	Origins []string
	// Generations, when set, turns on the cache of answers to queries of
	// published data alone, within ResponseBytes: an answer is given again
	// until the releases, rollups or units change.
	Generations   Generations
	ResponseBytes int
}

// DefaultOptions suit a dashboard: a page of 500 records with a dozen
// fields each, request bodies up to 512 KiB, uploads up to 64 MiB.
func DefaultOptions(logger *slog.Logger) Options {
	return Options{Complexity: 20000, Bounds: DefaultBounds, BodyBytes: DefaultBodyBytes, UploadBytes: 64 << 20, BatchWait: 5 * time.Millisecond, ResponseBytes: DefaultResponseBytes, Logger: logger}
}

// DefaultResponseBytes is the default bound of the cache of answers.
const DefaultResponseBytes = 64 << 20

// DefaultBodyBytes is the default bound of a JSON request body: a
// hundred times the largest query of the dashboard, with its variables.
const DefaultBodyBytes = 512 << 10

// NewHandler returns the GraphQL HTTP handler: POST, GET, multipart
// upload and websocket transports (websockets from the hub's own origin
// or one of opts.Origins only), a parsed-query cache, automatic
// persisted queries, a complexity limit, the error presenter that gives
// every error a stable code, and per-request dataloaders.
func NewHandler(r *Resolver, opts Options) http.Handler {
	cfg := Config{Resolvers: r}
	cfg.Directives.Requires = requires
	connectionComplexity := func(child int, first *int) int {
		n := defaultPageSize
		if first != nil && *first >= 0 && *first <= maxPageSize {
			n = *first // larger values are refused by the resolver
		}
		return 1 + n*child
	}
	cfg.Complexity.Query.Stations = func(child int, _ *gqlmodel.StationFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Spaces = func(child int, _ *gqlmodel.SpaceFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Pilots = func(child int, _ *gqlmodel.PilotFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Budgets = func(child int, _ *gqlmodel.BudgetFilter, first *int, _ *string) int {
		return connectionComplexity(child, first)
	}
	cfg.Complexity.Query.Nodes = func(child int, ids []string) int { return 1 + len(ids)*child }

	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(websocketTransport{
		origins: opts.Origins,
		Websocket: transport.Websocket{
			KeepAlivePingInterval: 10 * time.Second,
			InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
				next, err := authenticateInit(opts.Authenticate)(ctx, p)
				if err != nil {
					return closeWith(ctx, err), nil, err
				}
				return next, nil, nil
			},
			// The same origin is always allowed; others only when listed.
			Implementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{OriginPatterns: originPatterns(opts.Origins)}},
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(get{})
	srv.AddTransport(post{maxBody: opts.BodyBytes})
	srv.AddTransport(uploads{maxUpload: opts.UploadBytes, maxOperations: max(opts.BodyBytes, 1<<20), inMemory: 1 << 20})
	srv.AddTransport(refusal{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(opts.Bounds.Tokens)
	srv.Use(extension.Introspection{})
	srv.Use(persistedQueryCheck{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(newBoundsCheck(opts.Bounds))
	srv.Use(&complexityLimit{max: opts.Complexity})
	if opts.Generations != nil && opts.ResponseBytes > 0 {
		srv.Use(newResponses(opts.Generations, opts.ResponseBytes))
	}
	srv.SetErrorPresenter(ErrorPresenter(opts.Logger))
	srv.SetRecoverFunc(Recover(opts.Logger))
	return withLoaders(r, opts.BatchWait, srv)
}

// originPatterns turns exact origins into the websocket library's
// patterns: matched against "scheme://host" as they hold "://", with the
// characters path.Match reads as wildcards escaped.
func originPatterns(origins []string) []string {
	escape := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`)
	out := make([]string, len(origins))
	for i, o := range origins {
		out[i] = escape.Replace(o)
	}
	return out
}

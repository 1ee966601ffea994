package graph

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/countyhub/countyhub/graph/gqlmodel"
)

// Limits bound what one request may ask of the hub.
type Limits struct {
	// Complexity is the largest query complexity accepted: each field
	// counts one, and a list of `first` records counts its fields that
	// many times.
	Complexity int
	// UploadBytes is the largest multipart request accepted.
	UploadBytes int64
}

// DefaultLimits suit a dashboard: a page of 500 records with a dozen
// fields each, uploads up to 64 MiB.
var DefaultLimits = Limits{Complexity: 20000, UploadBytes: 64 << 20}

// NewHandler returns the GraphQL HTTP handler: POST, GET, multipart
// upload and websocket transports, a parsed-query cache, automatic
// persisted queries, a complexity limit, the error presenter that gives
// every error a stable code, and per-request dataloaders.
func NewHandler(r *Resolver, limits Limits, logger *slog.Logger) http.Handler {
	cfg := Config{Resolvers: r}
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

	srv := handler.New(NewExecutableSchema(cfg))
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 10 * time.Second})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: limits.UploadBytes, MaxMemory: 8 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(extension.FixedComplexityLimit(limits.Complexity))
	srv.SetErrorPresenter(ErrorPresenter(logger))
	srv.SetRecoverFunc(Recover(logger))
	return withLoaders(r.Store, srv)
}

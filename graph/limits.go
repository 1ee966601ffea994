package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/countyhub/countyhub/auth"
)

// depthLimit refuses operations whose selections nest deeper than max
// (fragments counted where they are spread), before anything runs.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if d.max <= 0 || oc.Operation == nil {
		return nil
	}
	if n := depth(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{}); n > d.max {
		err := gqlerror.Errorf("the query nests %d levels deep; the hub allows %d: ask for less at once", n, d.max)
		err.Extensions = map[string]any{"code": CodeDepthLimit}
		return err
	}
	return nil
}

// depth is how deep a selection set nests; a fragment spread inside
// itself (refused by validation anyway) is not followed twice.
func depth(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) int {
	deepest := 0
	for _, sel := range set {
		var n int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) > 0 {
				n = 1 + depth(s.SelectionSet, frags, seen)
			} else {
				n = 1
			}
		case *ast.InlineFragment:
			n = depth(s.SelectionSet, frags, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			if f := frags.ForName(s.Name); f != nil {
				seen[s.Name] = true
				n = depth(f.SelectionSet, frags, seen)
				delete(seen, s.Name)
			}
		}
		deepest = max(deepest, n)
	}
	return deepest
}

// limitUploads refuses, with 413 and code PAYLOAD_TOO_LARGE, a request
// body larger than max bytes, saying so before reading it when the client
// declared its length, and cutting it off when it did not.
func limitUploads(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if max > 0 && r.Body != nil && r.Method == http.MethodPost {
			if r.ContentLength > max {
				auth.Refuse(w, http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
					fmt.Sprintf("the request is %d bytes; the hub takes at most %d (--max-upload)", r.ContentLength, max))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}

// authenticateInit authenticates a websocket connection by the
// Authorization of its connection_init payload, which browsers send since
// they cannot set headers on a websocket; without one the connection
// keeps the principal of its HTTP request, if it has one.
func authenticateInit(authenticate func(context.Context, string) (auth.Principal, error)) func(context.Context, map[string]any) (context.Context, error) {
	return func(ctx context.Context, payload map[string]any) (context.Context, error) {
		header, _ := payload["Authorization"].(string)
		if header == "" {
			header, _ = payload["authorization"].(string)
		}
		if header == "" {
			if _, ok := auth.FromContext(ctx); !ok {
				return ctx, fmt.Errorf("%w: send Authorization: Bearer TOKEN in the connection_init payload", auth.ErrUnauthenticated)
			}
			return ctx, nil
		}
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || authenticate == nil {
			return ctx, fmt.Errorf("%w: Authorization must be Bearer TOKEN", auth.ErrUnauthenticated)
		}
		p, err := authenticate(ctx, strings.TrimSpace(token))
		if err != nil {
			return ctx, err
		}
		return auth.WithPrincipal(ctx, p), nil
	}
}

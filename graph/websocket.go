package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/countyhub/countyhub/auth"
)

// websocketTransport is gqlgen's websocket transport behind checks that
// answer a refused handshake with a code, as every other refusal: a page
// of an origin not allowed gets 403 FORBIDDEN, a malformed handshake 400
// BAD_REQUEST. A connection_init that fails authentication closes the
// socket with 4401 (4403 for a token that may not read), and the close
// reason starts with the code.
type websocketTransport struct {
	transport.Websocket
	origins []string
}

func (websocketTransport) Supports(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if r.Method != http.MethodGet || !headerHas(r.Header, "Connection", "upgrade") || r.Header.Get("Sec-WebSocket-Key") == "" {
		refuse(w, http.StatusBadRequest, CodeBadRequest, "not a websocket handshake: GET with Connection: Upgrade and Sec-WebSocket-Key")
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && !t.allowed(origin, r.Host) {
		refuse(w, http.StatusForbidden, CodeForbidden,
			fmt.Sprintf("a page of %s may not open a websocket to this hub: the hub accepts only the origins its operator allows", origin))
		return
	}
	t.Websocket.Do(w, r, exec)
}

// allowed tells whether a page of origin may connect: the hub's own
// origin always, others when listed.
func (t websocketTransport) allowed(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, host) || slices.Contains(t.origins, strings.ToLower(u.Scheme+"://"+u.Host))
}

// headerHas tells whether a comma-separated header has token.
func headerHas(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// Close codes of the graphql-transport-ws protocol.
const (
	closeUnauthorized = 4401
	closeForbidden    = 4403
)

// closeWith puts the close code and reason for a failed connection_init
// in ctx: the reason is "CODE: message", within the 123 bytes a close
// frame carries.
func closeWith(ctx context.Context, err error) context.Context {
	code, status := CodeUnauthenticated, closeUnauthorized
	if errors.Is(err, auth.ErrForbidden) {
		code, status = CodeForbidden, closeForbidden
	}
	reason := code + ": " + err.Error()
	if len(reason) > 123 {
		reason = strings.ToValidUTF8(reason[:123], "")
	}
	return transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, reason), status)
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

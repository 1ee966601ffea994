package auth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Middleware puts the principal of each request in its context: the
// token's, from an "Authorization: Bearer" header, or, without a header,
// the anonymous caller when anonymousRead is on. A request with a bad
// token, or without one when anonymous reading is off, is answered 401
// with a GraphQL-shaped error (code UNAUTHENTICATED). A websocket upgrade
// without a header passes, anonymous or without a principal, for the
// GraphQL transport to authenticate its connection_init payload.
func Middleware(a *Authenticator, anonymousRead bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			switch {
			case anonymousRead:
				next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), AnonymousPrincipal)))
			case strings.EqualFold(r.Header.Get("Upgrade"), "websocket"):
				next.ServeHTTP(w, r)
			default:
				Refuse(w, http.StatusUnauthorized, "UNAUTHENTICATED", "this hub needs a token: send Authorization: Bearer TOKEN (countyhub token create)")
			}
			return
		}
		scheme, token, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			Refuse(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Authorization must be Bearer TOKEN")
			return
		}
		p, err := a.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			if errors.Is(err, ErrUnauthenticated) {
				Refuse(w, http.StatusUnauthorized, "UNAUTHENTICATED", err.Error())
			} else {
				Refuse(w, http.StatusServiceUnavailable, "UNAVAILABLE", "the token could not be checked; try again")
			}
			return
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// Refuse answers a request the hub will not run with a GraphQL-shaped
// error, so that GraphQL clients read its code as they read any other.
func Refuse(w http.ResponseWriter, status int, code, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="countyhub"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

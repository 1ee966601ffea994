package hub

import (
	"net/http"
	"strings"

	"github.com/rs/cors"
)

// corsHeaders are the request headers a web page may send: the GraphQL
// request's Content-Type (application/json; multipart/form-data for an
// upload), Authorization for a token, and what Apollo Client and
// apollo-upload-client add to uploads and persisted queries.
var corsHeaders = []string{"Accept", "Content-Type", "Authorization", "Apollo-Require-Preflight", "X-Apollo-Operation-Name"}

// withCORS lets web pages of the allowed origins call /graphql,
// /schema.graphql and /export/ from the browser: preflights are answered
// here, and responses carry Access-Control-Allow-Origin for those origins
// only. A page of any other origin gets no CORS headers, so its browser
// keeps the response from it; no origins means no cross-origin access at
// all. Websockets check the same list (graph.Options.Origins).
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next // rs/cors would allow every origin
	}
	api := cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: corsHeaders,
		// The file name of an export.
		ExposedHeaders: []string{"Content-Disposition"},
		MaxAge:         600,
	}).Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "/graphql" || p == "/schema.graphql" || strings.HasPrefix(p, "/export/") {
			api.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

package hub

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
)

// ParseOrigins checks the origins of web pages allowed to call the API
// (HTTPConfig.CORSOrigins) and returns them as browsers send them in the
// Origin header: scheme://host[:port] in lower case, without the scheme's
// default port or a trailing slash. Empty values are left out.
func ParseOrigins(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.Contains(u.Host, "*") {
			return nil, fmt.Errorf("%q: give an origin as a browser sends it, scheme://host[:port] such as https://dashboard.example.org", v)
		}
		host := strings.ToLower(u.Host)
		if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
			host = strings.TrimSuffix(host, ":"+port)
		}
		out = append(out, u.Scheme+"://"+host)
	}
	return out, nil
}

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

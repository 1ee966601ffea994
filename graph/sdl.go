package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/formatter"
)

// SDL returns the schema the GraphQL handler executes, in the schema
// definition language with every description, as gqlparser's formatter
// writes it: types in name order, built-in scalars, directives and
// introspection types left out.
func SDL() string {
	var b strings.Builder
	formatter.NewFormatter(&b).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.String()
}

// SchemaHandler serves SDL() as text, with an ETag so clients can cache it.
func SchemaHandler() http.Handler {
	sdl := SDL()
	sum := sha256.Sum256([]byte(sdl))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("ETag", etag)
		http.ServeContent(w, r, "schema.graphql", time.Time{}, strings.NewReader(sdl))
	})
}

package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// persistedQueryCheck checks the automatic persisted query extension
// before gqlgen's own does, so that its mistakes have codes: a malformed
// extension is BAD_REQUEST, a query that does not have the hash sent with
// it PERSISTED_QUERY_MISMATCH.
type persistedQueryCheck struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = persistedQueryCheck{}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (persistedQueryCheck) ExtensionName() string                   { return "PersistedQueryCheck" }
func (persistedQueryCheck) Validate(graphql.ExecutableSchema) error { return nil }

func (persistedQueryCheck) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	raw, ok := p.Extensions["persistedQuery"]
	if !ok {
		return nil
	}
	ext, ok := raw.(map[string]any)
	if !ok {
		return coded(CodeBadRequest, `extensions.persistedQuery must be {"version": 1, "sha256Hash": "..."}`)
	}
	if fmt.Sprint(ext["version"]) != "1" {
		return coded(CodeBadRequest, "extensions.persistedQuery.version must be 1")
	}
	hash, _ := ext["sha256Hash"].(string)
	if !sha256Hex.MatchString(hash) {
		return coded(CodeBadRequest, "extensions.persistedQuery.sha256Hash must be 64 lower-case hexadecimal digits")
	}
	if p.Query == "" {
		return nil
	}
	if sum := sha256.Sum256([]byte(p.Query)); hex.EncodeToString(sum[:]) != hash {
		return coded(CodePersistedQueryMismatch, "the query sent does not have the sha256Hash sent with it")
	}
	return nil
}

func coded(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

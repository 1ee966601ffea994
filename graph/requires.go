package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/graph/gqlmodel"
)

// requires implements the schema's @requires directive: the one place the
// API checks the caller's role before a field resolves. The county scope
// the directive names is checked where the county is known, by the import
// pipeline, and hideRun gives a run out of scope the answer of a run that
// does not exist.
func requires(ctx context.Context, _ any, next graphql.Resolver, role gqlmodel.Role, action string, _ *string) (any, error) {
	r, err := auth.RoleOfEnum(string(role))
	if err != nil {
		return nil, err
	}
	if err := auth.Require(ctx, r, action); err != nil {
		return nil, err
	}
	return next(ctx)
}

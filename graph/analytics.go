package graph

import (
	"context"
	"errors"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// facets returns the entity facets and the counties of scope (a city: its
// counties; a county: itself; default the configured city).
func (r *Resolver) facets(ctx context.Context, scope *string) (model.Facets, map[string]bool, error) {
	code := r.City
	if scope != nil && *scope != "" {
		code = *scope
	}
	u, err := r.loadersFor(ctx).unit.Load(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return model.Facets{}, nil, errBadInput("scope %q: no such unit", code)
	}
	if err != nil {
		return model.Facets{}, nil, err
	}
	in := map[string]bool{}
	if u.Level == model.LevelCounty {
		in[u.Code] = true
	} else {
		counties, err := r.loadersFor(ctx).counties.Load(ctx, u.Code)
		if err != nil {
			return model.Facets{}, nil, err
		}
		for _, c := range counties {
			in[c.Code] = true
		}
	}
	f, err := r.loadersFor(ctx).facets.Load(ctx, "")
	return f, in, err
}

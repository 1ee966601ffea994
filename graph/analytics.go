package graph

import (
	"context"
	"errors"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// facets returns the entity facets and the county-level units of scope (a
// province or a city: those within it; a county: itself; default the
// hub's scope).
func (r *Resolver) facets(ctx context.Context, scope *string) (model.Facets, map[string]bool, error) {
	code := r.ScopeCode
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
	if u.IsCountyLevel() {
		in[u.Code] = true
	} else {
		counties, err := r.countiesOf(ctx, u.Code)
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

// countiesOf returns the county-level units of a scope: itself for a
// county, those within it for a province or a city.
func (r *Resolver) countiesOf(ctx context.Context, scope string) ([]model.AdminUnit, error) {
	return r.loadersFor(ctx).counties.Load(ctx, scope)
}

func errTooManyObservations(n, limit int, narrower string) error {
	return errBadInput("%d observations match; %s (at most %d a request), or use compare, series or an export", n, narrower, limit)
}

// releaseOf is the code of the unit whose release holds a unit's
// observations: its county for a county or a lower unit, the unit itself
// above (its code's first six digits either way).
func releaseOf(unit string) string {
	if len(unit) > 6 {
		return unit[:6]
	}
	return unit
}

// releasesAbout returns the codes of the units whose releases can hold
// observations about the given units: each one's county (the unit itself
// above the counties) and the city and province above, whose codes GB/T
// 2260 spells with the county's first digits.
func releasesAbout(units []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range units {
		r := releaseOf(u)
		if len(r) != 6 {
			continue
		}
		for _, c := range []string{r, r[:4] + "00", r[:2] + "0000"} {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	if out == nil {
		out = []string{} // none, not every release
	}
	return out
}

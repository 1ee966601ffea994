package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// loaders batch the nested lookups of one request, so a query costs one
// database round trip per nesting level instead of one per parent.
type loaders struct {
	unit         *dataloadgen.Loader[string, model.AdminUnit]
	children     *dataloadgen.Loader[string, []model.AdminUnit]
	metric       *dataloadgen.Loader[string, model.Metric]
	run          *dataloadgen.Loader[string, model.Run]
	stations     *dataloadgen.Loader[string, []model.Station]
	spaces       *dataloadgen.Loader[string, []model.Space]
	pilots       *dataloadgen.Loader[string, []model.Pilot]
	budgets      *dataloadgen.Loader[string, []model.Budget]
	observations *dataloadgen.Loader[string, []model.Observation]
	// releasedObservations are keyed by the unit whose release holds
	// them, for node lookups.
	releasedObservations *dataloadgen.Loader[string, []model.Observation]
	// coverage is read from the facets document, once a request.
	coverage *dataloadgen.Loader[string, []model.MetricCoverage]
}

func newLoaders(s Store, recs Records, wait time.Duration) *loaders {
	return &loaders{
		unit:     oneLoader(s.UnitsByCode, func(u model.AdminUnit) string { return u.Code }, wait),
		children: groupLoader(s.ChildrenOf, func(u model.AdminUnit) string { return u.ParentCode }, wait),
		metric:   oneLoader(s.MetricsByCode, func(m model.Metric) string { return m.Code }, wait),
		run:      oneLoader(s.RunsByID, func(r model.Run) string { return r.ID }, wait),
		stations: groupLoader(recs.Stations, func(v model.Station) string { return v.CountyCode }, wait),
		spaces:   groupLoader(recs.Spaces, func(v model.Space) string { return v.CountyCode }, wait),
		pilots:   groupLoader(recs.Pilots, func(v model.Pilot) string { return v.CountyCode }, wait),
		budgets:  groupLoader(recs.Budgets, func(v model.Budget) string { return v.CountyCode }, wait),
		// Observations are about any unit; all released ones are read (from
		// the cache) and grouped by unit.
		observations: groupLoader(func(ctx context.Context, _ []string) ([]model.Observation, error) { return recs.Observations(ctx, nil) },
			func(v model.Observation) string { return v.UnitCode }, wait),
		releasedObservations: groupLoader(recs.Observations, releaseUnit, wait),
		coverage: groupLoader(func(ctx context.Context, _ []string) ([]model.MetricCoverage, error) {
			f, err := s.Facets(ctx)
			return f.Coverage, err
		}, func(c model.MetricCoverage) string { return c.Metric }, wait),
	}
}

// oneLoader loads records by key; a missing key is a store.ErrNotFound.
func oneLoader[T any](fetch func(context.Context, []string) ([]T, error), key func(T) string, wait time.Duration) *dataloadgen.Loader[string, T] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([]T, []error) {
		items, err := fetch(ctx, keys)
		values, errs := make([]T, len(keys)), make([]error, len(keys))
		byKey := make(map[string]T, len(items))
		for _, it := range items {
			byKey[key(it)] = it
		}
		for i, k := range keys {
			v, ok := byKey[k]
			switch {
			case err != nil:
				errs[i] = err
			case !ok:
				errs[i] = fmt.Errorf("%q: %w", k, store.ErrNotFound)
			default:
				values[i] = v
			}
		}
		return values, errs
	}, dataloadgen.WithWait(wait))
}

// groupLoader loads, for each key, the records that belong to it; a key
// with none gets an empty list.
func groupLoader[T any](fetch func(context.Context, []string) ([]T, error), key func(T) string, wait time.Duration) *dataloadgen.Loader[string, []T] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []string) ([][]T, []error) {
		items, err := fetch(ctx, keys)
		values, errs := make([][]T, len(keys)), make([]error, len(keys))
		groups := make(map[string][]T, len(keys))
		for _, it := range items {
			groups[key(it)] = append(groups[key(it)], it)
		}
		for i, k := range keys {
			if err != nil {
				errs[i] = err
				continue
			}
			values[i] = groups[k]
			if values[i] == nil {
				values[i] = []T{}
			}
		}
		return values, errs
	}, dataloadgen.WithWait(wait))
}

type loadersKey struct{}

// withLoaders gives every request its own loaders, so nothing is cached
// across requests, and one snapshot of the releases.
func withLoaders(s Store, recs Records, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(recs.Snapshot(r.Context()), loadersKey{}, newLoaders(s, recs, wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFor returns the request's loaders, or fresh ones for a context
// that has none (a resolver called outside the HTTP handler).
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store, r.Records, 0)
}

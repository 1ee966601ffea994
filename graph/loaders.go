package graph

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/countyhub/countyhub/analytics"

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

	// Root fields read through loaders too, so that a query repeating
	// one under many aliases reads the store once.
	counties    *dataloadgen.Loader[string, []model.AdminUnit] // by scope
	metrics     *dataloadgen.Loader[string, []model.Metric]    // one key: ""
	facets      *dataloadgen.Loader[string, model.Facets]      // one key: ""
	comparisons *dataloadgen.Loader[comparisonKey, analytics.Comparison]
}

// comparisonKey is what a comparison is of.
type comparisonKey struct {
	metric, period, scope, per string
	level                      model.UnitLevel
}

func newLoaders(s Store, recs Records, comparisons analytics.Source, wait time.Duration) *loaders {
	l := &loaders{
		unit:     oneLoader(s.UnitsByCode, func(u model.AdminUnit) string { return u.Code }, wait),
		children: groupLoader(s.ChildrenOf, func(u model.AdminUnit) string { return u.ParentCode }, wait),
		metric:   oneLoader(s.MetricsByCode, func(m model.Metric) string { return m.Code }, wait),
		run:      oneLoader(s.RunsByID, func(r model.Run) string { return r.ID }, wait),
		stations: groupLoader(recs.Stations, func(v model.Station) string { return v.CountyCode }, wait),
		spaces:   groupLoader(recs.Spaces, func(v model.Space) string { return v.CountyCode }, wait),
		pilots:   groupLoader(recs.Pilots, func(v model.Pilot) string { return v.CountyCode }, wait),
		budgets:  groupLoader(recs.Budgets, func(v model.Budget) string { return v.CountyCode }, wait),
		// Observations about a unit are in the releases of the unit's
		// county and of the units above it (a city's file may report its
		// counties' figures): those are read (from the cache) and grouped
		// by unit.
		observations: groupLoader(func(ctx context.Context, units []string) ([]model.Observation, error) {
			return recs.Observations(ctx, releasesAbout(units))
		}, func(v model.Observation) string { return v.UnitCode }, wait),
		releasedObservations: groupLoader(recs.Observations, releaseUnit, wait),
		counties: eachLoader(func(ctx context.Context, scope string) ([]model.AdminUnit, error) {
			return s.CountiesWithin(ctx, scope)
		}, wait),
		metrics: eachLoader(func(ctx context.Context, _ string) ([]model.Metric, error) { return s.Metrics(ctx) }, wait),
		facets:  eachLoader(func(ctx context.Context, _ string) (model.Facets, error) { return s.Facets(ctx) }, wait),
		comparisons: eachLoader(func(ctx context.Context, k comparisonKey) (analytics.Comparison, error) {
			return analytics.Compare(ctx, comparisons, k.metric, k.period, k.scope, k.per, k.level)
		}, wait),
	}
	l.coverage = groupLoader(func(ctx context.Context, _ []string) ([]model.MetricCoverage, error) {
		f, err := l.facets.Load(ctx, "")
		return f.Coverage, err
	}, func(c model.MetricCoverage) string { return c.Metric }, wait)
	return l
}

// eachLoader loads each distinct key of a batch by itself: for root
// fields, whose aliases ask for the same key again and again.
func eachLoader[K comparable, V any](fetch func(context.Context, K) (V, error), wait time.Duration) *dataloadgen.Loader[K, V] {
	return dataloadgen.NewLoader(recovering(func(ctx context.Context, keys []K) ([]V, []error) {
		values, errs := make([]V, len(keys)), make([]error, len(keys))
		for i, k := range keys {
			values[i], errs[i] = fetch(ctx, k)
		}
		return values, errs
	}), dataloadgen.WithWait(wait))
}

// oneLoader loads records by key; a missing key is a store.ErrNotFound.
func oneLoader[T any](fetch func(context.Context, []string) ([]T, error), key func(T) string, wait time.Duration) *dataloadgen.Loader[string, T] {
	return dataloadgen.NewLoader(recovering(func(ctx context.Context, keys []string) ([]T, []error) {
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
	}), dataloadgen.WithWait(wait))
}

// groupLoader loads, for each key, the records that belong to it; a key
// with none gets an empty list.
func groupLoader[T any](fetch func(context.Context, []string) ([]T, error), key func(T) string, wait time.Duration) *dataloadgen.Loader[string, []T] {
	return dataloadgen.NewLoader(recovering(func(ctx context.Context, keys []string) ([][]T, []error) {
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
	}), dataloadgen.WithWait(wait))
}

// recovering turns a panic in a batch function into an error that keeps
// the panic's stack for the log, which dataloadgen's own recovery drops.
func recovering[K comparable, V any](fetch func(context.Context, []K) ([]V, []error)) func(context.Context, []K) ([]V, []error) {
	return func(ctx context.Context, keys []K) (values []V, errs []error) {
		defer func() {
			if p := recover(); p != nil {
				values, errs = nil, []error{&panicked{value: p, stack: debug.Stack()}}
			}
		}()
		return fetch(ctx, keys)
	}
}

// panicked is a panic of a loader, with its stack.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string { return fmt.Sprintf("panic: %v", p.value) }

type loadersKey struct{}

// withLoaders gives every request its own loaders, so nothing is cached
// across requests, and one snapshot of the releases.
func withLoaders(res *Resolver, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(res.Records.Snapshot(r.Context()), loadersKey{}, newLoaders(res.Store, res.Records, res.comparisons(), wait))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loadersFor returns the request's loaders, or fresh ones for a context
// that has none (a resolver called outside the HTTP handler).
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store, r.Records, r.comparisons(), 0)
}

package hub

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/unitindex"
)

// indexedStore is the store with its unit lookups answered from the unit
// index and the metric catalog from memory: what the API and the
// comparisons read.
type indexedStore struct {
	*store.Store
	units   *unitindex.Index
	metrics *catalog
}

func (s indexedStore) Unit(ctx context.Context, code string) (model.AdminUnit, error) {
	return s.units.Unit(ctx, code)
}

func (s indexedStore) UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error) {
	return s.units.UnitsByCode(ctx, codes)
}

func (s indexedStore) Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error) {
	return s.units.Children(ctx, parent, level)
}

func (s indexedStore) ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error) {
	return s.units.ChildrenOf(ctx, parents)
}

func (s indexedStore) Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error) {
	return s.units.Descendants(ctx, code, level)
}

func (s indexedStore) CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error) {
	return s.units.CountiesWithin(ctx, code)
}

func (s indexedStore) UnitsPage(ctx context.Context, f store.UnitFilter, p store.Page) (store.PageOf[model.AdminUnit], error) {
	return s.units.UnitsPage(ctx, f, p)
}

func (s indexedStore) CountUnits(ctx context.Context, f store.UnitFilter) (int, error) {
	return s.units.CountUnits(ctx, f)
}

// catalogRecheck is how long the hub answers from the metric catalog it
// read before reading it again: only a hub's start writes the catalog
// (refdata.Load), so another hub's start on the same database shows
// within it.
const catalogRecheck = 10 * time.Second

// catalog is the metric catalog, kept in memory: every observation a
// query returns names its metric.
type catalog struct {
	store *store.Store

	mu      sync.Mutex
	metrics []model.Metric // in code order; nil: not read yet
	read    time.Time
}

func (c *catalog) all(ctx context.Context) ([]model.Metric, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.metrics != nil && time.Since(c.read) < catalogRecheck {
		return c.metrics, nil
	}
	ms, err := c.store.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	c.metrics, c.read = ms, time.Now()
	return ms, nil
}

func (s indexedStore) Metrics(ctx context.Context) ([]model.Metric, error) {
	ms, err := s.metrics.all(ctx)
	return slices.Clone(ms), err
}

func (s indexedStore) MetricsByCode(ctx context.Context, codes []string) ([]model.Metric, error) {
	ms, err := s.metrics.all(ctx)
	if err != nil {
		return nil, err
	}
	out := []model.Metric{}
	for _, m := range ms {
		if slices.Contains(codes, m.Code) {
			out = append(out, m)
		}
	}
	return out, nil
}

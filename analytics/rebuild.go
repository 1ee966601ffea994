package analytics

import (
	"context"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
)

// RollupStore is where rollups are computed from and written to.
// *store.Store is one.
type RollupStore interface {
	Units(ctx context.Context) ([]model.AdminUnit, error)
	Metrics(ctx context.Context) ([]model.Metric, error)
	ReplaceRollups(ctx context.Context, rs []model.Rollup) error
	PutFacets(ctx context.Context, f model.Facets) error
}

// Released reads the released records; *release.Reader is one.
type Released interface {
	Observations(ctx context.Context, units []string) ([]model.Observation, error)
	Stations(ctx context.Context, counties []string) ([]model.Station, error)
	Budgets(ctx context.Context, counties []string) ([]model.Budget, error)
	Pilots(ctx context.Context, counties []string) ([]model.Pilot, error)
}

// Rebuilder recomputes the rollups from the released observations. Runs
// of Rebuild are serialized, and each reads the releases as they are when
// it starts, so the last one to finish reflects the last release.
type Rebuilder struct {
	mu       sync.Mutex
	store    RollupStore
	released Released
	now      func() time.Time
}

// NewRebuilder returns a rebuilder of the rollups in st from rel.
func NewRebuilder(st RollupStore, rel Released) *Rebuilder {
	return &Rebuilder{store: st, released: rel, now: time.Now}
}

// Rebuild recomputes every rollup and the entity facets, and returns how
// many rollups there are.
func (b *Rebuilder) Rebuild(ctx context.Context) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	obs, err := b.released.Observations(ctx, nil)
	if err != nil {
		return 0, err
	}
	units, err := b.store.Units(ctx)
	if err != nil {
		return 0, err
	}
	metrics, err := b.store.Metrics(ctx)
	if err != nil {
		return 0, err
	}
	rs, err := Rollups(obs, units, metrics, b.now().UTC())
	if err != nil {
		return 0, err
	}
	e := Entities{Rollups: rs, Units: units}
	if e.Stations, err = b.released.Stations(ctx, nil); err != nil {
		return 0, err
	}
	if e.Budgets, err = b.released.Budgets(ctx, nil); err != nil {
		return 0, err
	}
	if e.Pilots, err = b.released.Pilots(ctx, nil); err != nil {
		return 0, err
	}
	f, err := FacetsOf(e, b.now().UTC())
	if err != nil {
		return 0, err
	}
	if err := b.store.PutFacets(ctx, f); err != nil {
		return 0, err
	}
	return len(rs), b.store.ReplaceRollups(ctx, rs)
}

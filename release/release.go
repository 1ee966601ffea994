// Package release serves the records readers see: those of the runs the
// units' releases point at. A released run never changes, so its records
// are cached by run id with no invalidation; a request reads the small
// release collection once and takes records from the cache, filling what
// is missing with one query per dataset.
package release

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/countyhub/countyhub/lru"
	"github.com/countyhub/countyhub/model"
)

// Store holds the releases and the records of runs; *store.Store is one.
type Store interface {
	Releases(ctx context.Context) ([]model.Release, error)
	// ReleaseGeneration changes whenever a release does.
	ReleaseGeneration(ctx context.Context) (int64, error)
	Records(ctx context.Context, dataset string, runs ...string) ([]model.Record, error)
}

// Reader reads released records through its cache.
type Reader struct {
	store  Store
	cache  *lru.Cache[any] // records of runs by "dataset/run", costing their bytes (bytesOf)
	flight singleflight.Group

	mu   sync.Mutex
	gen  int64           // of rels
	rels []model.Release // the releases as last read; nil: none read
}

// New returns a reader whose cache holds records of up to maxBytes, as
// estimated from the records' fields. A run's records that alone exceed
// maxBytes are read from the store on every request.
func New(s Store, maxBytes int) *Reader {
	return &Reader{store: s, cache: lru.New[any](maxBytes)}
}

type snapshotKey struct{}

// snapshot is the releases as one request saw them.
type snapshot struct {
	once sync.Once
	rels []model.Release
	err  error
}

// Snapshot makes every read under ctx see the releases as they are at the
// first read, so one request never mixes two releases of a unit, and reads
// them from the store once.
func (r *Reader) Snapshot(ctx context.Context) context.Context {
	return context.WithValue(ctx, snapshotKey{}, &snapshot{})
}

func (r *Reader) releases(ctx context.Context) ([]model.Release, error) {
	snap, ok := ctx.Value(snapshotKey{}).(*snapshot)
	if !ok {
		snap = &snapshot{}
	}
	snap.once.Do(func() { snap.rels, snap.err = r.current(ctx) })
	return snap.rels, snap.err
}

// current returns the releases: those read before while the release
// generation has not moved since, else read afresh. The generation is
// read first, so releases read under it are at least as new as it.
func (r *Reader) current(ctx context.Context) ([]model.Release, error) {
	gen, err := r.store.ReleaseGeneration(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.rels != nil && r.gen == gen {
		defer r.mu.Unlock()
		return r.rels, nil
	}
	r.mu.Unlock()
	rels, err := r.store.Releases(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.gen, r.rels = gen, rels
	r.mu.Unlock()
	return rels, nil
}

// runsOf returns the released runs of a dataset for the given units (all
// units when units is nil).
func (r *Reader) runsOf(ctx context.Context, dataset string, units []string) ([]string, error) {
	rels, err := r.releases(ctx)
	if err != nil {
		return nil, err
	}
	return r.runsFor(rels, dataset, units), nil
}

// runsFor returns the runs of a dataset that the releases of the given
// units (nil: all) point at.
func (r *Reader) runsFor(rels []model.Release, dataset string, units []string) []string {
	want := map[string]bool{}
	for _, u := range units {
		want[u] = true
	}
	var runs []string
	for _, rel := range rels {
		if units != nil && !want[rel.Unit] {
			continue
		}
		if id := rel.Runs[dataset]; id != "" {
			runs = append(runs, id)
		}
	}
	return runs
}

// records returns the released records of a dataset for the given units
// (nil: all), from the cache, filling it in one query.
func records[T model.Record](ctx context.Context, r *Reader, dataset string, units []string) ([]T, error) {
	runs, err := r.runsOf(ctx, dataset, units)
	if err != nil {
		return nil, err
	}
	out := []T{}
	var missing []string
	for _, run := range runs {
		if v, ok := r.cache.Get(dataset + "/" + run); ok {
			out = append(out, v.([]T)...)
		} else {
			missing = append(missing, run)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	byRun, err := load[T](ctx, r, dataset, missing)
	if err != nil {
		return nil, err
	}
	for _, run := range missing {
		out = append(out, byRun[run]...)
	}
	return out, nil
}

// load reads the records of runs of a dataset from the store in one
// query, puts each run's in the cache in key order, and returns them by
// run. Requests that miss the same runs at once (a cold cache under load)
// share one read.
func load[T model.Record](ctx context.Context, r *Reader, dataset string, runs []string) (map[string][]T, error) {
	v, err, _ := r.flight.Do(dataset+"/"+strings.Join(runs, ","), func() (any, error) {
		return read[T](context.WithoutCancel(ctx), r, dataset, runs)
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string][]T), nil
}

// read is load without the sharing.
func read[T model.Record](ctx context.Context, r *Reader, dataset string, runs []string) (map[string][]T, error) {
	loaded, err := r.store.Records(ctx, dataset, runs...)
	if err != nil {
		return nil, err
	}
	byRun := make(map[string][]T, len(runs))
	for _, rec := range loaded {
		v, ok := rec.(T)
		if !ok {
			return nil, fmt.Errorf("read released %s: a record of run %s is a %T", dataset, rec.Origin().RunID, rec)
		}
		run := v.Origin().RunID
		byRun[run] = append(byRun[run], v)
	}
	for _, run := range runs {
		recs := byRun[run]
		if recs == nil {
			recs = []T{}
		}
		slices.SortFunc(recs, func(a, b T) int { return strings.Compare(a.NaturalKey(), b.NaturalKey()) })
		byRun[run] = recs
		r.cache.Put(dataset+"/"+run, recs, bytesOf(recs))
	}
	return byRun, nil
}

// Stations returns the released stations of the given counties (nil: all).
func (r *Reader) Stations(ctx context.Context, counties []string) ([]model.Station, error) {
	return records[model.Station](ctx, r, "stations", counties)
}

// Spaces returns the released shared spaces of the given counties (nil: all).
func (r *Reader) Spaces(ctx context.Context, counties []string) ([]model.Space, error) {
	return records[model.Space](ctx, r, "spaces", counties)
}

// Pilots returns the released pilots of the given counties (nil: all).
func (r *Reader) Pilots(ctx context.Context, counties []string) ([]model.Pilot, error) {
	return records[model.Pilot](ctx, r, "pilots", counties)
}

// Budgets returns the released budget lines of the given counties (nil: all).
func (r *Reader) Budgets(ctx context.Context, counties []string) ([]model.Budget, error) {
	return records[model.Budget](ctx, r, "budgets", counties)
}

// Observations returns the released observations of the given units'
// releases (a county's covers its lower units; nil: all, the city's
// included).
func (r *Reader) Observations(ctx context.Context, units []string) ([]model.Observation, error) {
	return records[model.Observation](ctx, r, "observations", units)
}

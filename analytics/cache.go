package analytics

import (
	"context"
	"sync"

	"github.com/countyhub/countyhub/model"
)

// Generations tells the generation of the stored rollups, which changes
// whenever they do. *store.Store is one.
type Generations interface {
	RollupGeneration(ctx context.Context) (int64, error)
}

// Cache is a Source that keeps the rollups it has read in memory until
// their generation changes, so that a comparison costs one small read of
// the generation plus cache hits, whatever the number of facts or rollups
// behind it. Several hubs on one database each keep their own cache; the
// generation keeps them right.
type Cache struct {
	Source
	gens Generations

	mu   sync.Mutex
	gen  int64
	byID map[string]*model.Rollup // nil: known to be missing
}

// NewCache returns a cache of the rollups of src.
func NewCache(src Source, gens Generations) *Cache {
	return &Cache{Source: src, gens: gens, gen: -1}
}

// RollupsByID returns the rollups with the given ids, from the cache when
// the generation has not moved since they were read.
func (c *Cache) RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error) {
	gen, err := c.gens.RollupGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if gen != c.gen {
		c.gen, c.byID = gen, map[string]*model.Rollup{}
	}
	var missing []string
	for _, id := range ids {
		if _, ok := c.byID[id]; !ok {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) > 0 {
		loaded, err := c.Source.RollupsByID(ctx, missing)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if gen != c.gen { // the rollups changed meanwhile: read them afresh
			c.mu.Unlock()
			return c.Source.RollupsByID(ctx, ids)
		}
		for _, id := range missing {
			c.byID[id] = nil
		}
		for i := range loaded {
			c.byID[loaded[i].ID] = &loaded[i]
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []model.Rollup{}
	for _, id := range ids {
		if r := c.byID[id]; r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

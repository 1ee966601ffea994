package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/countyhub/countyhub/model"
)

// rollupsColl holds one document per metric and period, addressed by _id.
const rollupsColl = "rollups"

// RollupsByID returns the rollups with the given ids, in id order; ids
// without a rollup are left out.
func (s *Store) RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error) {
	return findAll[model.Rollup](ctx, s.db.Collection(rollupsColl), bson.D{in("_id", ids)})
}

// Rollups returns every rollup, in id order.
func (s *Store) Rollups(ctx context.Context) ([]model.Rollup, error) {
	return findAll[model.Rollup](ctx, s.db.Collection(rollupsColl), bson.D{})
}

// ReplaceRollups makes the stored rollups exactly rs: each is written
// whole by id, and rollups not in rs are removed.
func (s *Store) ReplaceRollups(ctx context.Context, rs []model.Rollup) error {
	c := s.db.Collection(rollupsColl)
	if err := replaceAll(ctx, c, rs, func(r model.Rollup) string { return r.ID }); err != nil {
		return err
	}
	cur, err := c.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("find in %s: %w", rollupsColl, err)
	}
	var stored []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &stored); err != nil {
		return fmt.Errorf("read %s: %w", rollupsColl, err)
	}
	keep := make(map[string]bool, len(rs))
	for _, r := range rs {
		keep[r.ID] = true
	}
	var stale []string
	for _, st := range stored {
		if !keep[st.ID] {
			stale = append(stale, st.ID)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	_, err = deleteInBatches(ctx, c, bson.D{in("_id", stale)})
	return err
}

package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
)

// rollupsColl holds one document per metric and period, addressed by _id;
// rollupStateColl holds one document whose generation counts the changes
// to the rollups, so readers may cache them until it moves.
const (
	rollupsColl     = "rollups"
	rollupStateColl = "rollup_state"
)

// RollupGeneration returns the generation of the rollups: it changes
// whenever ReplaceRollups or AddRollups changes them.
func (s *Store) RollupGeneration(ctx context.Context) (int64, error) {
	var st struct {
		Generation int64 `bson:"generation"`
	}
	err := s.db.Collection(rollupStateColl).FindOne(ctx, bson.D{{Key: "_id", Value: "rollups"}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read rollup generation: %w", err)
	}
	return st.Generation, nil
}

func (s *Store) nextRollupGeneration(ctx context.Context) error {
	_, err := s.db.Collection(rollupStateColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: "rollups"}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "generation", Value: int64(1)}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("advance rollup generation: %w", err)
	}
	return nil
}

// RollupsByID returns the rollups with the given ids, in the order given;
// ids without a rollup are left out. It reads each by _id equality. On
// the embedded database even that reads through the collection (FerretDB
// v1 filters on an expression its _id index does not cover), so readers
// cache rollups by generation (see analytics.Cache).
func (s *Store) RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error) {
	c := s.db.Collection(rollupsColl)
	found := make([]*model.Rollup, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, id := range ids {
		g.Go(func() error {
			var r model.Rollup
			err := c.FindOne(gctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
			if errors.Is(err, mongo.ErrNoDocuments) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read rollup %s: %w", id, err)
			}
			found[i] = &r
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := []model.Rollup{}
	for _, r := range found {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
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
	if len(stale) > 0 {
		if _, err := deleteInBatches(ctx, c, bson.D{in("_id", stale)}); err != nil {
			return err
		}
	}
	return s.nextRollupGeneration(ctx)
}

// AddRollups inserts rollups that are not stored yet, in one unordered
// write: for loading many at once (an upsert costs the embedded database
// a transaction each).
func (s *Store) AddRollups(ctx context.Context, rs []model.Rollup) error {
	if err := insertMany(ctx, s.db.Collection(rollupsColl), rs); err != nil {
		return err
	}
	return s.nextRollupGeneration(ctx)
}

package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

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
	return s.generation(ctx, rollupStateColl, rollupGenerationID)
}

func (s *Store) nextRollupGeneration(ctx context.Context) error {
	return s.nextGeneration(ctx, rollupStateColl, rollupGenerationID)
}

// generation reads a generation counter: document id of collection coll.
func (s *Store) generation(ctx context.Context, coll, id string) (int64, error) {
	var st struct {
		Generation int64 `bson:"generation"`
	}
	err := s.db.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&st)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read %s generation: %w", id, err)
	}
	return st.Generation, nil
}

// GenerationWrites counts this process's changes to the releases,
// rollups and units, each of which moves a generation: readers in the same
// process see a change without asking the database.
func (s *Store) GenerationWrites() int64 { return s.genWrites.Load() }

// nextGeneration advances a generation counter: of the releases, the
// rollups or the units.
func (s *Store) nextGeneration(ctx context.Context, coll, id string) error {
	s.genWrites.Add(1)
	_, err := s.db.Collection(coll).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "generation", Value: int64(1)}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("advance %s generation: %w", id, err)
	}
	return nil
}

// RollupsByID returns the rollups with the given ids, in the order given;
// ids without a rollup are left out.
func (s *Store) RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error) {
	return findByIDs(ctx, s.db.Collection(rollupsColl), ids, func(r model.Rollup) string { return r.ID })
}

// RollupIDs returns the ids of every stored rollup and part, in order.
func (s *Store) RollupIDs(ctx context.Context) ([]string, error) {
	return ids(ctx, s.db.Collection(rollupsColl))
}

// WriteRollups stores the rollups put, replacing those with their ids,
// deletes those with the ids in remove, and moves the generation on: one
// write by _id each, which the embedded database serves through its _id
// index (see package embedded), so a county's publish costs its own
// rollups, not a pass over everyone's.
func (s *Store) WriteRollups(ctx context.Context, put []model.Rollup, remove []string) error {
	if len(put) == 0 && len(remove) == 0 {
		return nil
	}
	c := s.db.Collection(rollupsColl)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, r := range put {
		g.Go(func() error {
			_, err := c.ReplaceOne(gctx, bson.D{{Key: "_id", Value: r.ID}}, r, options.Replace().SetUpsert(true))
			if err != nil {
				return fmt.Errorf("write rollup %s: %w", r.ID, err)
			}
			return nil
		})
	}
	for _, id := range remove {
		g.Go(func() error {
			if _, err := c.DeleteOne(gctx, bson.D{{Key: "_id", Value: id}}); err != nil {
				return fmt.Errorf("delete rollup %s: %w", id, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return s.nextRollupGeneration(ctx)
}

// rollupGenerationID is the id of the generation document among the
// rollup states.
const rollupGenerationID = "rollups"

// RollupStates returns what the rollups were last computed from.
func (s *Store) RollupStates(ctx context.Context) ([]model.RollupState, error) {
	all, err := findAll[model.RollupState](ctx, s.db.Collection(rollupStateColl), bson.D{})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(st model.RollupState) bool { return st.ID == rollupGenerationID }), nil
}

// RollupStatesByID returns the states with the given ids, in the order
// given; ids without one are left out.
func (s *Store) RollupStatesByID(ctx context.Context, ids []string) ([]model.RollupState, error) {
	return findByIDs(ctx, s.db.Collection(rollupStateColl), ids, func(st model.RollupState) string { return st.ID })
}

// WriteRollupStates stores the states put and deletes those in remove.
func (s *Store) WriteRollupStates(ctx context.Context, put []model.RollupState, remove []string) error {
	c := s.db.Collection(rollupStateColl)
	if err := replaceAll(ctx, c, put, func(st model.RollupState) string { return st.ID }); err != nil {
		return err
	}
	for _, id := range remove {
		if id == rollupGenerationID {
			continue
		}
		if _, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
			return fmt.Errorf("delete rollup state %s: %w", id, err)
		}
	}
	return nil
}

// Rollups returns every rollup, in id order.
func (s *Store) Rollups(ctx context.Context) ([]model.Rollup, error) {
	return findAll[model.Rollup](ctx, s.db.Collection(rollupsColl), bson.D{})
}

// ReplaceRollups makes the stored rollups exactly rs. It reads the stored
// ones in one pass and writes only what differs: rollups that changed and
// rollups no longer in rs are deleted in one pass, and the new versions
// inserted in one write. On the embedded database every write by _id
// reads through the collection, a quarter of a second each at province
// scale, so a publish that changes a few rollups costs a few passes, not
// one per rollup. Between the delete and the insert a reader may miss a
// changed rollup for a moment; the generation moves after the insert, so
// cached readers (analytics.Cache) read it again.
func (s *Store) ReplaceRollups(ctx context.Context, rs []model.Rollup) error {
	c := s.db.Collection(rollupsColl)
	stored, err := findAll[model.Rollup](ctx, c, bson.D{})
	if err != nil {
		return err
	}
	old := make(map[string]model.Rollup, len(stored))
	for _, r := range stored {
		old[r.ID] = r
	}
	keep := make(map[string]bool, len(rs))
	var changed []model.Rollup
	var remove []string
	for _, r := range rs {
		keep[r.ID] = true
		o, ok := old[r.ID]
		if ok && sameRollup(o, r) {
			continue
		}
		changed = append(changed, r)
		if ok {
			remove = append(remove, r.ID)
		}
	}
	for _, r := range stored {
		if !keep[r.ID] {
			remove = append(remove, r.ID)
		}
	}
	if len(remove) > 0 {
		if _, err := deleteInBatches(ctx, c, bson.D{in("_id", remove)}); err != nil {
			return err
		}
	}
	if err := insertMany(ctx, c, changed); err != nil {
		return err
	}
	return s.nextRollupGeneration(ctx)
}

// sameRollup tells whether two rollups hold the same figures and sums,
// whenever they were computed.
func sameRollup(a, b model.Rollup) bool {
	a.Computed, b.Computed = time.Time{}, time.Time{}
	if len(a.Lower) == 0 && len(b.Lower) == 0 {
		a.Lower, b.Lower = nil, nil
	}
	return reflect.DeepEqual(a, b)
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

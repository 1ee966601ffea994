package store

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

const runsColl = "runs"

// CreateRun stores a new run.
func (s *Store) CreateRun(ctx context.Context, r model.Run) error {
	if _, err := s.db.Collection(runsColl).InsertOne(ctx, r); err != nil {
		return fmt.Errorf("create run: %w", err)
	}
	return nil
}

// PutRun replaces a stored run.
func (s *Store) PutRun(ctx context.Context, r model.Run) error {
	res, err := s.db.Collection(runsColl).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, r)
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update run %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// SetRunProgress records how far a running import got.
func (s *Store) SetRunProgress(ctx context.Context, id string, read, errs, warnings int) error {
	_, err := s.db.Collection(runsColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "read", Value: read}, {Key: "errors", Value: errs}, {Key: "warnings", Value: warnings}}}})
	if err != nil {
		return fmt.Errorf("update progress of run %s: %w", id, err)
	}
	return nil
}

// Run returns the run with the given id, or ErrNotFound.
func (s *Store) Run(ctx context.Context, id string) (model.Run, error) {
	return findOne[model.Run](ctx, s.db.Collection(runsColl), id)
}

// RunFilter selects runs; zero fields match everything.
type RunFilter struct {
	Unit   string
	Status model.RunStatus
	// Units, when not nil, keeps the runs of these units only (none when
	// empty); with Unit set, Unit must be one of them.
	Units []string
}

func (f RunFilter) bson() bson.D {
	d := eqIf(eqIf(bson.D{}, "unit", f.Unit), "status", f.Status)
	if f.Units != nil {
		if f.Unit == "" {
			return append(d, in("unit", f.Units))
		}
		if !slices.Contains(f.Units, f.Unit) {
			return append(d, in("unit", []string{}))
		}
	}
	return d
}

// Runs returns one page of the runs that match f, newest first (run ids
// sort by time).
func (s *Store) Runs(ctx context.Context, f RunFilter, p Page) (PageOf[model.Run], error) {
	return newestFirst[model.Run](ctx, s.db.Collection(runsColl), f.bson(), p)
}

// CountRuns counts the runs that match f.
func (s *Store) CountRuns(ctx context.Context, f RunFilter) (int, error) {
	return count(ctx, s.db.Collection(runsColl), f.bson())
}

// RunsWith returns every run that matches f, oldest first.
func (s *Store) RunsWith(ctx context.Context, f RunFilter) ([]model.Run, error) {
	return findAll[model.Run](ctx, s.db.Collection(runsColl), f.bson())
}

// RunsByID returns the runs with the given ids, in id order; ids that do
// not exist are left out.
func (s *Store) RunsByID(ctx context.Context, ids []string) ([]model.Run, error) {
	return findAll[model.Run](ctx, s.db.Collection(runsColl), bson.D{in("_id", ids)})
}

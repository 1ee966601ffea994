package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/countyhub/countyhub/model"
)

// runsColl holds the runs; runTalliesColl holds, for each unit, how many
// of its runs are in each status, kept by every write of a run so that
// counting runs reads one small document per unit (CountRuns).
const (
	runsColl       = "runs"
	runTalliesColl = "run_tallies"
)

// runTally is the document of runTalliesColl of one unit.
type runTally struct {
	Unit     string                  `bson:"_id"`
	Statuses map[model.RunStatus]int `bson:"statuses"`
}

// CreateRun stores a new run.
func (s *Store) CreateRun(ctx context.Context, r model.Run) error {
	if _, err := s.db.Collection(runsColl).InsertOne(ctx, r); err != nil {
		return fmt.Errorf("create run: %w", err)
	}
	return s.tally(ctx, r.Unit, "", r.Status)
}

// PutRun replaces a stored run.
func (s *Store) PutRun(ctx context.Context, r model.Run) error {
	var old struct {
		Status model.RunStatus `bson:"status"`
	}
	// FerretDB v1 takes no projection on findAndModify; a run is small.
	err := s.db.Collection(runsColl).FindOneAndReplace(ctx, bson.D{{Key: "_id", Value: r.ID}}, r,
		options.FindOneAndReplace().SetReturnDocument(options.Before)).Decode(&old)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("update run %s: %w", r.ID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	return s.tally(ctx, r.Unit, old.Status, r.Status) // a run's unit never changes
}

// tally moves one run of unit from status from to status to in its
// unit's tally; an empty from is none (a new run).
func (s *Store) tally(ctx context.Context, unit string, from, to model.RunStatus) error {
	if from == to {
		return nil
	}
	inc := bson.D{{Key: "statuses." + string(to), Value: 1}}
	if from != "" {
		inc = append(inc, bson.E{Key: "statuses." + string(from), Value: -1})
	}
	_, err := s.db.Collection(runTalliesColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: unit}},
		bson.D{{Key: "$inc", Value: inc}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("tally the runs of %s: %w", unit, err)
	}
	return nil
}

// RecountRuns computes the tallies of runs afresh from the runs. A hub
// does so at start: a hub stopped between writing a run and its tally
// leaves the tally one off.
func (s *Store) RecountRuns(ctx context.Context) error {
	cur, err := s.db.Collection(runsColl).Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "unit", Value: 1}, {Key: "status", Value: 1}}).SetBatchSize(findBatch))
	if err != nil {
		return fmt.Errorf("recount runs: %w", err)
	}
	var runs []struct {
		Unit   string          `bson:"unit"`
		Status model.RunStatus `bson:"status"`
	}
	if err := cur.All(ctx, &runs); err != nil {
		return fmt.Errorf("recount runs: %w", err)
	}
	byUnit := map[string]map[model.RunStatus]int{}
	for _, r := range runs {
		if byUnit[r.Unit] == nil {
			byUnit[r.Unit] = map[model.RunStatus]int{}
		}
		byUnit[r.Unit][r.Status]++
	}
	stored, err := findAll[runTally](ctx, s.db.Collection(runTalliesColl), bson.D{})
	if err != nil {
		return err
	}
	var put []runTally
	var stale []string
	for _, t := range stored {
		if byUnit[t.Unit] == nil {
			stale = append(stale, t.Unit)
		}
	}
	for unit, statuses := range byUnit {
		put = append(put, runTally{Unit: unit, Statuses: statuses})
	}
	slices.SortFunc(put, func(a, b runTally) int { return strings.Compare(a.Unit, b.Unit) })
	if err := replaceAll(ctx, s.db.Collection(runTalliesColl), put, func(t runTally) string { return t.Unit }); err != nil {
		return err
	}
	if len(stale) > 0 {
		if _, err := s.db.Collection(runTalliesColl).DeleteMany(ctx, bson.D{in("_id", stale)}); err != nil {
			return fmt.Errorf("recount runs: %w", err)
		}
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

// CountRuns counts the runs that match f from the tallies of their units
// (RecountRuns), reading one small document per unit.
func (s *Store) CountRuns(ctx context.Context, f RunFilter) (int, error) {
	filter := bson.D{}
	switch {
	case f.Unit != "" && f.Units != nil && !slices.Contains(f.Units, f.Unit):
		return 0, nil
	case f.Unit != "":
		filter = bson.D{{Key: "_id", Value: f.Unit}}
	case f.Units != nil:
		if len(f.Units) == 0 {
			return 0, nil
		}
		filter = bson.D{in("_id", f.Units)}
	}
	tallies, err := findAll[runTally](ctx, s.db.Collection(runTalliesColl), filter)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range tallies {
		if f.Status != "" {
			n += t.Statuses[f.Status]
			continue
		}
		for _, c := range t.Statuses {
			n += c
		}
	}
	return n, nil
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

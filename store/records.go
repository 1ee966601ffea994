package store

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
)

// Collections of records, one of each per run (see recordCollections).
const (
	unitRecordsColl  = "unit_records"
	stationsColl     = "stations"
	spacesColl       = "spaces"
	pilotsColl       = "pilots"
	budgetsColl      = "budgets"
	observationsColl = "observations"
)

// recordCollections maps a dataset to the prefix of its records'
// collections. Each run writes a dataset's records to a collection of its
// own, "stations.<run>": reading a run's records reads only them, and
// removing a run drops its collections. FerretDB evaluates every filter but
// _id equality by reading the whole collection, and deletes one request at
// a time, so records of many runs in one collection would make reading a
// release and collecting an old run cost as much as every run stored.
var recordCollections = map[string]string{
	"units":        unitRecordsColl,
	"stations":     stationsColl,
	"spaces":       spacesColl,
	"pilots":       pilotsColl,
	"budgets":      budgetsColl,
	"observations": observationsColl,
}

// records returns the collection of a run's records of a dataset.
func (s *Store) records(dataset, run string) (*mongo.Collection, error) {
	prefix, ok := recordCollections[dataset]
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q", dataset)
	}
	if run == "" || strings.ContainsAny(run, "$\x00") {
		return nil, fmt.Errorf("run id %q: not a valid run id", run)
	}
	return s.db.Collection(prefix + "." + run), nil
}

// InsertRecords writes records of a run to a dataset, unordered: values of
// the dataset's model type.
func (s *Store) InsertRecords(ctx context.Context, dataset, run string, docs []any) error {
	c, err := s.records(dataset, run)
	if err != nil {
		return err
	}
	return insertMany(ctx, c, docs)
}

// WriteRecords writes records of a run, each to its dataset, unordered.
func (s *Store) WriteRecords(ctx context.Context, run string, recs []model.Record) error {
	byDataset := map[string][]model.Record{}
	var datasets []string
	for _, r := range recs {
		ds := r.Dataset()
		if byDataset[ds] == nil {
			datasets = append(datasets, ds)
		}
		byDataset[ds] = append(byDataset[ds], r)
	}
	for _, ds := range datasets {
		c, err := s.records(ds, run)
		if err != nil {
			return err
		}
		if err := insertMany(ctx, c, byDataset[ds]); err != nil {
			return err
		}
	}
	return nil
}

// Records returns every record the given runs wrote to a dataset, as
// values of the dataset's model type: run by run in the order given, each
// run's in key order.
func (s *Store) Records(ctx context.Context, dataset string, runs ...string) ([]model.Record, error) {
	switch dataset {
	case "units":
		return asRecords(RecordsOfRuns[model.UnitRecord](ctx, s, dataset, runs))
	case "stations":
		return asRecords(RecordsOfRuns[model.Station](ctx, s, dataset, runs))
	case "spaces":
		return asRecords(RecordsOfRuns[model.Space](ctx, s, dataset, runs))
	case "pilots":
		return asRecords(RecordsOfRuns[model.Pilot](ctx, s, dataset, runs))
	case "budgets":
		return asRecords(RecordsOfRuns[model.Budget](ctx, s, dataset, runs))
	case "observations":
		return asRecords(RecordsOfRuns[model.Observation](ctx, s, dataset, runs))
	}
	return nil, fmt.Errorf("unknown dataset %q", dataset)
}

func asRecords[T model.Record](recs []T, err error) ([]model.Record, error) {
	if err != nil {
		return nil, err
	}
	out := make([]model.Record, len(recs))
	for i, r := range recs {
		out[i] = r
	}
	return out, nil
}

// RunRecords returns every record a run wrote to a dataset, in key order.
func RunRecords[T any](ctx context.Context, s *Store, dataset, run string) ([]T, error) {
	c, err := s.records(dataset, run)
	if err != nil {
		return nil, err
	}
	return findAll[T](ctx, c, bson.D{})
}

// RecordsOfRuns returns every record the given runs wrote to a dataset,
// run by run in the order given. It reads the runs' collections a few at a
// time.
func RecordsOfRuns[T any](ctx context.Context, s *Store, dataset string, runs []string) ([]T, error) {
	byRun := make([][]T, len(runs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, run := range runs {
		g.Go(func() error {
			recs, err := RunRecords[T](gctx, s, dataset, run)
			byRun[i] = recs
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := []T{}
	for _, recs := range byRun {
		out = append(out, recs...)
	}
	return out, nil
}

// UnitRecords returns the unit records a run wrote.
func (s *Store) UnitRecords(ctx context.Context, run string) ([]model.UnitRecord, error) {
	return RunRecords[model.UnitRecord](ctx, s, "units", run)
}

// DeleteRunRecords removes every record a run wrote to a dataset by
// dropping the run's collection; removing records already removed is not
// an error.
func (s *Store) DeleteRunRecords(ctx context.Context, dataset, run string) error {
	c, err := s.records(dataset, run)
	if err != nil {
		return err
	}
	if err := c.Drop(ctx); err != nil {
		return fmt.Errorf("drop %s: %w", c.Name(), err)
	}
	return nil
}

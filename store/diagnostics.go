package store

import (
	"context"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

const diagnosticsColl = "diagnostics"

// PutDiagnostics stores diagnostics of a run.
func (s *Store) PutDiagnostics(ctx context.Context, d []model.RunDiagnostic) error {
	return insertMany(ctx, s.db.Collection(diagnosticsColl), d)
}

// Diagnostics returns one page of a run's diagnostics, in file order.
func (s *Store) Diagnostics(ctx context.Context, run string, p Page) (PageOf[model.RunDiagnostic], error) {
	return findPage[model.RunDiagnostic](ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}}, p)
}

// DiagnosticsPage returns one page of the first total diagnostics of a
// run (Run.Diagnostics): it names each by its id (model.DiagnosticID) and
// reads them one by one, so a page costs the same whatever else the
// collection holds, where a filter on the run reads it whole on the
// embedded database. p.After is the id of the last one seen.
func (s *Store) DiagnosticsPage(ctx context.Context, run string, total int, p Page) (PageOf[model.RunDiagnostic], error) {
	start := 0
	if p.After != "" {
		seq, ok := strings.CutPrefix(p.After, run+"/")
		n, err := strconv.Atoi(seq)
		if !ok || err != nil || n < 0 {
			return PageOf[model.RunDiagnostic]{Items: []model.RunDiagnostic{}}, nil // not one of this run's
		}
		start = n + 1
	}
	end := min(start+max(p.First, 0), total)
	var ids []string
	for i := start; i < end; i++ {
		ids = append(ids, model.DiagnosticID(run, i))
	}
	items, err := findByIDs(ctx, s.db.Collection(diagnosticsColl), ids, func(d model.RunDiagnostic) string { return d.ID })
	if err != nil {
		return PageOf[model.RunDiagnostic]{}, err
	}
	return PageOf[model.RunDiagnostic]{Items: items, HasNext: end < total}, nil
}

// CountDiagnostics counts a run's diagnostics.
func (s *Store) CountDiagnostics(ctx context.Context, run string) (int, error) {
	return count(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

// DeleteDiagnostics removes a run's diagnostics.
func (s *Store) DeleteDiagnostics(ctx context.Context, run string) (int, error) {
	return deleteInBatches(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

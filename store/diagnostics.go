package store

import (
	"context"

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

// CountDiagnostics counts a run's diagnostics.
func (s *Store) CountDiagnostics(ctx context.Context, run string) (int, error) {
	return count(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

// DeleteDiagnostics removes a run's diagnostics.
func (s *Store) DeleteDiagnostics(ctx context.Context, run string) (int, error) {
	return deleteInBatches(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

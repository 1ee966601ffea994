package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

// StationFilter selects service stations; zero fields match everything.
type StationFilter struct {
	County string
	Status model.StationStatus
}

func (f StationFilter) bson() bson.D {
	return eqIf(eqIf(bson.D{}, "county", f.County), "status", f.Status)
}

// SpaceFilter selects shared spaces; zero fields match everything.
type SpaceFilter struct {
	County string
	Kind   model.SpaceKind
}

func (f SpaceFilter) bson() bson.D {
	return eqIf(eqIf(bson.D{}, "county", f.County), "kind", f.Kind)
}

// PilotFilter selects fallback-service pilots; zero fields match everything.
type PilotFilter struct {
	County string
	Phase  model.PilotPhase
}

func (f PilotFilter) bson() bson.D {
	return eqIf(eqIf(bson.D{}, "county", f.County), "phase", f.Phase)
}

// BudgetFilter selects budget lines; zero fields match everything.
type BudgetFilter struct {
	County string
	Year   int
}

func (f BudgetFilter) bson() bson.D {
	return eqIf(eqIf(bson.D{}, "county", f.County), "year", f.Year)
}

// ObservationFilter selects observations; zero fields match everything.
type ObservationFilter struct {
	County string
	Unit   string
	Metric string
	Period string
}

func (f ObservationFilter) bson() bson.D {
	d := eqIf(bson.D{}, "county", f.County)
	d = eqIf(d, "unit", f.Unit)
	d = eqIf(d, "metric", f.Metric)
	return eqIf(d, "period", f.Period)
}

// PutStations inserts service stations.
func (s *Store) PutStations(ctx context.Context, v []model.Station) error {
	return insertMany(ctx, s.db.Collection(stationsColl), v)
}

// Stations returns one page of the stations that match f, in key order.
func (s *Store) Stations(ctx context.Context, f StationFilter, p Page) (PageOf[model.Station], error) {
	return findPage[model.Station](ctx, s.db.Collection(stationsColl), f.bson(), p)
}

// CountStations counts the stations that match f.
func (s *Store) CountStations(ctx context.Context, f StationFilter) (int, error) {
	return count(ctx, s.db.Collection(stationsColl), f.bson())
}

// StationsOfCounties returns every station of the given counties in one
// query, in key order.
func (s *Store) StationsOfCounties(ctx context.Context, counties []string) ([]model.Station, error) {
	return findAll[model.Station](ctx, s.db.Collection(stationsColl), bson.D{in("county", counties)})
}

// PutSpaces inserts shared spaces.
func (s *Store) PutSpaces(ctx context.Context, v []model.Space) error {
	return insertMany(ctx, s.db.Collection(spacesColl), v)
}

// Spaces returns one page of the spaces that match f, in key order.
func (s *Store) Spaces(ctx context.Context, f SpaceFilter, p Page) (PageOf[model.Space], error) {
	return findPage[model.Space](ctx, s.db.Collection(spacesColl), f.bson(), p)
}

// CountSpaces counts the spaces that match f.
func (s *Store) CountSpaces(ctx context.Context, f SpaceFilter) (int, error) {
	return count(ctx, s.db.Collection(spacesColl), f.bson())
}

// SpacesOfCounties returns every space of the given counties in one query.
func (s *Store) SpacesOfCounties(ctx context.Context, counties []string) ([]model.Space, error) {
	return findAll[model.Space](ctx, s.db.Collection(spacesColl), bson.D{in("county", counties)})
}

// PutPilots inserts fallback-service pilots.
func (s *Store) PutPilots(ctx context.Context, v []model.Pilot) error {
	return insertMany(ctx, s.db.Collection(pilotsColl), v)
}

// Pilots returns one page of the pilots that match f, in key order.
func (s *Store) Pilots(ctx context.Context, f PilotFilter, p Page) (PageOf[model.Pilot], error) {
	return findPage[model.Pilot](ctx, s.db.Collection(pilotsColl), f.bson(), p)
}

// CountPilots counts the pilots that match f.
func (s *Store) CountPilots(ctx context.Context, f PilotFilter) (int, error) {
	return count(ctx, s.db.Collection(pilotsColl), f.bson())
}

// PilotsOfCounties returns every pilot of the given counties in one query.
func (s *Store) PilotsOfCounties(ctx context.Context, counties []string) ([]model.Pilot, error) {
	return findAll[model.Pilot](ctx, s.db.Collection(pilotsColl), bson.D{in("county", counties)})
}

// PutBudgets inserts budget lines.
func (s *Store) PutBudgets(ctx context.Context, v []model.Budget) error {
	return insertMany(ctx, s.db.Collection(budgetsColl), v)
}

// Budgets returns one page of the budget lines that match f, in key order.
func (s *Store) Budgets(ctx context.Context, f BudgetFilter, p Page) (PageOf[model.Budget], error) {
	return findPage[model.Budget](ctx, s.db.Collection(budgetsColl), f.bson(), p)
}

// CountBudgets counts the budget lines that match f.
func (s *Store) CountBudgets(ctx context.Context, f BudgetFilter) (int, error) {
	return count(ctx, s.db.Collection(budgetsColl), f.bson())
}

// BudgetsOfCounties returns every budget line of the given counties in one
// query.
func (s *Store) BudgetsOfCounties(ctx context.Context, counties []string) ([]model.Budget, error) {
	return findAll[model.Budget](ctx, s.db.Collection(budgetsColl), bson.D{in("county", counties)})
}

// PutObservations inserts observations.
func (s *Store) PutObservations(ctx context.Context, v []model.Observation) error {
	return insertMany(ctx, s.db.Collection(observationsColl), v)
}

// Observations returns every observation that matches f, in key order.
func (s *Store) Observations(ctx context.Context, f ObservationFilter) ([]model.Observation, error) {
	return findAll[model.Observation](ctx, s.db.Collection(observationsColl), f.bson())
}

// ObservationsOfUnits returns every observation about the given units in one
// query.
func (s *Store) ObservationsOfUnits(ctx context.Context, units []string) ([]model.Observation, error) {
	return findAll[model.Observation](ctx, s.db.Collection(observationsColl), bson.D{in("unit", units)})
}

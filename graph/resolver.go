// Package graph is countyhub's GraphQL API: the gqlgen executor generated
// from schema.graphqls (generated.go, gqlmodel/), the resolvers
// (*.resolvers.go), the per-request dataloaders, and the HTTP handler with
// its transports, limits and error presenter.
package graph

import (
	"context"
	"errors"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/store"
)

// Store is what the resolvers read. *store.Store implements it.
type Store interface {
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error)
	Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error)
	ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error)
	Metrics(ctx context.Context) ([]model.Metric, error)
	MetricsByCode(ctx context.Context, codes []string) ([]model.Metric, error)

	Stations(ctx context.Context, f store.StationFilter, p store.Page) (store.PageOf[model.Station], error)
	CountStations(ctx context.Context, f store.StationFilter) (int, error)
	StationsOfCounties(ctx context.Context, counties []string) ([]model.Station, error)
	Spaces(ctx context.Context, f store.SpaceFilter, p store.Page) (store.PageOf[model.Space], error)
	CountSpaces(ctx context.Context, f store.SpaceFilter) (int, error)
	SpacesOfCounties(ctx context.Context, counties []string) ([]model.Space, error)
	Pilots(ctx context.Context, f store.PilotFilter, p store.Page) (store.PageOf[model.Pilot], error)
	CountPilots(ctx context.Context, f store.PilotFilter) (int, error)
	PilotsOfCounties(ctx context.Context, counties []string) ([]model.Pilot, error)
	Budgets(ctx context.Context, f store.BudgetFilter, p store.Page) (store.PageOf[model.Budget], error)
	CountBudgets(ctx context.Context, f store.BudgetFilter) (int, error)
	BudgetsOfCounties(ctx context.Context, counties []string) ([]model.Budget, error)
	Observations(ctx context.Context, f store.ObservationFilter) ([]model.Observation, error)
	ObservationsOfUnits(ctx context.Context, units []string) ([]model.Observation, error)
}

// Importers lists the installed importer plugins. *host.Host implements it.
type Importers interface {
	List(ctx context.Context) ([]host.Plugin, error)
}

// Resolver is the root of the resolvers: the store they read, the city
// whose counties `counties` lists, and the importer plugins (nil when the
// hub has none).
type Resolver struct {
	Store     Store
	City      string
	Importers Importers
}

// optionalUnit loads the unit with the code through the request's loader;
// an empty code or a unit that does not exist gives null.
func (r *Resolver) optionalUnit(ctx context.Context, code string) (*model.AdminUnit, error) {
	if code == "" {
		return nil, nil
	}
	u, err := r.loadersFor(ctx).unit.Load(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// ofUnit returns the records of a unit: all of a county's, those located
// in a lower unit, none for a city. The records are loaded by county, so a
// list of units costs one query.
func ofUnit[T any](ctx context.Context, u *model.AdminUnit, load func(context.Context, string) ([]T, error), unitOf func(T) string) ([]T, error) {
	if u.Level == model.LevelCity || u.CountyCode == "" {
		return []T{}, nil
	}
	all, err := load(ctx, u.CountyCode)
	if err != nil || u.Level == model.LevelCounty {
		return all, err
	}
	out := []T{}
	for _, v := range all {
		if unitOf(v) == u.Code {
			out = append(out, v)
		}
	}
	return out, nil
}

// deref returns the value a pointer argument points to, or the zero value.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional turns an empty string into null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

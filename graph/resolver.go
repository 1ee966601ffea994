// Package graph is countyhub's GraphQL API: the gqlgen executor generated
// from the schema in schema/ (generated.go, gqlmodel/), the resolvers, one
// file per schema file (<domain>.resolvers.go), the per-request
// dataloaders, and the HTTP handler with its transports, limits and error
// presenter.
package graph

import (
	"context"
	"errors"
	"io"
	"sort"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
)

// Store is what the resolvers read besides released records: units and
// the metric catalog. *store.Store implements it.
type Store interface {
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error)
	Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error)
	ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error)
	Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error)
	CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error)
	UnitsPage(ctx context.Context, f store.UnitFilter, p store.Page) (store.PageOf[model.AdminUnit], error)
	CountUnits(ctx context.Context, f store.UnitFilter) (int, error)
	Metrics(ctx context.Context) ([]model.Metric, error)
	MetricsByCode(ctx context.Context, codes []string) ([]model.Metric, error)

	Run(ctx context.Context, id string) (model.Run, error)
	RunsByID(ctx context.Context, ids []string) ([]model.Run, error)
	Runs(ctx context.Context, f store.RunFilter, p store.Page) (store.PageOf[model.Run], error)
	CountRuns(ctx context.Context, f store.RunFilter) (int, error)
	Diagnostics(ctx context.Context, run string, p store.Page) (store.PageOf[model.RunDiagnostic], error)
	DiagnosticsPage(ctx context.Context, run string, total int, p store.Page) (store.PageOf[model.RunDiagnostic], error)
	CountDiagnostics(ctx context.Context, run string) (int, error)
	Release(ctx context.Context, unit string) (model.Release, error)
	RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error)
	Facets(ctx context.Context) (model.Facets, error)
	Tokens(ctx context.Context) ([]model.Token, error)
	AuditPage(ctx context.Context, f store.AuditFilter, p store.Page) (store.PageOf[model.AuditEntry], error)
}

// Tokens creates and revokes API tokens; *auth.Manager implements it.
type Tokens interface {
	Create(ctx context.Context, role auth.Role, counties []string, name string) (string, model.Token, error)
	Revoke(ctx context.Context, id string) (model.Token, error)
}

// Villages loads the villages and communities of the hub's scope from the
// reference data set's tarball. *hub.Hub implements it.
type Villages interface {
	LoadVillages(ctx context.Context, tgz io.Reader) (refdata.VillageLoad, error)
}

// Rollups recomputes the rollups comparisons read.
// *analytics.Rebuilder implements it.
type Rollups interface {
	Rebuild(ctx context.Context) (int, error)
}

// Imports runs imports and publishes them. *pipeline.Pipeline implements it.
type Imports interface {
	Start(ctx context.Context, req pipeline.Request) (model.Run, error)
	Publish(ctx context.Context, id, by string) (model.Run, error)
	Discard(ctx context.Context, id, by string) (model.Run, error)
	Rollback(ctx context.Context, unit, by string) (model.Release, error)
	Watch(id string) (<-chan model.Run, func())
}

// Records reads the records of released runs, by county (nil: all).
// *release.Reader implements it.
type Records interface {
	// Snapshot makes the reads under the returned context see one state
	// of the releases.
	Snapshot(ctx context.Context) context.Context
	Stations(ctx context.Context, counties []string) ([]model.Station, error)
	Spaces(ctx context.Context, counties []string) ([]model.Space, error)
	Pilots(ctx context.Context, counties []string) ([]model.Pilot, error)
	Budgets(ctx context.Context, counties []string) ([]model.Budget, error)
	Observations(ctx context.Context, units []string) ([]model.Observation, error)
	// Count counts the released records of a dataset of the given units
	// (nil: all) without reading them.
	Count(ctx context.Context, dataset string, units []string) (int, error)
	// StationsPage and the others read one page of a dataset, in the
	// order of release.CursorKey.
	StationsPage(ctx context.Context, q release.Query) (release.Page[model.Station], error)
	SpacesPage(ctx context.Context, q release.Query) (release.Page[model.Space], error)
	PilotsPage(ctx context.Context, q release.Query) (release.Page[model.Pilot], error)
	BudgetsPage(ctx context.Context, q release.Query) (release.Page[model.Budget], error)
}

// Importers lists the installed importer plugins. *host.Host implements it.
type Importers interface {
	List(ctx context.Context) ([]host.Plugin, error)
}

// Resolver is the root of the resolvers: the store and the released
// records they read, the hub's scope (the code of the unit it serves), the
// importer plugins and the import pipeline (nil when the hub has none).
type Resolver struct {
	Store     Store
	Records   Records
	ScopeCode string
	Importers Importers
	Imports   Imports
	Rollups   Rollups
	// Comparisons reads rollups for compare and series; default Store.
	Comparisons analytics.Source
	// Tokens manages API tokens; nil refuses createToken and revokeToken.
	Tokens Tokens
	// Villages loads reference villages; nil refuses loadVillages.
	Villages Villages
	// MaxObservations is the most observations one observations query
	// answers; 0 is DefaultMaxObservations.
	MaxObservations int
}

// DefaultMaxObservations is the default of Resolver.MaxObservations: a
// county's year of figures fits, a province's millions are for compare,
// series and the exports.
const DefaultMaxObservations = 10000

func (r *Resolver) maxObservations() int {
	if r.MaxObservations > 0 {
		return r.MaxObservations
	}
	return DefaultMaxObservations
}

// comparisons is where compare and series read rollups.
func (r *Resolver) comparisons() analytics.Source {
	if r.Comparisons != nil {
		return r.Comparisons
	}
	return r.Store
}

// unitsOf loads units by code through the request's loader, in order.
func (r *Resolver) unitsOf(ctx context.Context, codes []string) ([]model.AdminUnit, error) {
	out := make([]model.AdminUnit, 0, len(codes))
	for _, c := range codes {
		u, err := r.loadersFor(ctx).unit.Load(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
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

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package hub

import (
	"context"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/unitindex"
)

// indexedStore is the store with its unit lookups answered from the unit
// index: what the API and the comparisons read.
type indexedStore struct {
	*store.Store
	units *unitindex.Index
}

func (s indexedStore) Unit(ctx context.Context, code string) (model.AdminUnit, error) {
	return s.units.Unit(ctx, code)
}

func (s indexedStore) UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error) {
	return s.units.UnitsByCode(ctx, codes)
}

func (s indexedStore) Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error) {
	return s.units.Children(ctx, parent, level)
}

func (s indexedStore) ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error) {
	return s.units.ChildrenOf(ctx, parents)
}

func (s indexedStore) Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error) {
	return s.units.Descendants(ctx, code, level)
}

func (s indexedStore) CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error) {
	return s.units.CountiesWithin(ctx, code)
}

func (s indexedStore) UnitsPage(ctx context.Context, f store.UnitFilter, p store.Page) (store.PageOf[model.AdminUnit], error) {
	return s.units.UnitsPage(ctx, f, p)
}

func (s indexedStore) CountUnits(ctx context.Context, f store.UnitFilter) (int, error) {
	return s.units.CountUnits(ctx, f)
}

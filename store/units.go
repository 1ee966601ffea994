package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

// unitsColl holds the administrative units, by code.
const unitsColl = "units"

// PutUnits inserts or replaces administrative units by code.
func (s *Store) PutUnits(ctx context.Context, units []model.AdminUnit) error {
	return replaceAll(ctx, s.db.Collection(unitsColl), units, func(u model.AdminUnit) string { return u.Code })
}

// Unit returns the unit with the given code, or ErrNotFound.
func (s *Store) Unit(ctx context.Context, code string) (model.AdminUnit, error) {
	return findOne[model.AdminUnit](ctx, s.db.Collection(unitsColl), code)
}

// UnitsByCode returns the units with the given codes, in code order; codes
// that do not exist are left out.
func (s *Store) UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error) {
	return findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), bson.D{in("_id", codes)})
}

// Children returns the units whose parent is the given unit, in code order,
// optionally only those of one level.
func (s *Store) Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error) {
	f := eqIf(bson.D{{Key: "parent", Value: parent}}, "level", level)
	return findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), f)
}

// ChildrenOf returns, in one query, every unit whose parent is one of the
// given units, in code order.
func (s *Store) ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error) {
	return findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), bson.D{in("parent", parents)})
}

// Units returns every administrative unit, in code order.
func (s *Store) Units(ctx context.Context) ([]model.AdminUnit, error) {
	return findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), bson.D{})
}

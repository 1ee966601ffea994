package store

import (
	"context"
	"slices"

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

// UnitFilter picks units for UnitsPage and Descendants.
type UnitFilter struct {
	// Parent, when set, keeps the units directly below it; with Level
	// set instead it keeps the units of that level anywhere below it.
	Parent string
	// Level keeps units of one level. COUNTY also keeps the cities that
	// are their own county (model.AdminUnit.IsCountyLevel).
	Level model.UnitLevel
}

// Descendants returns the units of a level anywhere below a unit (the
// 104 county-level units of a province, say), in code order.
func (s *Store) Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error) {
	units, err := findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), unitFilter(UnitFilter{Parent: code, Level: level}))
	if err != nil {
		return nil, err
	}
	return keepLevel(units, code, level), nil
}

// CountiesWithin returns the county-level units within a unit, in code
// order, in one query: the unit itself when it is one, those of a city or
// a province otherwise (see model.AdminUnit.IsCountyLevel).
func (s *Store) CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error) {
	units, err := findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), unitFilter(UnitFilter{Parent: code, Level: model.LevelCounty}))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(units, func(u model.AdminUnit) bool { return !u.IsCountyLevel() }), nil
}

// UnitsPage returns a page of the units f picks, in code order.
func (s *Store) UnitsPage(ctx context.Context, f UnitFilter, p Page) (PageOf[model.AdminUnit], error) {
	if f.Level != model.LevelCounty || p.First <= 0 {
		return findPage[model.AdminUnit](ctx, s.db.Collection(unitsColl), unitFilter(f), p)
	}
	// Cities that are their own county are told apart in Go.
	page, err := findPage[model.AdminUnit](ctx, s.db.Collection(unitsColl), unitFilter(f), Page{After: p.After, First: p.First * 2})
	if err != nil {
		return page, err
	}
	page.Items = keepLevel(page.Items, f.Parent, f.Level)
	if len(page.Items) > p.First {
		page.Items, page.HasNext = page.Items[:p.First], true
	}
	return page, nil
}

// CountUnits counts the units f picks.
func (s *Store) CountUnits(ctx context.Context, f UnitFilter) (int, error) {
	if f.Level == model.LevelCounty {
		units, err := s.Descendants(ctx, f.Parent, f.Level)
		return len(units), err
	}
	return count(ctx, s.db.Collection(unitsColl), unitFilter(f))
}

// UnitsOfCounty returns the units a county's import may name: the
// county's own units (the county, its towns, communities and compounds)
// and every province, city and county-level unit, in code order.
func (s *Store) UnitsOfCounty(ctx context.Context, county string) ([]model.AdminUnit, error) {
	f := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "county", Value: county}},
		bson.D{in("level", []string{string(model.LevelProvince), string(model.LevelCity), string(model.LevelCounty)})},
	}}}
	return findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), f)
}

// unitFilter is the query of f: by parent, or by level within the
// parent's codes (see model.CodePrefix).
func unitFilter(f UnitFilter) bson.D {
	levels := []string{string(f.Level)}
	if f.Level == model.LevelCounty {
		levels = append(levels, string(model.LevelCity))
	}
	switch {
	case f.Parent == "" && f.Level == "":
		return bson.D{}
	case f.Parent == "":
		return bson.D{in("level", levels)}
	case f.Level == "":
		return bson.D{{Key: "parent", Value: f.Parent}}
	}
	prefix := model.CodePrefix(f.Parent)
	return bson.D{{Key: "$and", Value: bson.A{
		bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: prefix}, {Key: "$lt", Value: prefix + ":"}}}}, // ':' follows the digits
		bson.D{in("level", levels)},
	}}}
}

// keepLevel keeps the units of level other than the unit code itself,
// with cities that are their own county among the county-level units.
func keepLevel(units []model.AdminUnit, code string, level model.UnitLevel) []model.AdminUnit {
	return slices.DeleteFunc(units, func(u model.AdminUnit) bool {
		if u.Code == code {
			return true
		}
		if level == model.LevelCounty {
			return !u.IsCountyLevel()
		}
		return level != "" && u.Level != level
	})
}

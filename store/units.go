package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/countyhub/countyhub/model"
)

// unitsColl holds the administrative units, by code.
const unitsColl = "units"

// putDirectly is how many units PutUnits upserts one by one; more are
// synced (SyncUnits), whose one pass over the units costs about what this
// many upserts do on the embedded database.
const putDirectly = 200

// unitStateColl holds one document whose generation counts the changes
// to the units, so readers may keep them in memory until it moves (see
// package unitindex).
const unitStateColl = "unit_state"

// UnitGeneration returns the generation of the units: it moves whenever
// PutUnits or SyncUnits changes them, from any process.
func (s *Store) UnitGeneration(ctx context.Context) (int64, error) {
	return s.generation(ctx, unitStateColl, unitGenerationID)
}

// unitGenerationID is the id of the unit generation's document.
const unitGenerationID = "units"

// UnitWrites counts the writes of units through this store: readers in
// the same process see a change without asking the database.
func (s *Store) UnitWrites() int64 { return s.unitWrites.Load() }

// unitsChanged moves the generation of the units on.
func (s *Store) unitsChanged(ctx context.Context) error {
	s.unitWrites.Add(1)
	return s.nextGeneration(ctx, unitStateColl, unitGenerationID)
}

// PutUnits inserts or replaces administrative units by code.
func (s *Store) PutUnits(ctx context.Context, units []model.AdminUnit) error {
	if len(units) == 0 {
		return nil
	}
	if len(units) <= putDirectly {
		err := replaceAll(ctx, s.db.Collection(unitsColl), units, func(u model.AdminUnit) string { return u.Code })
		if err != nil {
			return err
		}
		return s.unitsChanged(ctx)
	}
	_, err := s.SyncUnits(ctx, units)
	return err
}

// UnitSync counts what SyncUnits did with the units it was given.
type UnitSync struct {
	// Added were not stored, Changed differed from the stored unit of
	// their code and replaced it, Unchanged were stored as given.
	Added, Changed, Unchanged int
}

// syncBatch is how many new units SyncUnits inserts in one request.
const syncBatch = 1000

// SyncUnits makes the stored units with the codes of units equal to them:
// it inserts the new ones in bulk, replaces those that differ and writes
// nothing for the rest, so storing the same units again is cheap. Units
// with other codes are left alone. A code given twice keeps its last unit.
//
// It reads the stored units in one pass over the codes' range, merged with
// the given units in code order: the embedded database looks up one _id
// by its index but scans for $in and for ranges, so one pass costs what a
// lookup of one batch would.
func (s *Store) SyncUnits(ctx context.Context, units []model.AdminUnit) (sync UnitSync, err error) {
	defer func() {
		if sync.Added+sync.Changed > 0 {
			if gerr := s.unitsChanged(ctx); err == nil {
				err = gerr
			}
		}
	}()
	given := lastOfEachCode(units)
	if len(given) == 0 {
		return sync, nil
	}
	c := s.db.Collection(unitsColl)
	cur, err := c.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: given[0].Code}, {Key: "$lte", Value: given[len(given)-1].Code}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(findBatch))
	if err != nil {
		return sync, fmt.Errorf("find in %s: %w", unitsColl, err)
	}
	defer cur.Close(ctx)
	var added, changed []model.AdminUnit
	i := 0
	for cur.Next(ctx) {
		var stored model.AdminUnit
		if err := cur.Decode(&stored); err != nil {
			return sync, fmt.Errorf("read %s: %w", unitsColl, err)
		}
		for ; i < len(given) && given[i].Code < stored.Code; i++ {
			added = append(added, given[i])
		}
		if i < len(given) && given[i].Code == stored.Code {
			if given[i] != stored {
				changed = append(changed, given[i])
			} else {
				sync.Unchanged++
			}
			i++
		}
	}
	if err := cur.Err(); err != nil {
		return sync, fmt.Errorf("read %s: %w", unitsColl, err)
	}
	added = append(added, given[i:]...)
	for batch := range slices.Chunk(added, syncBatch) {
		if err := insertMany(ctx, c, batch); err != nil {
			if !mongo.IsDuplicateKeyError(err) {
				return sync, err
			}
			// Another writer stored some of them meanwhile: replace the
			// batch, which is idempotent, and count it as changed.
			changed = append(changed, batch...)
			continue
		}
		sync.Added += len(batch)
	}
	if err := replaceAll(ctx, c, changed, func(u model.AdminUnit) string { return u.Code }); err != nil {
		return sync, err
	}
	sync.Changed += len(changed)
	return sync, nil
}

// lastOfEachCode returns units in code order, with only the last given
// unit of each code.
func lastOfEachCode(units []model.AdminUnit) []model.AdminUnit {
	last := make(map[string]int, len(units))
	for i, u := range units {
		last[u.Code] = i
	}
	out := make([]model.AdminUnit, 0, len(last))
	for i, u := range units {
		if last[u.Code] == i {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b model.AdminUnit) int { return strings.Compare(a.Code, b.Code) })
	return out
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
	prefix := model.CodePrefix(code)
	f := bson.D{{Key: "$and", Value: bson.A{
		bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: prefix}, {Key: "$lt", Value: prefix + ":"}}}}, // the unit and those below it
		bson.D{in("level", []string{string(model.LevelCounty), string(model.LevelCity)})},
	}}}
	units, err := findAll[model.AdminUnit](ctx, s.db.Collection(unitsColl), f)
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
		bson.D{{Key: "_id", Value: bson.D{{Key: "$ne", Value: f.Parent}}}},                                   // below it, not itself
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

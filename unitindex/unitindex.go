// Package unitindex answers the lookups of administrative units from
// memory: a province's 20,000 towns, communities and villages take a few
// megabytes, while the embedded database reads its whole units collection
// for any query but one by _id (a second at that size). The index reloads
// the units when their generation moves: at once after a write by this
// process, within a second after one by another hub on the same database.
// Over its byte budget it keeps nothing and passes every lookup to the
// store.
package unitindex

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// Store is where the units come from. *store.Store is one.
type Store interface {
	Units(ctx context.Context) ([]model.AdminUnit, error)
	UnitGeneration(ctx context.Context) (int64, error)
	// UnitWrites counts this process's writes of units.
	UnitWrites() int64

	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error)
	Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error)
	ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error)
	Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error)
	CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error)
	UnitsPage(ctx context.Context, f store.UnitFilter, p store.Page) (store.PageOf[model.AdminUnit], error)
	CountUnits(ctx context.Context, f store.UnitFilter) (int, error)
}

// DefaultMaxBytes is the default budget of an index: about 300,000 units.
const DefaultMaxBytes = 64 << 20

// recheck is how long a generation read from the store is trusted.
const recheck = time.Second

// Index serves unit lookups from memory. Its methods are those of
// *store.Store, with the same results.
type Index struct {
	src      Store
	maxBytes int
	logger   *slog.Logger

	mu      sync.Mutex
	snap    *snapshot // nil: not loaded, or over budget
	gen     int64
	writes  int64
	checked time.Time
	over    bool // the last load was over budget
}

// snapshot is the units as one load saw them.
type snapshot struct {
	sorted   []model.AdminUnit // by code
	byCode   map[string]int
	children map[string][]int // by parent code, in code order
}

// New returns an index of the units of src within maxBytes (0: the
// default), logging to logger (nil: discard).
func New(src Store, maxBytes int, logger *slog.Logger) *Index {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Index{src: src, maxBytes: maxBytes, logger: logger, gen: -1}
}

// current returns the snapshot to answer from, loading it when the units
// changed; nil means ask the store.
func (x *Index) current(ctx context.Context) (*snapshot, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	writes := x.src.UnitWrites()
	if writes == x.writes && time.Since(x.checked) < recheck && (x.snap != nil || x.over) {
		return x.snap, nil
	}
	gen, err := x.src.UnitGeneration(ctx)
	if err != nil {
		return nil, err
	}
	x.checked = time.Now()
	if gen == x.gen && writes == x.writes && (x.snap != nil || x.over) {
		return x.snap, nil
	}
	units, err := x.src.Units(ctx)
	if err != nil {
		return nil, err
	}
	x.gen, x.writes = gen, writes
	if size := sizeOf(units); size > x.maxBytes {
		if !x.over {
			x.logger.Warn("units: more than the index holds; lookups go to the database", "units", len(units), "bytes", size, "budget", x.maxBytes)
		}
		x.snap, x.over = nil, true
		return nil, nil
	}
	x.snap, x.over = load(units), false
	return x.snap, nil
}

// sizeOf estimates the bytes units take in an index.
func sizeOf(units []model.AdminUnit) int {
	const perUnit = 6*16 + 8 + 2*8 + 3*8 // strings' headers, map and children entries
	n := 0
	for _, u := range units {
		n += perUnit + len(u.Code) + len(u.Name) + len(u.NameEn) + len(u.Level) + len(u.ParentCode) + len(u.CountyCode)
	}
	return n
}

func load(units []model.AdminUnit) *snapshot {
	s := &snapshot{sorted: slices.Clone(units), byCode: make(map[string]int, len(units)), children: map[string][]int{}}
	slices.SortFunc(s.sorted, func(a, b model.AdminUnit) int { return strings.Compare(a.Code, b.Code) })
	for i, u := range s.sorted {
		s.byCode[u.Code] = i
		if u.ParentCode != "" {
			s.children[u.ParentCode] = append(s.children[u.ParentCode], i)
		}
	}
	return s
}

// Unit returns the unit with the given code, or store.ErrNotFound.
func (x *Index) Unit(ctx context.Context, code string) (model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.Unit(ctx, code)
		}
		return model.AdminUnit{}, err
	}
	i, ok := s.byCode[code]
	if !ok {
		return model.AdminUnit{}, fmt.Errorf("units %q: %w", code, store.ErrNotFound)
	}
	return s.sorted[i], nil
}

// UnitsByCode returns the units with the given codes, in code order; codes
// that do not exist are left out.
func (x *Index) UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.UnitsByCode(ctx, codes)
		}
		return nil, err
	}
	out := []model.AdminUnit{}
	for _, c := range slices.Compact(slices.Sorted(slices.Values(codes))) {
		if i, ok := s.byCode[c]; ok {
			out = append(out, s.sorted[i])
		}
	}
	return out, nil
}

// Children returns the units whose parent is the given unit, in code
// order, optionally only those of one level.
func (x *Index) Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.Children(ctx, parent, level)
		}
		return nil, err
	}
	out := []model.AdminUnit{}
	for _, i := range s.children[parent] {
		if level == "" || s.sorted[i].Level == level {
			out = append(out, s.sorted[i])
		}
	}
	return out, nil
}

// ChildrenOf returns every unit whose parent is one of the given units, in
// code order.
func (x *Index) ChildrenOf(ctx context.Context, parents []string) ([]model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.ChildrenOf(ctx, parents)
		}
		return nil, err
	}
	var idx []int
	for _, p := range slices.Compact(slices.Sorted(slices.Values(parents))) {
		idx = append(idx, s.children[p]...)
	}
	slices.Sort(idx)
	out := make([]model.AdminUnit, 0, len(idx))
	for _, i := range idx {
		out = append(out, s.sorted[i])
	}
	return out, nil
}

// within returns the units whose codes lie within code's (see
// model.CodePrefix), code's own included, in code order.
func (s *snapshot) within(code string) []model.AdminUnit {
	prefix := model.CodePrefix(code)
	lo := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].Code >= prefix })
	hi := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].Code >= prefix+":" }) // ':' follows the digits
	return s.sorted[lo:hi]
}

// matches tells whether u is of level, with the cities that are their
// own county among the county-level units (as store.UnitFilter).
func matches(u model.AdminUnit, level model.UnitLevel) bool {
	if level == model.LevelCounty {
		return u.IsCountyLevel()
	}
	return level == "" || u.Level == level
}

// Descendants returns the units of a level anywhere below a unit, in code
// order; with no level, its children.
func (x *Index) Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.Descendants(ctx, code, level)
		}
		return nil, err
	}
	return append([]model.AdminUnit{}, s.picked(store.UnitFilter{Parent: code, Level: level})...), nil
}

// CountiesWithin returns the county-level units within a unit, in code
// order: the unit itself when it is one.
func (x *Index) CountiesWithin(ctx context.Context, code string) ([]model.AdminUnit, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.CountiesWithin(ctx, code)
		}
		return nil, err
	}
	out := []model.AdminUnit{}
	for _, u := range s.within(code) {
		if u.IsCountyLevel() {
			out = append(out, u)
		}
	}
	return out, nil
}

// picked returns the units f picks, in code order.
func (s *snapshot) picked(f store.UnitFilter) []model.AdminUnit {
	switch {
	case f.Parent == "" && f.Level == "":
		return s.sorted
	case f.Parent == "":
		var out []model.AdminUnit
		for _, u := range s.sorted {
			if matches(u, f.Level) {
				out = append(out, u)
			}
		}
		return out
	case f.Level == "":
		out := make([]model.AdminUnit, 0, len(s.children[f.Parent]))
		for _, i := range s.children[f.Parent] {
			out = append(out, s.sorted[i])
		}
		return out
	}
	var out []model.AdminUnit
	for _, u := range s.within(f.Parent) {
		if u.Code != f.Parent && matches(u, f.Level) {
			out = append(out, u)
		}
	}
	return out
}

// UnitsPage returns a page of the units f picks, in code order.
func (x *Index) UnitsPage(ctx context.Context, f store.UnitFilter, p store.Page) (store.PageOf[model.AdminUnit], error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.UnitsPage(ctx, f, p)
		}
		return store.PageOf[model.AdminUnit]{}, err
	}
	page := store.PageOf[model.AdminUnit]{Items: []model.AdminUnit{}}
	if p.First <= 0 {
		return page, nil
	}
	units := s.picked(f)
	start := sort.Search(len(units), func(i int) bool { return units[i].Code > p.After })
	units = units[start:]
	if len(units) > p.First {
		units, page.HasNext = units[:p.First], true
	}
	page.Items = append(page.Items, units...)
	return page, nil
}

// CountUnits counts the units f picks.
func (x *Index) CountUnits(ctx context.Context, f store.UnitFilter) (int, error) {
	s, err := x.current(ctx)
	if err != nil || s == nil {
		if err == nil {
			return x.src.CountUnits(ctx, f)
		}
		return 0, err
	}
	return len(s.picked(f)), nil
}

package release

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// Query asks for one page of a dataset's released records, in the order
// of their cursor keys: by county code, then by natural key.
type Query struct {
	// County keeps the records of one county; empty keeps every county's.
	County string
	// Facet keeps the records whose Record.Facet is this; empty keeps all.
	Facet string
	// After is the cursor key (CursorKey) of the last record already
	// seen; empty starts at the beginning.
	After string
	// First is the most records the page holds.
	First int
}

// Page is one page of released records and the number of records that
// match the query over all pages.
type Page[T model.Record] struct {
	Items   []T
	HasNext bool
	Total   int
}

// CursorKey is where a record of a county's dataset sorts in a page:
// "340828/key".
func CursorKey(county, key string) string { return county + "/" + key }

// page reads one page of the released records of a county-level dataset
// (stations, spaces, pilots, budgets). It reads the records of the runs
// the page reaches and no others: the release of the county the cursor
// is in, and those after it until the page is full, each whole from the
// cache or the store. The total comes from the counts the releases keep;
// only a release written before they were kept has its run read to count.
func page[T model.Record](ctx context.Context, r *Reader, dataset string, q Query) (Page[T], error) {
	out := Page[T]{Items: []T{}}
	rels, err := r.releases(ctx)
	if err != nil {
		return out, err
	}
	rels = slices.Clone(rels)
	slices.SortFunc(rels, func(a, b model.Release) int { return strings.Compare(a.Unit, b.Unit) })
	afterUnit, afterKey, _ := strings.Cut(q.After, "/")
	full := func() bool { return len(out.Items) > q.First }
	for _, rel := range rels {
		run := rel.Runs[dataset]
		if run == "" || q.County != "" && rel.Unit != q.County {
			continue
		}
		n, known := rel.Count(dataset, q.Facet)
		reach := !full() && (q.After == "" || rel.Unit >= afterUnit)
		if known && (n == 0 || !reach) {
			out.Total += n
			continue
		}
		rs, err := runRecords[T](ctx, r, dataset, run)
		if err != nil {
			return out, err
		}
		keep := func(v T) bool { return q.Facet == "" || v.Facet() == q.Facet }
		if !known {
			n = 0
			for _, v := range rs {
				if keep(v) {
					n++
				}
			}
		}
		out.Total += n
		if !reach {
			continue
		}
		start := 0
		if q.After != "" && rel.Unit == afterUnit {
			start = sort.Search(len(rs), func(i int) bool { return rs[i].NaturalKey() > afterKey })
		}
		for _, v := range rs[start:] {
			if full() {
				break
			}
			if keep(v) {
				out.Items = append(out.Items, v)
			}
		}
	}
	if full() {
		out.Items, out.HasNext = out.Items[:q.First], true
	}
	return out, nil
}

// runRecords returns the records of one released run of a dataset, in
// key order, from the cache or, filling it, from the store.
func runRecords[T model.Record](ctx context.Context, r *Reader, dataset, run string) ([]T, error) {
	if v, ok := r.cache.Get(dataset + "/" + run); ok {
		return v.([]T), nil
	}
	byRun, err := load[T](ctx, r, dataset, []string{run})
	return byRun[run], err
}

// StationsPage returns a page of the released stations.
func (r *Reader) StationsPage(ctx context.Context, q Query) (Page[model.Station], error) {
	return page[model.Station](ctx, r, "stations", q)
}

// SpacesPage returns a page of the released shared spaces.
func (r *Reader) SpacesPage(ctx context.Context, q Query) (Page[model.Space], error) {
	return page[model.Space](ctx, r, "spaces", q)
}

// PilotsPage returns a page of the released pilots.
func (r *Reader) PilotsPage(ctx context.Context, q Query) (Page[model.Pilot], error) {
	return page[model.Pilot](ctx, r, "pilots", q)
}

// BudgetsPage returns a page of the released budget lines.
func (r *Reader) BudgetsPage(ctx context.Context, q Query) (Page[model.Budget], error) {
	return page[model.Budget](ctx, r, "budgets", q)
}

// Count returns how many records of a dataset the releases of the given
// units hold (nil: every unit's), from the counts the releases keep; only
// a release written before they were kept has its run read to count.
func (r *Reader) Count(ctx context.Context, dataset string, units []string) (int, error) {
	rels, err := r.releases(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var uncounted []string
	for _, rel := range rels {
		if rel.Runs[dataset] == "" || units != nil && !slices.Contains(units, rel.Unit) {
			continue
		}
		if n, ok := rel.Count(dataset, ""); ok {
			total += n
		} else {
			uncounted = append(uncounted, rel.Unit)
		}
	}
	if len(uncounted) > 0 {
		recs, err := r.store.Records(ctx, dataset, r.runsFor(rels, dataset, uncounted)...)
		if err != nil {
			return 0, err
		}
		total += len(recs)
	}
	return total, nil
}

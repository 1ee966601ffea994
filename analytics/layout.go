package analytics

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// groupOf is the group a unit's figures and sums belong to: its county,
// or model.RollupAbove for the cities and provinces above the counties.
func groupOf(u model.AdminUnit) string {
	if u.CountyCode == "" {
		return model.RollupAbove
	}
	return u.CountyCode
}

// inPart tells whether a unit's figure and sum are kept in its county's
// part: the units below a county.
func inPart(u model.AdminUnit) bool { return u.CountyCode != "" && u.CountyCode != u.Code }

// docOf is the id of the document that holds a unit's figure and sum in
// the rollup of a metric and period: its county's part for a unit below a
// county, its parent's node for one with a parent, the root otherwise.
func docOf(metric, period string, u model.AdminUnit) string {
	switch {
	case inPart(u):
		return model.RollupPartID(metric, period, u.CountyCode)
	case u.ParentCode != "":
		return model.RollupPartID(metric, period, u.ParentCode)
	}
	return model.RollupID(metric, period)
}

// newDoc is an empty document of the rollup of a metric and period: the
// root, a county's part or a unit's node, as docOf names them.
func newDoc(id string, units map[string]model.AdminUnit) model.Rollup {
	metric, period, under := splitPartID(id)
	d := model.Rollup{ID: id, Metric: metric, Period: period, Figures: map[string]model.RollupFigure{}}
	switch {
	case under == "":
		d.Groups = map[string]model.RollupGroup{}
	case units[under].CountyCode == under:
		d.County = under
	default:
		d.Node = under
	}
	return d
}

// Layout splits whole rollups, as Rollups computes them, into the
// documents they are stored as (see model.Rollup), in id order. units
// must hold every unit the rollups name.
func Layout(rs []model.Rollup, units map[string]model.AdminUnit) []model.Rollup {
	var out []model.Rollup
	for _, r := range rs {
		docs := map[string]*model.Rollup{}
		doc := func(u model.AdminUnit) *model.Rollup {
			id := docOf(r.Metric, r.Period, u)
			d := docs[id]
			if d == nil {
				nd := newDoc(id, units)
				nd.Computed = r.Computed
				d = &nd
				docs[id] = d
			}
			return d
		}
		root := doc(model.AdminUnit{})
		for code, f := range r.Figures {
			u := units[code]
			doc(u).Figures[code] = f
			g := root.Groups[groupOf(u)]
			g.Reported++
			if !inPart(u) {
				g.Units = append(g.Units, code)
			}
			root.Groups[groupOf(u)] = g
		}
		for code, sum := range r.Lower {
			u := units[code]
			setLower(doc(u), code, sum)
			if u.CountyCode != "" && !inPart(u) {
				g := root.Groups[u.CountyCode]
				g.Units = append(g.Units, code)
				root.Groups[u.CountyCode] = g
			}
		}
		for k, g := range root.Groups {
			sort.Strings(g.Units)
			g.Units = slices.Compact(g.Units)
			root.Groups[k] = g
		}
		for _, id := range slices.Sorted(maps.Keys(docs)) {
			out = append(out, *docs[id])
		}
	}
	slices.SortFunc(out, func(a, b model.Rollup) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func setLower(r *model.Rollup, code string, s model.RollupSum) {
	if r.Lower == nil {
		r.Lower = map[string]model.RollupSum{}
	}
	r.Lower[code] = s
}

// Merge puts stored rollups back together: the documents of each metric
// and period among docs as one whole rollup with every figure and sum
// and no groups, in id order.
func Merge(docs []model.Rollup) []model.Rollup {
	whole := map[string]*model.Rollup{}
	for _, d := range docs {
		id := model.RollupID(d.Metric, d.Period)
		m := whole[id]
		if m == nil {
			m = &model.Rollup{ID: id, Metric: d.Metric, Period: d.Period, Figures: map[string]model.RollupFigure{}}
			whole[id] = m
		}
		if d.ID == id {
			m.Computed = d.Computed
		}
		maps.Copy(m.Figures, d.Figures)
		for code, s := range d.Lower {
			setLower(m, code, s)
		}
	}
	out := make([]model.Rollup, 0, len(whole))
	for _, id := range slices.Sorted(maps.Keys(whole)) {
		out = append(out, *whole[id])
	}
	return out
}

// rootCoverage is the coverage a root tells: the counties with a figure
// or a sum, and every unit reporting a figure.
func rootCoverage(root model.Rollup) model.MetricCoverage {
	c := model.MetricCoverage{Metric: root.Metric, Period: root.Period}
	for k, g := range root.Groups {
		c.Units += g.Reported
		if k != model.RollupAbove && len(g.Units) > 0 {
			c.Counties++
		}
	}
	return c
}

// sortCoverage orders coverage by metric, newest period first.
func sortCoverage(cs []model.MetricCoverage) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Metric != cs[j].Metric {
			return cs[i].Metric < cs[j].Metric
		}
		return cs[i].Period > cs[j].Period
	})
}

// isPartID tells a part's or a node's id from a root's.
func isPartID(id string) bool { return strings.Count(id, "|") == 2 }

// splitPartID is the metric and period of a document's id, and the unit
// of a part or node ("" for a root).
func splitPartID(id string) (metric, period, unit string) {
	parts := strings.SplitN(id, "|", 3)
	switch len(parts) {
	case 3:
		return parts[0], parts[1], parts[2]
	case 2:
		return parts[0], parts[1], ""
	}
	return id, "", ""
}

// rollupsFor reads the rollups with the given root ids, each merged from
// the documents that hold the given units, by id.
func rollupsFor(ctx context.Context, src Source, ids []string, units []model.AdminUnit) (map[string]model.Rollup, error) {
	var want []string
	for _, id := range ids {
		metric, period, _ := splitPartID(id)
		want = append(want, id)
		for _, u := range units {
			want = append(want, docOf(metric, period, u))
		}
	}
	slices.Sort(want)
	docs, err := src.RollupsByID(ctx, slices.Compact(want))
	if err != nil {
		return nil, err
	}
	out := map[string]model.Rollup{}
	for _, r := range Merge(docs) {
		out[r.ID] = r
	}
	return out, nil
}

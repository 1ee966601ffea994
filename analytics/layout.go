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
		// A county's group sits beside its figure; the group of the units
		// above the counties in the root.
		groupDoc := func(u model.AdminUnit) *model.Rollup {
			if u.CountyCode == "" {
				return root
			}
			return doc(units[u.CountyCode])
		}
		addToGroup := func(u model.AdminUnit, reported int, unit string) {
			d := groupDoc(u)
			if d.Groups == nil {
				d.Groups = map[string]model.RollupGroup{}
			}
			g := d.Groups[groupOf(u)]
			g.Reported += reported
			if unit != "" {
				g.Units = append(g.Units, unit)
			}
			d.Groups[groupOf(u)] = g
		}
		for code, f := range r.Figures {
			u := units[code]
			doc(u).Figures[code] = f
			if inPart(u) {
				addToGroup(u, 1, "")
			} else {
				addToGroup(u, 1, code)
			}
		}
		for code, sum := range r.Lower {
			u := units[code]
			setLower(doc(u), code, sum)
			if u.CountyCode != "" && !inPart(u) {
				addToGroup(u, 0, code)
			}
		}
		for _, d := range docs {
			for k, g := range d.Groups {
				sort.Strings(g.Units)
				g.Units = slices.Compact(g.Units)
				d.Groups[k] = g
			}
		}
		// The covers of the units above the counties, deepest first: each
		// from its node, beside its own figure.
		above := map[string]bool{}
		for _, d := range docs {
			for c := range d.Groups {
				for a := ancestorAbove(units, c); a != ""; a = ancestorAbove(units, a) {
					above[a] = true
				}
			}
		}
		for _, a := range byDepth(units, slices.Collect(maps.Keys(above))) {
			if node := docs[model.RollupPartID(r.Metric, r.Period, a)]; node != nil {
				if c := nodeCover(*node); c != (model.RollupCover{}) {
					setCover(doc(units[a]), a, c)
				}
			}
		}
		for _, id := range slices.Sorted(maps.Keys(docs)) {
			out = append(out, *docs[id])
		}
	}
	slices.SortFunc(out, func(a, b model.Rollup) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ancestorAbove is the parent of a unit when it lies above the counties,
// or "".
func ancestorAbove(units map[string]model.AdminUnit, code string) string {
	if p := units[code].ParentCode; p != "" && units[p].CountyCode == "" {
		return p
	}
	return ""
}

// byDepth sorts units deepest first (by their ancestors), then by code.
func byDepth(units map[string]model.AdminUnit, codes []string) []string {
	depth := func(c string) int {
		n := 0
		for p := units[c].ParentCode; p != ""; p = units[p].ParentCode {
			n++
		}
		return n
	}
	slices.SortFunc(codes, func(a, b string) int {
		if da, db := depth(a), depth(b); da != db {
			return db - da
		}
		return strings.Compare(a, b)
	})
	return codes
}

// nodeCover is what a unit's node reports: its counties' groups and the
// covers of its children above the counties.
func nodeCover(node model.Rollup) model.RollupCover {
	var c model.RollupCover
	for k, g := range node.Groups {
		if k != model.RollupAbove {
			c = c.Add(g.Cover())
		}
	}
	for _, cv := range node.Covers {
		c = c.Add(cv)
	}
	return c
}

// setCover sets, or removes when empty, the cover of a unit in d.
func setCover(d *model.Rollup, code string, c model.RollupCover) {
	if c == (model.RollupCover{}) {
		delete(d.Covers, code)
		if len(d.Covers) == 0 {
			d.Covers = nil
		}
		return
	}
	if d.Covers == nil {
		d.Covers = map[string]model.RollupCover{}
	}
	d.Covers[code] = c
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
// or a sum, and every unit reporting a figure, from its groups and the
// covers of the units without a parent.
func rootCoverage(root model.Rollup) model.MetricCoverage {
	c := nodeCover(root).Add(model.RollupCover{Units: root.Groups[model.RollupAbove].Reported})
	return model.MetricCoverage{Metric: root.Metric, Period: root.Period, Counties: c.Counties, Units: c.Units}
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

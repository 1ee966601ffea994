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

// inTop tells whether a unit's figure and sum are kept in the top rollup
// (county-level units and those above them) rather than in its county's
// part.
func inTop(u model.AdminUnit) bool { return u.CountyCode == "" || u.CountyCode == u.Code }

// Layout splits whole rollups, as Rollups computes them, into the
// documents they are stored as: a top rollup for each and a part for each
// county with lower units in it (see model.Rollup). units must hold every
// unit the rollups name.
func Layout(rs []model.Rollup, units map[string]model.AdminUnit) []model.Rollup {
	var out []model.Rollup
	for _, r := range rs {
		top := model.Rollup{ID: r.ID, Metric: r.Metric, Period: r.Period, Computed: r.Computed,
			Figures: map[string]model.RollupFigure{}, Groups: map[string]model.RollupGroup{}}
		parts := map[string]*model.Rollup{}
		part := func(county string) *model.Rollup {
			p := parts[county]
			if p == nil {
				p = &model.Rollup{ID: model.RollupPartID(r.Metric, r.Period, county), Metric: r.Metric, Period: r.Period,
					County: county, Computed: r.Computed, Figures: map[string]model.RollupFigure{}}
				parts[county] = p
			}
			return p
		}
		for code, f := range r.Figures {
			u := units[code]
			g := top.Groups[groupOf(u)]
			g.Reported++
			if inTop(u) {
				top.Figures[code] = f
				g.Units = append(g.Units, code)
			} else {
				part(u.CountyCode).Figures[code] = f
			}
			top.Groups[groupOf(u)] = g
		}
		for code, s := range r.Lower {
			u := units[code]
			switch {
			case u.CountyCode == "": // above the counties: the top's own sums
				setLower(&top, code, s)
			case inTop(u):
				setLower(&top, code, s)
				g := top.Groups[u.CountyCode]
				g.Units = append(g.Units, code)
				top.Groups[u.CountyCode] = g
			default:
				setLower(part(u.CountyCode), code, s)
			}
		}
		for k, g := range top.Groups {
			sort.Strings(g.Units)
			g.Units = slices.Compact(g.Units)
			top.Groups[k] = g
		}
		out = append(out, top)
		for _, county := range slices.Sorted(maps.Keys(parts)) {
			out = append(out, *parts[county])
		}
	}
	return out
}

func setLower(r *model.Rollup, code string, s model.RollupSum) {
	if r.Lower == nil {
		r.Lower = map[string]model.RollupSum{}
	}
	r.Lower[code] = s
}

// Merge puts stored rollups back together: each top rollup with the parts
// of its metric and period among docs, as one whole rollup with every
// figure and sum and no groups, in id order. A part without its top is
// left out.
func Merge(docs []model.Rollup) []model.Rollup {
	tops := map[string]*model.Rollup{}
	for _, d := range docs {
		if d.County != "" {
			continue
		}
		m := model.Rollup{ID: d.ID, Metric: d.Metric, Period: d.Period, Computed: d.Computed,
			Figures: maps.Clone(d.Figures), Lower: maps.Clone(d.Lower)}
		if m.Figures == nil {
			m.Figures = map[string]model.RollupFigure{}
		}
		tops[d.ID] = &m
	}
	for _, d := range docs {
		m := tops[model.RollupID(d.Metric, d.Period)]
		if d.County == "" || m == nil {
			continue
		}
		maps.Copy(m.Figures, d.Figures)
		for code, s := range d.Lower {
			setLower(m, code, s)
		}
	}
	out := make([]model.Rollup, 0, len(tops))
	for _, id := range slices.Sorted(maps.Keys(tops)) {
		out = append(out, *tops[id])
	}
	return out
}

// sumAbove recomputes the sums of the units above the counties in a top
// rollup from its county-level figures and sums: its sums not owned by a
// county are those, and are replaced. units must hold the top's units
// and their ancestors.
func sumAbove(top *model.Rollup, units map[string]model.AdminUnit, adds bool) error {
	owned := map[string]bool{}
	for k, g := range top.Groups {
		for _, code := range g.Units {
			owned[code] = k != model.RollupAbove
		}
	}
	for code := range top.Lower {
		if !owned[code] {
			delete(top.Lower, code)
		}
	}
	if !adds {
		return nil
	}
	leaves := map[string]leaf{}
	for code, f := range top.Figures {
		leaves[code] = leaf{value: f.Value}
	}
	for code, s := range top.Lower {
		if _, own := top.Figures[code]; !own {
			leaves[code] = leaf{value: s.Value, units: s.Units}
		}
	}
	above, err := sumLeaves(leaves, units)
	if err != nil {
		return err
	}
	for code, s := range above {
		setLower(top, code, s)
	}
	if len(top.Lower) == 0 {
		top.Lower = nil
	}
	return nil
}

// topCoverage is the coverage of a top rollup: the counties with a figure
// or a sum of their own in it, and every unit reporting a figure.
func topCoverage(top model.Rollup) model.MetricCoverage {
	c := model.MetricCoverage{Metric: top.Metric, Period: top.Period}
	for k, g := range top.Groups {
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

// isPartID tells a part's id from a top rollup's.
func isPartID(id string) bool { return strings.Count(id, "|") == 2 }

// rollupsFor reads the rollups with the given top ids, each merged with
// the parts of the counties whose lower units are among units, by id.
func rollupsFor(ctx context.Context, src Source, ids []string, units []model.AdminUnit) (map[string]model.Rollup, error) {
	var counties []string
	for _, u := range units {
		if !inTop(u) {
			counties = append(counties, u.CountyCode)
		}
	}
	slices.Sort(counties)
	counties = slices.Compact(counties)
	want := slices.Clone(ids)
	for _, id := range ids {
		metric, period := splitRollupID(id)
		for _, c := range counties {
			want = append(want, model.RollupPartID(metric, period, c))
		}
	}
	docs, err := src.RollupsByID(ctx, want)
	if err != nil {
		return nil, err
	}
	out := map[string]model.Rollup{}
	for _, r := range Merge(docs) {
		out[r.ID] = r
	}
	return out, nil
}

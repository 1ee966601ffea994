package analytics

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/countyhub/countyhub/model"
)

// Rollups computes the rollup of every metric and period the released
// observations give, in id order. allUnits must hold every unit the
// observations name; allMetrics says which metrics add up.
func Rollups(obs []model.Observation, allUnits []model.AdminUnit, allMetrics []model.Metric, now time.Time) ([]model.Rollup, error) {
	units := make(map[string]model.AdminUnit, len(allUnits))
	for _, u := range allUnits {
		units[u.Code] = u
	}
	metrics := make(map[string]model.Metric, len(allMetrics))
	for _, m := range allMetrics {
		metrics[m.Code] = m
	}
	byID := map[string]*model.Rollup{}
	for _, o := range obs {
		id := model.RollupID(o.MetricCode, o.Period)
		r := byID[id]
		if r == nil {
			r = &model.Rollup{ID: id, Metric: o.MetricCode, Period: o.Period, Figures: map[string]model.RollupFigure{}, Computed: now}
			byID[id] = r
		}
		if prev, ok := r.Figures[o.UnitCode]; ok {
			return nil, fmt.Errorf("%s of %s in %s: released twice (runs %s and %s)", o.MetricCode, o.UnitCode, o.Period, prev.Run, o.Provenance.RunID)
		}
		if _, ok := units[o.UnitCode]; !ok {
			return nil, fmt.Errorf("%s in %s: unknown unit %s", o.MetricCode, o.Period, o.UnitCode)
		}
		r.Figures[o.UnitCode] = model.RollupFigure{Value: o.Value, County: o.CountyCode, Run: o.Provenance.RunID,
			Reference: o.Provenance.Reference, FileName: o.Provenance.FileName}
	}
	out := make([]model.Rollup, 0, len(byID))
	for _, r := range byID {
		if metrics[r.Metric].Aggregation == model.AggregateSum {
			lower, err := sums(r.Figures, units)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.ID, err)
			}
			if len(lower) > 0 {
				r.Lower = lower
			}
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// leaf is a value sums starts from: a unit's own figure (units nil) or a
// sum computed elsewhere (a county's, from its part) with the units whose
// figures make it.
type leaf struct {
	value model.Quantity
	units []string
}

// sums adds up figures level by level, community -> town -> county ->
// city -> province: every ancestor of a unit with a figure that has no
// figure of its own gets the sum of what its children have, each child's
// own figure or else its sum. A unit's own figure wins over its
// children's, so nothing counts twice. A sum's Units are, within a
// county, the units whose own figures it adds, at whatever level they
// are, and above the counties its children with a value (so that a
// province's sum names its cities, not its towns). The sums carry the figures'
// qualifiers; that they leave out children without figures is for the
// reader to say (see figureOf).
func sums(figures map[string]model.RollupFigure, units map[string]model.AdminUnit) (map[string]model.RollupSum, error) {
	leaves := make(map[string]leaf, len(figures))
	for code, f := range figures {
		leaves[code] = leaf{value: f.Value}
	}
	return sumLeaves(leaves, units)
}

// sumLeaves is sums from leaves: the sums of the units above them that
// are not leaves themselves.
func sumLeaves(leaves map[string]leaf, units map[string]model.AdminUnit) (map[string]model.RollupSum, error) {
	children := map[string][]string{}
	for code := range leaves {
		for c, p := code, units[code].ParentCode; p != ""; c, p = p, units[p].ParentCode {
			seen := len(children[p]) > 0
			children[p] = append(children[p], c)
			if seen {
				break // p's ancestors were linked by an earlier figure
			}
		}
	}
	out := map[string]model.RollupSum{}
	var value func(code string) (model.Quantity, error)
	value = func(code string) (model.Quantity, error) {
		if l, ok := leaves[code]; ok {
			return l.value, nil
		}
		if s, ok := out[code]; ok {
			return s.Value, nil
		}
		kids := children[code]
		sort.Strings(kids)
		kids = slices.Compact(kids)
		qs := make([]model.Quantity, 0, len(kids))
		var from []string
		for _, c := range kids {
			q, err := value(c)
			if err != nil {
				return q, err
			}
			qs = append(qs, q)
			switch l, ok := leaves[c]; {
			case ok && l.units == nil, units[code].CountyCode == "":
				from = append(from, c) // a figure, or a child of a unit above the counties
			case ok:
				from = append(from, l.units...)
			default:
				from = append(from, out[c].Units...)
			}
		}
		sort.Strings(from)
		sum, err := Sum(qs...)
		if err != nil {
			return sum, fmt.Errorf("units below %s: %w", code, err)
		}
		out[code] = model.RollupSum{Value: sum, Units: from}
		return sum, nil
	}
	for code := range children {
		if _, ok := leaves[code]; ok {
			continue
		}
		if _, err := value(code); err != nil {
			return nil, err
		}
	}
	return out, nil
}

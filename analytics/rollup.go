package analytics

import (
	"fmt"
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
	lower := map[string]map[string][]model.Observation{} // rollup id -> county -> lower units' figures
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
		r.Figures[o.UnitCode] = model.RollupFigure{Value: o.Value, County: o.CountyCode, Run: o.Provenance.RunID,
			Reference: o.Provenance.Reference, FileName: o.Provenance.FileName}
		u, ok := units[o.UnitCode]
		if !ok {
			return nil, fmt.Errorf("%s in %s: unknown unit %s", o.MetricCode, o.Period, o.UnitCode)
		}
		below := u.Level != model.LevelCity && u.Level != model.LevelCounty && o.CountyCode != ""
		if below && metrics[o.MetricCode].Aggregation == model.AggregateSum {
			if lower[id] == nil {
				lower[id] = map[string][]model.Observation{}
			}
			lower[id][o.CountyCode] = append(lower[id][o.CountyCode], o)
		}
	}
	for id, counties := range lower {
		r := byID[id]
		r.Lower = map[string]model.RollupSum{}
		for county, figs := range counties {
			sort.Slice(figs, func(i, j int) bool { return figs[i].UnitCode < figs[j].UnitCode })
			var qs []model.Quantity
			var codes []string
			for _, f := range figs {
				qs = append(qs, f.Value)
				codes = append(codes, f.UnitCode)
			}
			sum, err := Sum(qs...)
			if err != nil {
				return nil, fmt.Errorf("%s: lower units of %s: %w", id, county, err)
			}
			r.Lower[county] = model.RollupSum{Value: sum, Units: codes}
		}
	}
	out := make([]model.Rollup, 0, len(byID))
	for _, r := range byID {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

package analytics

import (
	"sort"

	"github.com/countyhub/countyhub/model"
)

// CoverageOf tells, for each rollup, how many counties and units report
// its metric in its period; by metric, newest period first. A county
// counts when it has a figure of its own or, for a metric that adds up,
// when its lower units have figures.
func CoverageOf(rs []model.Rollup, units []model.AdminUnit) []model.MetricCoverage {
	level := make(map[string]model.UnitLevel, len(units))
	for _, u := range units {
		level[u.Code] = u.Level
	}
	out := make([]model.MetricCoverage, 0, len(rs))
	for _, r := range rs {
		counties := map[string]bool{}
		for code := range r.Figures {
			if level[code] == model.LevelCounty {
				counties[code] = true
			}
		}
		for county := range r.Lower {
			counties[county] = true
		}
		out = append(out, model.MetricCoverage{Metric: r.Metric, Period: r.Period, Counties: len(counties), Units: len(r.Figures)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Metric != out[j].Metric {
			return out[i].Metric < out[j].Metric
		}
		return out[i].Period > out[j].Period
	})
	return out
}

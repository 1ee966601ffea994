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
	countyLevel := make(map[string]bool, len(units))
	for _, u := range units {
		countyLevel[u.Code] = u.IsCountyLevel()
	}
	out := make([]model.MetricCoverage, 0, len(rs))
	for _, r := range rs {
		counties := map[string]bool{}
		for code := range r.Figures {
			if countyLevel[code] {
				counties[code] = true
			}
		}
		for code := range r.Lower {
			if countyLevel[code] {
				counties[code] = true
			}
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

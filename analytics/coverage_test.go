package analytics

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

func TestCoverageCountsCountiesOnceNewestPeriodFirst(t *testing.T) {
	units := []model.AdminUnit{
		{Code: "340800", Level: model.LevelCity},
		{Code: "340803", Level: model.LevelCounty},
		{Code: "340828", Level: model.LevelCounty},
		{Code: "340828001", Level: model.LevelCommunity},
	}
	fig := model.RollupFigure{}
	rs := []model.Rollup{
		{Metric: "outcome.problems_resolved", Period: "2022", Figures: map[string]model.RollupFigure{"340803": fig}},
		{
			Metric: "outcome.problems_resolved", Period: "2023",
			// Yuexi reports only for a community: it counts through its lower units, once.
			Figures: map[string]model.RollupFigure{"340803": fig, "340828001": fig},
			Lower:   map[string]model.RollupSum{"340828": {Units: []string{"340828001"}}},
		},
		// A city-wide figure covers no county.
		{Metric: "coverage.property_service", Period: "2023", Figures: map[string]model.RollupFigure{"340800": fig}},
	}
	want := []model.MetricCoverage{
		{Metric: "coverage.property_service", Period: "2023", Counties: 0, Units: 1},
		{Metric: "outcome.problems_resolved", Period: "2023", Counties: 2, Units: 2},
		{Metric: "outcome.problems_resolved", Period: "2022", Counties: 1, Units: 1},
	}
	if diff := cmp.Diff(want, CoverageOf(rs, units)); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
}

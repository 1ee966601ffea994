package analytics_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func obs(metric, unit, county, period string, v float64, q model.Qualifier) model.Observation {
	return model.Observation{MetricCode: metric, UnitCode: unit, CountyCode: county, Period: period,
		Value: model.Quantity{Value: v, Qualifier: q, Unit: model.UnitCount}, Provenance: model.Provenance{RunID: "r-" + county, Reference: "line 2"}}
}

// TestCompare compares through rollups stored in the embedded database:
// ranks with ties, honest totals, per-unit values with their gaps, change
// against the previous year, and metrics that do not add up.
func TestCompare(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	tiantang := model.AdminUnit{Code: "340828-town", Name: "天堂镇", Level: model.LevelTown, ParentCode: "340828", CountyCode: "340828"}
	if err := s.PutUnits(ctx, []model.AdminUnit{tiantang}); err != nil {
		t.Fatal(err)
	}
	units, _ := s.Units(ctx)
	metrics, _ := s.Metrics(ctx)
	rs, err := analytics.Rollups([]model.Observation{
		obs("org.compound_party_branches", "340803", "340803", "2023", 113, model.Exact),
		obs("org.compound_party_branches", "340881", "340881", "2023", 85, model.Exact),
		obs("org.compound_party_branches", "340827", "340827", "2023", 85, model.Exact),
		obs("org.compound_party_branches", "340803", "340803", "2022", 100, model.AtLeast),
		obs("org.owners_committees", "340881", "340881", "2023", 119, model.Exact),
		obs("org.owners_committees", "340827", "340827", "2023", 0, model.Exact),
		obs("plan.key_tasks", "340828-town", "340828", "2023", 24, model.Exact),
		obs("plan.key_tasks", "340882", "340882", "2023", 19, model.Exact),
	}, units, metrics, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]model.AdminUnit{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	if err := s.ReplaceRollups(ctx, analytics.Layout(rs, byCode)); err != nil {
		t.Fatal(err)
	}

	c, err := analytics.Compare(ctx, s, "org.compound_party_branches", "2023", "340800", "org.owners_committees", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Total == nil || *c.Total != (model.Quantity{Value: 283, Qualifier: model.Exact, Unit: model.UnitCount}) {
		t.Errorf("total %+v; want 283 EXACT", c.Total)
	}
	type row struct {
		unit    string
		rank    int
		perUnit float64
		missing bool
	}
	var got []row
	for _, r := range c.Rows {
		pu := 0.0
		if r.PerUnit != nil {
			pu = *r.PerUnit
		}
		got = append(got, row{r.Unit.Code, r.Rank, pu, r.PerUnitMissing != ""})
	}
	want := []row{{"340803", 1, 0, true}, {"340827", 2, 0, true}, {"340881", 2, 85.0 / 119, false}} // ties in code order
	if len(got) != len(want) {
		t.Fatalf("rows %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	if ch := c.Rows[0].Change; c.PreviousPeriod != "2022" || ch == nil || *ch != (model.Quantity{Value: 13, Qualifier: model.AtMost, Unit: model.UnitCount}) {
		t.Errorf("change of Daguan since %s: %+v; want 13 AT_MOST (113 minus at least 100)", c.PreviousPeriod, ch)
	}
	if len(c.Gaps) != 7 {
		t.Errorf("%d gaps; want 7", len(c.Gaps))
	}

	// A plan does not add up: Yuexi's town-level figure is not Yuexi's.
	c, err = analytics.Compare(ctx, s, "plan.key_tasks", "2023", "", "", "")
	if err == nil {
		t.Errorf("compare without a scope: %+v; want an error", c)
	}
	c, err = analytics.Compare(ctx, s, "plan.key_tasks", "2023", "340800", "", "")
	if err != nil || len(c.Rows) != 1 || c.Rows[0].Unit.Code != "340882" || c.Total != nil {
		t.Errorf("key tasks: %+v, total %v, %v; want Qianshan alone and no total", c.Rows, c.Total, err)
	}
	// The town's figure is stored in Yuexi's part and read from it.
	c, err = analytics.Compare(ctx, s, "plan.key_tasks", "2023", "340828", "", "")
	if err != nil || len(c.Rows) != 1 || c.Rows[0].Unit.Code != "340828-town" || c.Rows[0].Value.Value != 24 {
		t.Errorf("key tasks of Yuexi's towns: %+v, %v; want 天堂镇's 24", c.Rows, err)
	}
	for _, bad := range [][2]string{{"no.such_metric", ""}, {"plan.key_tasks", "no.such_metric"}} {
		if _, err := analytics.Compare(ctx, s, bad[0], "2023", "340800", bad[1], ""); !errors.Is(err, analytics.ErrUnknown) {
			t.Errorf("compare %v: %v; want ErrUnknown", bad, err)
		}
	}
}

func TestSeries(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	units, _ := s.Units(ctx)
	metrics, _ := s.Metrics(ctx)
	rs, err := analytics.Rollups([]model.Observation{
		obs("org.volunteer_teams", "340803", "340803", "2021", 8, model.Exact),
		obs("org.volunteer_teams", "340803", "340803", "2023", 12, model.Exact),
		obs("org.volunteer_teams", "340882", "340882", "2023", 26, model.AtLeast),
	}, units, metrics, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceRollups(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, err := analytics.SeriesOf(ctx, s, "org.volunteer_teams", []string{"340803", "340882"}, "2021", "2023")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range got.Lines {
		line := l.Unit.Code
		for _, p := range l.Points {
			if p.Value == nil {
				line += " " + p.Period + ":-"
			} else {
				line += fmt.Sprintf(" %s:%v%s", p.Period, p.Value.Value, map[bool]string{true: "+", false: ""}[p.Value.Qualifier == model.AtLeast])
			}
		}
		lines = append(lines, line)
	}
	want := []string{"340803 2021:8 2022:- 2023:12", "340882 2021:- 2022:- 2023:26+"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("series %q; want %q", lines, want)
	}
	for _, bad := range [][2]string{{"2023", "2021"}, {"2023", "2023-08"}, {"x", "y"}, {"1000", "2023"}} {
		if _, err := analytics.SeriesOf(ctx, s, "org.volunteer_teams", []string{"340803"}, bad[0], bad[1]); !errors.Is(err, analytics.ErrUnknown) {
			t.Errorf("series %v: %v; want ErrUnknown", bad, err)
		}
	}
	if got, err := analytics.SeriesOf(ctx, s, "org.volunteer_teams", []string{"340803"}, "2022-11", "2023-02"); err != nil || len(got.Periods) != 4 || got.Periods[0] != "2022-11" || got.Periods[3] != "2023-02" {
		t.Errorf("monthly periods %v, %v", got.Periods, err)
	}
}

// TestCacheFollowsTheGeneration reads rollups through the cache, changes
// them in the store, and sees the change.
func TestCacheFollowsTheGeneration(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	put := func(v float64) {
		t.Helper()
		r := model.Rollup{ID: model.RollupID("org.volunteer_teams", "2023"), Metric: "org.volunteer_teams", Period: "2023",
			Figures: map[string]model.RollupFigure{"340803": {Value: model.Quantity{Value: v, Qualifier: model.Exact, Unit: model.UnitCount}}}}
		if err := s.ReplaceRollups(ctx, []model.Rollup{r}); err != nil {
			t.Fatal(err)
		}
	}
	cache := analytics.NewCache(s, s)
	for _, v := range []float64{12, 13} {
		put(v)
		for range 2 { // a miss, then a hit
			c, err := analytics.Compare(ctx, cache, "org.volunteer_teams", "2023", "340800", "", "")
			if err != nil || len(c.Rows) != 1 || c.Rows[0].Value.Value != v {
				t.Fatalf("compare through the cache: %+v, %v; want %v", c.Rows, err, v)
			}
		}
	}
	if err := s.ReplaceRollups(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if c, err := analytics.Compare(ctx, cache, "org.volunteer_teams", "2023", "340800", "", ""); err != nil || len(c.Rows) != 0 {
		t.Errorf("after the rollups are gone: %+v, %v", c.Rows, err)
	}
}

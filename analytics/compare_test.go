package analytics_test

import (
	"context"
	"errors"
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
	if err := refdata.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	tiantang := model.AdminUnit{Code: "340828-town", Name: "天堂镇", Level: model.LevelTown, ParentCode: "340828", CountyCode: "340828"}
	if err := s.PutUnits(ctx, []model.AdminUnit{tiantang}); err != nil {
		t.Fatal(err)
	}
	units, _ := s.Units(ctx)
	metrics, _ := s.Metrics(ctx)
	byCode, metricByCode := map[string]model.AdminUnit{}, map[string]model.Metric{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	for _, m := range metrics {
		metricByCode[m.Code] = m
	}
	rs, err := analytics.Rollups([]model.Observation{
		obs("org.compound_party_branches", "340803", "340803", "2023", 113, model.Exact),
		obs("org.compound_party_branches", "340881", "340881", "2023", 85, model.Exact),
		obs("org.compound_party_branches", "340827", "340827", "2023", 85, model.Exact),
		obs("org.compound_party_branches", "340803", "340803", "2022", 100, model.AtLeast),
		obs("org.owners_committees", "340881", "340881", "2023", 119, model.Exact),
		obs("org.owners_committees", "340827", "340827", "2023", 0, model.Exact),
		obs("plan.key_tasks", "340828-town", "340828", "2023", 24, model.Exact),
		obs("plan.key_tasks", "340882", "340882", "2023", 19, model.Exact),
	}, byCode, metricByCode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceRollups(ctx, rs); err != nil {
		t.Fatal(err)
	}

	c, err := analytics.Compare(ctx, s, "org.compound_party_branches", "2023", "340800", "org.owners_committees")
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
	c, err = analytics.Compare(ctx, s, "plan.key_tasks", "2023", "", "")
	if err == nil {
		t.Errorf("compare without a scope: %+v; want an error", c)
	}
	c, err = analytics.Compare(ctx, s, "plan.key_tasks", "2023", "340800", "")
	if err != nil || len(c.Rows) != 1 || c.Rows[0].Unit.Code != "340882" || c.Total != nil {
		t.Errorf("key tasks: %+v, total %v, %v; want Qianshan alone and no total", c.Rows, c.Total, err)
	}
	for _, bad := range [][2]string{{"no.such_metric", ""}, {"plan.key_tasks", "no.such_metric"}} {
		if _, err := analytics.Compare(ctx, s, bad[0], "2023", "340800", bad[1]); !errors.Is(err, analytics.ErrUnknown) {
			t.Errorf("compare %v: %v; want ErrUnknown", bad, err)
		}
	}
}

package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
)

// TestUnitsAtEveryLevel pages through the towns of the city and lists the
// scope, with totalCount.
func TestUnitsAtEveryLevel(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	within, _ := refdata.Within(refdata.DefaultScope)
	var towns []string
	for _, u := range within {
		if u.Level == model.LevelTown {
			towns = append(towns, u.Code)
		}
	}
	var got []string
	after := any(nil)
	for range 20 {
		var page struct {
			Scope struct{ Code, Level string }
			Units struct {
				TotalCount int
				Edges      []struct{ Node struct{ Code string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		h.mustQuery(t, `query($after: String) { scope { code level } units(parent: "340800", level: TOWN, first: 50, after: $after) {
			totalCount edges { node { code } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &page)
		if page.Scope.Code != "340800" || page.Scope.Level != "CITY" || page.Units.TotalCount != len(towns) {
			t.Fatalf("scope %+v, totalCount %d; want Anqing and %d towns", page.Scope, page.Units.TotalCount, len(towns))
		}
		for _, e := range page.Units.Edges {
			got = append(got, e.Node.Code)
		}
		if !page.Units.PageInfo.HasNextPage {
			break
		}
		after = page.Units.PageInfo.EndCursor
	}
	if diff := cmp.Diff(towns, got); diff != "" {
		t.Errorf("Anqing's towns, paged (-want +got):\n%s", diff)
	}
	var children struct {
		Units struct{ TotalCount int }
	}
	h.mustQuery(t, `{ units(parent: "340000") { totalCount } }`, nil, &children)
	if children.Units.TotalCount != 1 {
		t.Errorf("children of Anhui loaded for an Anqing hub: %d, want the city alone", children.Units.TotalCount)
	}
	if errs := h.query(t, `{ units { totalCount } }`, nil, nil); len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("units without parent or level: %v, want BAD_USER_INPUT", errs)
	}
}

// TestCompareAtAnyLevel ranks the counties of the province and the cities,
// with sums of lower units marked partial.
func TestCompareAtAnyLevel(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	ctx := context.Background()
	obs := func(unit, county string, v float64) model.Observation {
		return model.Observation{MetricCode: "outcome.problems_resolved", Period: "2023", UnitCode: unit, CountyCode: county,
			Value: model.Quantity{Value: v, Qualifier: model.Exact, Unit: model.UnitCount}, Provenance: model.Provenance{RunID: "r1"}}
	}
	units, _ := h.store.Units(ctx)
	metrics, _ := h.store.Metrics(ctx)
	rs, err := analytics.Rollups([]model.Observation{
		obs("340828100", "340828", 30), obs("340828101", "340828", 12), // two towns of Yuexi
		obs("340827", "340827", 50), // Wangjiang's own
	}, units, metrics, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.ReplaceRollups(ctx, rs); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Rank  int
		Unit  struct{ Code string }
		Value struct {
			Value     float64
			Qualifier string
		}
		Partial bool
	}
	var got struct {
		Counties struct {
			Level string
			Rows  []row
			Gaps  []struct{ Code string }
		}
		Cities struct {
			Level string
			Rows  []row
		}
		Towns struct{ Rows []row }
	}
	h.mustQuery(t, `{
		counties: compare(metric: "outcome.problems_resolved", period: "2023", scope: "340000", level: COUNTY) {
			level rows { rank unit { code } value { value qualifier } partial } gaps { code } }
		cities: compare(metric: "outcome.problems_resolved", period: "2023", scope: "340000") {
			level rows { rank unit { code } value { value qualifier } partial } }
		towns: compare(metric: "outcome.problems_resolved", period: "2023", scope: "340828") {
			rows { rank unit { code } value { value qualifier } partial } }
	}`, nil, &got)
	if got.Counties.Level != "COUNTY" || len(got.Counties.Rows) != 2 || len(got.Counties.Gaps) != 8 {
		t.Fatalf("counties of Anhui: %+v", got.Counties)
	}
	if r := got.Counties.Rows; r[0].Unit.Code != "340827" || r[0].Partial || r[1].Unit.Code != "340828" || r[1].Value.Value != 42 || r[1].Value.Qualifier != "AT_LEAST" || !r[1].Partial {
		t.Errorf("counties ranked %+v; want Wangjiang's 50, then Yuexi's towns' at least 42", r)
	}
	if r := got.Cities.Rows; got.Cities.Level != "CITY" || len(r) != 1 || r[0].Unit.Code != "340800" || r[0].Value.Value != 92 || !r[0].Partial {
		t.Errorf("cities of Anhui %s %+v; want Anqing at least 92, from its counties", got.Cities.Level, r)
	}
	if len(got.Towns.Rows) != 2 || got.Towns.Rows[0].Value.Value != 30 {
		t.Errorf("towns of Yuexi %+v", got.Towns.Rows)
	}
	errs := h.query(t, `{ compare(metric: "outcome.problems_resolved", period: "2023", scope: "340828", level: CITY) { level } }`, nil, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("compare at a level above the scope: %v, want BAD_USER_INPUT", errs)
	}
}

package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)

	station := model.Station{ID: "r1/s1", Key: "s1", CountyCode: "340828", Name: "站", Status: model.StationUpgrading,
		Facilities: []model.Facility{{Code: "reading_room", Name: "图书阅览室"}}, MeetsStandard: ptr(true), Opened: "2022-05", Provenance: prov("line 2")}
	space := model.Space{ID: "r1/sp1", Key: "sp1", CountyCode: "340881", UnitCode: "340881001", Name: "红色港湾", Kind: model.SpaceActivity, Brand: "红色港湾", Provenance: prov("$.communities[0]")}
	pilot := model.Pilot{ID: "r1/pi1", Key: "pi1", CountyCode: "340828", Name: "国企兜底、先尝后买", Operator: "盛岳集团", Phase: model.PilotTrial,
		Compounds: ptr(3), Households: ptr(420), PayingHouseholds: ptr(0), Started: "2023-03", Provenance: prov("Pilots!A3")}
	budget := model.Budget{ID: "r1/bu1", Key: "bu1", CountyCode: "340827", Year: 2023, Purpose: "牌匾以奖代补", Source: "县财政",
		Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"},
		Status: model.BudgetAllocated, Provenance: prov("table 3 row 2")}
	obs := model.Observation{ID: "r1/ob1", Key: "ob1", MetricCode: "outcome.problems_resolved", UnitCode: "340828100001", CountyCode: "340828", Period: "2023", AsOf: "2023-08-07",
		Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}, Provenance: prov("Indicators!B5")}

	for ds, doc := range map[string]any{"stations": station, "spaces": space, "pilots": pilot, "budgets": budget, "observations": obs} {
		if err := s.InsertRecords(ctx, ds, "run1", []any{doc}); err != nil {
			t.Fatalf("%s: %v", ds, err)
		}
	}
	check := func(name string, want, got any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	st, err := store.RecordsOfRuns[model.Station](ctx, s, "stations", []string{"run1", "other"})
	check("stations", []model.Station{station}, st, err)
	sp, err := store.RecordsOfRuns[model.Space](ctx, s, "spaces", []string{"run1"})
	check("spaces", []model.Space{space}, sp, err)
	pi, err := store.RecordsOfRuns[model.Pilot](ctx, s, "pilots", []string{"run1"})
	check("pilots", []model.Pilot{pilot}, pi, err)
	bu, err := store.RecordsOfRuns[model.Budget](ctx, s, "budgets", []string{"run1"})
	check("budgets", []model.Budget{budget}, bu, err)
	ob, err := store.RecordsOfRuns[model.Observation](ctx, s, "observations", []string{"run1"})
	check("observations", []model.Observation{obs}, ob, err)
	none, err := store.RecordsOfRuns[model.Observation](ctx, s, "observations", []string{"run2"})
	check("observations of another run", []model.Observation{}, none, err)
	// Records reads each dataset as its model type.
	recs, err := s.Records(ctx, "budgets", "run1", "other")
	check("budgets as records", []model.Record{budget}, recs, err)
	recs, err = s.Records(ctx, "observations", "run1")
	check("observations as records", []model.Record{obs}, recs, err)
	if _, err := s.Records(ctx, "people", "run1"); err == nil {
		t.Error("Records of an unknown dataset succeeded")
	}
	if err := s.WriteRecords(ctx, "run2", []model.Record{station, obs, space}); err != nil {
		t.Fatal(err)
	}
	recs, err = s.Records(ctx, "stations", "run2")
	check("stations written as records", []model.Record{station}, recs, err)
	recs, err = s.Records(ctx, "spaces", "run2")
	check("spaces written as records", []model.Record{space}, recs, err)

	// A duplicate key is refused, and the stored record is unchanged.
	dup := budget
	dup.Amount.Value = 1
	if err := s.InsertRecords(ctx, "budgets", "run1", []any{dup}); err == nil {
		t.Error("duplicate budget id accepted")
	}
	bu, err = store.RecordsOfRuns[model.Budget](ctx, s, "budgets", []string{"run1"})
	check("budget after refused duplicate", []model.Budget{budget}, bu, err)
}

func TestRunRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	for run, n := range map[string]int{"r1": 3, "r2": 2} {
		var docs []any
		for i := range n {
			docs = append(docs, model.Station{ID: fmt.Sprintf("%s/s%d", run, i), Key: fmt.Sprintf("s%d", i), CountyCode: "340803",
				Name: "站", Status: model.StationOperating, Provenance: model.Provenance{RunID: run, Reference: fmt.Sprintf("line %d", i+2)}})
		}
		if err := s.InsertRecords(ctx, "stations", run, docs); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.InsertRecords(ctx, "people", "r1", []any{model.Station{ID: "r1/p"}}); err == nil {
		t.Error("unknown dataset accepted")
	}
	if err := s.InsertRecords(ctx, "stations", "", []any{model.Station{ID: "x"}}); err == nil {
		t.Error("empty run id accepted")
	}
	r1, err := store.RunRecords[model.Station](ctx, s, "stations", "r1")
	if err != nil || len(r1) != 3 || r1[0].Key != "s0" || r1[2].Provenance.Reference != "line 4" {
		t.Fatalf("records of r1: %+v, %v", r1, err)
	}
	if err := s.DeleteRunRecords(ctx, "stations", "r1"); err != nil {
		t.Errorf("delete records of r1: %v", err)
	}
	if err := s.DeleteRunRecords(ctx, "stations", "r1"); err != nil {
		t.Errorf("delete records of r1 again: %v", err)
	}
	if left, _ := store.RunRecords[model.Station](ctx, s, "stations", "r1"); len(left) != 0 {
		t.Errorf("%d records of r1 left", len(left))
	}
	if r2, _ := store.RunRecords[model.Station](ctx, s, "stations", "r2"); len(r2) != 2 {
		t.Errorf("records of r2: %d; want 2 untouched", len(r2))
	}

}

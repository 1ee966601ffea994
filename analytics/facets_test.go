package analytics

import (
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
)

func TestFacetsAddUpHonestly(t *testing.T) {
	yes, n := true, func(v int) *int { return &v }
	cny := func(v float64, q model.Qualifier, text string) model.Quantity {
		return model.Quantity{Value: v, Qualifier: q, Unit: model.UnitCNY, Text: text}
	}
	f, err := FacetsOf(Entities{
		Stations: []model.Station{
			{CountyCode: "340828", Status: model.StationUpgrading, MeetsStandard: &yes, Facilities: []model.Facility{{Code: "reading_room", Name: "阅览室"}}},
			{CountyCode: "340828", Status: model.StationOperating, Facilities: []model.Facility{{Code: "reading_room", Name: "阅览室"}, {Name: "健身房"}}},
		},
		Budgets: []model.Budget{
			{CountyCode: "340827", Year: 2023, Purpose: "牌匾", Amount: cny(60000, model.AtLeast, "6万余元")},
			{CountyCode: "340827", Year: 2023, Purpose: "牌匾", Amount: cny(10000, model.Exact, "1万元")},
			{CountyCode: "340822", Year: 2023, Purpose: "奖补", Amount: cny(1e6, model.Exact, "100万元"), Recurring: true},
		},
		Pilots: []model.Pilot{
			{CountyCode: "340828", Phase: model.PilotTrial, Households: n(200), PayingHouseholds: n(50)},
			{CountyCode: "340828", Phase: model.PilotTrial, Households: n(100)}, // reports no paying households
			{CountyCode: "340828", Phase: model.PilotPurchase},
		},
	}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stations) != 1 {
		t.Fatalf("stations %+v", f.Stations)
	}
	st := f.Stations[0]
	if st.Stations != 2 || st.MeetStandard != 1 || st.ByStatus["UPGRADING"] != 1 || len(st.Facilities) != 2 || st.Facilities[0].Code != "reading_room" || st.Facilities[0].Stations != 2 || st.Facilities[1].Name != "健身房" {
		t.Errorf("station facet %+v", st)
	}
	if len(f.Budgets) != 2 {
		t.Fatalf("budgets %+v", f.Budgets)
	}
	if b := f.Budgets[1]; b.Amount != cny(70000, model.AtLeast, "") || b.Lines != 2 {
		t.Errorf("60000+ and 10000: %+v; want 70000 AT_LEAST over 2 lines, no text", b)
	}
	if b := f.Budgets[0]; b.Amount.Text != "100万元" || !b.Recurring {
		t.Errorf("one line keeps its text and recurrence: %+v", b)
	}
	if len(f.Pilots) != 2 {
		t.Fatalf("pilots %+v", f.Pilots)
	}
	trial := f.Pilots[1]
	if trial.Phase != model.PilotTrial || trial.Pilots != 2 || *trial.Households != 300 || *trial.PayingHouseholds != 50 || trial.Conversion == nil || *trial.Conversion != 0.25 {
		t.Errorf("trial facet %+v; want conversion 50/200 over the pilot reporting both", trial)
	}
	if p := f.Pilots[0]; p.Phase != model.PilotPurchase || p.Households != nil || p.Conversion != nil {
		t.Errorf("purchase facet %+v; want no numbers", p)
	}
}

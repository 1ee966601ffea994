package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func ptr[T any](v T) *T { return &v }

func prov(ref string) model.Provenance {
	return model.Provenance{RunID: "run1", Importer: "test", ImporterVersion: "1.0.0", FileName: "f.csv", FileSHA256: "ab", Reference: ref}
}

func TestReferenceDataIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	// An imported lower unit must survive a reload of reference data.
	community := model.AdminUnit{Code: "340828100001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"}
	for i := range 2 {
		if err := refdata.Load(ctx, s); err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
		if err := s.EnsureIndexes(ctx); err != nil {
			t.Fatalf("indexes %d: %v", i, err)
		}
		if i == 0 {
			if err := s.PutUnits(ctx, []model.AdminUnit{community}); err != nil {
				t.Fatal(err)
			}
		}
	}
	counties, err := s.Children(ctx, refdata.DefaultCity, model.LevelCounty)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range counties {
		codes = append(codes, c.Code+" "+c.NameEn)
	}
	want := []string{"340802 Yingjiang", "340803 Daguan", "340811 Yixiu", "340822 Huaining", "340825 Taihu",
		"340826 Susong", "340827 Wangjiang", "340828 Yuexi", "340881 Tongcheng", "340882 Qianshan"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("counties (-want +got):\n%s", diff)
	}
	got, err := s.Unit(ctx, community.Code)
	if err != nil {
		t.Fatalf("imported unit lost on reload: %v", err)
	}
	if diff := cmp.Diff(community, got); diff != "" {
		t.Errorf("community (-want +got):\n%s", diff)
	}
	metrics, err := s.Metrics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := refdata.Metrics()
	if diff := cmp.Diff(shipped, metrics); diff != "" {
		t.Errorf("metrics (-shipped +stored):\n%s", diff)
	}
}

func TestUnitLookups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		codes []string
		want  []string
	}{
		"some":    {codes: []string{"340882", "340803", "999999"}, want: []string{"340803", "340882"}},
		"none":    {codes: []string{"999999"}, want: nil},
		"empty":   {codes: []string{}, want: nil},
		"city":    {codes: []string{"340800"}, want: []string{"340800"}},
		"repeats": {codes: []string{"340803", "340803"}, want: []string{"340803"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			units, err := s.UnitsByCode(ctx, tc.codes)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range units {
				got = append(got, u.Code)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	children, err := s.ChildrenOf(ctx, []string{"340800", "340803"})
	if err != nil || len(children) != 10 {
		t.Errorf("ChildrenOf(city, county) = %d units, %v; want the 10 counties", len(children), err)
	}
	if _, err := s.Unit(ctx, "000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Unit(000000) = %v, want ErrNotFound", err)
	}
	m, err := s.MetricsByCode(ctx, []string{"org.volunteer_teams", "nope"})
	if err != nil || len(m) != 1 || m[0].Name == "" {
		t.Errorf("MetricsByCode = %+v, %v; want the one catalog metric", m, err)
	}
}

func stations(county string, n int, status model.StationStatus) []model.Station {
	out := make([]model.Station, n)
	for i := range out {
		out[i] = model.Station{
			ID: fmt.Sprintf("%s-st-%03d", county, i), CountyCode: county, Name: fmt.Sprintf("站%d", i),
			Status: status, Facilities: []model.Facility{{Code: "reading_room", Name: "图书阅览室"}},
			MeetsStandard: ptr(true), Provenance: prov(fmt.Sprintf("line %d", i+2)),
		}
	}
	return out
}

func TestStationPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	all := append(stations("340828", 32, model.StationOperating), stations("340828", 14, model.StationUpgrading)...)
	for i := range all[32:] {
		all[32+i].ID = fmt.Sprintf("340828-up-%03d", i)
	}
	all = append(all, stations("340803", 10, model.StationOperating)...)
	if err := s.PutStations(ctx, all); err != nil {
		t.Fatal(err)
	}

	tests := map[string]struct {
		filter    store.StationFilter
		page      store.Page
		wantN     int
		wantFirst string
		wantNext  bool
		wantCount int
	}{
		"first page":       {store.StationFilter{County: "340828"}, store.Page{First: 20}, 20, "340828-st-000", true, 46},
		"middle":           {store.StationFilter{County: "340828"}, store.Page{After: "340828-st-019", First: 20}, 20, "340828-st-020", true, 46},
		"last page exact":  {store.StationFilter{County: "340828"}, store.Page{After: "340828-st-025", First: 20}, 20, "340828-st-026", false, 46},
		"past the end":     {store.StationFilter{County: "340828"}, store.Page{After: "340828-up-013", First: 20}, 0, "", false, 46},
		"after unknown id": {store.StationFilter{}, store.Page{After: "340828", First: 3}, 3, "340828-st-000", true, 56},
		"status":           {store.StationFilter{County: "340828", Status: model.StationUpgrading}, store.Page{First: 100}, 14, "340828-up-000", false, 14},
		"zero first":       {store.StationFilter{}, store.Page{First: 0}, 0, "", false, 56},
		"other county":     {store.StationFilter{County: "340803"}, store.Page{First: 100}, 10, "340803-st-000", false, 10},
		"no such county":   {store.StationFilter{County: "999999"}, store.Page{First: 5}, 0, "", false, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			page, err := s.Stations(ctx, tc.filter, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			first := ""
			if len(page.Items) > 0 {
				first = page.Items[0].ID
			}
			if len(page.Items) != tc.wantN || first != tc.wantFirst || page.HasNext != tc.wantNext {
				t.Errorf("got %d items from %q, next=%v; want %d from %q, next=%v",
					len(page.Items), first, page.HasNext, tc.wantN, tc.wantFirst, tc.wantNext)
			}
			n, err := s.CountStations(ctx, tc.filter)
			if err != nil || n != tc.wantCount {
				t.Errorf("count = %d, %v; want %d", n, err, tc.wantCount)
			}
		})
	}

	got, err := s.StationsOfCounties(ctx, []string{"340803", "340828"})
	if err != nil || len(got) != 56 {
		t.Fatalf("StationsOfCounties: %d, %v; want 56", len(got), err)
	}
	if diff := cmp.Diff(all[len(all)-10], got[0]); diff != "" {
		t.Errorf("round trip of a station (-put +got):\n%s", diff)
	}
}

func TestDatasetsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)

	space := model.Space{ID: "sp1", CountyCode: "340881", UnitCode: "340881001", Name: "红色港湾", Kind: model.SpaceActivity, Brand: "红色港湾", Provenance: prov("$.communities[0]")}
	pilot := model.Pilot{ID: "pi1", CountyCode: "340828", Name: "国企兜底、先尝后买", Operator: "盛岳集团", Phase: model.PilotTrial,
		Compounds: ptr(3), Households: ptr(420), PayingHouseholds: ptr(0), Started: "2023-03", Provenance: prov("Pilots!A3")}
	budget := model.Budget{ID: "bu1", CountyCode: "340827", Year: 2023, Purpose: "牌匾以奖代补", Source: "县财政",
		Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"},
		Status: model.BudgetAllocated, Provenance: prov("table 3 row 2")}
	obs := model.Observation{ID: "ob1", MetricCode: "outcome.problems_resolved", UnitCode: "340828100001", CountyCode: "340828", Period: "2023", AsOf: "2023-08-07",
		Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}, Provenance: prov("Indicators!B5")}

	if err := s.PutSpaces(ctx, []model.Space{space}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPilots(ctx, []model.Pilot{pilot}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBudgets(ctx, []model.Budget{budget}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutObservations(ctx, []model.Observation{obs}); err != nil {
		t.Fatal(err)
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
	sp, err := s.Spaces(ctx, store.SpaceFilter{County: "340881", Kind: model.SpaceActivity}, store.Page{First: 10})
	check("spaces", []model.Space{space}, sp.Items, err)
	n, err := s.CountSpaces(ctx, store.SpaceFilter{Kind: model.SpaceShared})
	check("count spaces of another kind", 0, n, err)
	sps, err := s.SpacesOfCounties(ctx, []string{"340881"})
	check("spaces of counties", []model.Space{space}, sps, err)

	pi, err := s.Pilots(ctx, store.PilotFilter{Phase: model.PilotTrial}, store.Page{First: 10})
	check("pilots", []model.Pilot{pilot}, pi.Items, err)
	n, err = s.CountPilots(ctx, store.PilotFilter{County: "340828"})
	check("count pilots", 1, n, err)
	pis, err := s.PilotsOfCounties(ctx, []string{"340803"})
	check("pilots of another county", []model.Pilot{}, pis, err)

	bu, err := s.Budgets(ctx, store.BudgetFilter{Year: 2023}, store.Page{First: 10})
	check("budgets", []model.Budget{budget}, bu.Items, err)
	n, err = s.CountBudgets(ctx, store.BudgetFilter{Year: 2022})
	check("count budgets of another year", 0, n, err)
	bus, err := s.BudgetsOfCounties(ctx, []string{"340827", "340828"})
	check("budgets of counties", []model.Budget{budget}, bus, err)

	ob, err := s.Observations(ctx, store.ObservationFilter{Metric: "outcome.problems_resolved", Period: "2023", County: "340828"})
	check("observations", []model.Observation{obs}, ob, err)
	ob, err = s.Observations(ctx, store.ObservationFilter{Unit: "340828"})
	check("observations of the county itself", []model.Observation{}, ob, err)
	ob, err = s.ObservationsOfUnits(ctx, []string{"340828100001"})
	check("observations of units", []model.Observation{obs}, ob, err)

	// A duplicate key is refused, and the stored record is unchanged.
	dup := budget
	dup.Amount.Value = 1
	if err := s.PutBudgets(ctx, []model.Budget{dup}); err == nil {
		t.Error("duplicate budget key accepted")
	}
	bus, err = s.BudgetsOfCounties(ctx, []string{"340827"})
	check("budget after refused duplicate", []model.Budget{budget}, bus, err)
}

func TestCommandObserverCountsRoundTrips(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var names []string
	s := storetest.New(t, func(cmd string, _ time.Duration, _ bool) { names = append(names, cmd) })
	names = nil
	if _, err := s.Metrics(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountStations(ctx, store.StationFilter{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"find", "aggregate"}, names); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestOpenUnreachableFailsFast(t *testing.T) {
	t.Parallel()
	start := time.Now()
	_, err := store.Open(context.Background(), "mongodb://user:secret@127.0.0.1:1/?directConnection=true", store.Options{ConnectTimeout: time.Second})
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Open took %s; want about the connect timeout", took)
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach MongoDB at mongodb://user:xxxxx@127.0.0.1:1/") || strings.Contains(msg, "secret") {
		t.Errorf("error %q should name the server and hide the password", msg)
	}
}

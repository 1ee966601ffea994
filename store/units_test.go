package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

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
		if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
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
	counties, err := s.Children(ctx, refdata.DefaultScope, model.LevelCounty)
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
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
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
	towns, _ := refdata.Within("340803")
	if want := 10 + len(towns) - 3; err != nil || len(children) != want { // less the province, the city and the county
		t.Errorf("ChildrenOf(city, county) = %d units, %v; want the 10 counties and Daguan's towns, %d", len(children), err, want)
	}
	if _, err := s.Unit(ctx, "000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Unit(000000) = %v, want ErrNotFound", err)
	}
	m, err := s.MetricsByCode(ctx, []string{"org.volunteer_teams", "nope"})
	if err != nil || len(m) != 1 || m[0].Name == "" {
		t.Errorf("MetricsByCode = %+v, %v; want the one catalog metric", m, err)
	}
}

// TestDescendants checks the units of a level anywhere below a unit, and
// their pages, on a province's reference units.
func TestDescendants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, s, "340000"); err != nil {
		t.Fatal(err)
	}
	dongguan, _ := refdata.Within("441900") // a city that is its own county, with its towns
	if err := s.PutUnits(ctx, dongguan); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code  string
		level model.UnitLevel
		want  int
	}{
		{"340000", model.LevelCity, 16},
		{"340000", model.LevelCounty, 104},
		{"340800", model.LevelCounty, 10},
		{"340828", model.LevelCounty, 0},
		{"440000", model.LevelCounty, 1}, // 东莞
		{"340828", model.LevelTown, 25},
	} {
		got, err := s.Descendants(ctx, tc.code, tc.level)
		if err != nil || len(got) != tc.want {
			t.Errorf("Descendants(%s, %s) = %d units, %v; want %d", tc.code, tc.level, len(got), err, tc.want)
		}
		if n, err := s.CountUnits(ctx, store.UnitFilter{Parent: tc.code, Level: tc.level}); n != tc.want || err != nil {
			t.Errorf("CountUnits(%s, %s) = %d, %v; want %d", tc.code, tc.level, n, err, tc.want)
		}
	}
	var paged []string
	p := store.Page{First: 40}
	for range 10 {
		page, err := s.UnitsPage(ctx, store.UnitFilter{Parent: "340000", Level: model.LevelCounty}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Items {
			paged = append(paged, u.Code)
		}
		if !page.HasNext {
			break
		}
		p.After = page.Items[len(page.Items)-1].Code
	}
	all, _ := s.Descendants(ctx, "340000", model.LevelCounty)
	var want []string
	for _, u := range all {
		want = append(want, u.Code)
	}
	if diff := cmp.Diff(want, paged); diff != "" {
		t.Errorf("pages of Anhui's counties (-all +paged):\n%s", diff)
	}
	children, err := s.UnitsPage(ctx, store.UnitFilter{Parent: "340800"}, store.Page{First: 50})
	if err != nil || len(children.Items) != 10 || children.HasNext {
		t.Errorf("UnitsPage(children of Anqing) = %d, %v, %v; want its 10 counties", len(children.Items), children.HasNext, err)
	}
}

// TestSyncUnitsWritesOnlyWhatChanged checks the counts SyncUnits gives,
// across batches, and that it leaves other units and equal ones alone.
func TestSyncUnitsWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	other := model.AdminUnit{Code: "340828", Name: "岳西县", NameEn: "Yuexi", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340828"}
	if err := s.PutUnits(ctx, []model.AdminUnit{other}); err != nil {
		t.Fatal(err)
	}
	// More than one batch, so that the counts add up across batches.
	var units []model.AdminUnit
	for i := range 2500 {
		units = append(units, model.AdminUnit{Code: fmt.Sprintf("340828100%03d", i%1000) + fmt.Sprint(i/1000), Name: fmt.Sprintf("村%d", i),
			Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"})
	}
	got, err := s.SyncUnits(ctx, units)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.UnitSync{Added: 2500}); got != want {
		t.Errorf("first SyncUnits = %+v, want %+v", got, want)
	}
	units[7].NameEn = "Cun"
	units[2100].Name = "新村"
	renamed := units[2100]
	// A code given twice keeps its last unit: the first is not counted.
	units = append(units, units[3])
	units[3].Name = "旧名"
	if got, err = s.SyncUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	if want := (store.UnitSync{Changed: 2, Unchanged: 2498}); got != want {
		t.Errorf("second SyncUnits = %+v, want %+v", got, want)
	}
	for _, want := range []model.AdminUnit{other, renamed, units[len(units)-1]} {
		stored, err := s.Unit(ctx, want.Code)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("unit %s (-want +stored):\n%s", want.Code, diff)
		}
	}
	n, err := s.CountUnits(ctx, store.UnitFilter{})
	if err != nil || n != 2501 {
		t.Errorf("CountUnits = %d, %v; want 2501", n, err)
	}
}

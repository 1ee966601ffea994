package store_test

import (
	"context"
	"errors"
	"reflect"
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
	// A stored record's fingerprint equals the one of the record encoded
	// before writing, and tells a changed field apart.
	fps, err := s.RunFingerprints(ctx, "budgets", "run1")
	if err != nil || len(fps) != 1 || fps[0].Key != "bu1" || fps[0].Reference != "table 3 row 2" {
		t.Fatalf("RunFingerprints = %+v, %v", fps, err)
	}
	enc, err := store.Encode(budget)
	if err != nil {
		t.Fatal(err)
	}
	if fp, err := enc.Fingerprint(); err != nil || !reflect.DeepEqual(fp, fps[0]) {
		t.Errorf("fingerprint before writing %+v, %v; after %+v", fp, err, fps[0])
	}
	changed := budget
	changed.Amount.Text = "6万元"
	changed.Provenance.RunID = "run9"
	enc, _ = store.Encode(changed)
	if fp, _ := enc.Fingerprint(); fp.Fields["amount"] == fps[0].Fields["amount"] || fp.Fields["year"] != fps[0].Fields["year"] || len(fp.Fields) != len(fps[0].Fields) {
		t.Errorf("fingerprint of a changed amount: %+v; stored %+v", fp, fps[0])
	}

	// A duplicate key is refused, and the stored record is unchanged.
	dup := budget
	dup.Amount.Value = 1
	if err := s.InsertRecords(ctx, "budgets", "run1", []any{dup}); err == nil {
		t.Error("duplicate budget id accepted")
	}
	bu, err = store.RecordsOfRuns[model.Budget](ctx, s, "budgets", []string{"run1"})
	check("budget after refused duplicate", []model.Budget{budget}, bu, err)
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
	if _, err := s.CountRuns(ctx, store.RunFilter{}); err != nil {
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

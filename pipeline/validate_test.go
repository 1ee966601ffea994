package pipeline

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
)

func TestQuantity(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      model.Quantity
		unit    string
		want    model.Quantity
		wantErr string
	}{
		"read from the text":   {in: model.Quantity{Text: "6万余元"}, unit: model.UnitCNY, want: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"}},
		"explicit":             {in: model.Quantity{Value: 300, Qualifier: model.AtLeast}, unit: model.UnitCount, want: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount}},
		"empty text":           {in: model.Quantity{Text: " "}, unit: model.UnitCount, wantErr: "value is empty"},
		"unreadable text":      {in: model.Quantity{Text: "NaN"}, unit: model.UnitCount, wantErr: `quantity "NaN"`},
		"unknown qualifier":    {in: model.Quantity{Value: 1, Qualifier: "ABOUT"}, unit: model.UnitCount, wantErr: `qualifier "ABOUT"`},
		"negative":             {in: model.Quantity{Value: -1, Qualifier: model.Exact}, unit: model.UnitCount, wantErr: "not a count or amount"},
		"NaN":                  {in: model.Quantity{Value: math.NaN(), Qualifier: model.Exact}, unit: model.UnitCount, wantErr: "not a count or amount"},
		"infinite":             {in: model.Quantity{Value: math.Inf(1), Qualifier: model.AtLeast}, unit: model.UnitCNY, wantErr: "not a count or amount"},
		"negative infinite":    {in: model.Quantity{Value: math.Inf(-1), Qualifier: model.Exact}, unit: model.UnitCNY, wantErr: "not a count or amount"},
		"largest finite value": {in: model.Quantity{Value: math.MaxFloat64, Qualifier: model.Exact}, unit: model.UnitCNY, want: model.Quantity{Value: math.MaxFloat64, Qualifier: model.Exact, Unit: model.UnitCNY}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, p := quantity("value", tc.in, tc.unit)
			if tc.wantErr != "" {
				if p == nil || !strings.Contains(p.msg, tc.wantErr) || p.field != "value" {
					t.Errorf("quantity(%+v) = %+v, %v; want a problem of value saying %q", tc.in, got, p, tc.wantErr)
				}
				return
			}
			if p != nil {
				t.Fatalf("quantity(%+v): %v", tc.in, p)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("quantity(%+v) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestConvertGivesEachDatasetItsModelType(t *testing.T) {
	t.Parallel()
	city := model.AdminUnit{Code: "340800", Name: "安庆市", Level: model.LevelCity}
	county := model.AdminUnit{Code: "340803", Name: "大观区", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340803"}
	metric := model.Metric{Code: "org.volunteer_teams", Unit: model.UnitCount, Aggregation: model.AggregateSum}
	run := model.Run{ID: "r1", Unit: county.Code, Importer: "test", ImporterVersion: "1.0.0", FileName: "f.csv", FileSHA256: "ab"}
	tests := map[string]struct {
		in   records.Record
		want model.Record
	}{
		"unit":        {records.Record{Unit: &records.Unit{Code: "340803001", Name: "城东社区", Level: model.LevelCommunity}}, model.UnitRecord{}},
		"station":     {records.Record{Station: &records.Station{Key: "s1", Name: "站"}}, model.Station{}},
		"space":       {records.Record{Space: &records.Space{Key: "sp1", Name: "议事点", Kind: model.SpaceDeliberation}}, model.Space{}},
		"pilot":       {records.Record{Pilot: &records.Pilot{Key: "p1", Name: "试点", Operator: "城投", Phase: model.PilotTrial}}, model.Pilot{}},
		"budget":      {records.Record{Budget: &records.Budget{Key: "b1", Year: 2023, Purpose: "奖补", Amount: model.Quantity{Text: "6万元"}}}, model.Budget{}},
		"observation": {records.Record{Observation: &records.Observation{Metric: metric.Code, Period: "2023", Value: model.Quantity{Text: "12支"}}}, model.Observation{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v := newValidator(run, county, []model.AdminUnit{city, county}, []model.Metric{metric})
			tc.in.Reference = "line 2"
			got, diag := v.convert(tc.in)
			if diag != nil {
				t.Fatalf("convert: %v", diag)
			}
			if reflect.TypeOf(got) != reflect.TypeOf(tc.want) {
				t.Errorf("convert gives a %T; want a %T", got, tc.want)
			}
			if got.Dataset() != tc.in.Dataset() || got.NaturalKey() == "" || got.Origin().Reference != "line 2" || got.Origin().RunID != "r1" {
				t.Errorf("record of %s: dataset %q, key %q, origin %+v", tc.in.Dataset(), got.Dataset(), got.NaturalKey(), got.Origin())
			}
		})
	}
}

func TestUnitRecordsKeepTheReferenceTownsCode(t *testing.T) {
	t.Parallel()
	city := model.AdminUnit{Code: "340800", Name: "安庆市", Level: model.LevelCity}
	county := model.AdminUnit{Code: "340803", Name: "大观区", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340803"}
	town := model.AdminUnit{Code: "340803001", Name: "德宽路街道", NameEn: "Dekuanlu", Level: model.LevelTown, ParentCode: "340803", CountyCode: "340803"}
	run := model.Run{ID: "r1", Unit: county.Code, Importer: "test", ImporterVersion: "1.0.0", FileName: "f.csv", FileSHA256: "ab"}
	v := newValidator(run, county, []model.AdminUnit{city, county, town}, nil)
	convert := func(u records.Unit, ref string) model.UnitRecord {
		t.Helper()
		got, diag := v.convert(records.Record{Reference: ref, Unit: &u})
		if diag != nil {
			t.Fatalf("convert %s: %v", u.Name, diag)
		}
		return got.(model.UnitRecord)
	}
	// The importer names the town without its code, then a community in it.
	got := convert(records.Unit{Name: "德宽路街道", Level: model.LevelTown}, "line 4")
	if got.Code != town.Code || got.NameEn != town.NameEn {
		t.Errorf("town record: code %s, nameEn %q; want the reference town's %s, %q", got.Code, got.NameEn, town.Code, town.NameEn)
	}
	community := convert(records.Unit{Name: "城东社区", Level: model.LevelCommunity, Parent: "德宽路街道"}, "line 5")
	if community.ParentCode != town.Code {
		t.Errorf("community's parent is %s; want %s", community.ParentCode, town.Code)
	}
	// A unit of another level with the town's name is a unit of its own.
	if other := convert(records.Unit{Name: "德宽路街道", Level: model.LevelCommunity, Parent: "德宽路街道"}, "line 6"); other.Code == town.Code {
		t.Errorf("a community named like the town took the town's code %s", other.Code)
	}
}

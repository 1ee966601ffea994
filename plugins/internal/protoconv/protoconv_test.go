package protoconv

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
	"github.com/countyhub/countyhub/plugins/records"
)

func ptr[T any](v T) *T { return &v }

func TestRecordRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]records.Record{
		"unit": {Reference: "line 3", Unit: &records.Unit{Code: "340828100001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, Parent: "天堂镇"}},
		"station": {Reference: "Sheet1!A4", Station: &records.Station{Key: "s1", Name: "站", Unit: "城东社区", Address: "路1号", Status: model.StationUpgrading,
			Facilities: []model.Facility{{Code: "reading_room", Name: "图书阅览室"}}, MeetsStandard: ptr(false), Opened: "2022-05"}},
		"station without optional fields": {Reference: "line 9", Station: &records.Station{Key: "s2", Name: "站2", Status: model.StationOperating}},
		"space":                           {Reference: "$.c[0]", Space: &records.Space{Key: "k", Name: "红色港湾", Kind: model.SpaceActivity, Brand: "红色港湾"}},
		"pilot": {Reference: "table 1 row 2", Pilot: &records.Pilot{Key: "p", Name: "先尝后买", Operator: "盛岳集团", Phase: model.PilotTrial,
			Compounds: ptr(3), Households: ptr(0), Started: "2023"}},
		"budget": {Reference: "line 4", Budget: &records.Budget{Key: "b", Year: 2022, Purpose: "服务费用", Source: "县乡财政",
			Amount: model.Quantity{Value: 1350000, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "135万元"}, Status: model.BudgetDisbursed, Recurring: true}},
		"observation with unspecified qualifier": {Reference: "line 5", Observation: &records.Observation{Metric: "outcome.problems_resolved", Period: "2023",
			Value: model.Quantity{Text: "300余件"}}},
	}
	for name, rec := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := RecordFromProto(RecordToProto(rec))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rec, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromProtoRejectsMalformed(t *testing.T) {
	t.Parallel()
	tests := map[string]*pb.Record{
		"nil":             nil,
		"no kind":         {Reference: "line 2"},
		"bad qualifier":   {Kind: &pb.Record_Observation{Observation: &pb.Observation{Value: &pb.Quantity{Qualifier: 99}}}},
		"bad budget qual": {Kind: &pb.Record_Budget{Budget: &pb.Budget{Amount: &pb.Quantity{Qualifier: -1}}}},
	}
	for name, r := range tests {
		if _, err := RecordFromProto(r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Set kinds with nil messages do not panic.
	for _, r := range []*pb.Record{{Kind: &pb.Record_Station{}}, {Kind: &pb.Record_Pilot{}}, {Kind: &pb.Record_Budget{}}, {Kind: &pb.Record_Unit{}}} {
		if _, err := RecordFromProto(r); err != nil {
			t.Errorf("%v: %v", r, err)
		}
	}
}

func TestDiagnosticsAndDescriptions(t *testing.T) {
	t.Parallel()
	for _, sev := range []records.Severity{records.Error, records.Warning, records.Info} {
		d := records.Diagnostic{Severity: sev, Reference: "Sheet1!C7", Field: "amount", Message: "not a number"}
		got, err := DiagnosticFromProto(DiagnosticToProto(d))
		if err != nil || got != d {
			t.Errorf("%s: %+v, %v", sev, got, err)
		}
	}
	if _, err := DiagnosticFromProto(&pb.Diagnostic{}); err == nil {
		t.Error("unspecified severity accepted")
	}
	if _, err := DiagnosticFromProto(nil); err == nil {
		t.Error("nil diagnostic accepted")
	}
	desc := records.Description{Name: "x", Version: "1.0.0", Description: "d", Formats: []records.Format{{Extensions: []string{".csv"}, MediaTypes: []string{"text/csv"}}},
		Datasets: []string{records.Stations}, Options: []records.Option{{Name: "sheet", Type: "string", Default: "Sheet1", Required: true}}}
	if diff := cmp.Diff(desc, DescriptionFromProto(DescriptionToProto(desc))); diff != "" {
		t.Errorf("description round trip (-want +got):\n%s", diff)
	}
	if got := DescriptionFromProto(nil); got.Name != "" || got.Formats == nil {
		t.Errorf("nil description = %+v", got)
	}
}

func TestEncodeRecordAndCleanDiagnostic(t *testing.T) {
	t.Parallel()
	if _, _, err := EncodeRecord(records.Record{Reference: "line 1"}); err == nil {
		t.Error("a record without a kind was accepted")
	}
	bad := records.Record{Reference: "line 2", Observation: &records.Observation{Metric: "x\xff"}}
	if _, _, err := EncodeRecord(bad); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("invalid UTF-8: %v; want an error saying so", err)
	}
	good := records.Record{Reference: "line 3", Observation: &records.Observation{Metric: "org.volunteer_teams", Period: "2023"}}
	if _, size, err := EncodeRecord(good); err != nil || size == 0 {
		t.Errorf("good record: size %d, %v", size, err)
	}
	d := CleanDiagnostic(records.Diagnostic{Severity: records.Error, Reference: "line \xff", Field: "f\xfe", Message: "bad \xff byte"})
	if d.Reference != "line \uFFFD" || d.Field != "f\uFFFD" || d.Message != "bad \uFFFD byte" {
		t.Errorf("cleaned = %+v", d)
	}
}

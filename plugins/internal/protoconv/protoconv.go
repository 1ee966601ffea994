// Package protoconv converts between the importer protocol's generated
// types and the records package, at the edge of the host and the SDK, so
// generated structs never travel further. Every converter accepts nil.
package protoconv

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/countyhub/countyhub/model"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
	"github.com/countyhub/countyhub/plugins/records"
)

// DescriptionToProto converts a description for the wire.
func DescriptionToProto(d records.Description) *pb.DescribeResponse {
	out := &pb.DescribeResponse{Name: d.Name, Version: d.Version, Description: d.Description, Datasets: d.Datasets}
	for _, f := range d.Formats {
		out.Formats = append(out.Formats, &pb.Format{Extensions: f.Extensions, MediaTypes: f.MediaTypes, Description: f.Description})
	}
	for _, o := range d.Options {
		out.Options = append(out.Options, &pb.OptionSpec{Name: o.Name, Type: o.Type, Description: o.Description, Default: o.Default, Required: o.Required})
	}
	return out
}

// DescriptionFromProto converts a description from the wire.
func DescriptionFromProto(d *pb.DescribeResponse) records.Description {
	out := records.Description{
		Name: d.GetName(), Version: d.GetVersion(), Description: d.GetDescription(),
		Datasets: d.GetDatasets(), Formats: []records.Format{},
	}
	for _, f := range d.GetFormats() {
		out.Formats = append(out.Formats, records.Format{Extensions: f.GetExtensions(), MediaTypes: f.GetMediaTypes(), Description: f.GetDescription()})
	}
	for _, o := range d.GetOptions() {
		out.Options = append(out.Options, records.Option{Name: o.GetName(), Type: o.GetType(), Description: o.GetDescription(), Default: o.GetDefault(), Required: o.GetRequired()})
	}
	return out
}

var qualifiersToProto = map[model.Qualifier]pb.Qualifier{
	"":                pb.Qualifier_QUALIFIER_UNSPECIFIED,
	model.Exact:       pb.Qualifier_QUALIFIER_EXACT,
	model.AtLeast:     pb.Qualifier_QUALIFIER_AT_LEAST,
	model.AtMost:      pb.Qualifier_QUALIFIER_AT_MOST,
	model.Approximate: pb.Qualifier_QUALIFIER_APPROXIMATE,
}

var severitiesToProto = map[records.Severity]pb.Severity{
	records.Error:   pb.Severity_SEVERITY_ERROR,
	records.Warning: pb.Severity_SEVERITY_WARNING,
	records.Info:    pb.Severity_SEVERITY_INFO,
}

func invert[K, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

var (
	qualifiersFromProto = invert(qualifiersToProto)
	severitiesFromProto = invert(severitiesToProto)
)

// QuantityToProto converts a quantity for the wire.
func QuantityToProto(q model.Quantity) *pb.Quantity {
	return &pb.Quantity{Value: q.Value, Qualifier: qualifiersToProto[q.Qualifier], Unit: q.Unit, Text: q.Text}
}

// QuantityFromProto converts a quantity from the wire; an unknown
// qualifier is an error.
func QuantityFromProto(q *pb.Quantity) (model.Quantity, error) {
	if q == nil {
		return model.Quantity{}, nil
	}
	qual, ok := qualifiersFromProto[q.GetQualifier()]
	if !ok {
		return model.Quantity{}, fmt.Errorf("unknown qualifier %d", q.GetQualifier())
	}
	return model.Quantity{Value: q.GetValue(), Qualifier: qual, Unit: q.GetUnit(), Text: q.GetText()}, nil
}

// DiagnosticToProto converts a diagnostic for the wire.
func DiagnosticToProto(d records.Diagnostic) *pb.Diagnostic {
	return &pb.Diagnostic{Severity: severitiesToProto[d.Severity], Reference: d.Reference, Field: d.Field, Message: d.Message}
}

// DiagnosticFromProto converts a diagnostic from the wire; an unspecified
// or unknown severity is an error.
func DiagnosticFromProto(d *pb.Diagnostic) (records.Diagnostic, error) {
	sev, ok := severitiesFromProto[d.GetSeverity()]
	if !ok {
		return records.Diagnostic{}, fmt.Errorf("diagnostic %q: unknown severity %d", d.GetMessage(), d.GetSeverity())
	}
	return records.Diagnostic{Severity: sev, Reference: d.GetReference(), Field: d.GetField(), Message: d.GetMessage()}, nil
}

// RecordToProto converts a record for the wire.
func RecordToProto(r records.Record) *pb.Record {
	out := &pb.Record{Reference: r.Reference}
	switch {
	case r.Unit != nil:
		u := r.Unit
		out.Kind = &pb.Record_Unit{Unit: &pb.Unit{Code: u.Code, Name: u.Name, NameEn: u.NameEn, Level: string(u.Level), Parent: u.Parent}}
	case r.Station != nil:
		s := r.Station
		st := &pb.Station{Key: s.Key, Name: s.Name, Unit: s.Unit, Address: s.Address, Status: string(s.Status), MeetsStandard: s.MeetsStandard, Opened: s.Opened}
		for _, f := range s.Facilities {
			st.Facilities = append(st.Facilities, &pb.Facility{Code: f.Code, Name: f.Name})
		}
		out.Kind = &pb.Record_Station{Station: st}
	case r.Space != nil:
		s := r.Space
		out.Kind = &pb.Record_Space{Space: &pb.Space{Key: s.Key, Name: s.Name, Unit: s.Unit, Kind: string(s.Kind), Brand: s.Brand}}
	case r.Pilot != nil:
		p := r.Pilot
		out.Kind = &pb.Record_Pilot{Pilot: &pb.Pilot{Key: p.Key, Name: p.Name, Unit: p.Unit, Operator: p.Operator, Phase: string(p.Phase),
			Compounds: int64Ptr(p.Compounds), Households: int64Ptr(p.Households), PayingHouseholds: int64Ptr(p.PayingHouseholds), Started: p.Started}}
	case r.Budget != nil:
		b := r.Budget
		out.Kind = &pb.Record_Budget{Budget: &pb.Budget{Key: b.Key, Year: int32(b.Year), Purpose: b.Purpose, Source: b.Source,
			Amount: QuantityToProto(b.Amount), Status: string(b.Status), Recurring: b.Recurring}}
	case r.Observation != nil:
		o := r.Observation
		out.Kind = &pb.Record_Observation{Observation: &pb.Observation{Metric: o.Metric, Unit: o.Unit, Period: o.Period, AsOf: o.AsOf, Value: QuantityToProto(o.Value)}}
	}
	return out
}

// EncodeRecord converts a record for the wire and checks that it can be
// sent: exactly one kind set, and every string valid UTF-8 (the protocol
// cannot carry anything else). It returns the record's encoded size.
func EncodeRecord(r records.Record) (*pb.Record, int, error) {
	if r.Dataset() == "" {
		return nil, 0, fmt.Errorf("record %q: set exactly one of unit, station, space, pilot, budget, observation", r.Reference)
	}
	p := RecordToProto(r)
	b, err := proto.Marshal(p)
	if err != nil {
		return nil, 0, fmt.Errorf("record %q cannot be sent (are all its strings valid UTF-8?): %w", strings.ToValidUTF8(r.Reference, "\uFFFD"), err)
	}
	return p, len(b), nil
}

// CleanDiagnostic replaces bytes that are not valid UTF-8 in a diagnostic
// (which often quotes the bad input it is about) so it can be sent.
func CleanDiagnostic(d records.Diagnostic) records.Diagnostic {
	d.Reference = strings.ToValidUTF8(d.Reference, "\uFFFD")
	d.Field = strings.ToValidUTF8(d.Field, "\uFFFD")
	d.Message = strings.ToValidUTF8(d.Message, "\uFFFD")
	return d
}

// RecordFromProto converts a record from the wire; a record with no kind
// (from a newer protocol, or malformed) is an error.
func RecordFromProto(r *pb.Record) (records.Record, error) {
	out := records.Record{Reference: r.GetReference()}
	switch k := r.GetKind().(type) {
	case *pb.Record_Unit:
		u := k.Unit
		out.Unit = &records.Unit{Code: u.GetCode(), Name: u.GetName(), NameEn: u.GetNameEn(), Level: model.UnitLevel(u.GetLevel()), Parent: u.GetParent()}
	case *pb.Record_Station:
		s := k.Station
		st := &records.Station{Key: s.GetKey(), Name: s.GetName(), Unit: s.GetUnit(), Address: s.GetAddress(),
			Status: model.StationStatus(s.GetStatus()), Opened: s.GetOpened()}
		if s != nil && s.MeetsStandard != nil {
			v := *s.MeetsStandard
			st.MeetsStandard = &v
		}
		for _, f := range s.GetFacilities() {
			st.Facilities = append(st.Facilities, model.Facility{Code: f.GetCode(), Name: f.GetName()})
		}
		out.Station = st
	case *pb.Record_Space:
		s := k.Space
		out.Space = &records.Space{Key: s.GetKey(), Name: s.GetName(), Unit: s.GetUnit(), Kind: model.SpaceKind(s.GetKind()), Brand: s.GetBrand()}
	case *pb.Record_Pilot:
		p := k.Pilot
		out.Pilot = &records.Pilot{Key: p.GetKey(), Name: p.GetName(), Unit: p.GetUnit(), Operator: p.GetOperator(), Phase: model.PilotPhase(p.GetPhase()),
			Started: p.GetStarted()}
		if p != nil {
			out.Pilot.Compounds, out.Pilot.Households, out.Pilot.PayingHouseholds = intPtr(p.Compounds), intPtr(p.Households), intPtr(p.PayingHouseholds)
		}
	case *pb.Record_Budget:
		b := k.Budget
		amount, err := QuantityFromProto(b.GetAmount())
		if err != nil {
			return out, fmt.Errorf("record %q: amount: %w", out.Reference, err)
		}
		out.Budget = &records.Budget{Key: b.GetKey(), Year: int(b.GetYear()), Purpose: b.GetPurpose(), Source: b.GetSource(),
			Amount: amount, Status: model.BudgetStatus(b.GetStatus()), Recurring: b.GetRecurring()}
	case *pb.Record_Observation:
		o := k.Observation
		value, err := QuantityFromProto(o.GetValue())
		if err != nil {
			return out, fmt.Errorf("record %q: value: %w", out.Reference, err)
		}
		out.Observation = &records.Observation{Metric: o.GetMetric(), Unit: o.GetUnit(), Period: o.GetPeriod(), AsOf: o.GetAsOf(), Value: value}
	default:
		return out, fmt.Errorf("record %q has no kind: not a unit, station, space, pilot, budget or observation", out.Reference)
	}
	return out, nil
}

func int64Ptr(p *int) *int64 {
	if p == nil {
		return nil
	}
	v := int64(*p)
	return &v
}

func intPtr(p *int64) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}

package mapping

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// row is one data row on its way to a record: the texts of its fields and
// the cells they came from, and the diagnostics reading them gave.
type row struct {
	m      *Mapping
	t      *Table
	texts  map[string]string // by field name
	refs   map[string]string // cell of each field read from a column
	rowRef string            // the row's leftmost mapped cell
	diags  []records.Diagnostic
	failed bool
}

// ref is the cell a field came from; a constant's is the row's.
func (r *row) ref(field string) string {
	if ref, ok := r.refs[field]; ok {
		return ref
	}
	return r.rowRef
}

func (r *row) fail(field string, err error) {
	r.failed = true
	r.diags = append(r.diags, sdk.Errorf(r.ref(field), field, "%v", err))
}

func (r *row) warn(field, format string, args ...any) {
	r.diags = append(r.diags, sdk.Warnf(r.ref(field), field, format, args...))
}

// record builds the row's record and the unit records of the places it
// names; the record is nil when a cell could not be read.
func (r *row) record() (*records.Record, []records.Record) {
	for _, f := range datasetFields[r.m.Dataset] {
		if f.required && f.name != "key" && r.texts[f.name] == "" {
			r.fail(f.name, fmt.Errorf("%s is empty", f.name))
		}
	}
	r.checkUnits()
	rec := records.Record{}
	switch r.m.Dataset {
	case records.Units:
		rec.Unit = r.unitRecord()
	case records.Stations:
		rec.Station = r.station()
	case records.Spaces:
		rec.Space = r.space()
	case records.Pilots:
		rec.Pilot = r.pilot()
	case records.Budgets:
		rec.Budget = r.budget()
	case records.Observations:
		rec.Observation = r.observation()
	}
	if r.failed {
		r.diags = slices.DeleteFunc(r.diags, func(d records.Diagnostic) bool { return d.Severity != records.Error })
		return nil, nil
	}
	rec.Reference = r.rowRef
	for _, f := range mainField(r.m.Dataset) {
		if ref, ok := r.refs[f]; ok {
			rec.Reference = ref
			break
		}
	}
	return &rec, r.places()
}

// checkUnits refuses a row whose cells name a unit outside the county of
// the import (the constants were checked by Bind).
func (r *row) checkUnits() {
	for _, f := range datasetFields[r.m.Dataset] {
		ref, fromCell := r.refs[f.name]
		if f.kind != unitKind || !fromCell {
			continue
		}
		if d := sdk.CheckUnit(r.t.unit, ref, f.name, r.texts[f.name]); d != nil {
			r.failed = true
			r.diags = append(r.diags, *d)
		}
	}
}

func (r *row) unitRecord() *records.Unit {
	return &records.Unit{Code: r.texts["code"], Name: r.texts["name"], NameEn: r.texts["nameEn"],
		Level: model.UnitLevel(r.enum("level")), Parent: r.texts["parent"]}
}

func (r *row) station() *records.Station {
	return &records.Station{Key: r.key(), Name: r.texts["name"], Unit: r.unit(), Address: r.texts["address"],
		Status: model.StationStatus(r.enum("status")), Facilities: r.facilities(), MeetsStandard: r.flag("meetsStandard"),
		Opened: r.date("opened")}
}

func (r *row) space() *records.Space {
	return &records.Space{Key: r.key(), Name: r.texts["name"], Unit: r.unit(), Kind: model.SpaceKind(r.enum("kind")), Brand: r.texts["brand"]}
}

func (r *row) pilot() *records.Pilot {
	return &records.Pilot{Key: r.key(), Name: r.texts["name"], Unit: r.unit(), Operator: r.texts["operator"],
		Phase: model.PilotPhase(r.enum("phase")), Compounds: r.count("compounds"), Households: r.count("households"),
		PayingHouseholds: r.count("payingHouseholds"), Started: r.date("started")}
}

func (r *row) budget() *records.Budget {
	b := &records.Budget{Key: r.key(), Purpose: r.texts["purpose"], Source: r.texts["source"],
		Amount: r.figure("amount"), Status: model.BudgetStatus(r.enum("status"))}
	if y, ok := read(r, "year", readYear); ok {
		b.Year = y
	}
	if f := r.flag("recurring"); f != nil {
		b.Recurring = *f
	}
	return b
}

func (r *row) observation() *records.Observation {
	o := &records.Observation{Metric: r.texts["metric"], Unit: r.unit(), Period: r.date("period"), AsOf: r.date("asOf"), Value: r.figure("value")}
	if o.AsOf == "" && r.texts["asOf"] == "" {
		o.AsOf = r.m.asOf
	}
	return o
}

// read reads a field's text with a reader, reporting the cell when it
// cannot; an empty text reads as nothing.
func read[T any](r *row, field string, reader func(string) (T, error)) (T, bool) {
	var zero T
	text := r.texts[field]
	if text == "" {
		return zero, false
	}
	v, err := reader(text)
	if err != nil {
		r.fail(field, err)
		return zero, false
	}
	return v, true
}

func (r *row) date(field string) string {
	d, _ := read(r, field, readDate)
	return d
}

func (r *row) count(field string) *int {
	if n, ok := read(r, field, readCount); ok {
		return &n
	}
	return nil
}

func (r *row) flag(field string) *bool {
	if b, ok := read(r, field, readFlag); ok {
		return &b
	}
	return nil
}

func (r *row) enum(field string) string {
	f, _ := lookupField(r.m.Dataset, field)
	v, _ := read(r, field, func(s string) (string, error) { return readEnum(f, s) })
	return v
}

func (r *row) figure(field string) model.Quantity {
	f, _ := lookupField(r.m.Dataset, field)
	q, _ := read(r, field, func(s string) (model.Quantity, error) { return readFigure(s, r.m.unitOf(f), r.m.moneyScale) })
	return q
}

// facilities reads a list of facilities; one without a code is kept by its
// name, with a warning.
func (r *row) facilities() []model.Facility {
	var list []model.Facility
	seen := map[string]bool{}
	for _, it := range splitList(r.texts["facilities"]) {
		f, err := readFacility(it, r.m.values["facilities"])
		if err != nil {
			r.warn("facilities", "facility %q has no code: it is kept by its name; give its code under values: facilities: in the mapping", it)
		}
		if id := f.Code + "|" + f.Name; !seen[id] {
			seen[id] = true
			list = append(list, f)
		}
	}
	return list
}

// key is the record's key: its key field, or the fields of key_from
// joined with "/" (a year as its four digits).
func (r *row) key() string {
	if len(r.m.keyFrom) == 0 {
		if r.texts["key"] == "" {
			r.fail("key", fmt.Errorf("key is empty"))
		}
		return r.texts["key"]
	}
	var parts []string
	for _, f := range r.m.keyFrom {
		s := r.texts[f.name]
		if f.kind == yearKind {
			if y, err := readYear(s); err == nil {
				s = strconv.Itoa(y) // 2022年 and 2022 make the same key
			}
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		r.fail(r.m.keyFrom[0].name, fmt.Errorf("key is empty: %s give no text to make it of", keyFromNames(r.m.keyFrom)))
	}
	return strings.Join(parts, "/")
}

func keyFromNames(fields []*field) string {
	var names []string
	for _, f := range fields {
		names = append(names, f.name)
	}
	return strings.Join(names, " and ")
}

// unit is the unit a record is about: its unit field, or the lowest of
// the town, community and compound it names.
func (r *row) unit() string {
	if u := r.texts["unit"]; u != "" {
		return u
	}
	unit := ""
	for _, f := range placeFields {
		if s := r.texts[f.name]; s != "" {
			unit = s
		}
	}
	return unit
}

// places returns the unit records of the towns, communities and compounds
// the row names that earlier rows did not, each with its enclosing unit as
// its parent.
func (r *row) places() []records.Record {
	var out []records.Record
	parent := ""
	for _, f := range placeFields {
		name := r.texts[f.name]
		if name == "" {
			continue
		}
		level := model.UnitLevel(strings.ToUpper(f.name))
		id := string(level) + "|" + parent + "|" + name
		if !r.t.units[id] {
			r.t.units[id] = true
			out = append(out, records.Record{Reference: r.ref(f.name), Unit: &records.Unit{Name: name, Level: level, Parent: parent}})
		}
		parent = name
	}
	return out
}

package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
)

// validator turns an importer's records into the records of a run,
// normalizing quantities, dates and unit names, and reports every record it
// refuses as a diagnostic naming the record's place in the file.
type validator struct {
	run     model.Run
	unit    model.AdminUnit // the unit the run is for
	county  string          // its county; empty for a city run
	prov    model.Provenance
	metrics map[string]model.Metric
	known   []model.AdminUnit
	units   *normalize.Units
	created map[string]model.AdminUnit // lower units new in this run, by code
	seen    map[string]string          // dataset/key -> reference of its first record
}

func newValidator(run model.Run, unit model.AdminUnit, known []model.AdminUnit, metrics []model.Metric) *validator {
	v := &validator{
		run: run, unit: unit, county: unit.CountyCode,
		prov:    model.Provenance{RunID: run.ID, Importer: run.Importer, ImporterVersion: run.ImporterVersion, FileName: run.FileName, FileSHA256: run.FileSHA256},
		metrics: map[string]model.Metric{}, known: known, units: normalize.NewUnits(known),
		created: map[string]model.AdminUnit{}, seen: map[string]string{},
	}
	for _, m := range metrics {
		v.metrics[m.Code] = m
	}
	return v
}

// problem is a record refused, with the field at fault.
type problem struct {
	field, msg string
}

func (p *problem) Error() string { return p.msg }

func fail(field, format string, args ...any) *problem {
	return &problem{field: field, msg: fmt.Sprintf(format, args...)}
}

// convert returns the run's record for what the importer sent, or the
// diagnostic that refuses it.
func (v *validator) convert(r records.Record) (model.Record, *records.Diagnostic) {
	rec, err := v.record(r)
	if err != nil {
		return nil, &records.Diagnostic{Severity: records.Error, Reference: r.Reference, Field: err.field, Message: err.msg}
	}
	return rec, nil
}

// record validates what the importer sent by its kind.
func (v *validator) record(r records.Record) (model.Record, *problem) {
	prov := v.prov
	prov.Reference = r.Reference
	switch {
	case r.Unit != nil:
		return v.unitRecord(r.Unit, prov)
	case r.Station != nil:
		return v.station(r.Station, prov)
	case r.Space != nil:
		return v.space(r.Space, prov)
	case r.Pilot != nil:
		return v.pilot(r.Pilot, prov)
	case r.Budget != nil:
		return v.budget(r.Budget, prov)
	case r.Observation != nil:
		return v.observation(r.Observation, r.Reference, prov)
	}
	return nil, fail("", "the record is empty")
}

// station checks a station and gives it its county and unit.
func (v *validator) station(s *records.Station, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("stations"); err != nil {
		return nil, err
	}
	if err := required("key", s.Key, "name", s.Name); err != nil {
		return nil, err
	}
	status := s.Status
	if status == "" {
		status = model.StationOperating
	}
	if !oneOf(status, model.StationPlanned, model.StationOperating, model.StationUpgrading, model.StationClosed) {
		return nil, fail("status", "status %q is not PLANNED, OPERATING, UPGRADING or CLOSED", status)
	}
	unit, err := v.lowerUnit(s.Unit)
	if err != nil {
		return nil, err
	}
	opened, err := optionalDate("opened", s.Opened)
	if err != nil {
		return nil, err
	}
	if err := v.unique(records.Stations, s.Key, prov.Reference); err != nil {
		return nil, err
	}
	facilities := s.Facilities
	if facilities == nil {
		facilities = []model.Facility{}
	}
	return model.Station{ID: v.id(s.Key), Key: s.Key, CountyCode: v.county, UnitCode: unit, Name: s.Name, Address: s.Address,
		Status: status, Facilities: facilities, MeetsStandard: s.MeetsStandard, Opened: opened, Provenance: prov}, nil
}

// space checks a shared space or deliberation point.
func (v *validator) space(s *records.Space, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("spaces"); err != nil {
		return nil, err
	}
	if err := required("key", s.Key, "name", s.Name); err != nil {
		return nil, err
	}
	if !oneOf(s.Kind, model.SpaceShared, model.SpaceDeliberation, model.SpaceActivity) {
		return nil, fail("kind", "kind %q is not SHARED_SPACE, DELIBERATION_POINT or ACTIVITY_VENUE", s.Kind)
	}
	unit, err := v.lowerUnit(s.Unit)
	if err != nil {
		return nil, err
	}
	if err := v.unique(records.Spaces, s.Key, prov.Reference); err != nil {
		return nil, err
	}
	return model.Space{ID: v.id(s.Key), Key: s.Key, CountyCode: v.county, UnitCode: unit, Name: s.Name, Kind: s.Kind, Brand: s.Brand, Provenance: prov}, nil
}

// pilot checks a fallback-service pilot and its household counts.
func (v *validator) pilot(p *records.Pilot, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("pilots"); err != nil {
		return nil, err
	}
	if err := required("key", p.Key, "name", p.Name, "operator", p.Operator); err != nil {
		return nil, err
	}
	if !oneOf(p.Phase, model.PilotTrial, model.PilotPurchase, model.PilotEnded) {
		return nil, fail("phase", "phase %q is not TRIAL, PURCHASE or ENDED", p.Phase)
	}
	for _, n := range []struct {
		field string
		v     *int
	}{{"compounds", p.Compounds}, {"households", p.Households}, {"payingHouseholds", p.PayingHouseholds}} {
		if n.v != nil && *n.v < 0 {
			return nil, fail(n.field, "%s is negative: %d", n.field, *n.v)
		}
	}
	if p.Households != nil && p.PayingHouseholds != nil && *p.PayingHouseholds > *p.Households {
		return nil, fail("payingHouseholds", "%d paying households of %d served", *p.PayingHouseholds, *p.Households)
	}
	unit, err := v.lowerUnit(p.Unit)
	if err != nil {
		return nil, err
	}
	started, err := optionalDate("started", p.Started)
	if err != nil {
		return nil, err
	}
	if err := v.unique(records.Pilots, p.Key, prov.Reference); err != nil {
		return nil, err
	}
	return model.Pilot{ID: v.id(p.Key), Key: p.Key, CountyCode: v.county, UnitCode: unit, Name: p.Name, Operator: p.Operator, Phase: p.Phase,
		Compounds: p.Compounds, Households: p.Households, PayingHouseholds: p.PayingHouseholds, Started: started, Provenance: prov}, nil
}

// budget checks a budget line and reads its amount.
func (v *validator) budget(b *records.Budget, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("budgets"); err != nil {
		return nil, err
	}
	if err := required("key", b.Key, "purpose", b.Purpose); err != nil {
		return nil, err
	}
	if b.Year < 1949 || b.Year > 2100 {
		return nil, fail("year", "year %d is out of range", b.Year)
	}
	status := b.Status
	if status == "" {
		status = model.BudgetAllocated
	}
	if !oneOf(status, model.BudgetPlanned, model.BudgetAllocated, model.BudgetDisbursed) {
		return nil, fail("status", "status %q is not PLANNED, ALLOCATED or DISBURSED", status)
	}
	amount, err := quantity("amount", b.Amount, model.UnitCNY)
	if err != nil {
		return nil, err
	}
	if err := v.unique(records.Budgets, b.Key, prov.Reference); err != nil {
		return nil, err
	}
	return model.Budget{ID: v.id(b.Key), Key: b.Key, CountyCode: v.county, Year: b.Year, Purpose: b.Purpose, Source: b.Source,
		Amount: amount, Status: status, Recurring: b.Recurring, Provenance: prov}, nil
}

func (v *validator) observation(o *records.Observation, ref string, prov model.Provenance) (model.Record, *problem) {
	if err := required("metric", o.Metric, "period", o.Period); err != nil {
		return nil, err
	}
	m, ok := v.metrics[o.Metric]
	if !ok {
		return nil, fail("metric", "metric %q is not in the catalog", o.Metric)
	}
	period, err := normalize.Date(o.Period)
	if err != nil {
		return nil, fail("period", "period %q: %v", o.Period, err)
	}
	asOf, perr := optionalDate("asOf", o.AsOf)
	if perr != nil {
		return nil, perr
	}
	unit := v.unit
	if strings.TrimSpace(o.Unit) != "" {
		code, perr := v.lowerUnit(o.Unit)
		if perr != nil {
			return nil, perr
		}
		if code != "" {
			unit = v.unitByCode(code)
		}
	}
	value, perr := quantity("value", o.Value, m.Unit)
	if perr != nil {
		return nil, perr
	}
	if value.Unit != m.Unit {
		return nil, fail("value", "%s is in %s, but metric %s is in %s", describe(value), value.Unit, m.Code, m.Unit)
	}
	key := o.Metric + "|" + unit.Code + "|" + period
	if perr := v.unique(records.Observations, key, ref); perr != nil {
		return nil, perr
	}
	return model.Observation{ID: v.id(key), Key: key, MetricCode: m.Code, UnitCode: unit.Code, CountyCode: v.county, Period: period, AsOf: asOf, Value: value, Provenance: prov}, nil
}

func describe(q model.Quantity) string {
	if q.Text != "" {
		return strconv.Quote(q.Text)
	}
	return strconv.FormatFloat(q.Value, 'f', -1, 64)
}

// unitRecord adds a lower unit named by the importer.
func (v *validator) unitRecord(u *records.Unit, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("units"); err != nil {
		return nil, err
	}
	if err := required("name", u.Name); err != nil {
		return nil, err
	}
	if !oneOf(u.Level, model.LevelTown, model.LevelCommunity, model.LevelCompound) {
		return nil, fail("level", "level %q is not TOWN, COMMUNITY or COMPOUND", u.Level)
	}
	parent := v.county
	if strings.TrimSpace(u.Parent) != "" {
		p, err := v.units.ResolveUnder(u.Parent, v.county)
		if err != nil {
			return nil, fail("parent", "parent %q is not a unit of %s (%s): emit its unit record first", u.Parent, v.unit.Name, v.county)
		}
		parent = p.Code
	}
	code := strings.TrimSpace(u.Code)
	if code == "" {
		code = derivedCode(v.county, parent, u.Name)
	}
	if existing, err := v.units.Resolve(code); err == nil && existing.CountyCode != v.county {
		return nil, fail("code", "unit %s belongs to %s, not to %s", code, existing.CountyCode, v.county)
	}
	if err := v.unique(records.Units, code, prov.Reference); err != nil {
		return nil, err
	}
	a := model.AdminUnit{Code: code, Name: u.Name, NameEn: u.NameEn, Level: u.Level, ParentCode: parent, CountyCode: v.county}
	v.learn(a)
	return model.UnitRecord{ID: v.id(code), Key: code, Code: code, Name: a.Name, NameEn: a.NameEn, Level: a.Level,
		ParentCode: parent, CountyCode: v.county, Provenance: prov}, nil
}

// lowerUnit resolves the unit a record names (a code or name of a unit of
// the run's county) to its code; empty means the run's own unit, and a name
// never seen makes a new community of the county.
func (v *validator) lowerUnit(name string) (string, *problem) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	if v.county == "" {
		if u, err := v.units.Resolve(name); err == nil && u.Code == v.unit.Code {
			return "", nil
		}
		return "", fail("unit", "unit %q: a run for %s may only have records about %s itself", name, v.unit.Name, v.unit.Name)
	}
	if u, err := v.units.ResolveUnder(name, v.county); err == nil {
		if u.Code == v.county {
			return "", nil
		}
		return u.Code, nil
	}
	if other, err := v.units.Resolve(name); err == nil {
		return "", fail("unit", "unit %q is %s of another county (%s); this run is for %s (%s)", name, other.Code, other.CountyCode, v.unit.Name, v.county)
	}
	if !isName(name) {
		return "", fail("unit", "unit %q is not a unit of %s: give a name or a known code", name, v.unit.Name)
	}
	a := model.AdminUnit{Code: derivedCode(v.county, v.county, name), Name: name, Level: model.LevelCommunity, ParentCode: v.county, CountyCode: v.county}
	v.learn(a)
	return a.Code, nil
}

func (v *validator) learn(a model.AdminUnit) {
	v.created[a.Code] = a
	v.known = append(v.known, a)
	v.units = normalize.NewUnits(v.known)
}

func (v *validator) unitByCode(code string) model.AdminUnit {
	u, _ := v.units.Resolve(code)
	return u
}

// newUnits are the units the run created without unit records.
func (v *validator) newUnits() []model.AdminUnit {
	out := make([]model.AdminUnit, 0, len(v.created))
	for _, u := range v.created {
		out = append(out, u)
	}
	return out
}

func (v *validator) needCounty(dataset string) *problem {
	if v.county == "" {
		return fail("", "%s belong to a county, but this run is for %s (%s): import them for their county", dataset, v.unit.Name, v.unit.Code)
	}
	return nil
}

func (v *validator) unique(dataset, key, ref string) *problem {
	k := dataset + "/" + key
	if first, dup := v.seen[k]; dup {
		return fail("key", "duplicate of the record at %s (%s %q)", first, dataset, key)
	}
	v.seen[k] = ref
	return nil
}

func (v *validator) id(key string) string { return v.run.ID + "/" + key }

// derivedCode gives a unit without an official code a stable one: the
// county's code and a hash of the unit's place and name.
func derivedCode(county, parent, name string) string {
	sum := sha256.Sum256([]byte(parent + "/" + strings.TrimSpace(name)))
	return county + "-" + hex.EncodeToString(sum[:5])
}

func isName(s string) bool {
	for _, r := range s {
		if r > 0x2E80 { // CJK
			return true
		}
	}
	return false
}

func required(pairs ...string) *problem {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fail(pairs[i], "%s is empty", pairs[i])
		}
	}
	return nil
}

func oneOf[T comparable](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func optionalDate(field, s string) (string, *problem) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	d, err := normalize.Date(s)
	if err != nil {
		return "", fail(field, "%s %q: %v", field, s, err)
	}
	return d, nil
}

// quantity normalizes a quantity: one whose qualifier is not given is read
// from its text; an explicit one is checked.
func quantity(field string, q model.Quantity, unit string) (model.Quantity, *problem) {
	if q.Qualifier == "" {
		if strings.TrimSpace(q.Text) == "" {
			return q, fail(field, "%s is empty", field)
		}
		n, err := normalize.Quantity(q.Text, unit)
		if err != nil {
			return q, fail(field, "%s: %v", field, err)
		}
		if q.Unit != "" && q.Unit != n.Unit && !(q.Unit == model.UnitCount && n.Unit != model.UnitCount) {
			return q, fail(field, "%s %q reads as %s, but the importer says %s", field, q.Text, n.Unit, q.Unit)
		}
		return n, nil
	}
	if !oneOf(q.Qualifier, model.Exact, model.AtLeast, model.AtMost, model.Approximate) {
		return q, fail(field, "qualifier %q is not EXACT, AT_LEAST, AT_MOST or APPROXIMATE", q.Qualifier)
	}
	if q.Value < 0 || math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
		return q, fail(field, "%s is not a count or amount: %v", field, q.Value)
	}
	if q.Unit == "" {
		q.Unit = unit
	}
	return q, nil
}

// recorded tells whether the run has a unit record for the code.
func (v *validator) recorded(code string) bool {
	_, ok := v.seen[records.Units+"/"+code]
	return ok
}

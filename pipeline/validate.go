package pipeline

import (
	"fmt"
	"math"
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

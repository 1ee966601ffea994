package pipeline

import (
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
)

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

package analytics

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/countyhub/countyhub/model"
)

// ErrUnknown is returned for a metric or scope unit that does not exist.
var ErrUnknown = errors.New("unknown")

// ErrBelow is returned for a level that is not below the scope's.
var ErrBelow = errors.New("not a level below the scope")

// Source is what a comparison reads: rollups by id (RollupsByID leaves
// out ids without one), units and metrics. *store.Store is one.
type Source interface {
	RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error)
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	Children(ctx context.Context, parent string, level model.UnitLevel) ([]model.AdminUnit, error)
	Descendants(ctx context.Context, code string, level model.UnitLevel) ([]model.AdminUnit, error)
	MetricsByCode(ctx context.Context, codes []string) ([]model.Metric, error)
}

// Comparison is one metric for one period across the units of a scope.
type Comparison struct {
	Metric model.Metric
	Period string
	// Scope is the unit whose children are compared (the city by default).
	Scope model.AdminUnit
	// Level is the level of the units compared: the scope's children's,
	// or the one asked for.
	Level model.UnitLevel
	// Per is the denominator metric, when one was asked for.
	Per *model.Metric
	// Rows has a row for each unit with a figure, ranked.
	Rows []Row
	// Total sums the rows' values, qualifiers carried, for metrics that
	// add up; nil otherwise. It is not an estimate for the whole scope:
	// Gaps says what is missing.
	Total *model.Quantity
	// Gaps are the units of the scope without a figure.
	Gaps []model.AdminUnit
	// PreviousPeriod is the period Change compares with; "" when the
	// period has no predecessor.
	PreviousPeriod string
}

// Row is a unit's place in a comparison.
type Row struct {
	Unit  model.AdminUnit
	Value model.Quantity
	// Rank orders by value, a bound or approximation by its value; equal
	// values share a rank.
	Rank int
	// Qualified marks a value that is not EXACT, so "580余" is never shown
	// as if it were 580.
	Qualified bool
	// Partial marks a value summed from lower units' figures because the
	// unit reports none of its own: a lower bound for the unit.
	Partial bool
	// Contributors are the units whose figures make a partial value.
	Contributors []string
	// Share is the value's part of Total; nil without a total.
	Share *float64
	// PerUnit is the value divided by the unit's figure of the Per metric;
	// nil with PerUnitMissing saying why.
	PerUnit        *float64
	PerUnitMissing string
	// Change is the value minus the previous period's, when there is one.
	Change *model.Quantity
	// Source is the figure's provenance; empty for a partial value.
	Source model.RollupFigure
}

// Compare compares metric in period across the units of scope: its
// children at the level below it, or, with level set, its units of that
// level at any depth (the 104 county-level units of a province). per, when
// not empty, names a denominator metric.
func Compare(ctx context.Context, src Source, metricCode, period, scopeCode, per string, level model.UnitLevel) (Comparison, error) {
	var c Comparison
	codes := []string{metricCode}
	if per != "" {
		codes = append(codes, per)
	}
	ms, err := src.MetricsByCode(ctx, codes)
	if err != nil {
		return c, err
	}
	for _, m := range ms {
		if m.Code == metricCode {
			c.Metric = m
		}
		if per != "" && m.Code == per {
			m := m
			c.Per = &m
		}
	}
	if c.Metric.Code == "" {
		return c, fmt.Errorf("metric %q: %w", metricCode, ErrUnknown)
	}
	if per != "" && c.Per == nil {
		return c, fmt.Errorf("metric %q (per): %w", per, ErrUnknown)
	}
	c.Period = period
	if c.Scope, err = src.Unit(ctx, scopeCode); err != nil {
		return c, fmt.Errorf("scope %q: %w", scopeCode, ErrUnknown)
	}
	var units []model.AdminUnit
	if level == "" || level == childLevel(c.Scope.Level) {
		c.Level = childLevel(c.Scope.Level)
		units, err = src.Children(ctx, scopeCode, c.Level)
	} else {
		if levelRank(level) <= levelRank(c.Scope.Level) {
			return c, fmt.Errorf("level %s is not below %s (%s), a %s: %w", level, c.Scope.Name, c.Scope.Code, c.Scope.Level, ErrBelow)
		}
		c.Level = level
		units, err = src.Descendants(ctx, scopeCode, level)
	}
	if err != nil {
		return c, err
	}

	c.PreviousPeriod = previousPeriod(period)
	ids := []string{model.RollupID(metricCode, period)}
	if per != "" {
		ids = append(ids, model.RollupID(per, period))
	}
	if c.PreviousPeriod != "" {
		ids = append(ids, model.RollupID(metricCode, c.PreviousPeriod))
	}
	byID, err := rollupsFor(ctx, src, ids, units)
	if err != nil {
		return c, err
	}
	cur, den, prev := byID[ids[0]], byID[model.RollupID(per, period)], byID[model.RollupID(metricCode, c.PreviousPeriod)]
	adds := c.Metric.Aggregation == model.AggregateSum

	var values []model.Quantity
	for _, u := range units {
		row, ok := figureOf(cur, u, adds)
		if !ok {
			c.Gaps = append(c.Gaps, u)
			continue
		}
		if per != "" {
			d, ok := figureOf(den, u, c.Per.Aggregation == model.AggregateSum)
			switch {
			case !ok:
				row.PerUnitMissing = fmt.Sprintf("%s reports no %s for %s", u.Name, per, period)
			case d.Value.Value == 0:
				row.PerUnitMissing = fmt.Sprintf("%s reports %s = 0 for %s", u.Name, per, period)
			default:
				v := row.Value.Value / d.Value.Value
				row.PerUnit = &v
			}
		}
		if p, ok := figureOf(prev, u, adds); ok && c.PreviousPeriod != "" {
			if d, err := Sum(row.Value, negate(p.Value)); err == nil {
				row.Change = &d
			}
		}
		values = append(values, row.Value)
		c.Rows = append(c.Rows, row)
	}
	sort.SliceStable(c.Rows, func(i, j int) bool { return c.Rows[i].Value.Value > c.Rows[j].Value.Value })
	for i := range c.Rows {
		c.Rows[i].Rank = i + 1
		if i > 0 && c.Rows[i].Value.Value == c.Rows[i-1].Value.Value {
			c.Rows[i].Rank = c.Rows[i-1].Rank
		}
	}
	if adds && len(values) > 0 {
		total, err := Sum(values...)
		if err != nil {
			return c, err
		}
		c.Total = &total
		for i := range c.Rows {
			if total.Value != 0 {
				s := c.Rows[i].Value.Value / total.Value
				c.Rows[i].Share = &s
			}
		}
	}
	return c, nil
}

// figureOf is a unit's value in a rollup: its own figure, or, for a
// county without one and a metric that adds up, the sum of its lower
// units' figures as a lower bound.
func figureOf(r model.Rollup, u model.AdminUnit, adds bool) (Row, bool) {
	if f, ok := r.Figures[u.Code]; ok {
		return Row{Unit: u, Value: f.Value, Qualified: f.Value.Qualifier != model.Exact, Source: f}, true
	}
	if s, ok := r.Lower[u.Code]; ok && adds {
		v := s.Value
		if v.Qualifier == model.Exact {
			v.Qualifier = model.AtLeast // the other lower units may have more
		}
		return Row{Unit: u, Value: v, Qualified: true, Partial: true, Contributors: s.Units}, true
	}
	return Row{}, false
}

// negate turns a quantity into its opposite: a lower bound of the
// opposite is an upper bound.
func negate(q model.Quantity) model.Quantity {
	n := model.Quantity{Value: -q.Value, Qualifier: q.Qualifier, Unit: q.Unit}
	switch q.Qualifier {
	case model.AtLeast:
		n.Qualifier = model.AtMost
	case model.AtMost:
		n.Qualifier = model.AtLeast
	}
	return n
}

func childLevel(l model.UnitLevel) model.UnitLevel {
	switch l {
	case model.LevelProvince:
		return model.LevelCity
	case model.LevelCity:
		return model.LevelCounty
	case model.LevelCounty:
		return model.LevelTown
	case model.LevelTown:
		return model.LevelCommunity
	default:
		return model.LevelCompound
	}
}

// previousPeriod returns the period before a year ("2023" -> "2022") or a
// month ("2023-08" -> "2023-07"), and "" for other periods.
func previousPeriod(p string) string {
	if y, err := strconv.Atoi(p); err == nil && len(p) == 4 {
		return strconv.Itoa(y - 1)
	}
	if len(p) == 7 && p[4] == '-' {
		y, err1 := strconv.Atoi(p[:4])
		m, err2 := strconv.Atoi(p[5:])
		if err1 == nil && err2 == nil && m >= 1 && m <= 12 {
			if m == 1 {
				return fmt.Sprintf("%04d-12", y-1)
			}
			return fmt.Sprintf("%04d-%02d", y, m-1)
		}
	}
	return ""
}

// levelRank orders levels from the province down.
func levelRank(l model.UnitLevel) int {
	return slices.Index([]model.UnitLevel{model.LevelProvince, model.LevelCity, model.LevelCounty,
		model.LevelTown, model.LevelCommunity, model.LevelCompound}, l)
}

package analytics

import (
	"context"
	"fmt"
	"strconv"

	"github.com/countyhub/countyhub/model"
)

// maxPeriods bounds a series.
const maxPeriods = 240

// Series is a metric's values over periods for several units, for charts.
type Series struct {
	Metric  model.Metric
	Periods []string
	Lines   []Line
}

// Line is one unit's values, one point per period of the series.
type Line struct {
	Unit   model.AdminUnit
	Points []Point
}

// Point is a unit's value in a period; Value is nil when there is none.
// A partial value sums the unit's lower units, as in Compare.
type Point struct {
	Period  string
	Value   *model.Quantity
	Partial bool
}

// SeriesOf returns metric for the units from period from to period to,
// both years ("2021") or both months ("2023-01").
func SeriesOf(ctx context.Context, src Source, metricCode string, units []string, from, to string) (Series, error) {
	var s Series
	ms, err := src.MetricsByCode(ctx, []string{metricCode})
	if err != nil {
		return s, err
	}
	if len(ms) == 0 {
		return s, fmt.Errorf("metric %q: %w", metricCode, ErrUnknown)
	}
	s.Metric = ms[0]
	if s.Periods, err = periods(from, to); err != nil {
		return s, err
	}
	ids := make([]string, len(s.Periods))
	for i, p := range s.Periods {
		ids[i] = model.RollupID(metricCode, p)
	}
	var us []model.AdminUnit
	for _, code := range units {
		u, err := src.Unit(ctx, code)
		if err != nil {
			return s, fmt.Errorf("unit %q: %w", code, ErrUnknown)
		}
		us = append(us, u)
	}
	byID, err := rollupsFor(ctx, src, ids, us)
	if err != nil {
		return s, err
	}
	adds := s.Metric.Aggregation == model.AggregateSum
	for _, u := range us {
		line := Line{Unit: u}
		for i, p := range s.Periods {
			pt := Point{Period: p}
			if row, ok := figureOf(byID[ids[i]], u, adds); ok {
				v := row.Value
				pt.Value, pt.Partial = &v, row.Partial
			}
			line.Points = append(line.Points, pt)
		}
		s.Lines = append(s.Lines, line)
	}
	return s, nil
}

// periods lists the periods from one to another, inclusive.
func periods(from, to string) ([]string, error) {
	bad := fmt.Errorf("periods %q to %q: %w: give two years (2021, 2023) or two months (2023-01, 2023-08), the first not after the second", from, to, ErrUnknown)
	if len(from) != len(to) {
		return nil, bad
	}
	var out []string
	switch len(from) {
	case 4:
		a, err1 := strconv.Atoi(from)
		b, err2 := strconv.Atoi(to)
		if err1 != nil || err2 != nil || a > b || b-a >= maxPeriods {
			return nil, bad
		}
		for y := a; y <= b; y++ {
			out = append(out, strconv.Itoa(y))
		}
	case 7:
		for p := to; ; p = previousPeriod(p) {
			if p == "" || len(out) == maxPeriods {
				return nil, bad
			}
			out = append([]string{p}, out...)
			if p == from {
				break
			}
		}
	default:
		return nil, bad
	}
	return out, nil
}

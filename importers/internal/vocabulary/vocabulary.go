// Package vocabulary matches the names county reports give things (their
// indicators, the labels of their table headers, the words of a status
// column) against the names an importer knows. Two writings of a name that
// differ only in typing match: spaces and line breaks, quotation marks, and
// full-width against ASCII brackets.
//
// Each importer keeps its own table of indicator names, in its county's
// wording, as Metrics; this package holds how names are compared, looked
// up and listed in messages.
package vocabulary

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// folder drops what varies between two writings of the same name.
var folder = strings.NewReplacer(
	" ", "", "\u3000", "", "\u00a0", "", "\t", "", "\n", "",
	"“", "", "”", "", "‘", "", "’", "", "\"", "", "'", "", "「", "", "」", "",
	"（", "(", "）", ")",
)

// Fold returns a name in the form names are compared in: without spaces
// (ASCII, full-width and no-break), tabs, line breaks and quotation marks
// (“” ‘’ " ' 「」), and with full-width brackets as ASCII ones. So
// 解决小区“疑难杂症” and 解决小区"疑难杂症" fold alike, and so do
// 小区（网格） 党支部 and 小区(网格)党支部. Bytes that are not UTF-8 fold
// to U+FFFD first, so that dropping a space between them never makes a
// character of them, and a folded name folds to itself.
func Fold(name string) string { return folder.Replace(strings.ToValidUTF8(name, "\uFFFD")) }

// Same tells whether two names are the same once folded.
func Same(a, b string) bool { return Fold(a) == Fold(b) }

// Metric is a catalog metric and the names a county gives the indicator
// that reports it.
type Metric struct {
	// Code is the metric's code in the hub's catalog.
	Code string
	// Names are the county's names of the indicator; the first is the
	// usual one, which messages suggest.
	Names []string
	// Unit is the metric's unit, which a figure must be in; "" when the
	// importer does not check it.
	Unit string
}

// Metrics is the vocabulary of a county's indicators: it maps their names
// to the catalog metrics they report. It does not change after
// NewMetrics, so it is safe for concurrent use.
type Metrics struct {
	metrics []Metric
	byName  map[string]int // folded name -> index in metrics
	// clashes are the names given to a metric after an earlier one, by
	// index of the later metric; the earlier one keeps them.
	clashes []clash
}

// clash is a name given to two metrics.
type clash struct {
	name  string
	later int
}

// NewMetrics returns the vocabulary of the indicators given, in the order
// given. A name two of them share stands for the first.
func NewMetrics(metrics ...Metric) *Metrics {
	m := &Metrics{metrics: metrics, byName: map[string]int{}}
	for i, metric := range metrics {
		for _, n := range metric.Names {
			first, dup := m.byName[Fold(n)]
			switch {
			case !dup:
				m.byName[Fold(n)] = i
			case first != i:
				m.clashes = append(m.clashes, clash{n, i})
			}
		}
	}
	return m
}

// Lookup returns the metric an indicator's name stands for.
func (m *Metrics) Lookup(name string) (Metric, bool) {
	i, ok := m.byName[Fold(name)]
	if !ok {
		return Metric{}, false
	}
	return m.metrics[i], true
}

// metricCode is the form of a catalog metric code: "org.volunteer_teams".
var metricCode = regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)

// Code returns the catalog code of the metric an indicator's name stands
// for, or "" for a name it does not know. A name written as a catalog
// code, such as "org.volunteer_teams", stands for that code, so a sheet
// may give one in place of a name.
func (m *Metrics) Code(name string) string {
	if metricCode.MatchString(name) {
		return name
	}
	metric, _ := m.Lookup(name)
	return metric.Code
}

// Known lists the usual names of the indicators, in order, for a message
// such as "unknown indicator: want one of 联席会议, 结对共建".
func (m *Metrics) Known() string {
	var names []string
	for _, metric := range m.metrics {
		if len(metric.Names) > 0 {
			names = append(names, metric.Names[0])
		}
	}
	return strings.Join(names, ", ")
}

// Check checks the vocabulary against the hub's metric catalog: each
// metric must be in the catalog, in the catalog's unit when Unit is set,
// and have a name, and no name may stand for two metrics.
func (m *Metrics) Check(catalog []model.Metric) error {
	units := map[string]string{}
	for _, c := range catalog {
		units[c.Code] = c.Unit
	}
	var errs []error
	for _, metric := range m.metrics {
		unit, ok := units[metric.Code]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("metric %s is not in the catalog", metric.Code))
		case metric.Unit != "" && metric.Unit != unit:
			errs = append(errs, fmt.Errorf("metric %s is in %s, but the catalog has it in %s", metric.Code, metric.Unit, unit))
		}
		if len(metric.Names) == 0 {
			errs = append(errs, fmt.Errorf("metric %s has no name", metric.Code))
		}
	}
	for _, c := range m.clashes {
		first, _ := m.Lookup(c.name)
		errs = append(errs, fmt.Errorf("name %q is given to %s and to %s", c.name, first.Code, m.metrics[c.later].Code))
	}
	return errors.Join(errs...)
}

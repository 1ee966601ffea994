package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/importers/internal/status"
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// errStop ends the reading of a file after its fault was diagnosed.
var errStop = errors.New("stop reading")

// report reads one XML report as a stream of tokens.
type report struct {
	ctx context.Context
	dec *xml.Decoder
	in  *sdk.Input
	out sdk.Emitter

	period, asOf string
	// metrics and budgets hold the line of each metric's and each budget
	// code's first element, to refuse repeats.
	metrics map[string]int
	budgets map[string]int
}

func newReport(ctx context.Context, in *sdk.Input, out sdk.Emitter) *report {
	dec := xml.NewDecoder(skipBOM(in))
	dec.CharsetReader = charsetReader
	return &report{ctx: ctx, dec: dec, in: in, out: out, metrics: map[string]int{}, budgets: map[string]int{}}
}

// skipBOM drops a UTF-8 byte order mark, which some Windows editors write
// before the XML declaration.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	return br
}

// charsetReader decodes a file whose XML declaration names an encoding
// other than UTF-8, such as encoding="GBK".
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unsupported encoding %q: want UTF-8, GBK, GB2312 or GB18030", label)
	}
	return enc.NewDecoder().Reader(in), nil
}

// read reads the whole report. Only a failure to emit (the import was
// cancelled) is returned; everything wrong with the file is a diagnostic.
func (r *report) read() error {
	err := r.walk()
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// walk visits the elements of the report, descending into <report>,
// <indicators> and <budgets> and skipping elements it does not read.
func (r *report) walk() error {
	var stack []string
	sawReport := false
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		line := r.line()
		tok, err := r.dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r.notXML(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if err := r.root(t, line, sawReport); err != nil {
					return err
				}
				sawReport = true
				stack = append(stack, name)
				continue
			}
			switch parent := stack[len(stack)-1]; {
			case parent == "report" && (name == "indicators" || name == "budgets"):
				stack = append(stack, name)
			case parent == "indicators" && name == "indicator":
				err = r.indicator(t, line)
			case parent == "budgets" && name == "budget":
				err = r.budget(t, line)
			default:
				err = r.skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if !sawReport {
		return r.diagnose(sdk.Errorf("file", "", "no <report> element: want an XML report exported by the county office system, with a <report> root element"))
	}
	return nil
}

// line is the line the decoder is at: before a token is read, the line the
// token starts on.
func (r *report) line() int {
	line, _ := r.dec.InputPos()
	return line
}

// root reads the attributes of the <report> element.
func (r *report) root(t xml.StartElement, line int, sawReport bool) error {
	ref := fmt.Sprintf("line %d", line)
	switch {
	case sawReport:
		return r.stop(sdk.Errorf(ref, "", "element <%s> after the end of <report>: want one <report> per file", t.Name.Local))
	case t.Name.Local != "report":
		return r.stop(sdk.Errorf(ref, "", "root element <%s>: want <report>, the root of the county office system's export", t.Name.Local))
	}
	for _, name := range []string{"code", "county"} {
		if d := sdk.CheckUnit(r.in.Unit, ref, name, attr(t, name)); d != nil {
			return r.stop(*d)
		}
	}
	if err := r.readAsOf(t, ref); err != nil {
		return err
	}
	return r.readPeriod(t, ref)
}

// readAsOf takes the as-of date from the as_of option, or else from the
// report's asOf attribute.
func (r *report) readAsOf(t xml.StartElement, ref string) error {
	d, err := asof.FromOption(r.in)
	if err != nil {
		return r.diagnose(sdk.Warnf("file", asof.Option, "option as_of: %v; figures are imported without an as-of date", err))
	}
	if d != "" {
		r.asOf = d
		return nil
	}
	if v := strings.TrimSpace(attr(t, "asOf")); v != "" {
		d, err := normalize.Date(v)
		if err != nil {
			return r.diagnose(sdk.Warnf(ref, "asOf", "%v; figures are imported without an as-of date", err))
		}
		r.asOf = d
	}
	return nil
}

// readPeriod takes the period of the figures from the report's period
// attribute, or else the year of the as-of date.
func (r *report) readPeriod(t xml.StartElement, ref string) error {
	v := strings.TrimSpace(attr(t, "period"))
	if v == "" {
		if r.asOf == "" {
			return r.stop(sdk.Errorf(ref, "period", `<report> has neither a period nor an asOf attribute: give the period of the figures, such as period="2023"`))
		}
		r.period = asof.Year(r.asOf)
		return nil
	}
	d, err := normalize.Date(v)
	if err != nil {
		return r.stop(sdk.Errorf(ref, "period", "period: %v", err))
	}
	r.period = d
	return nil
}

// indicatorElement is an <indicator>: one figure of the report.
type indicatorElement struct {
	Code  string  `xml:"code,attr"`
	Name  string  `xml:"name,attr"`
	Value *string `xml:"value"`
}

// indicator emits the observation of an <indicator> element.
func (r *report) indicator(t xml.StartElement, line int) error {
	var el indicatorElement
	if err := r.decode(&el, t); err != nil {
		return err
	}
	ref := fmt.Sprintf("line %d", line)
	code := strings.TrimSpace(el.Code)
	if code == "" {
		return r.diagnose(sdk.Errorf(ref, "code", `<indicator> without the code attribute: give the system's indicator code, such as code="ZZ01"`))
	}
	ind, ok := indicators[code]
	if !ok {
		return r.diagnose(sdk.Errorf(ref, "code", "unknown indicator code %q (%s): want one of %s", code, el.Name, strings.Join(indicatorCodes, ", ")))
	}
	if el.Value == nil {
		return r.diagnose(sdk.Errorf(ref, "value", "indicator %s (%s) has no <value> element", code, ind.Name))
	}
	q, err := quantity(*el.Value, ind.Unit)
	if err != nil {
		return r.diagnose(sdk.Errorf(ref, "value", "indicator %s (%s): %v", code, ind.Name, err))
	}
	if first, dup := r.metrics[ind.Metric]; dup {
		return r.diagnose(sdk.Errorf(ref, "code", "indicator %s (%s) again: it was given at line %d", code, ind.Name, first))
	}
	r.metrics[ind.Metric] = line
	if name := strings.TrimSpace(el.Name); name != "" && !vocabulary.Same(name, ind.Name) {
		if err := r.diagnose(sdk.Warnf(ref, "name", "name %q differs from the name of indicator %s, %q: read as %s; check the code", name, code, ind.Name, ind.Name)); err != nil {
			return err
		}
	}
	return r.out.Emit(sdk.Record{Reference: ref, Observation: &sdk.Observation{
		Metric: ind.Metric, Period: r.period, AsOf: r.asOf, Value: q,
	}})
}

// budgetElement is a <budget>: one budget line.
type budgetElement struct {
	Code      string  `xml:"code,attr"`
	Year      string  `xml:"year,attr"`
	Status    string  `xml:"status,attr"`
	Recurring string  `xml:"recurring,attr"`
	Purpose   string  `xml:"purpose"`
	Source    string  `xml:"source"`
	Amount    *string `xml:"amount"`
}

// budget emits the budget line of a <budget> element.
func (r *report) budget(t xml.StartElement, line int) error {
	var el budgetElement
	if err := r.decode(&el, t); err != nil {
		return err
	}
	ref := fmt.Sprintf("line %d", line)
	b, d := readBudget(el)
	if d != nil {
		d.Reference = ref
		return r.diagnose(*d)
	}
	if first, dup := r.budgets[b.Key]; dup {
		return r.diagnose(sdk.Errorf(ref, "code", "budget %s again: it was given at line %d", b.Key, first))
	}
	r.budgets[b.Key] = line
	return r.out.Emit(sdk.Record{Reference: ref, Budget: b})
}

// readBudget checks a <budget> element and makes its budget line, or the
// diagnostic (without its reference) that refuses it.
func readBudget(el budgetElement) (*sdk.Budget, *sdk.Diagnostic) {
	refuse := func(field, format string, args ...any) (*sdk.Budget, *sdk.Diagnostic) {
		d := sdk.Errorf("", field, format, args...)
		return nil, &d
	}
	code := strings.TrimSpace(el.Code)
	if code == "" {
		return refuse("code", `<budget> without the code attribute: give the system's budget code, such as code="JB2023-01"`)
	}
	year, err := budgetYear(el.Year)
	if err != nil {
		return refuse("year", "budget %s: %v", code, err)
	}
	purpose := strings.TrimSpace(el.Purpose)
	if purpose == "" {
		return refuse("purpose", "budget %s has no <purpose>: say what the money is for", code)
	}
	if el.Amount == nil {
		return refuse("amount", "budget %s has no <amount> element", code)
	}
	amount, err := quantity(*el.Amount, model.UnitCNY)
	if err != nil {
		return refuse("amount", "budget %s: %v", code, err)
	}
	status, ok := status.Budget(el.Status)
	if !ok {
		return refuse("status", "budget %s: status %q: want 计划 (PLANNED), 已安排 (ALLOCATED) or 已拨付 (DISBURSED)", code, el.Status)
	}
	recurring, ok := yesNo[strings.ToLower(strings.TrimSpace(el.Recurring))]
	if !ok {
		return refuse("recurring", "budget %s: recurring %q: want true or false", code, el.Recurring)
	}
	return &sdk.Budget{Key: code, Year: year, Purpose: purpose, Source: strings.TrimSpace(el.Source),
		Amount: amount, Status: status, Recurring: recurring}, nil
}

// budgetYear reads the year attribute of a budget: "2023" or "2023年".
func budgetYear(v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return 0, errors.New(`no year attribute: give the budget year, such as year="2023"`)
	}
	d, err := normalize.Date(v)
	if err != nil || len(d) != 4 {
		return 0, fmt.Errorf("year %q: want a year such as 2023", v)
	}
	return strconv.Atoi(d)
}

// yesNo reads the recurring attribute.
var yesNo = map[string]bool{"": false, "false": false, "0": false, "否": false, "true": true, "1": true, "是": true}

// quantity reads a figure such as "35个" or "100万元" in the metric's unit.
func quantity(text, unit string) (model.Quantity, error) {
	q, err := normalize.Quantity(strings.TrimSpace(text), unit)
	if err != nil {
		return q, err
	}
	if q.Unit != unit {
		return model.Quantity{}, fmt.Errorf("%q is in %s, want %s", q.Text, q.Unit, unit)
	}
	return q, nil
}

// decode reads the rest of the element t into v.
func (r *report) decode(v any, t xml.StartElement) error {
	if err := r.dec.DecodeElement(v, &t); err != nil {
		return r.notXML(err)
	}
	return nil
}

// skip skips the rest of an element the importer does not read.
func (r *report) skip() error {
	if err := r.dec.Skip(); err != nil {
		return r.notXML(err)
	}
	return nil
}

// notXML reports an error of the XML decoder, which cannot go on after it.
func (r *report) notXML(err error) error {
	var syn *xml.SyntaxError
	if !errors.As(err, &syn) {
		return r.stop(sdk.Errorf(fmt.Sprintf("line %d", r.line()), "", "cannot read the XML: %v", err))
	}
	msg := fmt.Sprintf("not well-formed XML: %s", syn.Msg)
	if strings.Contains(syn.Msg, "invalid UTF-8") {
		msg += `: the file is not UTF-8; if it was saved in GBK, declare it: <?xml version="1.0" encoding="GBK"?>`
	}
	return r.stop(sdk.Errorf(fmt.Sprintf("line %d", syn.Line), "", "%s", msg))
}

// diagnose reports a problem and goes on.
func (r *report) diagnose(d sdk.Diagnostic) error { return r.out.Diagnose(d) }

// stop reports a problem after which the file cannot be read on.
func (r *report) stop(d sdk.Diagnostic) error {
	if err := r.out.Diagnose(d); err != nil {
		return err
	}
	return errStop
}

// attr returns the value of the attribute name of t, or "".
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

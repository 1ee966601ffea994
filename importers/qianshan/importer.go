package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/importers/internal/grid"
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// maxPageSize bounds the page read into memory; a saved statistics page
// is a few hundred kilobytes.
const maxPageSize = 32 << 20

// Importer reads the Qianshan statistics page.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "qianshan",
		Version:     "1.0.0",
		Description: "Qianshan (潜山市): statistics web page saved from the city's system, with a data table 指标/数值 and footnotes",
		Formats: []sdk.Format{{
			Extensions:  []string{".html", ".htm"},
			MediaTypes:  []string{"text/html"},
			Description: "HTML page with a data table whose header has 指标 and 数值; UTF-8 or the page's meta charset (GBK, GB2312, GB18030)",
		}},
		Datasets: []string{sdk.Observations},
		Options: []sdk.Option{{
			Name: asof.Option, Type: "string",
			Description: "date the figures are reported as of (YYYY-MM-DD); default: the date of 截至YYYY年M月D日 above the table",
		}},
	}
}

// Import reads the page's data tables and emits an observation for each
// row, with a diagnostic for each row it cannot read and an INFO
// diagnostic for each footnote a figure refers to.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	data, err := io.ReadAll(io.LimitReader(in, maxPageSize+1))
	switch {
	case err != nil:
		return out.Diagnose(sdk.Errorf("file", "", "cannot read the file: %v", err))
	case len(bytes.TrimSpace(data)) == 0:
		return out.Diagnose(sdk.Errorf("file", "", "the file is empty: want the statistics page saved from the system (.html)"))
	case len(data) > maxPageSize:
		return out.Diagnose(sdk.Errorf("file", "", "the file is larger than %d MiB: want the statistics page saved from the system", maxPageSize>>20))
	}
	page, err := decodePage(data)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "charset", "%v", err))
	}
	if page.warning != "" {
		if err := out.Diagnose(sdk.Warnf("file", "charset", "%s", page.warning)); err != nil {
			return err
		}
	}
	if !endsPage(page.text) {
		if err := out.Diagnose(sdk.Warnf("file", "", "the page ends without </html>: it may be cut short, and rows may be missing; save it again")); err != nil {
			return err
		}
	}
	doc, err := html.Parse(bytes.NewReader(page.text))
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "cannot parse the page: %v", err))
	}
	r := &reader{ctx: ctx, out: out, unit: in.Unit, metrics: map[string]string{}}
	return r.page(doc, in)
}

// endsPage tells whether a page has its closing </html> tag, which a
// page cut short in saving or sending lacks.
func endsPage(text []byte) bool {
	return bytes.Contains(bytes.ToLower(text), []byte("</html>"))
}

// reader turns the page's data tables into observations.
type reader struct {
	ctx  context.Context
	out  sdk.Emitter
	unit string // the unit the import is for
	asOf string // YYYY-MM-DD, or "" when unknown
	// metrics holds the reference of each metric's first row, to refuse
	// repeats.
	metrics map[string]string
}

// dataTable is a table of the page with the data header.
type dataTable struct {
	*htmlTable
	node   *html.Node // its <table> element
	header int        // its header row, from 0
}

// page reads a parsed page.
func (r *reader) page(doc *html.Node, opts asof.Options) error {
	all := tables(doc)
	var data []dataTable
	byNode := map[*html.Node]*htmlTable{}
	for _, n := range all {
		t := layout(n)
		if _, h, ok := grid.FindHeader(t.rows, columns); ok {
			data = append(data, dataTable{t, n, h})
			byNode[n] = t
		}
	}
	before := pageText(doc, byNode)
	switch {
	case len(all) == 0:
		return r.diagnose(sdk.Errorf("file", "", "no data table: the page has no table; want the statistics page with its table of %s (was the page saved before the statistics loaded, or after the login timed out?)",
			columns.Required()))
	case len(data) == 0:
		return r.diagnose(sdk.Errorf("file", "", "no data table: none of the page's %d tables has a header row of %s in its first %d rows",
			len(all), columns.Required(), grid.HeaderRows))
	}
	// The page's heading names the county it is for.
	if ref, text, ok := heading(doc, data[0].node); ok {
		if d := sdk.CheckUnit(r.unit, ref, "", text); d != nil {
			return r.diagnose(*d)
		}
	}
	if err := r.findAsOf(opts, before); err != nil {
		return err
	}
	for i, t := range data {
		if err := r.table(i+1, t); err != nil {
			return err
		}
	}
	return nil
}

// findAsOf takes the as-of date from the option, or else from the page
// above the first data table ("统计截至：2023年8月7日"). An option that is
// not a date is warned of, and the date on the page is used.
func (r *reader) findAsOf(opts asof.Options, before []string) error {
	d, err := asof.FromOption(opts)
	if err != nil {
		if err := r.diagnose(sdk.Warnf("file", asof.Option, "option as_of: %v; the date on the page is used instead", err)); err != nil {
			return err
		}
	}
	if d != "" {
		r.asOf = d
		return nil
	}
	for _, line := range before {
		if d, ok := asof.StatedDay(line); ok {
			r.asOf = d
			return nil
		}
	}
	return nil
}

// table reads one data table, numbered from 1 among the page's data
// tables.
func (r *reader) table(n int, t dataTable) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	header, missing := columns.Match(n, t.header, t.rows[t.header])
	if len(missing) > 0 {
		return r.diagnose(sdk.Errorf(header.Ref(), missing[0],
			"the table has no column %s: its header is %s; want the columns %s", strings.Join(missing, ", "), grid.RowText(header.Cells), columns.Required()))
	}
	if r.asOf == "" {
		return r.diagnose(sdk.Errorf(fmt.Sprintf("table %d", n), "", "the table is not read: the report's date is unknown; give the option as_of, or save the page with its 统计截至 date"))
	}
	rows, shifted := header.Rows(t.rows)
	if shifted != nil {
		return r.diagnose(*shifted)
	}
	notes := footnotes(t.notes)
	for _, row := range rows {
		if err := r.row(row, notes); err != nil {
			return err
		}
	}
	return nil
}

// row emits the observation of a data row, and the footnotes its cells
// refer to.
func (r *reader) row(tr grid.Row, notes map[string]string) error {
	ind, bad := tr.Indicator("指标", indicators)
	if bad != nil {
		return r.diagnose(*bad)
	}
	text := tr.Text("数值")
	if unit := tr.Text("单位"); unit != "" && text != "" {
		text += unit
	}
	q, err := quantity(ind, text)
	if err != nil {
		return r.diagnose(sdk.Errorf(tr.CellRef("数值"), tr.Label("数值"), "%s: %v", ind.Names[0], err))
	}
	if first, dup := r.metrics[ind.Code]; dup {
		return r.diagnose(sdk.Errorf(tr.Ref(), tr.Label("指标"), "%s again: it was given at %s", ind.Names[0], first))
	}
	r.metrics[ind.Code] = tr.Ref()
	if err := r.out.Emit(sdk.Record{Reference: tr.Ref(), Observation: &sdk.Observation{
		Metric: ind.Code, Period: asof.Year(r.asOf), AsOf: r.asOf, Value: q,
	}}); err != nil {
		return err
	}
	for _, col := range []string{"指标", "数值"} {
		if err := r.footnotes(tr, col, notes); err != nil {
			return err
		}
	}
	return nil
}

// footnotes reports the footnotes a cell refers to as INFO diagnostics:
// they qualify a figure ("累计数") without changing it.
func (r *reader) footnotes(tr grid.Row, col string, notes map[string]string) error {
	for _, key := range tr.Cell(col).Markers {
		d := sdk.Diagnostic{Severity: sdk.SeverityInfo, Reference: tr.CellRef(col), Field: tr.Label(col)}
		if note, ok := notes[key]; ok {
			d.Message = fmt.Sprintf("footnote %s: %s", key, note)
		} else {
			d.Message = fmt.Sprintf("footnote marker %q has no note below the table", key)
		}
		if err := r.diagnose(d); err != nil {
			return err
		}
	}
	return nil
}

// groupsAndItems reads a plan written as groups and items: "3项19条" is 19
// items in 3 groups.
var groupsAndItems = regexp.MustCompile(`^\s*(\d+)\s*项\s*(\d+)\s*条\s*$`)

// quantity reads the figure of an indicator in its unit.
//
// normalize.Quantity refuses a text with two numbers, so a grouped plan
// such as "3项19条" is read here: its count is the items, 19, EXACT, and
// the text is kept whole.
func quantity(ind vocabulary.Metric, text string) (model.Quantity, error) {
	if text == "" {
		return model.Quantity{}, errors.New("the cell is empty")
	}
	if m := groupsAndItems.FindStringSubmatch(text); m != nil && grouped[ind.Code] {
		items, err := strconv.Atoi(m[2])
		if err != nil {
			return model.Quantity{}, fmt.Errorf("items of %q: %w", text, err)
		}
		return model.Quantity{Value: float64(items), Qualifier: model.Exact, Unit: ind.Unit, Text: text}, nil
	}
	q, err := normalize.Quantity(text, ind.Unit)
	if err != nil {
		return q, err
	}
	if q.Unit != ind.Unit {
		return model.Quantity{}, fmt.Errorf("%q is in %s, want %s", text, q.Unit, ind.Unit)
	}
	return q, nil
}

// diagnose reports a problem and goes on.
func (r *reader) diagnose(d sdk.Diagnostic) error { return r.out.Diagnose(d) }

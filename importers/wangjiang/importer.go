package main

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/importers/internal/grid"
	"github.com/countyhub/countyhub/importers/internal/status"
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads the Wangjiang county report, a Word .docx document.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "wangjiang",
		Version:     "1.0.0",
		Description: "Wangjiang (望江县): Word .docx report with tables of indicators, budget lines and deliberation points",
		Formats: []sdk.Format{{
			Extensions:  []string{".docx"},
			MediaTypes:  []string{"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			Description: "Word .docx document: table 指标/数值/说明, table 年度/资金用途/金额/状态, table 议事平台/类型",
		}},
		Datasets: []string{sdk.Observations, sdk.Budgets, sdk.Spaces},
		Options: []sdk.Option{{
			Name: asof.Option, Type: "string",
			Description: "date the figures are reported as of (YYYY-MM-DD); default: the date of 截至YYYY年M月D日 in the title",
		}},
	}
}

// Import reads the document's tables in order and emits a record for each
// data row, with a diagnostic for each row or table it cannot read.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	doc, part, err := openDocument(in)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "%v", err))
	}
	defer doc.Close()
	r := &reader{ctx: ctx, out: out, unit: in.Unit, metrics: map[string]string{}, keys: map[string]string{}}
	if err := r.optionAsOf(in); err != nil {
		return err
	}
	err = walkBody(doc, r)
	var syn *xml.SyntaxError
	var big *sdk.ArchiveError
	switch {
	case errors.Is(err, errRefused):
		return nil
	case errors.As(err, &big):
		return out.Diagnose(sdk.Errorf("file", "", "%v: a Word report is far smaller; is it the county's .docx?", big))
	case errors.As(err, &syn):
		return out.Diagnose(sdk.Errorf(fmt.Sprintf("%s line %d", part, syn.Line), "", "the document is damaged (not well-formed XML: %s); open it in Word or WPS and save it again", syn.Msg))
	case err != nil && ctx.Err() == nil && !errors.Is(err, errEmit):
		return out.Diagnose(sdk.Errorf("file", "", "cannot read %s: %v", part, err))
	case err != nil:
		return err
	case r.tables == 0:
		return out.Diagnose(sdk.Errorf("file", "", "the document has no tables: want the report's tables of indicators (指标, 数值), budget lines (年度, 资金用途, 金额) and deliberation points (议事平台)"))
	}
	return nil
}

// errEmit marks a failure to send to the hub (the import was cancelled),
// which ends the import.
var errEmit = errors.New("emit")

// errRefused ends the import of a report for another unit, diagnosed.
var errRefused = errors.New("the report is for another unit")

// reader turns the document's body into records.
type reader struct {
	ctx  context.Context
	out  sdk.Emitter
	unit string // the unit the import is for

	asOf    string // YYYY-MM-DD, or "" when unknown
	byOpt   bool   // asOf came from the as_of option
	paras   int    // body paragraphs seen
	heading bool   // a paragraph naming a unit was seen
	tables  int    // tables seen
	// metrics and keys hold the reference of each metric's and each
	// record key's first row, to refuse repeats.
	metrics map[string]string
	keys    map[string]string
}

// optionAsOf reads the as_of option. One that is not a date is warned
// of, and the date of the title is used.
func (r *reader) optionAsOf(in *sdk.Input) error {
	d, err := asof.FromOption(in)
	if err != nil {
		return r.diagnose(sdk.Warnf("file", asof.Option, "option as_of: %v; the date in the title is used instead", err))
	}
	r.asOf, r.byOpt = d, d != ""
	return nil
}

// paragraph checks the unit the report is for against the import's, in
// the first paragraph before the first table that names a unit (the
// title), and takes the as-of date from the paragraphs before the first
// table, unless the option gave it.
func (r *reader) paragraph(text string) error {
	r.paras++
	if r.tables > 0 {
		return nil
	}
	if _, names := sdk.NamedUnit(text); names && !r.heading {
		r.heading = true
		if d := sdk.CheckUnit(r.unit, fmt.Sprintf("paragraph %d", r.paras), "", text); d != nil {
			if err := r.diagnose(*d); err != nil {
				return err
			}
			return errRefused
		}
	}
	if r.byOpt || r.asOf != "" {
		return nil
	}
	if d, ok := asof.StatedDay(text); ok {
		r.asOf = d
	}
	return nil
}

// table reads one table of the body.
func (r *reader) table(n int, t *docTable) error {
	r.tables = n
	if err := r.ctx.Err(); err != nil {
		return err
	}
	ref := fmt.Sprintf("table %d", n)
	kind, h, ok := findHeader(t)
	if !ok {
		first := ""
		if len(t.rows) > 0 {
			first = " (row 1: " + grid.RowText(t.rows[0]) + ")"
		}
		return r.diagnose(sdk.Warnf(ref, "", "table not read: none of its first %d rows is a header of indicators (指标, 数值), budget lines (年度, 资金用途, 金额) or deliberation points (议事平台)%s", grid.HeaderRows, first))
	}
	header, missing := kind.columns.Match(n, h, t.rows[h])
	if len(missing) > 0 {
		return r.diagnose(sdk.Errorf(header.Ref(), missing[0], "the %s table has no column %s: its header is %s; want the columns %s",
			kind.what, strings.Join(missing, ", "), grid.RowText(header.Cells), kind.columns.Required()))
	}
	if kind.needsPeriod && r.asOf == "" {
		return r.diagnose(sdk.Errorf(ref, "", "the %s table is not read: the report's date is unknown; give the option as_of, or write （截至YYYY年M月D日） under the title", kind.what))
	}
	rows, shifted := header.Rows(t.rows)
	if shifted != nil {
		return r.diagnose(*shifted)
	}
	for _, row := range rows {
		if err := kind.read(r, row); err != nil {
			return err
		}
	}
	return nil
}

// indicatorRow emits the observation of an indicator row.
func (r *reader) indicatorRow(tr grid.Row) error {
	ind, bad := tr.Indicator("指标", indicators)
	if bad != nil {
		return r.diagnose(*bad)
	}
	q, err := quantity(tr.Text("数值"), ind.Unit)
	if err != nil {
		return r.diagnose(sdk.Errorf(tr.CellRef("数值"), tr.Label("数值"), "%s: %v", ind.Names[0], err))
	}
	if first, dup := r.metrics[ind.Code]; dup {
		return r.diagnose(sdk.Errorf(tr.Ref(), tr.Label("指标"), "%s again: it was given at %s", ind.Names[0], first))
	}
	r.metrics[ind.Code] = tr.Ref()
	return r.emit(sdk.Record{Reference: tr.Ref(), Observation: &sdk.Observation{
		Metric: ind.Code, Period: asof.Year(r.asOf), AsOf: r.asOf, Value: q,
	}})
}

// budgetRow emits the budget line of a budget row.
func (r *reader) budgetRow(tr grid.Row) error {
	purpose := strings.Join(strings.Fields(tr.Text("资金用途")), " ")
	if purpose == "" {
		return r.diagnose(sdk.Errorf(tr.CellRef("资金用途"), tr.Label("资金用途"), "the purpose is empty: say what the money is for"))
	}
	year, err := budgetYear(tr.Text("年度"))
	if err != nil {
		return r.diagnose(sdk.Errorf(tr.CellRef("年度"), tr.Label("年度"), "%v", err))
	}
	amount, err := quantity(tr.Text("金额"), model.UnitCNY)
	if err != nil {
		return r.diagnose(sdk.Errorf(tr.CellRef("金额"), tr.Label("金额"), "%v", err))
	}
	status, ok := status.Budget(tr.Text("状态"))
	if !ok {
		return r.diagnose(sdk.Errorf(tr.CellRef("状态"), tr.Label("状态"), "status %q: want 计划, 已安排 or 已拨付", tr.Text("状态")))
	}
	key := fmt.Sprintf("%d/%s", year, purpose)
	if err := r.unique(sdk.Budgets, key, tr, "资金用途"); err != nil {
		return ignoreDup(err)
	}
	return r.emit(sdk.Record{Reference: tr.Ref(), Budget: &sdk.Budget{
		Key: key, Year: year, Purpose: purpose, Amount: amount, Status: status,
	}})
}

// spaceRow emits the space of a deliberation point row.
func (r *reader) spaceRow(tr grid.Row) error {
	name := trimQuotes(tr.Text("议事平台"))
	if name == "" {
		return r.diagnose(sdk.Errorf(tr.CellRef("议事平台"), tr.Label("议事平台"), "the name is empty"))
	}
	kind, ok := spaceKinds[vocabulary.Fold(tr.Text("类型"))]
	if !ok {
		return r.diagnose(sdk.Errorf(tr.CellRef("类型"), tr.Label("类型"), "type %q: want 议事平台, 共享空间 or 活动场所", tr.Text("类型")))
	}
	if err := r.unique(sdk.Spaces, name, tr, "议事平台"); err != nil {
		return ignoreDup(err)
	}
	return r.emit(sdk.Record{Reference: tr.Ref(), Space: &sdk.Space{Key: name, Name: name, Kind: kind}})
}

// errDuplicate marks a row refused as a repeat, already diagnosed.
var errDuplicate = errors.New("duplicate")

// unique refuses a second row with the same key.
func (r *reader) unique(dataset, key string, tr grid.Row, column string) error {
	k := dataset + "/" + key
	if first, dup := r.keys[k]; dup {
		if err := r.diagnose(sdk.Errorf(tr.Ref(), tr.Label(column), "%q again: it was given at %s", key, first)); err != nil {
			return err
		}
		return errDuplicate
	}
	r.keys[k] = tr.Ref()
	return nil
}

func ignoreDup(err error) error {
	if errors.Is(err, errDuplicate) {
		return nil
	}
	return err
}

// spaceKinds maps the 类型 column; an empty cell means a deliberation
// point, which is what the table lists.
var spaceKinds = map[string]model.SpaceKind{
	"": model.SpaceDeliberation, "议事平台": model.SpaceDeliberation, "议事点": model.SpaceDeliberation,
	"议事场所": model.SpaceDeliberation, "共享空间": model.SpaceShared, "活动场所": model.SpaceActivity,
	"活动阵地": model.SpaceActivity,
}

// budgetYear reads a 年度 cell: "2023" or "2023年".
func budgetYear(v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return 0, errors.New("the year is empty: give the budget year, such as 2023")
	}
	d, err := normalize.Date(v)
	if err != nil || len(d) != 4 {
		return 0, fmt.Errorf("year %q: want a year such as 2023", v)
	}
	return strconv.Atoi(d)
}

// quantity reads a figure such as "55个" or "6万余元" in the given unit.
func quantity(text, unit string) (model.Quantity, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return model.Quantity{}, errors.New("the cell is empty")
	}
	q, err := normalize.Quantity(text, unit)
	if err != nil {
		return q, err
	}
	if q.Unit != unit {
		return model.Quantity{}, fmt.Errorf("%q is in %s, want %s", text, q.Unit, unit)
	}
	return q, nil
}

// emit sends a record; a failure ends the import.
func (r *reader) emit(rec sdk.Record) error {
	if err := r.out.Emit(rec); err != nil {
		return fmt.Errorf("%w: %w", errEmit, err)
	}
	return nil
}

// diagnose reports a problem; a failure ends the import.
func (r *reader) diagnose(d sdk.Diagnostic) error {
	if err := r.out.Diagnose(d); err != nil {
		return fmt.Errorf("%w: %w", errEmit, err)
	}
	return nil
}

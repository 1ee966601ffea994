// Package export writes comparisons and tables as files analysts open in
// a spreadsheet: CSV in UTF-8 with a byte-order mark (so Excel reads the
// Chinese right) and .xlsx, each value with its qualifier and source.
// Text that a spreadsheet would run as a formula is neutralized.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/analytics"
)

// Table is a sheet of cells: a title, a header and rows. A cell is a
// string or a float64.
type Table struct {
	Title  string
	Header []string
	Rows   [][]any
}

// Comparison lays a comparison out as a table: one row per unit, then
// the total and the gaps.
func Comparison(c analytics.Comparison) Table {
	t := Table{
		Title: fmt.Sprintf("%s %s (%s), %s", c.Scope.Name, c.Metric.Name, c.Metric.Code, c.Period),
		Header: []string{"排名 rank", "单位 unit", "代码 code", "数值 value", "限定 qualifier", "计量 measure", "原文 text",
			"部分 partial", "组成单位 contributors", "占比 share", "每单位 per unit", "来源文件 file", "来源位置 reference", "导入批次 run"},
	}
	for _, r := range c.Rows {
		share, per := any(""), any("")
		if r.Share != nil {
			share = *r.Share
		}
		if r.PerUnit != nil {
			per = *r.PerUnit
		} else if r.PerUnitMissing != "" {
			per = r.PerUnitMissing
		}
		partial := ""
		if r.Partial {
			partial = "partial"
		}
		t.Rows = append(t.Rows, []any{float64(r.Rank), r.Unit.Name, r.Unit.Code, r.Value.Value, string(r.Value.Qualifier), r.Value.Unit, r.Value.Text,
			partial, strings.Join(r.Contributors, " "), share, per, r.Source.FileName, r.Source.Reference, r.Source.Run})
	}
	if c.Total != nil {
		t.Rows = append(t.Rows, []any{"", "合计 total", "", c.Total.Value, string(c.Total.Qualifier), c.Total.Unit})
	}
	for _, g := range c.Gaps {
		t.Rows = append(t.Rows, []any{"", g.Name, g.Code, "", "无数据 no data"})
	}
	return t
}

// Neutralize makes text that a spreadsheet would take for a formula (it
// starts with =, +, -, @, a tab or a carriage return) plain text by putting
// an apostrophe before it.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func text(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return Neutralize(v)
	default:
		return Neutralize(fmt.Sprint(v))
	}
}

// WriteCSV writes the table as CSV in UTF-8 with a byte-order mark: the
// title on the first line, then the header and the rows.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and reads
	if err := cw.Write([]string{Neutralize(t.Title)}); err != nil {
		return err
	}
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = Neutralize(h)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = text(v)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the table as an .xlsx workbook of one sheet: the title
// in A1, the header in row 2, numbers as numbers and text as text.
func WriteXLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		if s, ok := v.(string); ok {
			// SetCellStr stores text as text: it is never read as a formula.
			return f.SetCellStr(sheet, cell, Neutralize(s))
		}
		return f.SetCellValue(sheet, cell, v)
	}
	if err := set(1, 1, t.Title); err != nil {
		return err
	}
	for i, h := range t.Header {
		if err := set(i+1, 2, h); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		for c, v := range row {
			if err := set(c+1, r+3, v); err != nil {
				return err
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}

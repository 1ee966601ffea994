package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/importers/internal/mapping"
	"github.com/countyhub/countyhub/importers/internal/workbook"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads a table on one sheet of an .xlsx workbook through a
// mapping.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "xlsx",
		Version:     "1.0.0",
		Description: "Any plain table on a sheet of an Excel workbook, read through a mapping file that names its columns",
		Formats: []sdk.Format{{Extensions: []string{".xlsx"}, MediaTypes: []string{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			Description: "Excel workbook (.xlsx): title rows, a header of one or more rows with merged cells, one record per row"}},
		Datasets: append([]string(nil), records.Datasets...),
		Options:  append([]sdk.Option(nil), mapping.Options...),
	}
}

// Import checks the mapping, opens the workbook, finds the mapping's
// columns in the sheet's header, and emits the records of the rows below
// it. Cells read as Excel shows them in a Chinese locale (a date cell as
// 2023/8/7, a percentage as 100%), and a merged cell's text applies to
// every cell it spans, in the header and in the rows.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	m, diags := mapping.FromOptions(in.Options, mapping.XLSX)
	for _, d := range diags {
		if err := out.Diagnose(d); err != nil {
			return err
		}
	}
	if m == nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(in, workbook.MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read the file: %w", err)
	}
	if len(data) > workbook.MaxFileSize {
		return out.Diagnose(sdk.Errorf("file", "", "the file is larger than %d MiB: a table's workbook is far smaller", workbook.MaxFileSize>>20))
	}
	f, err := workbook.Open(data, excelize.Options{CultureInfo: excelize.CultureNameZhCN, ShortDatePattern: "yyyy/m/d"})
	var big *sdk.ArchiveError
	switch {
	case errors.As(err, &big):
		return out.Diagnose(sdk.Errorf("file", "", "%v: a table's workbook is far smaller; is it the right file?", err))
	case err != nil:
		return out.Diagnose(sdk.Errorf("file", "", "not an Excel workbook (.xlsx): %v; save an old .xls or a CSV file as .xlsx first", err))
	}
	defer f.Close()
	sheet, err := pickSheet(f, m.Sheet)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "%v", err))
	}
	// A sheet named for a unit (大观区) holds that unit's table.
	if d := sdk.CheckUnit(in.Unit, "sheet "+sheet, "", sheet); d != nil {
		return out.Diagnose(*d)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "cannot read the sheet %s: %v", sheet, err))
	}
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "cannot read the merged cells of the sheet %s: %v", sheet, err))
	}
	return readTable(sheet, fillMerged(rows, merges), m, in.Unit, out)
}

// pickSheet returns the sheet the mapping names, or the first.
func pickSheet(f *excelize.File, name string) (string, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", fmt.Errorf("the workbook has no sheets")
	}
	if name == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == name {
			return s, nil
		}
	}
	return "", fmt.Errorf("the workbook has no sheet %q (see sheet in the mapping); its sheets are %s", name, strings.Join(sheets, ", "))
}

// fillMerged gives every cell of a merged range the text of its first
// cell, within the rows and columns the sheet has.
func fillMerged(rows [][]string, merges []excelize.MergeCell) [][]string {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for _, mc := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) || c1 > len(rows[r1-1]) {
			continue
		}
		text := rows[r1-1][c1-1]
		for r := r1; r <= min(r2, len(rows)); r++ {
			for c := c1; c <= min(c2, width); c++ {
				for len(rows[r-1]) < c {
					rows[r-1] = append(rows[r-1], "")
				}
				rows[r-1][c-1] = text
			}
		}
	}
	return rows
}

// readTable reads the title, the header and the data rows of a sheet, for
// an import for unit.
func readTable(sheet string, rows [][]string, m *mapping.Mapping, unit string, out sdk.Emitter) error {
	top := m.SkipRows + m.HeaderRows // rows above the data
	if len(rows) < top {
		return out.Diagnose(sdk.Errorf("file", "", "the sheet %s ends before its header: the mapping skips %d rows and reads a header of %d rows, but the sheet has %d (see skip_rows and header_rows)",
			sheet, m.SkipRows, m.HeaderRows, len(rows)))
	}
	if m.TitleRow > 0 {
		title := rows[m.TitleRow-1]
		col := slices.IndexFunc(title, func(c string) bool { return strings.TrimSpace(c) != "" })
		if d := m.CheckTitle(unit, sheet+"!"+cellName(max(col, 0), m.TitleRow-1), title); d != nil {
			return out.Diagnose(*d)
		}
	}
	header := mapping.Header{Rows: rows[m.SkipRows:top]}
	width := 1
	for _, r := range header.Rows {
		width = max(width, len(r))
	}
	header.Where = fmt.Sprintf("%s!%s:%s", sheet, cellName(0, m.SkipRows), cellName(width-1, top-1))
	table, diags := m.Bind(header, unit)
	for _, d := range diags {
		if err := out.Diagnose(d); err != nil {
			return err
		}
	}
	if table == nil {
		return nil
	}
	for i := top; i < len(rows); i++ {
		if err := table.Row(rows[i], func(col int) string { return sheet + "!" + cellName(col, i) }, out); err != nil {
			return err
		}
	}
	return table.Finish(sheet+"!"+cellName(0, top), out)
}

// cellName names the cell in a column and a row, both counted from 0:
// cellName(2, 6) is C7.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row+1)
	return name
}

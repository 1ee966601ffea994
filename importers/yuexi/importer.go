package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/importers/internal/workbook"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads Yuexi's red-property workbook.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "yuexi",
		Version:     "1.0.0",
		Description: "岳西县 Yuexi: red-property workbook (.xlsx), sheets 指标, 党群服务站, 试点 and 经费 with two-row merged headers, money in 万元",
		Formats: []sdk.Format{{
			Extensions:  []string{".xlsx"},
			MediaTypes:  []string{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			Description: "Excel 2007+ workbook on the county's template: title in row 1, header in rows 2-3, data from row 4",
		}},
		Datasets: []string{sdk.Units, sdk.Stations, sdk.Pilots, sdk.Budgets, sdk.Observations},
		Options: []sdk.Option{
			{Name: asof.Option, Type: "string", Description: "date the figures are reported as of (YYYY-MM-DD); default: the date of the 指标 sheet's title (截至…)"},
			{Name: asof.PeriodOption, Type: "string", Description: "period of the indicators (2023, 2023-08); default: the year of as_of"},
		},
	}
}

// maxSize bounds the workbook read into memory.
const maxSize = workbook.MaxFileSize

// Import reads each sheet of the template in turn. A sheet that is
// missing or whose header differs from the template gives one diagnostic
// and is skipped; a row that cannot be read gives a diagnostic naming
// its cell and is skipped.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	data, err := io.ReadAll(io.LimitReader(in, maxSize+1))
	if err != nil {
		return fmt.Errorf("read the file: %w", err)
	}
	if len(data) > maxSize {
		return out.Diagnose(sdk.Errorf("file", "", "the file is larger than %d MiB: is it the county's workbook?", maxSize>>20))
	}
	f, reason := openWorkbook(data)
	if f == nil {
		return out.Diagnose(sdk.Errorf("file", "", "%s", reason))
	}
	defer f.Close()

	b := newBook(in, out)
	present := b.findSheets(f.GetSheetList())
	if refused, err := b.checkTitles(f, present); refused || err != nil {
		return err
	}
	if err := b.reportMissing(present); err != nil {
		return err
	}
	b.period, b.asOf, b.periodErr = asof.Figures(in, asof.InText(titleOf(f, present)), errNoPeriod)
	for _, s := range sheets {
		name, ok := present[s.layout.sheet]
		if !ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.readSheet(f, name, s); err != nil {
			return err
		}
	}
	return nil
}

// openWorkbook opens the workbook, or says what the file is instead.
func openWorkbook(data []byte) (*excelize.File, string) {
	switch {
	case len(data) == 0:
		return nil, "the file is empty: want an .xlsx workbook"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return nil, "the file is an Excel 97-2003 (.xls) or a password-protected workbook: save it unprotected as .xlsx (Excel 工作簿)"
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, "the file is not an .xlsx workbook (it is not a zip archive; a CSV or text file renamed .xlsx?): want an Excel 工作簿 (.xlsx) on the county's template"
	}
	f, err := workbook.Open(data, excelize.Options{})
	var big *sdk.ArchiveError
	switch {
	case errors.As(err, &big):
		return nil, fmt.Sprintf("%v: the county's workbook is far smaller; is it the right file?", err)
	case err != nil:
		return nil, fmt.Sprintf("the file is a zip archive but not a readable .xlsx workbook (damaged or cut short?): %v", err)
	}
	return f, ""
}

// checkTitles checks the unit the title of each sheet of the template
// names (岳西县…, in A1) against the import's. The first title naming
// another unit is diagnosed, refused is set, and nothing is read.
func (b *book) checkTitles(f *excelize.File, present map[string]string) (refused bool, err error) {
	for _, s := range sheets {
		name, ok := present[s.layout.sheet]
		if !ok {
			continue
		}
		title, _ := f.GetCellValue(name, cellName(1, titleRow))
		if d := sdk.CheckUnit(b.in.Unit, name+"!"+cellName(1, titleRow), "", title); d != nil {
			return true, b.out.Diagnose(*d)
		}
	}
	return false, nil
}

// findSheets maps the template's sheet names to the workbook's sheets,
// matched without spaces.
func (b *book) findSheets(list []string) map[string]string {
	present := map[string]string{}
	for _, s := range sheets {
		for _, name := range list {
			if fold(name) == fold(s.layout.sheet) {
				present[s.layout.sheet] = name
				break
			}
		}
	}
	return present
}

// reportMissing gives one diagnostic for each sheet of the template the
// workbook lacks.
func (b *book) reportMissing(present map[string]string) error {
	var want []string
	for _, s := range sheets {
		want = append(want, s.layout.sheet)
	}
	for _, s := range sheets {
		if _, ok := present[s.layout.sheet]; ok {
			continue
		}
		if err := b.out.Diagnose(sdk.Errorf("file", "", "the workbook has no sheet %q (%s): want the sheets %s",
			s.layout.sheet, s.what, strings.Join(want, ", "))); err != nil {
			return err
		}
	}
	return nil
}

// titleOf returns the title of the indicator sheet, or of the first sheet
// of the template the workbook has.
func titleOf(f *excelize.File, present map[string]string) string {
	for _, s := range sheets {
		if name, ok := present[s.layout.sheet]; ok {
			title, _ := f.GetCellValue(name, cellName(1, titleRow))
			return title
		}
	}
	return ""
}

// errNoPeriod is the error of the indicator rows of a workbook whose
// period is unknown.
var errNoPeriod = errors.New("the period of the indicators is unknown: give the option period or as_of, or a title saying 截至YYYY年M月D日")

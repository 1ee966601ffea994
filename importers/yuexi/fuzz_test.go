package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// Bounds of the rows FuzzRows writes, so that each workbook stays quick to
// write and read.
const (
	fuzzRows = 40
	fuzzCols = 16
)

// FuzzRows writes made-up data rows under the header of one sheet of the
// sample workbook, the rest of the sample left as it is, and imports the
// workbook: the rows reach the importer's cell and row checks, which
// random bytes of a zip archive seldom do. The rows are text with one row
// per line and cells separated by tabs; a cell of digits is written as a
// number, as Excel stores one. The import must pass the checks of
// importertest.Fuzz. The seeds are the data rows of the sample's sheets
// and of the damaged bad-cells workbook.
func FuzzRows(f *testing.F) {
	sample, err := os.ReadFile("testdata/sample/input.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	var names []string
	for _, file := range []string{"testdata/sample/input.xlsx", "testdata/bad-cells/input.xlsx"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		b, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			f.Fatal(err)
		}
		if names == nil {
			names = b.GetSheetList()
		}
		for i, name := range names {
			rows, err := b.GetRows(name)
			if err != nil || len(rows) < firstRow {
				continue
			}
			var lines []string
			for _, r := range rows[firstRow-1:] {
				lines = append(lines, strings.Join(r, "\t"))
			}
			f.Add(uint8(i), strings.Join(lines, "\n"))
		}
		b.Close()
	}
	f.Add(uint8(0), "")
	f.Add(uint8(3), "1\t小区党群服务站建设补助\t县财政\t2023\t\t20余\t计划\t是")

	// The sample with the data rows of one sheet removed, for each sheet.
	emptied := make([][]byte, len(names))
	for i, name := range names {
		emptied[i] = withoutRows(f, sample, name)
	}

	f.Fuzz(func(t *testing.T, sheet uint8, text string) {
		i := int(sheet) % len(names)
		name := names[i]
		b, err := excelize.OpenReader(bytes.NewReader(emptied[i]))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		for r, line := range upTo(strings.Split(text, "\n"), fuzzRows) {
			for c, cell := range upTo(strings.Split(line, "\t"), fuzzCols) {
				at := cellName(c+1, firstRow+r)
				if isDecimal(cell) {
					v, _ := strconv.ParseFloat(cell, 64)
					err = b.SetCellFloat(name, at, v, -1, 64)
				} else {
					err = b.SetCellStr(name, at, cell)
				}
				if err != nil {
					t.Skipf("excelize cannot write %q: %v", cell, err)
				}
			}
		}
		buf, err := b.WriteToBuffer()
		if err != nil {
			t.Skipf("excelize cannot write the workbook: %v", err)
		}
		in := importertest.Input{Data: buf.Bytes(), FileName: "input.xlsx", Unit: "340828", Options: map[string]string{"as_of": "2023-08-07"}}
		importertest.FuzzInput(t, importertest.InProcess(Importer{}), in, importertest.FuzzOptions{})
	})
}

// isDecimal tells whether s is digits with at most one decimal point, as
// a number cell holds.
func isDecimal(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return whole != "" && strings.Trim(whole, "0123456789") == "" && strings.Trim(frac, "0123456789") == "" && len(s) <= 15
}

// upTo returns the first n elements of s at most.
func upTo(s []string, n int) []string { return s[:min(n, len(s))] }

// withoutRows returns the workbook with the data rows of a sheet removed.
func withoutRows(tb testing.TB, data []byte, sheet string) []byte {
	tb.Helper()
	b, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	rows, err := b.GetRows(sheet)
	if err != nil {
		tb.Fatal(err)
	}
	for r := len(rows); r >= firstRow; r-- {
		if err := b.RemoveRow(sheet, r); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := b.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

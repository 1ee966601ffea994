package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads Daguan's red-property work sheet.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "daguan",
		Version:     "1.0.0",
		Description: "大观区 Daguan: red-property work sheet, CSV in GBK or UTF-8 with BOM, one row per indicator, station or deliberation point",
		Formats: []sdk.Format{{
			Extensions:  []string{".csv"},
			MediaTypes:  []string{"text/csv"},
			Description: "CSV saved by Excel: GBK (\"CSV (逗号分隔)\") or UTF-8 with a byte-order mark (\"CSV UTF-8\"); a title row, then the header 序号,类别,名称,街道,社区,地址,数值,配套设施,状态,备注",
		}},
		Datasets: []string{sdk.Units, sdk.Stations, sdk.Spaces, sdk.Observations},
		Options: []sdk.Option{
			{Name: asof.Option, Type: "string", Description: "date the figures are reported as of (YYYY-MM-DD); default: the date of the title's 截至…"},
			{Name: asof.PeriodOption, Type: "string", Description: "period of the figures (2023, 2023-08); default: the year of as_of"},
		},
	}
}

// headerSearch is how many rows may come before the header (the title,
// notes on the sheet).
const headerSearch = 10

// Import emits the records of each row and a diagnostic for each row it
// cannot read. A file that is not a CSV in GBK or UTF-8 with a
// byte-order mark, or that has no header, gives one diagnostic for the
// file.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	text, enc, err := decodeText(in)
	var notText errNotText
	if errors.As(err, &notText) {
		return out.Diagnose(sdk.Errorf("file", "", "%s", notText.reason))
	}
	if err != nil {
		return err
	}
	r := csv.NewReader(text)
	r.FieldsPerRecord = -1 // short rows are read with empty cells
	s := newSheet(in, enc, out)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			// The reader cannot find the next row after a quoting error.
			return out.Diagnose(sdk.Errorf(fmt.Sprintf("line %d", perr.Line), "", "not valid CSV, the rest of the file is not read: %v", perr.Err))
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		done, err := s.read(line, row)
		if err != nil || done {
			return err
		}
	}
	return s.finish()
}

// sheet is the state of one import: the header once found, the period of
// the figures, and what was emitted so far.
type sheet struct {
	in     *sdk.Input
	enc    textEncoding
	out    sdk.Emitter
	header *header
	rows   int // rows read before the header
	title  string
	badRow int // first row before the header with undecodable bytes

	period, asOf string
	periodErr    error

	units map[string]string // emitted unit name -> its parent's name
	keys  map[string]int    // dataset/key -> line of its record
}

func newSheet(in *sdk.Input, enc textEncoding, out sdk.Emitter) *sheet {
	return &sheet{in: in, enc: enc, out: out, units: map[string]string{}, keys: map[string]int{}}
}

// read takes one CSV row; done tells that the file cannot be read further.
func (s *sheet) read(line int, row []string) (done bool, err error) {
	if s.header != nil {
		return false, s.dataRow(line, row)
	}
	s.rows++
	if s.badRow == 0 && hasBadBytes(row) {
		s.badRow = line
	}
	if !isHeader(row) {
		if s.title == "" {
			s.title = strings.Join(trimAll(row), " ")
			// The title names the district the sheet is for.
			if d := sdk.CheckUnit(s.in.Unit, fmt.Sprintf("line %d", line), "", s.title); d != nil {
				return true, s.out.Diagnose(*d)
			}
		}
		if s.rows >= headerSearch {
			return true, s.noHeader()
		}
		return false, nil
	}
	h, err := readHeader(line, row)
	if err != nil {
		return true, s.out.Diagnose(sdk.Errorf(fmt.Sprintf("line %d", line), "", "%v", err))
	}
	s.header = &h
	s.period, s.asOf, s.periodErr = asof.Figures(s.in, asof.InText(s.title), errNoPeriod)
	return false, nil
}

// finish reports a file that ended before its header.
func (s *sheet) finish() error {
	if s.header == nil {
		return s.noHeader()
	}
	return nil
}

func (s *sheet) noHeader() error {
	msg := fmt.Sprintf("no header row in the first %d rows: want a row naming the columns %s", s.rows, strings.Join(requiredNames(), ", "))
	if s.rows == 0 {
		msg = "the file is empty: want a title row, then a header naming the columns " + strings.Join(requiredNames(), ", ")
	}
	if s.badRow != 0 {
		msg += fmt.Sprintf("; line %d has bytes that are not valid %s: is the file really %s?", s.badRow, s.enc, s.enc)
	}
	return s.out.Diagnose(sdk.Errorf("file", "", "%s", msg))
}

// errNoPeriod is the error of the indicator rows of a sheet whose period
// is unknown.
var errNoPeriod = errors.New("the period of the figures is unknown: give the option period or as_of, or a title saying 截至YYYY年M月D日")

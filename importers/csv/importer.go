package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/countyhub/countyhub/importers/internal/mapping"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads a CSV table through a mapping.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "csv",
		Version:     "1.0.0",
		Description: "Any plain table saved as CSV, read through a mapping file that names its columns",
		Formats: []sdk.Format{{Extensions: []string{".csv", ".txt"}, MediaTypes: []string{"text/csv"},
			Description: "CSV in UTF-8, GBK or GB18030: title rows, a header of one or more rows, one record per row"}},
		Datasets: append([]string(nil), records.Datasets...),
		Options:  append([]sdk.Option(nil), mapping.Options...),
	}
}

// Import checks the mapping, finds its columns in the file's header, and
// emits the records of the rows below it. A mapping that does not fit the
// file gives diagnostics and no records.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	m, diags := mapping.FromOptions(in.Options, mapping.CSV)
	for _, d := range diags {
		if err := out.Diagnose(d); err != nil {
			return err
		}
	}
	if m == nil {
		return nil
	}
	text, problem := decode(in, m.Encoding)
	if problem != nil {
		return out.Diagnose(*problem)
	}
	return readTable(text, m, in.Unit, out)
}

// readTable reads the rows of a UTF-8 CSV stream for an import for unit:
// the skipped rows (the title among them), the header, then the data
// rows.
func readTable(text io.Reader, m *mapping.Mapping, unit string, out sdk.Emitter) error {
	r := csv.NewReader(text)
	r.Comma = m.Delimiter
	r.FieldsPerRecord = -1 // short and long rows are the mapping's business
	var (
		header mapping.Header
		first  int // line of the header's first row
		table  *mapping.Table
	)
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr) && perr.StartLine <= m.SkipRows:
			continue // a title row need not be valid CSV
		case errors.As(err, &perr):
			if err := out.Diagnose(sdk.Errorf(fmt.Sprintf("line %d", perr.StartLine), "", "not valid CSV: %v (a field holding a quote, a delimiter or a line break must be in double quotes)", perr.Err)); err != nil || table == nil {
				return err // without its header the file cannot be read
			}
			continue
		case err != nil:
			return out.Diagnose(sdk.Errorf("file", "", "cannot read the file: %v", err))
		}
		line, _ := r.FieldPos(0)
		switch {
		case line <= m.SkipRows:
			if line == m.TitleRow {
				if d := m.CheckTitle(unit, fmt.Sprintf("line %d", line), row); d != nil {
					return out.Diagnose(*d)
				}
			}
		case table == nil:
			if first == 0 {
				first = line
			}
			header.Rows = append(header.Rows, row)
			if len(header.Rows) < m.HeaderRows {
				continue
			}
			header.Where = lines(first, line)
			var diags []records.Diagnostic
			if table, diags = m.Bind(header, unit); table == nil {
				for _, d := range diags {
					if err := out.Diagnose(d); err != nil {
						return err
					}
				}
				return nil
			}
		default:
			ref := fmt.Sprintf("line %d", line)
			if err := table.Row(row, func(int) string { return ref }, out); err != nil {
				return err
			}
		}
	}
	if table == nil {
		return out.Diagnose(sdk.Errorf("file", "", "the file ends before its header: the mapping skips %d rows and reads a header of %d rows (see skip_rows and header_rows)", m.SkipRows, m.HeaderRows))
	}
	return table.Finish("file", out)
}

// lines names the lines of a header.
func lines(first, last int) string {
	if first == last {
		return fmt.Sprintf("line %d", first)
	}
	return fmt.Sprintf("lines %d-%d", first, last)
}

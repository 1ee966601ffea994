package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads indicator sheets.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "example",
		Version:     "1.0.0",
		Description: "Indicator sheet: CSV with metric,unit,period,value",
		Formats:     []sdk.Format{{Extensions: []string{".csv"}, MediaTypes: []string{"text/csv"}, Description: "UTF-8 CSV with a metric,unit,period,value header"}},
		Datasets:    []string{sdk.Observations},
		Options:     []sdk.Option{{Name: "as_of", Type: "string", Description: "date the figures are reported as of (YYYY-MM-DD)"}},
	}
}

var header = []string{"metric", "unit", "period", "value"}

// Import emits one observation per line, and a diagnostic for each line it
// cannot read.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	r := csv.NewReader(in)
	r.Comment = '#'
	r.FieldsPerRecord = -1 // short and long lines become diagnostics, not errors
	r.ReuseRecord = true
	sawHeader := false
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ref := "file"
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				ref = fmt.Sprintf("line %d", perr.Line)
			}
			return out.Diagnose(sdk.Errorf(ref, "", "not valid CSV: %v", err)) // the reader cannot go on
		}
		line, _ := r.FieldPos(0)
		ref := fmt.Sprintf("line %d", line)
		if !sawHeader {
			if !equalFold(row, header) {
				return out.Diagnose(sdk.Errorf(ref, "", "want the header %s, found %q", strings.Join(header, ","), strings.Join(row, ",")))
			}
			sawHeader = true
			continue
		}
		if len(row) != len(header) {
			if err := out.Diagnose(sdk.Errorf(ref, "", "want %d columns, found %d", len(header), len(row))); err != nil {
				return err
			}
			continue
		}
		if err := emitRow(ref, row, in, out); err != nil {
			return err
		}
	}
	if !sawHeader {
		return out.Diagnose(sdk.Errorf("file", "", "empty file: want the header %s", strings.Join(header, ",")))
	}
	return nil
}

func emitRow(ref string, row []string, in *sdk.Input, out sdk.Emitter) error {
	for i, cell := range row {
		if !utf8.ValidString(cell) {
			return out.Diagnose(sdk.Errorf(ref, header[i], "%s is not UTF-8 text: save the sheet as UTF-8", header[i]))
		}
	}
	metric, unit, period, value := strings.TrimSpace(row[0]), strings.TrimSpace(row[1]), strings.TrimSpace(row[2]), strings.TrimSpace(row[3])
	for _, f := range []struct{ name, v string }{{"metric", metric}, {"period", period}, {"value", value}} {
		if f.v == "" {
			return out.Diagnose(sdk.Errorf(ref, f.name, "%s is empty", f.name))
		}
	}
	// Where the file names a unit, it must be the import's unit or a unit
	// of its county: a row naming another county is left out.
	if d := sdk.CheckUnit(in.Unit, ref, "unit", unit); d != nil {
		return out.Diagnose(*d)
	}
	// A plain count is exact; anything else ("300余件", but also "NaN" or
	// "-5", which ParseFloat reads) is left for the hub to read or refuse.
	q := model.Quantity{Text: value, Unit: model.UnitCount}
	if n, err := strconv.ParseFloat(value, 64); err == nil && n >= 0 && !math.IsInf(n, 0) {
		q = model.Quantity{Value: n, Qualifier: model.Exact, Unit: model.UnitCount}
	}
	return out.Emit(sdk.Record{Reference: ref, Observation: &sdk.Observation{
		Metric: metric, Unit: unit, Period: period, AsOf: in.Option("as_of", ""), Value: q,
	}})
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(a[i], "\ufeff")), b[i]) {
			return false
		}
	}
	return true
}

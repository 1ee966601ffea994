package mapping

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Header is the header of a table as a file holds it.
type Header struct {
	// Rows are the cells of the header's rows, merged cells filled in.
	Rows [][]string
	// Where names the header's place for diagnostics: "line 2",
	// "指标!A2:D3".
	Where string
}

// Texts are the header texts of the columns: the cells of each column in
// the header rows, joined with "/". Empty cells are left out, and so is a
// cell equal to the one above it (a merged cell spanning header rows), so
// a two-row header gives "金额（万元）/拨付" below a merged "金额（万元）",
// and "项目" for a "项目" spanning both rows.
func (h Header) Texts() []string {
	width := 0
	for _, r := range h.Rows {
		width = max(width, len(r))
	}
	texts := make([]string, width)
	for c := range texts {
		var parts []string
		for _, r := range h.Rows {
			if c >= len(r) {
				continue
			}
			s := strings.Join(strings.Fields(r[c]), " ")
			if s != "" && (len(parts) == 0 || parts[len(parts)-1] != s) {
				parts = append(parts, s)
			}
		}
		texts[c] = strings.Join(parts, "/")
	}
	return texts
}

// Table turns the data rows of one table into records through a mapping.
type Table struct {
	m     *Mapping
	unit  string          // the unit the import is for
	index []int           // the file's column of each of m.columns
	units map[string]bool // unit records emitted, by level, parent and name
	rows  int             // data rows read
}

// CheckTitle checks the unit the title row names (the row title_row
// gives, its cells joined) against unit, the import's (see
// sdk.CheckUnit): a title naming another unit is an error diagnostic at
// ref, and the file is not read. It returns nil when the row names unit,
// a unit of its county, or none.
func (m *Mapping) CheckTitle(unit, ref string, cells []string) *records.Diagnostic {
	var parts []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return sdk.CheckUnit(unit, ref, "", strings.Join(parts, " "))
}

// Bind finds the mapping's columns in the header of a file, for an import
// for unit. A column the header lacks, or has twice, is a diagnostic
// naming the header and what it holds, and so is a constant of the
// mapping naming a unit outside unit's county (county: 岳西县 in an
// import for another county); the table is then nil: no row is read
// through a mapping that does not fit the file. Rows whose county, unit,
// parent or code column names a unit outside unit's county are refused,
// each with a diagnostic naming the cell.
func (m *Mapping) Bind(h Header, unit string) (*Table, []records.Diagnostic) {
	for _, c := range m.constants {
		if c.field.kind != unitKind {
			continue
		}
		if d := sdk.CheckUnit(unit, fmt.Sprintf("mapping line %d", c.line), c.field.name, c.text); d != nil {
			return nil, []records.Diagnostic{*d}
		}
	}
	texts := h.Texts()
	t := &Table{m: m, unit: unit, units: map[string]bool{}}
	var diags []records.Diagnostic
	for _, c := range m.columns {
		var at []int
		for i, text := range texts {
			if fold(text) == fold(c.header) {
				at = append(at, i)
			}
		}
		switch len(at) {
		case 1:
			t.index = append(t.index, at[0])
		case 0:
			diags = append(diags, sdk.Errorf(h.Where, c.field.name, "the mapping (line %d) maps the column %q to %s, but the header at %s has no such column; it has %s",
				c.line, c.header, c.field.name, h.Where, found(texts)))
		default:
			diags = append(diags, sdk.Errorf(h.Where, c.field.name, "the header at %s has the column %q %d times (columns %s); the mapping (line %d) cannot tell which is %s",
				h.Where, c.header, len(at), columnNumbers(at), c.line, c.field.name))
		}
	}
	if len(diags) > 0 {
		return nil, diags
	}
	return t, nil
}

// found lists the header texts of a file for a diagnostic.
func found(texts []string) string {
	var quoted []string
	for _, t := range texts {
		if t != "" {
			quoted = append(quoted, fmt.Sprintf("%q", t))
		}
	}
	if len(quoted) == 0 {
		return "no header texts at all (check skip_rows and header_rows)"
	}
	return strings.Join(quoted, ", ")
}

func columnNumbers(at []int) string {
	var s []string
	for _, i := range at {
		s = append(s, fmt.Sprint(i+1))
	}
	return strings.Join(s, " and ")
}

// Row reads one data row and emits its records: the unit records of the
// towns, communities and compounds it names first seen, then the row's
// record. A row with a cell it cannot read gives an error diagnostic for
// each such cell, naming the cell and the field, and no record. Blank rows
// and rows starting with a word of skip_rows_starting_with are left out.
// ref gives the reference of the cell in a column (counted from 0).
func (t *Table) Row(cells []string, ref func(col int) string, out sdk.Emitter) error {
	first := firstText(cells)
	if first == "" || t.skipped(first) {
		return nil
	}
	t.rows++
	for i, c := range cells {
		if !utf8.ValidString(c) {
			return out.Diagnose(sdk.Errorf(ref(i), "", "the cell is not valid text in the file's encoding; check the encoding of the file"))
		}
	}
	r := t.read(cells, ref)
	rec, places := r.record()
	for _, d := range r.diags {
		if err := out.Diagnose(d); err != nil {
			return err
		}
	}
	if rec == nil {
		return nil
	}
	for _, u := range places {
		if err := out.Emit(u); err != nil {
			return err
		}
	}
	return out.Emit(*rec)
}

// Finish reports a table without data rows, with ref naming where they
// were expected.
func (t *Table) Finish(ref string, out sdk.Emitter) error {
	if t.rows > 0 {
		return nil
	}
	return out.Diagnose(sdk.Warnf(ref, "", "the table has no rows below its header"))
}

func firstText(cells []string) string {
	for _, c := range cells {
		if s := strings.TrimSpace(c); s != "" {
			return s
		}
	}
	return ""
}

func (t *Table) skipped(first string) bool {
	for _, w := range t.m.skipStarting {
		if strings.HasPrefix(fold(first), w) {
			return true
		}
	}
	return false
}

// read collects the texts of a row's fields, from its cells and the
// mapping's constants, with the values of the mapping applied.
func (t *Table) read(cells []string, ref func(col int) string) *row {
	r := &row{m: t.m, t: t, texts: map[string]string{}, refs: map[string]string{}}
	left := -1
	for i, c := range t.m.columns {
		col := t.index[i]
		if left < 0 || col < left {
			left = col
		}
		text := ""
		if col < len(cells) {
			text = strings.TrimSpace(cells[col])
		}
		if words, ok := t.m.values[c.field.name]; ok && c.field.kind != listKind && text != "" {
			if v, ok := words[fold(text)]; ok {
				text = v
			}
		}
		r.texts[c.field.name], r.refs[c.field.name] = text, ref(col)
	}
	r.rowRef = ref(left)
	for _, c := range t.m.constants {
		r.texts[c.field.name] = c.text
	}
	return r
}

// Package grid reads the data tables of county reports once a format
// reader has laid them out on a grid of cells, whatever the format: an
// HTML page (colspan, rowspan) or a Word document (w:gridSpan, w:vMerge).
//
// It finds a table's header among its first rows, binds the header's
// labels to the columns an importer reads, skips the rows that hold no
// data (group captions, notes), refuses a header shifted against its data,
// and locates rows and cells for diagnostics: "table 1 row 5 cell 4".
// Header labels compare as vocabulary.Fold folds them.
package grid

import (
	"fmt"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// HeaderRows is how many rows at the top of a table may come before its
// header and its own: a caption row spanning the table, such as
// "表1 主要指标", pushes the header down.
const HeaderRows = 3

// Cell is a cell of a table row.
type Cell struct {
	// Col is the grid column the cell starts at, from 0; Span is the
	// number of grid columns it covers.
	Col, Span int
	// Text is the cell's text.
	Text string
	// Markers are the keys of the footnotes the cell refers to, such as
	// "1" or "*", in formats that mark them.
	Markers []string
	// Continues tells whether the cell is covered by a cell of a row
	// above that spans down into it (rowspan, a vertical merge); it then
	// has that cell's text.
	Continues bool
}

// CellAt returns the cell of a row that starts at grid column col.
func CellAt(row []Cell, col int) (Cell, bool) {
	for _, c := range row {
		if c.Col == col {
			return c, true
		}
	}
	return Cell{}, false
}

// Column is a column a table is read by.
type Column struct {
	// Name is the column's usual header label; rows are asked for
	// columns by it.
	Name string
	// Labels are the header labels that name the column.
	Labels []string
	// Required tells whether a table must have the column.
	Required bool
}

// find returns the cell of a header row that labels the column.
func (c Column) find(header []Cell) (Cell, bool) {
	for _, cell := range header {
		for _, l := range c.Labels {
			if vocabulary.Same(cell.Text, l) {
				return cell, true
			}
		}
	}
	return Cell{}, false
}

// Columns are the columns of a kind of table. The first identifies the
// kind: a header row that labels it heads a table of that kind. Columns
// that are known but not read (序号, 备注) are worth listing, so that
// their labels count as labels of the header.
type Columns []Column

// Required lists the names of the required columns, for messages:
// "指标, 数值".
func (cs Columns) Required() string {
	var names []string
	for _, c := range cs {
		if c.Required {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

// FindHeader finds the header row of a table: the first of its first
// HeaderRows rows that labels the identifying column of one of the kinds
// of table. It returns the index of that kind among kinds, and the row's
// index, from 0.
func FindHeader(rows [][]Cell, kinds ...Columns) (kind, row int, ok bool) {
	for i := 0; i < len(rows) && i < HeaderRows; i++ {
		for k, cs := range kinds {
			if len(cs) == 0 {
				continue
			}
			if _, found := cs[0].find(rows[i]); found {
				return k, i, true
			}
		}
	}
	return 0, 0, false
}

// Header is a table's header row, with the columns it labels.
type Header struct {
	// Table is the table's number, from 1; Row is the header's row
	// index, from 0.
	Table, Row int
	// Cells are the cells of the header row.
	Cells []Cell

	columns Columns
	labels  map[string]Cell // by column name: the header cell labelling it
}

// Match binds the columns to the header row of a table: row index row
// of the table numbered table, whose cells are cells. It returns the
// header and the names of the required columns the row does not label.
func (cs Columns) Match(table, row int, cells []Cell) (h Header, missing []string) {
	h = Header{Table: table, Row: row, Cells: cells, columns: cs, labels: map[string]Cell{}}
	for _, c := range cs {
		if l, ok := c.find(cells); ok {
			h.labels[c.Name] = l
		} else if c.Required {
			missing = append(missing, c.Name)
		}
	}
	return h, missing
}

// Ref locates the header row: "table 1 row 2".
func (h Header) Ref() string { return fmt.Sprintf("table %d row %d", h.Table, h.Row+1) }

// Rows returns the data rows of a table below its header, given all the
// table's rows. Rows that hold no data are left out: rows whose cells are
// all empty, and rows of one cell across the table, such as a group
// caption or a note ("注：……").
//
// A row with text in a column the header leaves without a label is the
// sign of a header shifted against its data, which would put figures in
// the wrong columns: Rows then returns no rows and the error diagnostic to
// report instead of reading the table.
func (h Header) Rows(rows [][]Cell) ([]Row, *sdk.Diagnostic) {
	var out []Row
	tableWidth := width(h.Cells)
	for i := h.Row + 1; i < len(rows); i++ {
		if skippable(rows[i], tableWidth) {
			continue
		}
		if c, bad := unlabelled(rows[i], h.Cells); bad {
			d := sdk.Errorf(fmt.Sprintf("table %d row %d cell %d", h.Table, i+1, c.Col+1), "",
				"%q is in a column without a header label: the header (row %d: %s) is shifted against the rows below; put %s above their columns. The table is not read",
				Shorten(c.Text), h.Row+1, RowText(h.Cells), h.columns.Required())
			return nil, &d
		}
		out = append(out, Row{Table: h.Table, Row: i + 1, Cells: rows[i], labels: h.labels})
	}
	return out, nil
}

// width is the number of grid columns a row covers.
func width(row []Cell) int {
	w := 0
	for _, c := range row {
		w = max(w, c.Col+c.Span)
	}
	return w
}

// skippable tells whether a row below the header holds no data: all its
// cells are empty, or it is one cell across the table.
func skippable(row []Cell, tableWidth int) bool {
	if len(row) == 1 && tableWidth > 1 && row[0].Span >= tableWidth {
		return true
	}
	for _, c := range row {
		if c.Text != "" {
			return false
		}
	}
	return true
}

// unlabelled returns the first cell of a row that has text in a column
// the header leaves without a label.
func unlabelled(row, header []Cell) (Cell, bool) {
	labelled := map[int]bool{}
	for _, h := range header {
		if h.Text == "" {
			continue
		}
		for col := h.Col; col < h.Col+h.Span; col++ {
			labelled[col] = true
		}
	}
	for _, c := range row {
		if c.Text != "" && !labelled[c.Col] {
			return c, true
		}
	}
	return Cell{}, false
}

// Row is a data row of a table, read by the columns of its header.
type Row struct {
	// Table is the table's number and Row the row's, both from 1.
	Table, Row int
	// Cells are the row's cells.
	Cells []Cell

	labels map[string]Cell
}

// Cell returns the row's cell in the named column; a column the header
// does not label, or a row without a cell there, gives an empty cell.
func (r Row) Cell(name string) Cell {
	l, ok := r.labels[name]
	if !ok {
		return Cell{}
	}
	c, _ := CellAt(r.Cells, l.Col)
	return c
}

// Text returns the text of the row's cell in the named column, or "".
func (r Row) Text(name string) string { return r.Cell(name).Text }

// Label returns the header label of the named column as the table writes
// it, for a diagnostic's field; the column's name when the header does
// not label it.
func (r Row) Label(name string) string {
	if l, ok := r.labels[name]; ok {
		return l.Text
	}
	return name
}

// Ref locates the row: "table 1 row 5".
func (r Row) Ref() string { return fmt.Sprintf("table %d row %d", r.Table, r.Row) }

// CellRef locates the row's cell in the named column: "table 1 row 5
// cell 4". Cells count grid columns from the left. A column the header
// does not label gives the row's reference.
func (r Row) CellRef(name string) string {
	l, ok := r.labels[name]
	if !ok {
		return r.Ref()
	}
	return fmt.Sprintf("%s cell %d", r.Ref(), l.Col+1)
}

// Indicator returns the indicator the row names in the named column,
// looked up in metrics. When the cell is empty or names no indicator
// metrics knows, it returns the error diagnostic to report instead of
// reading the row.
func (r Row) Indicator(name string, metrics *vocabulary.Metrics) (vocabulary.Metric, *sdk.Diagnostic) {
	text := r.Text(name)
	if text == "" {
		d := sdk.Errorf(r.CellRef(name), r.Label(name), "the indicator's name is empty")
		return vocabulary.Metric{}, &d
	}
	m, ok := metrics.Lookup(text)
	if !ok {
		d := sdk.Errorf(r.CellRef(name), r.Label(name), "unknown indicator %q: want one of %s", Shorten(text), metrics.Known())
		return vocabulary.Metric{}, &d
	}
	return m, nil
}

// Shorten cuts a text for a message: its white space collapsed, and no
// more than 30 characters.
func Shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// RowText shows a row's cells for a message, "指标 | 数值 | 备注", each
// shortened and an empty one as "(empty)".
func RowText(row []Cell) string {
	texts := make([]string, len(row))
	for i, c := range row {
		texts[i] = Shorten(c.Text)
		if texts[i] == "" {
			texts[i] = "(empty)"
		}
	}
	return strings.Join(texts, " | ")
}

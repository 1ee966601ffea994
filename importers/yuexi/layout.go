package main

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The template's rows: the title, the two header rows, the first data row.
const (
	titleRow  = 1
	headerRow = 2
	firstRow  = headerRow + 2
)

// column is a column of a sheet's template.
type column struct {
	col   int    // 1-based: A is 1
	label string // its header, in the lower header row when it has a group
	group string // the merged cell above it, or "" when its header spans both rows
}

// layout is a sheet of the template.
type layout struct {
	sheet   string
	columns []column
}

// label returns the header of the column col.
func (l layout) label(col int) string {
	for _, c := range l.columns {
		if c.col == col {
			return c.label
		}
	}
	return ""
}

// headerCell is one labelled cell of a template's header.
type headerCell struct {
	col, row int
	label    string
}

// cells lists the labelled header cells of the layout: each column's own
// label, and each group's label in the first column of the group.
func (l layout) cells() []headerCell {
	var out []headerCell
	groups := map[string]bool{}
	for _, c := range l.columns {
		if c.group == "" {
			out = append(out, headerCell{c.col, headerRow, c.label})
			continue
		}
		if !groups[c.group] {
			groups[c.group] = true
			out = append(out, headerCell{c.col, headerRow, c.group})
		}
		out = append(out, headerCell{c.col, headerRow + 1, c.label})
	}
	return out
}

// mismatch is the first header cell that differs from the template.
type mismatch struct {
	cell        string
	row, col    int
	want, found string
	hint        string // how the sheet seems to have been changed, if known
}

func (m mismatch) Error() string {
	found := fmt.Sprintf("%q", m.found)
	if m.found == "" {
		found = "an empty cell"
	}
	msg := fmt.Sprintf("want the header %q here, found %s", m.want, found)
	if m.hint != "" {
		msg += "; " + m.hint
	}
	return msg + " (the template: title in row 1, header in rows 2-3, data from row 4)"
}

// checkHeader compares a sheet's header with the template. On a
// mismatch it also looks for the whole header a few rows or columns away,
// or for the wanted header a few columns away, to say how the sheet was
// changed.
func checkHeader(rows [][]string, l layout) *mismatch {
	m := compareHeader(rows, l, 0, 0)
	if m == nil {
		return nil
	}
	for _, dr := range []int{0, 1, -1, 2} {
		for _, dc := range []int{0, 1, -1} {
			if (dr != 0 || dc != 0) && compareHeader(rows, l, dr, dc) == nil {
				m.hint = "the whole header is " + describeShift(dr, dc)
				return m
			}
		}
	}
	if at := findNear(rows, m.row, m.col, m.want); at != "" {
		m.hint = fmt.Sprintf("%q is in %s: was a column inserted or deleted before it?", m.want, at)
	}
	return m
}

// findNear returns the cell within three columns of (row, col) that holds
// label, or "".
func findNear(rows [][]string, row, col int, label string) string {
	for d := 1; d <= 3; d++ {
		for _, c := range []int{col + d, col - d} {
			if fold(cellAt(rows, row, c)) == fold(label) {
				return cellName(c, row)
			}
		}
	}
	return ""
}

func describeShift(rows, cols int) string {
	var parts []string
	switch {
	case rows > 0:
		parts = append(parts, plural(rows, "row")+" lower (a row inserted above it?)")
	case rows < 0:
		parts = append(parts, plural(-rows, "row")+" higher (a row deleted above it?)")
	}
	switch {
	case cols > 0:
		parts = append(parts, plural(cols, "column")+" to the right (a column inserted before it?)")
	case cols < 0:
		parts = append(parts, plural(-cols, "column")+" to the left (a column deleted?)")
	}
	return strings.Join(parts, " and ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "one " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// compareHeader returns the first header cell that differs when the
// template is moved dr rows down and dc columns right.
func compareHeader(rows [][]string, l layout, dr, dc int) *mismatch {
	for _, h := range l.cells() {
		r, c := h.row+dr, h.col+dc
		if r < 1 || c < 1 {
			return &mismatch{}
		}
		found := cellAt(rows, r, c)
		if fold(found) != fold(h.label) {
			return &mismatch{cell: cellName(h.col, h.row), row: h.row, col: h.col, want: h.label, found: trim(found)}
		}
	}
	return nil
}

// cellAt returns the text of a cell (1-based), or "" beyond the sheet's
// data.
func cellAt(rows [][]string, row, col int) string {
	if row < 1 || row > len(rows) || col < 1 || col > len(rows[row-1]) {
		return ""
	}
	return rows[row-1][col-1]
}

func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row, col)
	}
	return name
}

// fold prepares a header for comparison: no spaces, line breaks or
// quotation marks, and ASCII parentheses.
func fold(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "\n", "", "\r", "", "\t", "", "（", "(", "）", ")", "“", "", "”", "", "\"", "").Replace(s)
}

// trim removes surrounding spaces, full-width ones included.
func trim(s string) string { return strings.Trim(s, " \t\r\n\u3000") }

package main

import (
	"fmt"
	"strings"
)

// headerRows is how many rows at the top of a table may come before its
// header: a merged caption row such as "表1 主要指标" pushes it down.
const headerRows = 3

// column is a column a kind of table reads.
type column struct {
	// name is the column's usual header label; the reader asks for
	// columns by it.
	name string
	// labels are the header labels that name the column.
	labels   []string
	required bool
}

// tableKind is a kind of table of the report: the indicators, the budget
// lines or the deliberation points.
type tableKind struct {
	what string
	// columns are the columns read; the first names the kind: a table
	// whose header has it is of this kind.
	columns []column
	// needsPeriod tells whether its records need the period of the
	// figures.
	needsPeriod bool
	read        func(r *reader, row tableRow) error
}

// kinds are the tables a report holds, each found by its header.
var kinds = []tableKind{
	{
		what: "indicator",
		columns: []column{
			{"指标", []string{"指标", "指标名称", "项目"}, true},
			{"数值", []string{"数值", "数量", "完成数"}, true},
			{"说明", []string{"说明", "备注"}, false},
			{"序号", []string{"序号"}, false},
		},
		needsPeriod: true,
		read:        (*reader).indicatorRow,
	},
	{
		what: "budget",
		columns: []column{
			{"资金用途", []string{"资金用途", "用途"}, true},
			{"年度", []string{"年度", "年份"}, true},
			{"金额", []string{"金额", "资金金额"}, true},
			{"状态", []string{"状态", "资金状态"}, false},
			{"备注", []string{"备注", "说明"}, false},
			{"序号", []string{"序号"}, false},
		},
		read: (*reader).budgetRow,
	},
	{
		what: "deliberation point",
		columns: []column{
			{"议事平台", []string{"议事平台", "议事平台名称", "名称"}, true},
			{"类型", []string{"类型"}, false},
			{"说明", []string{"说明", "备注"}, false},
			{"序号", []string{"序号"}, false},
		},
		read: (*reader).spaceRow,
	},
}

// headerCell is where the header puts a column.
type headerCell struct {
	col   int    // grid column, from 0
	label string // the label as the file writes it
}

// findHeader finds the header row of a table among its first rows: the
// first row with the identifying label of a kind.
func findHeader(t *docTable) (kind *tableKind, row int, ok bool) {
	for i := 0; i < len(t.rows) && i < headerRows; i++ {
		for k := range kinds {
			if _, found := kinds[k].columns[0].find(t.rows[i]); found {
				return &kinds[k], i, true
			}
		}
	}
	return nil, 0, false
}

// find returns the header cell of the column in a header row.
func (c column) find(header []docCell) (headerCell, bool) {
	for _, cell := range header {
		for _, l := range c.labels {
			if foldName(cell.text) == foldName(l) {
				return headerCell{col: cell.col, label: cell.text}, true
			}
		}
	}
	return headerCell{}, false
}

// match finds the kind's columns in a header row and returns the required
// ones it lacks.
func (k *tableKind) match(header []docCell) (cols map[string]headerCell, missing []string) {
	cols = map[string]headerCell{}
	for _, c := range k.columns {
		if h, ok := c.find(header); ok {
			cols[c.name] = h
		} else if c.required {
			missing = append(missing, c.name)
		}
	}
	return cols, missing
}

// required lists the required columns of the kind, for messages.
func (k *tableKind) required() string {
	var names []string
	for _, c := range k.columns {
		if c.required {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// tableRow is a data row of a table, with the header's columns.
type tableRow struct {
	table, row int // from 1
	cols       map[string]headerCell
	cells      []docCell
}

// text returns the text of the row's cell in the named column, or "".
func (tr tableRow) text(name string) string {
	h, ok := tr.cols[name]
	if !ok {
		return ""
	}
	c, _ := cellAt(tr.cells, h.col)
	return c.text
}

// label returns the header label of the named column, as the file writes
// it, for a diagnostic's field.
func (tr tableRow) label(name string) string {
	if h, ok := tr.cols[name]; ok {
		return h.label
	}
	return name
}

// ref locates the row: "table 1 row 5".
func (tr tableRow) ref() string { return fmt.Sprintf("table %d row %d", tr.table, tr.row) }

// cellRef locates the row's cell in the named column: "table 1 row 5
// cell 2". Cells count grid columns from the left.
func (tr tableRow) cellRef(name string) string {
	h, ok := tr.cols[name]
	if !ok {
		return tr.ref()
	}
	return fmt.Sprintf("%s cell %d", tr.ref(), h.col+1)
}

// width is the number of grid columns a row covers.
func width(row []docCell) int {
	w := 0
	for _, c := range row {
		w = max(w, c.col+c.span)
	}
	return w
}

// skippable tells whether a row below the header holds no data: all its
// cells are empty, or it is one merged cell across the table, such as a
// note ("注：……").
func skippable(row []docCell, tableWidth int) bool {
	if len(row) == 1 && tableWidth > 1 && row[0].span >= tableWidth {
		return true
	}
	for _, c := range row {
		if c.text != "" {
			return false
		}
	}
	return true
}

// unlabelled returns the first cell of a row that has text in a column
// the header leaves without a label: the sign of a header shifted
// against its data.
func unlabelled(row, header []docCell) (docCell, bool) {
	labelled := map[int]bool{}
	for _, h := range header {
		if h.text == "" {
			continue
		}
		for col := h.col; col < h.col+h.span; col++ {
			labelled[col] = true
		}
	}
	for _, c := range row {
		if c.text != "" && !labelled[c.col] {
			return c, true
		}
	}
	return docCell{}, false
}

// shorten cuts a text for a message.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// rowText shows a row's cells for a message: "指标 | 数值 | 说明", an
// empty cell as "(empty)".
func rowText(row []docCell) string {
	texts := make([]string, len(row))
	for i, c := range row {
		texts[i] = shorten(c.text)
		if texts[i] == "" {
			texts[i] = "(empty)"
		}
	}
	return strings.Join(texts, " | ")
}

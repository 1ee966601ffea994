package main

import (
	"fmt"
	"regexp"
	"strings"
)

// headerRows is how many rows at the top of a table may come before its
// header: a caption row spanning the table pushes it down.
const headerRows = 3

// column is a column of the data table.
type column struct {
	// name is the column's usual header label; the reader asks for
	// columns by it.
	name     string
	labels   []string
	required bool
}

// columns are the columns of the data table; the first identifies it.
// 序号, 类别 and 备注 are not read, but known, so that their text is not
// taken for a shifted header.
var columns = []column{
	{"指标", []string{"指标", "指标名称", "项目", "工作内容"}, true},
	{"数值", []string{"数值", "数量", "完成数", "完成情况"}, true},
	{"单位", []string{"单位", "计量单位"}, false},
	{"序号", []string{"序号"}, false},
	{"类别", []string{"类别", "分类", "机制"}, false},
	{"备注", []string{"备注", "说明"}, false},
}

// requiredColumns lists the required columns, for messages.
func requiredColumns() string {
	var names []string
	for _, c := range columns {
		if c.required {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

// headerCell is where the header puts a column.
type headerCell struct {
	col   int    // grid column, from 0
	label string // the label as the page writes it
}

// find returns the header cell of the column in a header row.
func (c column) find(header []gridCell) (headerCell, bool) {
	for _, cell := range header {
		for _, l := range c.labels {
			if foldName(cell.text) == foldName(l) {
				return headerCell{col: cell.col, label: cell.text}, true
			}
		}
	}
	return headerCell{}, false
}

// findHeader finds the header row of a data table among its first rows.
func findHeader(t *htmlTable) (row int, ok bool) {
	for i := 0; i < len(t.rows) && i < headerRows; i++ {
		if _, found := columns[0].find(t.rows[i]); found {
			return i, true
		}
	}
	return 0, false
}

// match finds the columns in a header row and returns the required ones
// it lacks.
func match(header []gridCell) (cols map[string]headerCell, missing []string) {
	cols = map[string]headerCell{}
	for _, c := range columns {
		if h, ok := c.find(header); ok {
			cols[c.name] = h
		} else if c.required {
			missing = append(missing, c.name)
		}
	}
	return cols, missing
}

// tableRow is a data row of a table, with the header's columns.
type tableRow struct {
	table, row int // from 1
	cols       map[string]headerCell
	cells      []gridCell
}

// cell returns the row's cell in the named column.
func (tr tableRow) cell(name string) gridCell {
	h, ok := tr.cols[name]
	if !ok {
		return gridCell{}
	}
	for _, c := range tr.cells {
		if c.col == h.col {
			return c
		}
	}
	return gridCell{}
}

// label returns the header label of the named column, as the page
// writes it, for a diagnostic's field.
func (tr tableRow) label(name string) string {
	if h, ok := tr.cols[name]; ok {
		return h.label
	}
	return name
}

// ref locates the row: "table 1 row 5".
func (tr tableRow) ref() string { return fmt.Sprintf("table %d row %d", tr.table, tr.row) }

// cellRef locates the row's cell in the named column: "table 1 row 5
// cell 4". Cells count grid columns from the left.
func (tr tableRow) cellRef(name string) string {
	h, ok := tr.cols[name]
	if !ok {
		return tr.ref()
	}
	return fmt.Sprintf("%s cell %d", tr.ref(), h.col+1)
}

// width is the number of grid columns a row covers.
func width(row []gridCell) int {
	w := 0
	for _, c := range row {
		w = max(w, c.col+c.span)
	}
	return w
}

// skippable tells whether a row below the header holds no data: all its
// cells are empty, or it is one cell across the table, such as a group
// caption or a note.
func skippable(row []gridCell, tableWidth int) bool {
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
// the header leaves without a label: the sign of a header shifted against
// its data.
func unlabelled(row, header []gridCell) (gridCell, bool) {
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
	return gridCell{}, false
}

// Footnote definitions below a table: "注：1. 为累计数。", "* 为今年以来数据",
// "¹ 累计数". Digits need a separator after them, so that "2023年……" is no
// footnote.
var (
	digitNote  = regexp.MustCompile(`^(?:注[：:]?\s*)?[\[(（【]?([0-9０-９]{1,2})[\])）】]?\s*[.．、:：)）]\s*(\S.*)$`)
	markedNote = regexp.MustCompile(`^(?:注[：:]?\s*)?([⁰¹²³⁴⁵⁶⁷⁸⁹]+|[*＊※]+)\s*[.．、:：)）]?\s*(\S.*)$`)
)

// footnotes reads the footnote definitions among a table's notes, by key.
func footnotes(lines []string) map[string]string {
	notes := map[string]string{}
	for _, line := range lines {
		m := digitNote.FindStringSubmatch(line)
		if m == nil {
			m = markedNote.FindStringSubmatch(line)
		}
		if m == nil {
			continue
		}
		if key := markerKey(m[1]); key != "" {
			if _, dup := notes[key]; !dup {
				notes[key] = strings.TrimSpace(m[2])
			}
		}
	}
	return notes
}

// shorten cuts a text for a message.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// rowText shows a row's cells for a message: "指标 | 数值 | 备注", an
// empty cell as "(empty)".
func rowText(row []gridCell) string {
	texts := make([]string, len(row))
	for i, c := range row {
		texts[i] = shorten(c.text)
		if texts[i] == "" {
			texts[i] = "(empty)"
		}
	}
	return strings.Join(texts, " | ")
}

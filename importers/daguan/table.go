package main

import (
	"fmt"
	"strings"
)

// column is a column of the sheet, found in the header by any of its
// names.
type column struct {
	key      string   // the column's standard name, used as the diagnostic field
	names    []string // the names a header may give it, after fold
	required bool
}

// The columns read. Others (remarks, say) are ignored.
var (
	colKind       = column{key: "类别", names: []string{"类别", "类型"}, required: true}
	colName       = column{key: "名称", names: []string{"名称", "项目", "项目名称", "指标名称"}, required: true}
	colTown       = column{key: "街道", names: []string{"街道", "所属街道", "街道(乡镇)", "所属街道(乡镇)", "乡镇(街道)"}}
	colCommunity  = column{key: "社区", names: []string{"社区", "所属社区"}, required: true}
	colAddress    = column{key: "地址", names: []string{"地址", "详细地址"}}
	colValue      = column{key: "数值", names: []string{"数值", "数量", "数据"}, required: true}
	colFacilities = column{key: "配套设施", names: []string{"配套设施", "功能室", "设施"}, required: true}
	colStatus     = column{key: "状态", names: []string{"状态", "运行状态"}}

	columns = []column{colKind, colName, colTown, colCommunity, colAddress, colValue, colFacilities, colStatus}
)

// header is the header row: where each column is.
type header struct {
	line  int
	index map[string]int // column key -> cell index
}

// isHeader tells whether a row is the header: it names the 类别 column.
func isHeader(row []string) bool {
	for _, c := range row {
		if matches(colKind, c) {
			return true
		}
	}
	return false
}

// readHeader maps the columns of a header row, or says which required
// columns it lacks.
func readHeader(line int, row []string) (header, error) {
	h := header{line: line, index: map[string]int{}}
	for i, c := range row {
		for _, col := range columns {
			if _, dup := h.index[col.key]; !dup && matches(col, c) {
				h.index[col.key] = i
			}
		}
	}
	var missing []string
	for _, col := range columns {
		if _, ok := h.index[col.key]; col.required && !ok {
			missing = append(missing, col.key)
		}
	}
	if len(missing) > 0 {
		return h, fmt.Errorf("the header lacks the column %s (want the columns %s; found %s)",
			strings.Join(missing, ", "), strings.Join(requiredNames(), ", "), strings.Join(trimAll(row), ", "))
	}
	return h, nil
}

// cell returns the trimmed cell of row in col, or "" when the file has no
// such column or the row is short.
func (h header) cell(row []string, col column) string {
	i, ok := h.index[col.key]
	if !ok || i >= len(row) {
		return ""
	}
	return trim(row[i])
}

func matches(col column, cell string) bool {
	c := fold(cell)
	for _, n := range col.names {
		if c == n {
			return true
		}
	}
	return false
}

// fold prepares a header cell for comparison: no byte-order mark, no
// spaces, ASCII parentheses.
func fold(s string) string {
	return strings.NewReplacer("\ufeff", "", " ", "", "\u3000", "", "\t", "", "（", "(", "）", ")").Replace(s)
}

// trim removes surrounding spaces, full-width ones included.
func trim(s string) string { return strings.Trim(s, " \t\r\n\u3000\ufeff") }

func trimAll(row []string) []string {
	out := make([]string, 0, len(row))
	for _, c := range row {
		if c = trim(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func requiredNames() []string {
	var names []string
	for _, col := range columns {
		if col.required {
			names = append(names, col.key)
		}
	}
	return names
}

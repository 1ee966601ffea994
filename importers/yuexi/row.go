package main

import (
	"fmt"
	"strings"
)

// row is one data row of a sheet.
type row struct {
	sheet string
	num   int // 1-based row number
	cells []string
}

// get returns the trimmed text of the cell in col (1-based).
func (r row) get(col int) string {
	if col < 1 || col > len(r.cells) {
		return ""
	}
	return trim(r.cells[col-1])
}

// ref names a cell of the row: "经费!F4".
func (r row) ref(col int) string { return r.sheet + "!" + cellName(col, r.num) }

// first names the row by its first cell, the reference of its records.
func (r row) first() string { return r.ref(1) }

// blank tells whether the row has nothing in it.
func (r row) blank() bool {
	for _, c := range r.cells {
		if trim(c) != "" {
			return false
		}
	}
	return true
}

// note tells whether the row is a note under the table ("注：…", "填报
// 单位：…"): text in its first cell only, and not a running number.
func (r row) note() bool {
	first := r.get(1)
	if first == "" || isNumber(first) {
		return false
	}
	for i := 2; i <= len(r.cells); i++ {
		if r.get(i) != "" {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// cellError is a cell that could not be read.
type cellError struct {
	col   int
	field string
	msg   string
}

func (e *cellError) Error() string { return e.msg }

func badCell(col int, field, format string, args ...any) *cellError {
	return &cellError{col: col, field: field, msg: fmt.Sprintf(format, args...)}
}

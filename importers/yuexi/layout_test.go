package main

import (
	"slices"
	"strings"
	"testing"
)

// budgetHeader is the header of the 经费 sheet as rows 1-3 of a sheet.
func budgetHeader() [][]string {
	return [][]string{
		{"岳西县小区党群服务站经费保障情况表"},
		{"序号", "经费用途", "资金来源", "起始年度", "金额（万元）", "", "是否每年安排", "备注"},
		{"", "", "", "", "预算安排", "已拨付", "", ""},
	}
}

func TestCheckHeader(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		rows     func() [][]string
		wantCell string
		wantMsg  []string
	}{
		"template": {rows: budgetHeader},
		"spaces and line breaks": {rows: func() [][]string {
			r := budgetHeader()
			r[1][4] = "金额\n（万元）"
			r[2][5] = " 已拨付 "
			return r
		}},
		"row inserted above": {rows: func() [][]string {
			r := budgetHeader()
			return slices.Insert(r, 1, []string{})
		}, wantCell: "A2", wantMsg: []string{`want the header "序号" here, found an empty cell`, "one row lower"}},
		"title row deleted": {rows: func() [][]string {
			return budgetHeader()[1:]
		}, wantCell: "A2", wantMsg: []string{"one row higher"}},
		"column inserted": {rows: func() [][]string {
			r := budgetHeader()
			for i := range r[1:] {
				r[i+1] = slices.Insert(r[i+1], 2, "经办单位")
			}
			return r
		}, wantCell: "C2", wantMsg: []string{`found "经办单位"`, `"资金来源" is in D2`}},
		"whole header moved right": {rows: func() [][]string {
			r := budgetHeader()
			for i := range r[1:] {
				r[i+1] = slices.Insert(r[i+1], 0, "")
			}
			return r
		}, wantCell: "A2", wantMsg: []string{"one column to the right"}},
		"sub-header renamed": {rows: func() [][]string {
			r := budgetHeader()
			r[2][5] = "已支出"
			return r
		}, wantCell: "F3", wantMsg: []string{`want the header "已拨付" here, found "已支出"`}},
		"empty sheet": {rows: func() [][]string { return nil }, wantCell: "A2"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := checkHeader(tc.rows(), budgetLayout)
			if tc.wantCell == "" {
				if m != nil {
					t.Fatalf("checkHeader = %v at %s, want a match", m, m.cell)
				}
				return
			}
			if m == nil {
				t.Fatalf("checkHeader matched, want a mismatch at %s", tc.wantCell)
			}
			if m.cell != tc.wantCell {
				t.Errorf("mismatch at %s, want %s", m.cell, tc.wantCell)
			}
			for _, want := range tc.wantMsg {
				if !strings.Contains(m.Error(), want) {
					t.Errorf("message %q does not say %q", m.Error(), want)
				}
			}
		})
	}
}

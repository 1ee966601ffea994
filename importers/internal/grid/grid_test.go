package grid

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// indicators are the columns of the tests' indicator table.
var indicators = Columns{
	{Name: "指标", Labels: []string{"指标", "指标名称"}, Required: true},
	{Name: "数值", Labels: []string{"数值", "完成数"}, Required: true},
	{Name: "单位", Labels: []string{"单位"}},
	{Name: "备注", Labels: []string{"备注（说明）"}},
}

// budgets are the columns of the tests' budget table.
var budgets = Columns{
	{Name: "资金用途", Labels: []string{"资金用途"}, Required: true},
	{Name: "金额", Labels: []string{"金额"}, Required: true},
}

// row makes a row of one-column cells from texts.
func row(texts ...string) []Cell {
	cells := make([]Cell, len(texts))
	for i, t := range texts {
		cells[i] = Cell{Col: i, Span: 1, Text: t}
	}
	return cells
}

func TestFindHeader(t *testing.T) {
	t.Parallel()
	caption := []Cell{{Col: 0, Span: 3, Text: "表1 主要指标"}}
	tests := map[string]struct {
		rows     [][]Cell
		kinds    []Columns
		wantKind int
		wantRow  int
		wantOK   bool
	}{
		"first row":           {rows: [][]Cell{row("指标", "数值"), row("a", "1")}, kinds: []Columns{indicators}, wantOK: true},
		"below a caption":     {rows: [][]Cell{caption, row("指标名称", "完成数")}, kinds: []Columns{indicators}, wantRow: 1, wantOK: true},
		"label typed apart":   {rows: [][]Cell{row(" 指标 ", "数值")}, kinds: []Columns{indicators}, wantOK: true},
		"third row":           {rows: [][]Cell{caption, row(""), row("指标")}, kinds: []Columns{indicators}, wantRow: 2, wantOK: true},
		"too far down":        {rows: [][]Cell{caption, row(""), row(""), row("指标")}, kinds: []Columns{indicators}},
		"second kind":         {rows: [][]Cell{row("序号", "资金用途", "金额")}, kinds: []Columns{indicators, budgets}, wantKind: 1, wantOK: true},
		"first row wins":      {rows: [][]Cell{row("资金用途"), row("指标")}, kinds: []Columns{indicators, budgets}, wantKind: 1, wantOK: true},
		"only the first one":  {rows: [][]Cell{row("数值", "单位")}, kinds: []Columns{indicators}},
		"no kinds":            {rows: [][]Cell{row("指标")}},
		"a kind without cols": {rows: [][]Cell{row("指标")}, kinds: []Columns{nil, indicators}, wantKind: 1, wantOK: true},
		"no rows":             {kinds: []Columns{indicators}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kind, r, ok := FindHeader(tc.rows, tc.kinds...)
			if kind != tc.wantKind || r != tc.wantRow || ok != tc.wantOK {
				t.Errorf("FindHeader = %d, %d, %v; want %d, %d, %v", kind, r, ok, tc.wantKind, tc.wantRow, tc.wantOK)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header      []Cell
		wantMissing []string
		wantLabels  map[string]string // column name -> label as written
		wantRefs    map[string]string // column name -> cell reference
	}{
		"all columns": {
			header:     row("序号", "指标名称", "完成数", "单位", "备注(说明)"),
			wantLabels: map[string]string{"指标": "指标名称", "数值": "完成数", "单位": "单位", "备注": "备注(说明)"},
			wantRefs:   map[string]string{"指标": "table 2 row 4 cell 2", "数值": "table 2 row 4 cell 3", "单位": "table 2 row 4 cell 4", "备注": "table 2 row 4 cell 5"},
		},
		"optional columns missing": {
			header:     row("指标", "数值"),
			wantLabels: map[string]string{"指标": "指标", "数值": "数值", "单位": "单位", "备注": "备注"},
			wantRefs:   map[string]string{"指标": "table 2 row 4 cell 1", "数值": "table 2 row 4 cell 2", "单位": "table 2 row 4", "备注": "table 2 row 4"},
		},
		"required column missing": {
			header:      row("指标", "单位"),
			wantMissing: []string{"数值"},
			wantLabels:  map[string]string{"指标": "指标", "数值": "数值", "单位": "单位"},
		},
		"all required missing": {
			header:      row("序号"),
			wantMissing: []string{"指标", "数值"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, missing := indicators.Match(2, 2, tc.header)
			if diff := cmp.Diff(tc.wantMissing, missing); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
			if got := h.Ref(); got != "table 2 row 3" {
				t.Errorf("Ref() = %q, want table 2 row 3", got)
			}
			r := Row{Table: 2, Row: 4, Cells: tc.header, labels: h.labels}
			for col, want := range tc.wantLabels {
				if got := r.Label(col); got != want {
					t.Errorf("Label(%q) = %q, want %q", col, got, want)
				}
			}
			for col, want := range tc.wantRefs {
				if got := r.CellRef(col); got != want {
					t.Errorf("CellRef(%q) = %q, want %q", col, got, want)
				}
			}
		})
	}
}

func TestRows(t *testing.T) {
	t.Parallel()
	header := row("序号", "指标", "数值")
	tests := map[string]struct {
		rows     [][]Cell
		header   int   // the header's row index
		wantRows []int // row numbers read, from 1
		wantText []string
		wantDiag *sdk.Diagnostic
	}{
		"data rows": {
			rows:     [][]Cell{header, row("1", "联席会议", "6次"), row("2", "结对共建", "97家")},
			wantRows: []int{2, 3}, wantText: []string{"联席会议", "结对共建"},
		},
		"caption and note rows": {
			rows: [][]Cell{
				{{Col: 0, Span: 3, Text: "表1 主要指标"}}, header,
				{{Col: 0, Span: 3, Text: "一、组织建设"}}, row("1", "联席会议", "6次"),
				row("", "", ""), {{Col: 0, Span: 3, Text: "注：1. 为累计数。"}},
			},
			header:   1,
			wantRows: []int{4}, wantText: []string{"联席会议"},
		},
		"row without cells": {
			rows:     [][]Cell{header, nil, row("1", "联席会议", "6次")},
			wantRows: []int{3}, wantText: []string{"联席会议"},
		},
		"one cell of a narrower span": {
			rows:     [][]Cell{header, {{Col: 0, Span: 2, Text: "合计"}}},
			wantRows: []int{2}, wantText: []string{""},
		},
		"short row": {
			rows:     [][]Cell{header, row("1", "联席会议")},
			wantRows: []int{2}, wantText: []string{"联席会议"},
		},
		"shifted header": {
			rows: [][]Cell{header, row("1", "联席会议", "6次"), row("2", "结对共建", "97", "家")},
			wantDiag: &sdk.Diagnostic{Severity: sdk.SeverityError, Reference: "table 3 row 3 cell 4",
				Message: `"家" is in a column without a header label: the header (row 1: 序号 | 指标 | 数值) is shifted against the rows below; put 指标, 数值 above their columns. The table is not read`},
		},
		"empty cell under no label": {
			rows:     [][]Cell{header, row("1", "联席会议", "6次", "")},
			wantRows: []int{2}, wantText: []string{"联席会议"},
		},
		"no rows below": {rows: [][]Cell{header}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, missing := indicators.Match(3, tc.header, tc.rows[tc.header])
			if len(missing) > 0 {
				t.Fatalf("missing %v", missing)
			}
			rows, diag := h.Rows(tc.rows)
			if diff := cmp.Diff(tc.wantDiag, diag); diff != "" {
				t.Errorf("diagnostic (-want +got):\n%s", diff)
			}
			var nums []int
			var texts []string
			for _, r := range rows {
				nums = append(nums, r.Row)
				texts = append(texts, r.Text("指标"))
				if r.Table != 3 {
					t.Errorf("row %d is in table %d, want 3", r.Row, r.Table)
				}
			}
			if diff := cmp.Diff(tc.wantRows, nums); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantText, texts); diff != "" {
				t.Errorf("指标 (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHeaderSpans checks that a header cell spanning columns labels all
// of them, and that a row's cell is found by the grid column its label
// starts at.
func TestHeaderSpans(t *testing.T) {
	t.Parallel()
	header := []Cell{{Col: 0, Span: 2, Text: "指标"}, {Col: 2, Span: 1, Text: "数值"}}
	rows := [][]Cell{header, {{Col: 0, Span: 1, Text: "联席会议"}, {Col: 1, Span: 1, Text: "（累计）"}, {Col: 2, Span: 1, Text: "6次", Markers: []string{"1"}}}}
	h, _ := indicators.Match(1, 0, header)
	got, diag := h.Rows(rows)
	if diag != nil || len(got) != 1 {
		t.Fatalf("Rows = %v, %v; want one row", got, diag)
	}
	r := got[0]
	if diff := cmp.Diff(Cell{Col: 2, Span: 1, Text: "6次", Markers: []string{"1"}}, r.Cell("数值")); diff != "" {
		t.Errorf("Cell(数值) (-want +got):\n%s", diff)
	}
	if r.Text("指标") != "联席会议" || r.Text("单位") != "" || r.Text("没有") != "" {
		t.Errorf("Text(指标, 单位, 没有) = %q, %q, %q; want 联席会议 and empty", r.Text("指标"), r.Text("单位"), r.Text("没有"))
	}
	if got := r.Ref(); got != "table 1 row 2" {
		t.Errorf("Ref() = %q", got)
	}
	if got := r.CellRef("数值"); got != "table 1 row 2 cell 3" {
		t.Errorf("CellRef(数值) = %q", got)
	}
}

func TestIndicator(t *testing.T) {
	t.Parallel()
	metrics := vocabulary.NewMetrics(
		vocabulary.Metric{Code: "outcome.joint_meetings", Names: []string{"召开联席会议", "联席会议"}},
		vocabulary.Metric{Code: "org.paired_party_orgs", Names: []string{"结对共建党组织"}},
	)
	header := row("指标名称", "数值")
	tests := map[string]struct {
		name     string
		want     string // code
		wantDiag *sdk.Diagnostic
	}{
		"usual name": {name: "召开联席会议", want: "outcome.joint_meetings"},
		"other name": {name: " 联席会议 ", want: "outcome.joint_meetings"},
		"empty": {wantDiag: &sdk.Diagnostic{Severity: sdk.SeverityError, Reference: "table 1 row 2 cell 1", Field: "指标名称",
			Message: "the indicator's name is empty"}},
		"unknown": {name: "小区党组织覆盖率" + strings.Repeat("很", 30), wantDiag: &sdk.Diagnostic{Severity: sdk.SeverityError, Reference: "table 1 row 2 cell 1", Field: "指标名称",
			Message: `unknown indicator "小区党组织覆盖率` + strings.Repeat("很", 22) + `…": want one of 召开联席会议, 结对共建党组织`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, _ := indicators.Match(1, 0, header)
			rows, _ := h.Rows([][]Cell{header, row(tc.name, "6次")})
			if len(rows) != 1 {
				t.Fatalf("rows %v; want one", rows)
			}
			got, diag := rows[0].Indicator("指标", metrics)
			if got.Code != tc.want {
				t.Errorf("Indicator = %q, want %q", got.Code, tc.want)
			}
			if diff := cmp.Diff(tc.wantDiag, diag); diff != "" {
				t.Errorf("diagnostic (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCellAt(t *testing.T) {
	t.Parallel()
	r := []Cell{{Col: 0, Span: 2, Text: "a"}, {Col: 2, Span: 1, Text: "b"}}
	tests := map[string]struct {
		col    int
		want   string
		wantOK bool
	}{
		"first":          {col: 0, want: "a", wantOK: true},
		"after a span":   {col: 2, want: "b", wantOK: true},
		"inside a span":  {col: 1},
		"past the row":   {col: 3},
		"before the row": {col: -1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, ok := CellAt(r, tc.col)
			if c.Text != tc.want || ok != tc.wantOK {
				t.Errorf("CellAt(%d) = %q, %v; want %q, %v", tc.col, c.Text, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestRequired(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cols Columns
		want string
	}{
		"indicators": {indicators, "指标, 数值"},
		"budgets":    {budgets, "资金用途, 金额"},
		"none":       {Columns{{Name: "备注"}}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.cols.Required(); got != tc.want {
				t.Errorf("Required() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShortenAndRowText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("长", 31)
	tests := map[string]struct{ in, want string }{
		"short":             {"联席会议", "联席会议"},
		"white space":       {" 党员先锋区、\n 责任区 ", "党员先锋区、 责任区"},
		"thirty characters": {strings.Repeat("长", 30), strings.Repeat("长", 30)},
		"longer":            {long, strings.Repeat("长", 30) + "…"},
		"empty":             {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Shorten(tc.in); got != tc.want {
				t.Errorf("Shorten(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	if got, want := RowText(row("指标", "", long)), "指标 | (empty) | "+strings.Repeat("长", 30)+"…"; got != want {
		t.Errorf("RowText = %q, want %q", got, want)
	}
	if got := RowText(nil); got != "" {
		t.Errorf("RowText(nil) = %q, want \"\"", got)
	}
}

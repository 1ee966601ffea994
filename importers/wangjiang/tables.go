package main

import "github.com/countyhub/countyhub/importers/internal/grid"

// tableKind is a kind of table of the report: the indicators, the budget
// lines or the deliberation points.
type tableKind struct {
	what string
	// columns are the columns read; the first names the kind: a table
	// whose header has it is of this kind.
	columns grid.Columns
	// needsPeriod tells whether its records need the period of the
	// figures.
	needsPeriod bool
	read        func(r *reader, row grid.Row) error
}

// kinds are the tables a report holds, each found by its header.
var kinds = []tableKind{
	{
		what: "indicator",
		columns: grid.Columns{
			{Name: "指标", Labels: []string{"指标", "指标名称", "项目"}, Required: true},
			{Name: "数值", Labels: []string{"数值", "数量", "完成数"}, Required: true},
			{Name: "说明", Labels: []string{"说明", "备注"}},
			{Name: "序号", Labels: []string{"序号"}},
		},
		needsPeriod: true,
		read:        (*reader).indicatorRow,
	},
	{
		what: "budget",
		columns: grid.Columns{
			{Name: "资金用途", Labels: []string{"资金用途", "用途"}, Required: true},
			{Name: "年度", Labels: []string{"年度", "年份"}, Required: true},
			{Name: "金额", Labels: []string{"金额", "资金金额"}, Required: true},
			{Name: "状态", Labels: []string{"状态", "资金状态"}},
			{Name: "备注", Labels: []string{"备注", "说明"}},
			{Name: "序号", Labels: []string{"序号"}},
		},
		read: (*reader).budgetRow,
	},
	{
		what: "deliberation point",
		columns: grid.Columns{
			{Name: "议事平台", Labels: []string{"议事平台", "议事平台名称", "名称"}, Required: true},
			{Name: "类型", Labels: []string{"类型"}},
			{Name: "说明", Labels: []string{"说明", "备注"}},
			{Name: "序号", Labels: []string{"序号"}},
		},
		read: (*reader).spaceRow,
	},
}

// findHeader finds the header row of a table among its first rows: the
// first row with the identifying label of a kind.
func findHeader(t *docTable) (kind *tableKind, row int, ok bool) {
	columns := make([]grid.Columns, len(kinds))
	for k := range kinds {
		columns[k] = kinds[k].columns
	}
	k, row, ok := grid.FindHeader(t.rows, columns...)
	if !ok {
		return nil, 0, false
	}
	return &kinds[k], row, true
}

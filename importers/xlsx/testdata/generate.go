//go:build ignore

// Generate writes the input.xlsx workbooks of the xlsx importer's golden
// cases (and the one input that is not a workbook at all). Run it from the
// importer's directory:
//
//	go run testdata/generate.go
//
// The mappings and case.json files beside the inputs are written by hand.
package main

import (
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"
)

// cells sets the cells of a sheet from a map of cell names to values.
type cells map[string]any

// sheet is one worksheet to write.
type sheet struct {
	name   string
	cells  cells
	merges [][2]string
	styles map[string]*excelize.Style // cell -> number format and the like
}

func main() {
	log.SetFlags(0)
	budgets := budgetSheet(135, 2022)
	write("budgets-merged-header", budgets)
	write("shifted-header", budgets)
	write("missing-sheet", budgets)
	write("bad-mapping", budgets)
	broken := budgetSheet("待定", "去年")
	for cell, v := range (cells{"A5": 2, "B5": "小区党群服务站建设补助", "C5": "县财政", "D5": 2023, "F5": "20余", "G5": "计划", "H5": "是"}) {
		broken.cells[cell] = v
	}
	broken.cells["A6"], broken.cells["F6"] = "合计", "155"
	broken.merges = append(broken.merges[:len(broken.merges)-1], [2]string{"A6", "D6"})
	write("bad-cells", broken)
	write("stations-merged-rows", stationSheet())
	write("formatted-cells", formattedSheet())
	write("county-sheet", countySheet())
	if err := os.WriteFile(filepath.Join("testdata", "not-xlsx", "input.xlsx"), []byte("指标代码,期间,数值\ncoverage.property_service,2023,100%\n"), 0o644); err != nil {
		log.Fatal(err)
	}
}

// budgetSheet is Yuexi's station funds: a title row, a two-row header with
// 金额（万元） merged over 安排 and 拨付, one budget line, and a total row.
func budgetSheet(amount, year any) sheet {
	return sheet{
		name: "经费",
		cells: cells{
			"A1": "岳西县小区党群服务站经费（单位：万元）",
			"A2": "序号", "B2": "项目", "C2": "资金来源", "D2": "起始年度", "E2": "金额（万元）", "G2": "状态", "H2": "是否每年",
			"E3": "安排", "F3": "拨付",
			"A4": 1, "B4": "小区党群服务站服务费用", "C4": "县乡财政预算", "D4": year, "F4": amount, "G4": "已拨付", "H4": "否",
			"A5": "合计", "F5": amount,
		},
		merges: [][2]string{{"A1", "H1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "D3"}, {"E2", "F2"}, {"G2", "G3"}, {"H2", "H3"}, {"A5", "D5"}},
	}
}

// stationSheet lists stations of one community, its name merged down the
// rows, with opening dates as date cells.
func stationSheet() sheet {
	opened := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	return sheet{
		name: "服务站",
		cells: cells{
			"A1": "站点编号", "B1": "社区", "C1": "服务站名称", "D1": "状态", "E1": "功能室", "F1": "建成日期",
			"A2": "DG-001", "B2": "菱湖街道花园社区", "C2": "花园小区党群服务站", "D2": "运行中", "E2": "儿童活动室、阅览室、活动室、老年食堂", "F2": opened,
			"A3": "DG-002", "C3": "绿地小区党群服务站", "D3": "运行中", "E3": "儿童活动室、阅览室、活动室、老年食堂、红色书屋", "F3": opened.AddDate(0, 3, 6),
			"A4": "DG-003", "B4": "德宽路街道双井社区", "C4": "双井小区党群服务站", "D4": "升级中", "E4": "儿童活动室、阅览室、活动室、老年食堂", "F4": "2023年5月",
		},
		merges: [][2]string{{"B2", "B3"}},
		styles: map[string]*excelize.Style{"F2": {NumFmt: 14}, "F3": {NumFmt: 14}},
	}
}

// formattedSheet holds the city's rates as number cells formatted as
// percentages, and the report date as a date cell.
func formattedSheet() sheet {
	asOf := time.Date(2023, 8, 7, 0, 0, 0, 0, time.UTC)
	return sheet{
		name: "Sheet1",
		cells: cells{
			"A1": "指标代码", "B1": "期间", "C1": "数值", "D1": "截至",
			"A2": "coverage.property_service", "B2": 2023, "C2": 1, "D2": asOf,
			"A3": "coverage.owners_committee", "B3": 2023, "C3": 0.985, "D3": asOf,
		},
		styles: map[string]*excelize.Style{"C2": {NumFmt: 9}, "C3": {NumFmt: 10}, "D2": {NumFmt: 14}, "D3": {CustomNumFmt: ptr("yyyy\"年\"m\"月\"d\"日\"")}},
	}
}

// countySheet is a city-wide template filled in by Yuexi: the sheet named
// for the county, a unit column, and a row of Daguan's slipped in.
func countySheet() sheet {
	return sheet{
		name: "岳西县",
		cells: cells{
			"A1": "单位", "B1": "指标代码", "C1": "期间", "D1": "数值",
			"A2": "岳西县", "B2": "org.community_workers_recruited", "C2": 2023, "D2": 60,
			"A3": "城东社区", "B3": "outcome.problems_resolved", "C3": 2023, "D3": "300余件",
			"A4": "大观区", "B4": "org.volunteer_teams", "C4": 2023, "D4": 12,
		},
	}
}

func ptr[T any](v T) *T { return &v }

// write saves a workbook of one sheet as testdata/CASE/input.xlsx.
func write(dir string, s sheet) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", s.name); err != nil {
		log.Fatal(err)
	}
	for _, cell := range slices.Sorted(maps.Keys(s.cells)) {
		if err := f.SetCellValue(s.name, cell, s.cells[cell]); err != nil {
			log.Fatal(err)
		}
	}
	for _, m := range s.merges {
		if err := f.MergeCell(s.name, m[0], m[1]); err != nil {
			log.Fatal(err)
		}
	}
	for _, cell := range slices.Sorted(maps.Keys(s.styles)) {
		id, err := f.NewStyle(s.styles[cell])
		if err != nil {
			log.Fatal(err)
		}
		if err := f.SetCellStyle(s.name, cell, cell, id); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join("testdata", dir), 0o755); err != nil {
		log.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", dir, "input.xlsx"), buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

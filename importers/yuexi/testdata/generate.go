//go:build ignore

// Generate writes the golden-case inputs of the yuexi importer: the
// county's sample workbook on its template, and damaged variants of it.
// Run it from the importer's directory:
//
//	go run testdata/generate.go
package main

import (
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// col is a header column: its label and the merged group above it.
type col struct {
	label, group string
	width        float64
}

// table is one sheet of the workbook.
type table struct {
	name, title string
	cols        []col
	rows        [][]any
	notes       []string
	rowAbove    bool // a row inserted above the header (damage)
}

const asOf = "（截至2023年8月7日）"

func indicators() table {
	return table{
		name:  "指标",
		title: "岳西县“皖美红色物业”建设主要指标" + asOf,
		cols: []col{{"序号", "", 6}, {"指标名称", "", 30}, {"乡镇", "统计范围", 10}, {"社区", "统计范围", 12},
			{"数值", "数据", 10}, {"计量单位", "数据", 10}, {"备注", "", 36}},
		rows: [][]any{
			{1, "公开招聘社区工作者", "", "", 60, "人", "每人定向联系1-2个小区"},
			{2, "小区物业服务年度重点工作清单", "", "", 24, "条", "“五方联动”议事工作制度协商制定"},
			{3, "解决居民诉求、物业纠纷", "天堂镇", "城东社区", "300余", "件", "城东社区党委集中解决，今年以来"},
		},
	}
}

// communities of the county with the compounds that have a station; the
// first upgrading compounds of each are being upgraded (提档升级).
var communities = []struct {
	town, community string
	compounds       []string
	upgrading       int
}{
	{"天堂镇", "城东社区", []string{"城东新村", "天悦华府", "岳山花园", "东方明珠小区", "城东安置小区"}, 5},
	{"天堂镇", "城西社区", []string{"城西小区", "西苑名居", "衙前小区"}, 3},
	{"天堂镇", "城南社区", []string{"南湖花园", "城南新村", "建设路小区"}, 2},
	{"天堂镇", "天峡社区", []string{"天峡丽景", "峡谷人家小区"}, 0},
	{"天堂镇", "天悦社区", []string{"天悦小区", "悦山名邸", "锦绣天堂小区"}, 2},
	{"天堂镇", "梅河社区", []string{"梅河苑", "河畔春天小区", "水岸华庭"}, 2},
	{"天堂镇", "天仙社区", []string{"天仙河小区", "仙河湾小区"}, 0},
	{"天堂镇", "龙井社区", []string{"龙井苑", "龙湾小区"}, 0},
	{"温泉镇", "温泉社区", []string{"温泉新村", "汤池小区", "温泉花园"}, 0},
	{"店前镇", "店前社区", []string{"店前新街小区", "河西小区"}, 0},
	{"来榜镇", "来榜社区", []string{"来榜新村", "榜上小区"}, 0},
	{"菖蒲镇", "菖蒲社区", []string{"菖蒲小区", "水畈小区"}, 0},
	{"头陀镇", "头陀社区", []string{"头陀新村", "玉峰小区"}, 0},
	{"白帽镇", "白帽社区", []string{"白帽新村", "平沙小区"}, 0},
	{"响肠镇", "响肠社区", []string{"响肠小区", "请水寨小区"}, 0},
	{"河图镇", "河图社区", []string{"河图新村", "明堂小区"}, 0},
	{"五河镇", "五河社区", []string{"五河新村", "石佛小区"}, 0},
	{"主簿镇", "主簿社区", []string{"主簿小区"}, 0},
	{"冶溪镇", "冶溪社区", []string{"冶溪新村", "冶溪小区"}, 0},
	{"黄尾镇", "黄尾社区", []string{"黄尾小区"}, 0},
}

var places = []string{"1号楼一层", "南门物业用房", "活动中心", "北区会所"}

func stations() table {
	t := table{
		name:  "党群服务站",
		title: "岳西县小区党群服务站建设情况表" + asOf,
		cols: []col{{"序号", "", 6}, {"站点名称", "站点信息", 26}, {"所在乡镇", "站点信息", 10}, {"所在社区", "站点信息", 12}, {"地址", "站点信息", 28},
			{"有场所", "“六有”标准", 7}, {"有设施", "“六有”标准", 7}, {"有标志", "“六有”标准", 7},
			{"有党旗", "“六有”标准", 7}, {"有书报", "“六有”标准", 7}, {"有制度", "“六有”标准", 7},
			{"功能室", "", 16}, {"建设状态", "", 10}, {"备注", "", 20}},
		notes: []string{"注：“六有”即有场所、有设施、有标志、有党旗、有书报、有制度，按“一室多用、开放共享”要求建设。"},
	}
	n := 0
	for _, c := range communities {
		for i, compound := range c.compounds {
			n++
			status, note := "已建成", ""
			if i < c.upgrading {
				status, note = "提档升级", "打造“样板间”"
			}
			t.rows = append(t.rows, []any{n, compound + "党群服务站", c.town, c.community, c.town + compound + places[n%len(places)],
				"√", "√", "√", "√", "√", "√", "活动室、阅览室", status, note})
		}
	}
	return t
}

func pilots() table {
	return table{
		name:  "试点",
		title: "岳西县“国企兜底、先尝后买”物业服务试点情况表" + asOf,
		cols: []col{{"序号", "", 6}, {"试点名称", "", 20}, {"牵头单位", "", 12},
			{"乡镇", "覆盖范围", 10}, {"社区", "覆盖范围", 10}, {"小区数（个）", "覆盖范围", 10}, {"户数（户）", "覆盖范围", 10},
			{"阶段", "推进情况", 10}, {"付费户数（户）", "推进情况", 12}, {"启动时间", "推进情况", 10}, {"备注", "", 48}},
		rows: [][]any{
			{1, "国企兜底、先尝后买", "盛岳集团", "", "", "", "", "体验服务", "", "",
				"县属国企牵头，面向无物业管理的老旧小区，通过“体验服务”逐步引导居民“购买服务”"},
		},
	}
}

func budgets() table {
	return table{
		name:  "经费",
		title: "岳西县小区党群服务站经费保障情况表" + asOf,
		cols: []col{{"序号", "", 6}, {"经费用途", "", 28}, {"资金来源", "", 16}, {"起始年度", "", 10},
			{"预算安排", "金额（万元）", 10}, {"已拨付", "金额（万元）", 10}, {"是否每年安排", "", 12}, {"备注", "", 24}},
		rows: [][]any{
			{1, "小区党群服务工作站服务费用", "县乡两级财政", 2022, "", 135, "否", "2022年以来累计拨付"},
		},
	}
}

func main() {
	sample := []table{indicators(), stations(), pilots(), budgets()}
	write("sample", sample)

	// A row inserted above the stations' header.
	shifted := clone(sample)
	shifted[1].rowAbove = true
	write("shifted-header", shifted)

	// A column inserted into the budget sheet, a header cell renamed in
	// the pilot sheet.
	inserted := clone(sample)
	inserted[3] = insertColumn(inserted[3], 2, col{"经办单位", "", 14}, "县财政局")
	inserted[2].cols[2].label = "运营单位"
	write("inserted-column", inserted)

	write("bad-cells", badCells(clone(sample)))

	missing := clone(sample)[:3]
	write("missing-sheet", missing)

	writeFile("not-xlsx", []byte("序号,指标名称,数值\r\n1,公开招聘社区工作者,60\r\n"))

	// The sample relabelled as Qianshan's (潜山市): a Yuexi import refuses
	// it by the titles of its sheets.
	qianshan := clone(sample)
	for i := range qianshan {
		qianshan[i].title = strings.Replace(qianshan[i].title, "岳西县", "潜山市", 1)
	}
	write("neighbour-title", qianshan)
}

// badCells puts typical faults into the cells of the sample.
func badCells(book []table) []table {
	book[0].rows[0][4] = "待统计"   // text in a number cell
	book[0].rows[1][1] = "小区覆盖率" // unknown indicator
	st := book[1].rows[:8]
	st[0][6] = "部分"                         // not a mark
	st[1][5] = ""                           // a have not met: the station is below standard
	st[2][11] = "活动室、健身房"                   // unknown facility: a warning
	st[3][12] = "暂停"                        // unknown status
	st[4][1] = ""                           // no name
	st[5][1], st[5][3] = st[6][1], st[6][3] // the same station twice
	st[7][2] = "温泉镇"                        // a community of 天堂镇 put in another town
	book[1].rows = st
	book[2].rows[0][5] = "若干"                                                              // text in a count cell
	book[3].rows[0][5] = "见附件"                                                             // text in an amount cell
	book[3].rows = append(book[3].rows, []any{2, "以奖代补资金", "县级财政", "今年", 20, "", "是", ""}) // not a year
	return book
}

func insertColumn(t table, at int, c col, value any) table {
	t.cols = slices.Insert(slices.Clone(t.cols), at, c)
	for i, r := range t.rows {
		t.rows[i] = slices.Insert(slices.Clone(r), at, value)
	}
	return t
}

func clone(book []table) []table {
	out := make([]table, len(book))
	for i, t := range book {
		t.cols = slices.Clone(t.cols)
		rows := make([][]any, len(t.rows))
		for j, r := range t.rows {
			rows[j] = slices.Clone(r)
		}
		t.rows = rows
		out[i] = t
	}
	return out
}

func write(name string, book []table) {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range book {
		if i == 0 {
			must(f.SetSheetName("Sheet1", t.name))
		} else {
			_, err := f.NewSheet(t.name)
			must(err)
		}
		writeTable(f, t)
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	must(err)
	writeFile(name, buf.Bytes())
}

// writeTable lays a table out on the template: the title merged over row
// 1, the two-row header with its merged cells, the data, the notes.
func writeTable(f *excelize.File, t table) {
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	must(err)
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "宋体"}, Border: border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	must(err)
	bodyStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体"}, Border: border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	must(err)

	s := t.name
	last := len(t.cols)
	top := 2
	if t.rowAbove {
		top = 3
	}
	must(f.SetCellValue(s, cell(1, 1), t.title))
	must(f.MergeCell(s, cell(1, 1), cell(last, 1)))
	must(f.SetCellStyle(s, cell(1, 1), cell(last, 1), titleStyle))
	must(f.SetRowHeight(s, 1, 28))
	for i := 0; i < len(t.cols); {
		c := t.cols[i]
		if c.group == "" {
			must(f.SetCellValue(s, cell(i+1, top), c.label))
			must(f.MergeCell(s, cell(i+1, top), cell(i+1, top+1)))
			i++
			continue
		}
		j := i
		for j < len(t.cols) && t.cols[j].group == c.group {
			must(f.SetCellValue(s, cell(j+1, top+1), t.cols[j].label))
			j++
		}
		must(f.SetCellValue(s, cell(i+1, top), c.group))
		must(f.MergeCell(s, cell(i+1, top), cell(j, top)))
		i = j
	}
	must(f.SetCellStyle(s, cell(1, top), cell(last, top+1), headStyle))
	for i, c := range t.cols {
		name, err := excelize.ColumnNumberToName(i + 1)
		must(err)
		must(f.SetColWidth(s, name, name, c.width))
	}
	for i, r := range t.rows {
		must(f.SetSheetRow(s, cell(1, top+2+i), &r))
	}
	if len(t.rows) > 0 {
		must(f.SetCellStyle(s, cell(1, top+2), cell(last, top+1+len(t.rows)), bodyStyle))
	}
	for i, n := range t.notes {
		row := top + 2 + len(t.rows) + i
		must(f.SetCellValue(s, cell(1, row), n))
		must(f.MergeCell(s, cell(1, row), cell(last, row)))
	}
	must(f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: top + 1, TopLeftCell: cell(1, top+2), ActivePane: "bottomLeft"}))
}

func cell(c, r int) string {
	name, err := excelize.CoordinatesToCellName(c, r)
	must(err)
	return name
}

func writeFile(name string, data []byte) {
	dir := filepath.Join("testdata", name)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "input.xlsx"), data, 0o644))
	must(os.WriteFile(filepath.Join(dir, "case.json"), []byte(`{"unit": "340828", "options": {"as_of": "2023-08-07"}}`+"\n"), 0o644))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

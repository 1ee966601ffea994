package mapping

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
)

// recorder keeps what a table emits.
type recorder struct {
	records []records.Record
	diags   []records.Diagnostic
}

func (r *recorder) Emit(rec records.Record) error       { r.records = append(r.records, rec); return nil }
func (r *recorder) Diagnose(d records.Diagnostic) error { r.diags = append(r.diags, d); return nil }

// cellRef names cells as a spreadsheet does, in row 7.
func cellRef(col int) string { return fmt.Sprintf("S!%c7", 'A'+col) }

func mustParse(t *testing.T, text string) *Mapping {
	t.Helper()
	m, diags := Parse(text, XLSX)
	if len(diags) > 0 {
		t.Fatalf("Parse: %v", diags)
	}
	return m
}

func TestHeaderTexts(t *testing.T) {
	t.Parallel()
	h := Header{Rows: [][]string{
		{"序号", "项目", "金额（万元）", "金额（万元）", "备注"},
		{"序号", "项目", "安排", "拨付 ", "", "多出"},
		{"", "  ", "", "", "说明\n文字"},
	}}
	want := []string{"序号", "项目", "金额（万元）/安排", "金额（万元）/拨付", "备注/说明 文字", "多出"}
	if diff := cmp.Diff(want, h.Texts()); diff != "" {
		t.Errorf("Texts (-want +got):\n%s", diff)
	}
}

func TestBind(t *testing.T) {
	t.Parallel()
	m := mustParse(t, "dataset: observations\ncolumns:\n  指标: metric\n  期间: period\n  数值（%）: value\n")
	header := func(cells ...string) Header { return Header{Rows: [][]string{cells}, Where: "S!A1:D1"} }

	if _, diags := m.Bind(header("指标", "期间", "数值 (%)"), "340800"); len(diags) > 0 {
		t.Errorf("full-width and spaces should not matter: %v", diags)
	}
	_, diags := m.Bind(header("指标", "年份", "数值"), "340800")
	checkDiagnostics(t, diags, []string{
		`S!A1:D1: the mapping (line 4) maps the column "期间" to period, but the header at S!A1:D1 has no such column; it has "指标", "年份", "数值"`,
		`S!A1:D1: the mapping (line 5) maps the column "数值（%）" to value`,
	})
	_, diags = m.Bind(header("指标", "期间", "数值（%）", "期间"), "340800")
	checkDiagnostics(t, diags, []string{`S!A1:D1: the header at S!A1:D1 has the column "期间" 2 times (columns 2 and 4)`})
	_, diags = m.Bind(header(), "340800")
	checkDiagnostics(t, diags, []string{"S!A1:D1", "S!A1:D1", "S!A1:D1"})
	if !strings.Contains(diags[0].Message, "it has no header texts at all (check skip_rows and header_rows)") {
		t.Errorf("empty header: %s", diags[0].Message)
	}
}

func TestRows(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		mapping string
		asOf    string
		unit    string     // the import's unit; default 340800
		rows    [][]string // the first row is the header
		want    []records.Record
		diags   []string
	}{
		"money in 万元": {
			mapping: "dataset: budgets\nmoney_scale: 10000\ncolumns: {项目: purpose, 年度: year, 金额: amount, 状态: status, 每年: recurring}\nkey_from: [year, purpose]\n",
			rows: [][]string{
				{"项目", "年度", "金额", "状态", "每年"},
				{"服务费用", "2022年", "135", "已拨付", "否"},
				{"奖补", "2023", "100万元", "已安排", "是"},
				{"牌匾", "2023", "6万余元", "", ""},
				{"补助", "2023", "0.7", "计划", "√"},
				{"巨款", "2023", "1" + strings.Repeat("0", 305), "计划", "否"},
			},
			want: []records.Record{
				{Reference: "S!C7", Budget: &records.Budget{Key: "2022/服务费用", Year: 2022, Purpose: "服务费用", Amount: model.Quantity{Value: 1350000, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "135"}, Status: model.BudgetDisbursed}},
				{Reference: "S!C7", Budget: &records.Budget{Key: "2023/奖补", Year: 2023, Purpose: "奖补", Amount: model.Quantity{Value: 1000000, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "100万元"}, Status: model.BudgetAllocated, Recurring: true}},
				{Reference: "S!C7", Budget: &records.Budget{Key: "2023/牌匾", Year: 2023, Purpose: "牌匾", Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"}}},
				{Reference: "S!C7", Budget: &records.Budget{Key: "2023/补助", Year: 2023, Purpose: "补助", Amount: model.Quantity{Value: 7000, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "0.7"}, Status: model.BudgetPlanned, Recurring: true}},
			},
			diags: []string{`ERROR S!C7 (amount): quantity "1000`},
		},
		"places, values and the as_of option": {
			mapping: "dataset: observations\ncolumns: {镇: town, 社区: community, 指标: metric, 期间: period, 数值: value}\nvalues:\n  metric: {解决问题: outcome.problems_resolved}\n",
			asOf:    "2023-08-07",
			rows: [][]string{
				{"镇", "社区", "指标", "期间", "数值"},
				{"天堂镇", "城东社区", "解决问题", "2023年", "300余件"},
				{"天堂镇", "城西社区", "解决问题", "2023", "12"},
				{"", "", "plan.key_tasks", "2023", "24"},
			},
			want: []records.Record{
				{Reference: "S!A7", Unit: &records.Unit{Name: "天堂镇", Level: model.LevelTown}},
				{Reference: "S!B7", Unit: &records.Unit{Name: "城东社区", Level: model.LevelCommunity, Parent: "天堂镇"}},
				{Reference: "S!E7", Observation: &records.Observation{Metric: "outcome.problems_resolved", Unit: "城东社区", Period: "2023", AsOf: "2023-08-07", Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}}},
				{Reference: "S!B7", Unit: &records.Unit{Name: "城西社区", Level: model.LevelCommunity, Parent: "天堂镇"}},
				{Reference: "S!E7", Observation: &records.Observation{Metric: "outcome.problems_resolved", Unit: "城西社区", Period: "2023", AsOf: "2023-08-07", Value: model.Quantity{Value: 12, Qualifier: model.Exact, Unit: model.UnitCount, Text: "12"}}},
				{Reference: "S!E7", Observation: &records.Observation{Metric: "plan.key_tasks", Period: "2023", AsOf: "2023-08-07", Value: model.Quantity{Value: 24, Qualifier: model.Exact, Unit: model.UnitCount, Text: "24"}}},
			},
		},
		"pilots with counts and a constant": {
			mapping: "dataset: pilots\ncolumns: {名称: name, 阶段: phase, 小区数: compounds, 户数: households, 付费户数: payingHouseholds, 启动: started}\nconstants: {operator: 盛岳集团}\nkey_from: [name]\nvalues:\n  phase: {先尝后买: TRIAL}\n",
			rows: [][]string{
				{"名称", "阶段", "小区数", "户数", "付费户数", "启动"},
				{"老旧小区兜底服务", "先尝后买", "3个", "一百二十户", "", "2023年3月"},
				{"试点二", "付费", "约3个", "120", "130", "2023"},
			},
			want: []records.Record{
				{Reference: "S!A7", Pilot: &records.Pilot{Key: "老旧小区兜底服务", Name: "老旧小区兜底服务", Operator: "盛岳集团", Phase: model.PilotTrial, Compounds: ptr(3), Households: ptr(120), Started: "2023-03"}},
			},
			diags: []string{`ERROR S!C7 (compounds): "约3个" is not an exact whole number`},
		},
		"bad cells, skipped rows": {
			mapping: "dataset: stations\ncolumns: {编号: key, 名称: name, 状态: status, 达标: meetsStandard, 建成: opened, 功能室: facilities}\nskip_rows_starting_with: [合计, 注]\n",
			rows: [][]string{
				{"编号", "名称", "状态", "达标", "建成", "功能室"},
				{"S1", "一号站", "开放", "大概", "2023年13月", "阅览室、党员之家、reading_room"},
				{"", "二号站", "", "", "", ""},
				{"  ", ""},
				{"合计", "2个"},
				{"注：数据截至8月", ""},
				{"S3", "三号站\xff", "", "", "", ""},
				{"S4", "四号站", "closed", "Y", "", "activity_room；party_room、党员之家"},
			},
			want: []records.Record{
				{Reference: "S!A7", Station: &records.Station{Key: "S4", Name: "四号站", Status: model.StationClosed, MeetsStandard: ptr(true),
					Facilities: []model.Facility{{Code: "activity_room", Name: "活动室"}, {Code: "party_room"}, {Name: "党员之家"}}}},
			},
			diags: []string{
				`ERROR S!C7 (status): "开放" is not a known status`,
				`ERROR S!D7 (meetsStandard): "大概" is neither yes nor no`,
				`ERROR S!E7 (opened): date "2023年13月": month 13 out of range`,
				`ERROR S!A7 (key): key is empty`,
				`ERROR S!B7: the cell is not valid text`,
				`WARNING S!F7 (facilities): facility "党员之家" has no code`,
			},
		},
		"rows for another county": {
			mapping: "dataset: observations\ncolumns: {县区: county, 单位: unit, 指标: metric, 期间: period, 数值: value}\n",
			unit:    "340828",
			rows: [][]string{
				{"县区", "单位", "指标", "期间", "数值"},
				{"岳西县", "", "plan.key_tasks", "2023", "24"},
				{"340828", "城东社区", "outcome.problems_resolved", "2023", "300余件"},
				{"潜山市", "", "plan.key_tasks", "2023", "19"},
				{"", "大观区", "plan.key_tasks", "2023", "7"},
				{"", "340881001001", "plan.key_tasks", "2023", "7"},
			},
			want: []records.Record{
				{Reference: "S!E7", Observation: &records.Observation{Metric: "plan.key_tasks", Period: "2023", Value: model.Quantity{Value: 24, Qualifier: model.Exact, Unit: model.UnitCount, Text: "24"}}},
				{Reference: "S!E7", Observation: &records.Observation{Metric: "outcome.problems_resolved", Unit: "城东社区", Period: "2023", Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}}},
			},
			diags: []string{
				`ERROR S!A7 (county): "潜山市" names 潜山市 (340882), another county: this import is for 岳西县 (340828)`,
				`ERROR S!B7 (unit): "大观区" names 大观区 (340803), another county: this import is for 岳西县 (340828)`,
				`ERROR S!B7 (unit): "340881001001" names 桐城市 (340881), another county: this import is for 岳西县 (340828)`,
			},
		},
		"units of another county": {
			mapping: "dataset: units\ncolumns: {代码: code, 名称: name, 层级: level, 上级: parent}\n",
			unit:    "340828",
			rows: [][]string{
				{"代码", "名称", "层级", "上级"},
				{"340828100", "天堂镇", "镇", "岳西县"},
				{"340881001", "文昌街道", "街道", ""},
				{"", "城东社区", "社区", "潜山市"},
			},
			want: []records.Record{
				{Reference: "S!B7", Unit: &records.Unit{Code: "340828100", Name: "天堂镇", Level: model.LevelTown, Parent: "岳西县"}},
			},
			diags: []string{
				`ERROR S!A7 (code): "340881001" names 桐城市 (340881), another county`,
				`ERROR S!D7 (parent): "潜山市" names 潜山市 (340882), another county`,
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := mustParse(t, tc.mapping)
			m.asOf = tc.asOf
			unit := tc.unit
			if unit == "" {
				unit = "340800"
			}
			table, diags := m.Bind(Header{Rows: tc.rows[:1], Where: "S!A1"}, unit)
			if len(diags) > 0 {
				t.Fatalf("Bind: %v", diags)
			}
			var out recorder
			for _, row := range tc.rows[1:] {
				if err := table.Row(row, cellRef, &out); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.want, out.records); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if len(out.diags) != len(tc.diags) {
				t.Errorf("got %d diagnostics, want %d: %v", len(out.diags), len(tc.diags), out.diags)
			}
			for i, d := range out.diags {
				if i < len(tc.diags) && !strings.HasPrefix(d.String(), tc.diags[i]) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s…", i, d, tc.diags[i])
				}
			}
		})
	}
}

// TestTheTableIsForTheImportsCounty checks the title and the constants
// of a mapping that name the unit the table is for.
func TestTheTableIsForTheImportsCounty(t *testing.T) {
	t.Parallel()
	const stations = "dataset: stations\nskip_rows: 1\ntitle_row: 1\ncolumns: {编号: key, 名称: name}\n"
	tests := map[string]struct {
		mapping, unit string
		title         []string
		want          string // the diagnostic of the title or of Bind; "" for none
	}{
		"its own title":         {mapping: stations, unit: "340828", title: []string{"岳西县小区党群服务站台账", ""}},
		"a title naming no one": {mapping: stations, unit: "340828", title: []string{"", "小区党群服务站台账"}},
		"another county's title": {mapping: stations, unit: "340803", title: []string{"", "岳西县小区党群服务站台账", "（截至2023年8月）"},
			want: `ERROR line 1: "岳西县小区党群服务站台账 （截至2023年8月）" names 岳西县 (340828), another county: this import is for 大观区 (340803)`},
		"its own county as a constant": {mapping: stations + "constants: {county: 岳西县}\n", unit: "340828"},
		"another county as a constant": {mapping: stations + "constants: {county: 岳西县}\n", unit: "340882",
			want: `ERROR mapping line 5 (county): "岳西县" names 岳西县 (340828), another county: this import is for 潜山市 (340882)`},
		"another unit as a constant": {mapping: stations + "constants:\n  unit: 340803\n", unit: "340800",
			want: `ERROR mapping line 6 (unit): "340803" names 大观区 (340803), a county: this import is for 安庆市 (340800)`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := mustParse(t, tc.mapping)
			var got []string
			if d := m.CheckTitle(tc.unit, fmt.Sprintf("line %d", m.TitleRow), tc.title); d != nil {
				got = append(got, d.String())
			}
			if _, diags := m.Bind(Header{Rows: [][]string{{"编号", "名称"}}, Where: "line 2"}, tc.unit); len(diags) > 0 {
				got = append(got, diags[0].String())
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("diagnostics %q; want none", got)
			case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
				t.Errorf("diagnostics %q; want %q", got, tc.want)
			}
		})
	}
}

func TestFinish(t *testing.T) {
	t.Parallel()
	m := mustParse(t, cityMapping)
	table, _ := m.Bind(Header{Rows: [][]string{{"指标代码", "期间", "数值"}}}, "340800")
	var out recorder
	if err := table.Finish("file", &out); err != nil || len(out.diags) != 1 || out.diags[0].Severity != records.Warning {
		t.Errorf("Finish without rows: %v, %v", out.diags, err)
	}
}

func ptr[T any](v T) *T { return &v }

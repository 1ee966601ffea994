package mapping

import (
	"strings"
	"testing"

	"github.com/countyhub/countyhub/plugins/records"
)

const cityMapping = `dataset: observations
skip_rows: 1
columns:
  指标代码: metric
  期间: period
  数值: value
constants:
  as_of: 2023-08-07
`

func TestParse(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		format Format
		text   string
		// want are parts of the diagnostics, one per diagnostic, in order:
		// "REF: message part".
		want []string
	}{
		"city": {format: CSV, text: cityMapping},
		"every key, csv": {format: CSV, text: `dataset: budgets
encoding: GB2312
delimiter: tab
skip_rows: 2
header_rows: 2
skip_rows_starting_with: 合计
value_unit: cny
money_scale: 10000
columns:
  项目: purpose
  年度: year
  金额（万元）/拨付: amount
  状态: status
values:
  status:
    已到位: DISBURSED
constants:
  recurring: 是
key_from: [year, purpose]
`},
		"aliases": {format: XLSX, text: `dataset: pilots
sheet: 试点
columns: {名称: name, 运营: operator, 阶段: phase, 付费户数: paying_households}
constants: {key: P1}
`},
		"not yaml":      {format: CSV, text: "dataset: [observations\n", want: []string{"mapping line 1: not valid YAML: line 1: did not find expected"}},
		"not a mapping": {format: CSV, text: "- dataset\n", want: []string{"mapping line 1: want a YAML mapping"}},
		"empty":         {format: CSV, text: "# nothing\n", want: []string{"mapping: want a YAML mapping"}},
		"no dataset": {format: CSV, text: "columns: {数值: value}\n", want: []string{
			"mapping line 1: no dataset: say which dataset the table holds (dataset: units, stations, spaces, pilots, budgets, observations)"}},
		"unknown dataset": {format: CSV, text: "dataset: figures\ncolumns: {数值: value}\n", want: []string{
			`mapping line 1: dataset "figures": want one of units`}},
		"no columns": {format: CSV, text: "dataset: observations\n", want: []string{
			"mapping: no columns",
			"mapping: observations records need the field metric",
			"mapping: observations records need the field period",
			"mapping: observations records need the field value"}},
		"unknown key and other format": {format: XLSX, text: "dataset: observations\nencoding: gbk\nheader: 2\n" + "columns: {a: metric, b: period, c: value}\n", want: []string{
			"mapping line 2: encoding is a key of csv mappings; this is the xlsx importer",
			`mapping line 3: unknown key "header" (the keys are dataset, sheet, skip_rows`}},
		"twice": {format: CSV, text: "dataset: observations\ndataset: units\ncolumns: {a: metric, b: period, c: value}\n", want: []string{
			"mapping line 2: dataset is given twice (first at line 1)"}},
		"bad numbers": {format: CSV, text: "dataset: observations\nskip_rows: -1\nheader_rows: 0\nmoney_scale: lots\ncolumns: {a: metric, b: period, c: value}\n", want: []string{
			"mapping line 2: skip_rows: want a whole number from 0 to 1000",
			"mapping line 3: header_rows: want a whole number from 1 to 10",
			`mapping line 4: money_scale "lots"`}},
		"title row": {format: CSV, text: "dataset: observations\nskip_rows: 2\ntitle_row: 2\ncolumns: {a: metric, b: period, c: value, d: county}\n"},
		"title row below the title rows": {format: XLSX, text: "dataset: observations\nskip_rows: 1\ntitle_row: 2\ncolumns: {a: metric, b: period, c: value}\n", want: []string{
			"mapping line 3: title_row 2: the title is one of the rows above the header, and skip_rows is 1"}},
		"title row without title rows": {format: CSV, text: "dataset: observations\ntitle_row: 0\ncolumns: {a: metric, b: period, c: value}\n", want: []string{
			"mapping line 2: title_row: want a whole number from 1 to 1000"}},
		"bad encoding and delimiter": {format: CSV, text: "dataset: observations\nencoding: big5\ndelimiter: ';;'\ncolumns: {a: metric, b: period, c: value}\n", want: []string{
			`mapping line 2: encoding "big5": want utf-8, gbk or gb18030`,
			`mapping line 3: delimiter ";;": want one character`}},
		"unknown field": {format: CSV, text: "dataset: stations\ncolumns:\n  编号: key\n  名称: title\n", want: []string{
			`mapping line 4: column "名称": unknown field "title" for stations (the fields are key, name, unit, address, status`,
			"mapping line 2: stations records need the field name"}},
		"column twice": {format: CSV, text: "dataset: observations\ncolumns:\n  数值: value\n  数 值: metric\n  期间: period\n", want: []string{
			`mapping line 4: column "数 值" is mapped twice (first at line 3)`,
			"mapping line 2: observations records need the field metric"}},
		"field twice": {format: CSV, text: "dataset: observations\ncolumns:\n  数值: value\n  数字: value\n  a: metric\n  b: period\n", want: []string{
			`mapping line 4: column "数字": field value already has a column (line 3)`}},
		"constant and column": {format: CSV, text: "dataset: observations\ncolumns: {a: metric, b: period, c: value}\nconstants: {period: 2023}\n", want: []string{
			"mapping line 3: constant period: the field already has a column"}},
		"bad constants": {format: CSV, text: "dataset: stations\ncolumns: {a: key, b: name}\nconstants:\n  status: 开放\n  opened: 去年\n  meetsStandard: 基本\n", want: []string{
			`mapping line 4: constant status: "开放" is not a known status (want CLOSED (停用`,
			`mapping line 5: constant opened: date "去年"`,
			`mapping line 6: constant meetsStandard: "基本" is neither yes nor no`}},
		"bad values": {format: CSV, text: "dataset: stations\ncolumns: {a: key, b: name, c: facilities}\nvalues:\n  facilities: {党员活动室: 党员活动室}\n  colour: {红: red}\n", want: []string{
			`mapping line 4: values: facilities: 党员活动室: "党员活动室" is not a facility code`,
			`mapping line 5: values: unknown field "colour" for stations`}},
		"key two ways": {format: CSV, text: "dataset: spaces\ncolumns: {a: key, b: name, c: kind}\nkey_from: [name]\n", want: []string{
			"mapping line 3: key_from: the key already has a column or a constant"}},
		"key_from not for observations": {format: CSV, text: "dataset: observations\ncolumns: {a: metric, b: period, c: value}\nkey_from: [metric]\n", want: []string{
			"mapping line 3: key_from is for stations, spaces, pilots and budgets, not observations"}},
		"unit and places": {format: CSV, text: "dataset: stations\ncolumns: {a: key, b: name, c: unit, d: community}\n", want: []string{
			"mapping line 2: give the unit either as unit or as town, community and compound, not both"}},
		"value_unit of stations": {format: CSV, text: "dataset: stations\nvalue_unit: COUNT\ncolumns: {a: key, b: name}\n", want: []string{
			"mapping line 2: value_unit is for observations and budgets, not stations"}},
		"budgets in percent": {format: CSV, text: "dataset: budgets\nvalue_unit: PERCENT\ncolumns: {a: key, b: year, c: purpose, d: amount}\n", want: []string{
			"mapping line 2: value_unit PERCENT: budget amounts are in CNY"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, diags := Parse(tc.text, tc.format)
			checkDiagnostics(t, diags, tc.want)
			if (m == nil) != (len(tc.want) > 0) {
				t.Errorf("Parse gave mapping %v with %d diagnostics", m != nil, len(diags))
			}
		})
	}
}

func checkDiagnostics(t *testing.T, diags []records.Diagnostic, want []string) {
	t.Helper()
	if len(diags) != len(want) {
		t.Errorf("got %d diagnostics, want %d:", len(diags), len(want))
	}
	for i, d := range diags {
		got := d.Reference + ": " + d.Message
		if d.Severity != records.Error {
			t.Errorf("diagnostic %d: severity %s", i, d.Severity)
		}
		if i >= len(want) || !strings.HasPrefix(got, want[i]) {
			w := ""
			if i < len(want) {
				w = want[i]
			}
			t.Errorf("diagnostic %d:\n got %s\nwant %s…", i, got, w)
		}
	}
}

func TestFromOptions(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		options  map[string]string
		want     []string
		wantAsOf string
	}{
		"mapping":            {options: map[string]string{"mapping": cityMapping}},
		"as_of":              {options: map[string]string{"mapping": cityMapping, "as_of": "2023年8月7日"}, wantAsOf: "2023-08-07"},
		"no mapping":         {options: nil, want: []string{"option mapping: no mapping: give the mapping file's text as the option mapping"}},
		"blank mapping":      {options: map[string]string{"mapping": " \n"}, want: []string{"option mapping: no mapping"}},
		"bad as_of":          {options: map[string]string{"mapping": cityMapping, "as_of": "August"}, want: []string{`option as_of: date "August": no year`}},
		"bad mapping, as_of": {options: map[string]string{"mapping": "dataset: x", "as_of": "x"}, want: []string{`mapping line 1: dataset "x"`, `option as_of: date "x"`}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, diags := FromOptions(tc.options, CSV)
			checkDiagnostics(t, diags, tc.want)
			if m != nil && m.asOf != tc.wantAsOf {
				t.Errorf("as_of = %q, want %q", m.asOf, tc.wantAsOf)
			}
		})
	}
}

// FuzzParse checks that no mapping text makes Parse panic, and that a
// mapping is either usable or refused with located diagnostics.
func FuzzParse(f *testing.F) {
	f.Add(cityMapping)
	f.Add("dataset: stations\ncolumns: {a: key, b: name, c: facilities}\nvalues: {facilities: {x: y}}\nkey_from: [a]\n")
	f.Add("dataset: budgets\nmoney_scale: 1e4\ncolumns: {a: year, b: purpose, c: amount}\nkey_from: [year, purpose]\n")
	f.Add("&a [*a]")
	f.Fuzz(func(t *testing.T, text string) {
		m, diags := Parse(text, CSV)
		if (m == nil) == (len(diags) == 0) {
			t.Fatalf("Parse(%q): mapping %v with %d diagnostics", text, m != nil, len(diags))
		}
		for _, d := range diags {
			if !strings.HasPrefix(d.Reference, "mapping") || d.Message == "" {
				t.Errorf("Parse(%q): diagnostic %+v", text, d)
			}
		}
	})
}

package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/countyhub/countyhub/importers/internal/grid"
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
	"github.com/countyhub/countyhub/refdata"
)

// parseTable lays out the first table of an HTML fragment.
func parseTable(t *testing.T, src string) *htmlTable {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><body>" + src + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) == 0 {
		t.Fatal("no table")
	}
	return layout(ts[0])
}

func TestReadCell(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cell    string
		text    string
		markers []string
	}{
		"entities":           {cell: "&nbsp;97&#23478;&nbsp;", text: "97家"},
		"nested tags":        {cell: `<span><b>2600</b>余名</span>`, text: "2600余名"},
		"br":                 {cell: "党员先锋区、<br>责任区", text: "党员先锋区、\n责任区"},
		"white space":        {cell: "\n   近 \t 3000人\n ", text: "近 3000人"},
		"sup marker":         {cell: "3次<sup>*</sup>", text: "3次", markers: []string{"*"}},
		"sup digit":          {cell: "580余件<sup>[1]</sup>", text: "580余件", markers: []string{"1"}},
		"superscript":        {cell: "580余件¹²", text: "580余件", markers: []string{"12"}},
		"star":               {cell: "6次 *", text: "6次", markers: []string{"*"}},
		"full-width star":    {cell: "6次＊", text: "6次", markers: []string{"*"}},
		"sup and trailing":   {cell: "6次<sup>1</sup>*", text: "6次", markers: []string{"1", "*"}},
		"sup digit mid-text": {cell: "100m<sup>2</sup>米", text: "100m米", markers: []string{"2"}},
		"sup words":          {cell: "面积<sup>平方</sup>", text: "面积平方"},
		"script skipped":     {cell: "9个<script>var a = 1;</script>", text: "9个"},
		"paragraphs":         {cell: "<p>一</p><p></p><p>二</p>", text: "一\n二"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tbl := parseTable(t, "<table><tr><td>"+tc.cell+"</td></tr></table>")
			got := tbl.rows[0][0]
			if got.Text != tc.text || !cmp.Equal(got.Markers, tc.markers) {
				t.Errorf("cell %q = %q %q, want %q %q", tc.cell, got.Text, got.Markers, tc.text, tc.markers)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	t.Parallel()
	tbl := parseTable(t, `<table>
		<thead><tr><th colspan="2">类别</th><th>数值</th></tr></thead>
		<tbody>
		<tr><td rowspan="2">甲</td><td>一</td><td>1</td></tr>
		<tr><td>二</td><td>2</td></tr>
		<tr><td>乙</td><td colspan="2" rowspan="0">3</td></tr>
		</tbody>
		<tfoot><tr><td colspan="3">注：1. 说明</td></tr></tfoot>
	</table>`)
	want := [][]grid.Cell{
		{{Col: 0, Span: 2, Text: "类别"}, {Col: 2, Span: 1, Text: "数值"}},
		{{Col: 0, Span: 1, Text: "甲"}, {Col: 1, Span: 1, Text: "一"}, {Col: 2, Span: 1, Text: "1"}},
		{{Col: 0, Span: 1, Text: "甲", Continues: true}, {Col: 1, Span: 1, Text: "二"}, {Col: 2, Span: 1, Text: "2"}},
		{{Col: 0, Span: 1, Text: "乙"}, {Col: 1, Span: 2, Text: "3"}},
	}
	if diff := cmp.Diff(want, tbl.rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"注：1. 说明"}, tbl.notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestFootnotes(t *testing.T) {
	t.Parallel()
	got := footnotes([]string{
		"注：1. 为累计数。", "2、含结转", "（3）第三条", "* 为今年以来数据。", "¹ 重复的1不覆盖",
		"※ 另一种星号", "2023年8月7日", "技术支持：大数据中心", "注：数据来源于系统",
	})
	want := map[string]string{"1": "为累计数。", "2": "含结转", "3": "第三条", "*": "为今年以来数据。"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("footnotes (-want +got):\n%s", diff)
	}
}

func TestDecodePage(t *testing.T) {
	t.Parallel()
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const body = "<body>潜山市</body></html>"
	tests := map[string]struct {
		page    []byte
		want    string // text after decoding, or "" for an error
		warning bool
		wantErr string
	}{
		"utf-8 meta":          {page: []byte(`<html><head><meta charset="UTF-8"></head>` + body), want: "潜山市"},
		"no meta, utf-8":      {page: []byte(`<html>` + body), want: "潜山市"},
		"bom":                 {page: append([]byte("\xef\xbb\xbf<html>"), body...), want: "潜山市"},
		"gbk meta":            {page: append([]byte(`<html><head><meta charset="gbk"></head>`), gbk(body)...), want: "潜山市"},
		"gb2312 http-equiv":   {page: append([]byte(`<html><head><meta http-equiv="content-type" content="text/html; charset=GB2312"></head>`), gbk(body)...), want: "潜山市"},
		"utf-8 declared gbk":  {page: []byte(`<html><head><meta charset="gbk"></head>` + body), want: "潜山市", warning: true},
		"gbk declared utf-8":  {page: append([]byte("<html><head><meta charset=\"utf-8\"></head>\n"), gbk(body)...), wantErr: "line 2 is not UTF-8"},
		"gbk without meta":    {page: append([]byte("<html>\n\n"), gbk(body)...), wantErr: "not UTF-8 (line 3) and names no charset"},
		"unknown charset":     {page: []byte(`<html><head><meta charset="x-klingon"></head>` + body), wantErr: `"x-klingon", which is unknown`},
		"meta after the body": {page: []byte(`<html><body>潜山市<meta charset="gbk"></body></html>`), want: "潜山市"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := decodePage(tc.page)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("decodePage: %v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(got.text, []byte(tc.want)) {
				t.Errorf("decodePage = %q, want it to hold %q", got.text, tc.want)
			}
			if (got.warning != "") != tc.warning {
				t.Errorf("warning %q, want one: %v", got.warning, tc.warning)
			}
		})
	}
}

func TestQuantity(t *testing.T) {
	t.Parallel()
	plan, _ := indicators.Lookup("三年行动计划具体工作任务")
	teams, _ := indicators.Lookup("红色物业党员志愿服务队")
	tests := map[string]struct {
		ind     vocabulary.Metric
		text    string
		want    model.Quantity
		wantErr bool
	}{
		"groups and items":    {ind: plan, text: "3项19条", want: model.Quantity{Value: 19, Qualifier: model.Exact, Unit: model.UnitCount, Text: "3项19条"}},
		"spaced groups":       {ind: plan, text: "3 项 19 条", want: model.Quantity{Value: 19, Qualifier: model.Exact, Unit: model.UnitCount, Text: "3 项 19 条"}},
		"plain plan":          {ind: plan, text: "19条", want: model.Quantity{Value: 19, Qualifier: model.Exact, Unit: model.UnitCount, Text: "19条"}},
		"groups elsewhere":    {ind: teams, text: "3项19条", wantErr: true},
		"at least":            {ind: teams, text: "26余支", want: model.Quantity{Value: 26, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "26余支"}},
		"money for a count":   {ind: teams, text: "26元", wantErr: true},
		"empty":               {ind: teams, text: "", wantErr: true},
		"groups out of order": {ind: plan, text: "19条3项", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := quantity(tc.ind, tc.text)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("quantity(%q) = %+v, want an error", tc.text, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("quantity(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

// TestIndicatorsInCatalog checks that every indicator reports a metric of
// the hub's catalog, in the metric's unit, and that no name is claimed
// twice.
func TestIndicatorsInCatalog(t *testing.T) {
	t.Parallel()
	catalog, err := refdata.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	if err := indicators.Check(catalog); err != nil {
		t.Error(err)
	}
}

// FuzzImport feeds the importer arbitrary pages: it must never panic or
// fail, and everything it emits must say where it is in the page.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340882", Options: map[string]string{"as_of": "2023-08-07"}, RecordReference: "table ",
	})
}

func TestHeading(t *testing.T) {
	t.Parallel()
	const table = `<table id="data"><tr><th>指标</th><th>数值</th></tr></table>`
	tests := map[string]struct {
		head, body string
		ref, text  string // "" when no place names a unit
	}{
		"the heading above the table": {head: "<title>统计 - 桐城市平台</title>", body: "<div>首页</div><h2>潜山市 建设工作情况统计表</h2>" + table,
			ref: "<h2> above table 1", text: "潜山市 建设工作情况统计表"},
		"a heading naming no unit is passed over": {body: "<h1>统计报表</h1><h3>潜山市统计表</h3>" + table,
			ref: "<h3> above table 1", text: "潜山市统计表"},
		"the caption": {body: `<h2>统计表</h2><table id="data"><caption>岳西县指标</caption><tr><th>指标</th><th>数值</th></tr></table>`,
			ref: "table 1 caption", text: "岳西县指标"},
		"the page's title": {head: "<title>工作情况统计 - 潜山市“皖美红色物业”管理平台</title>", body: table,
			ref: "<title>", text: "工作情况统计 - 潜山市“皖美红色物业”管理平台"},
		"a heading below the table": {body: table + "<h2>岳西县</h2>"},
		"nothing names a unit":      {head: "<title>统计</title>", body: "<h2>统计表</h2>" + table},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><head>" + tc.head + "</head><body>" + tc.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			var first *html.Node
			for n := range doc.Descendants() {
				if n.Type == html.ElementNode && n.Data == "table" {
					first = n
					break
				}
			}
			ref, text, ok := heading(doc, first)
			if ref != tc.ref || text != tc.text || ok != (tc.ref != "") {
				t.Errorf("heading = %q, %q, %v; want %q, %q", ref, text, ok, tc.ref, tc.text)
			}
		})
	}
}

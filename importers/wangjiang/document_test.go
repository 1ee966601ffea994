package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/importers/internal/grid"
	"github.com/countyhub/countyhub/plugins/sdk"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
	"github.com/countyhub/countyhub/refdata"
)

// bodyRecorder keeps what walkBody hands over.
type bodyRecorder struct {
	paragraphs []string
	tables     []*docTable
}

func (b *bodyRecorder) paragraph(text string) error {
	b.paragraphs = append(b.paragraphs, text)
	return nil
}

func (b *bodyRecorder) table(n int, t *docTable) error {
	b.tables = append(b.tables, t)
	return nil
}

const docHead = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>`

func TestWalkBody(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body       string
		paragraphs []string
		rows       [][]grid.Cell
	}{
		"runs joined": {
			body:       `<w:p><w:r><w:t>望江</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">县 </w:t></w:r><w:r><w:tab/><w:t>报告</w:t></w:r></w:p>`,
			paragraphs: []string{"望江县 \t报告"},
		},
		"tab stops are not text": {
			body:       `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>一</w:t></w:r></w:p>`,
			paragraphs: []string{"一"},
		},
		"deleted text and fallbacks are dropped": {
			body:       `<w:p><w:del><w:r><w:delText>旧</w:delText></w:r></w:del><w:r><w:t>新</w:t></w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>框</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>框</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`,
			paragraphs: []string{"新框"},
		},
		"cells with paragraphs, spans and merges": {
			body: `<w:tbl><w:tr><w:tc><w:p/><w:p><w:r><w:t>55</w:t></w:r><w:r><w:t>个</w:t></w:r></w:p><w:p/></w:tc>` +
				`<w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>议事</w:t></w:r></w:p><w:p><w:r><w:t>平台</w:t></w:r></w:p></w:tc></w:tr>` +
				`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl><w:p/>`,
			paragraphs: []string{""},
			rows: [][]grid.Cell{
				{{Col: 0, Span: 1, Text: "55个"}, {Col: 1, Span: 2, Text: "议事\n平台"}},
				{{Col: 1, Span: 2, Text: "议事\n平台", Continues: true}},
			},
		},
		"nested table text stays in its cell": {
			body: `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`,
			rows: [][]grid.Cell{{{Col: 0, Span: 1, Text: "外\n内"}, {Col: 1, Span: 1, Text: "右"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got bodyRecorder
			if err := walkBody(strings.NewReader(docHead+tc.body+`</w:body></w:document>`), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.paragraphs, got.paragraphs); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
			var rows [][]grid.Cell
			for _, tbl := range got.tables {
				rows = append(rows, tbl.rows...)
			}
			if diff := cmp.Diff(tc.rows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
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

func TestTrimQuotes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"“周末议事厅”": "周末议事厅", " 解忧亭 ": "解忧亭", `"党群议事会"`: "党群议事会", "“”": "“”", "“半": "“半"} {
		if got := trimQuotes(in); got != want {
			t.Errorf("trimQuotes(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzImport feeds the importer arbitrary files: it must never panic or
// fail, and everything it emits must say where it is in the file.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340827", Options: map[string]string{"as_of": "2023-08-07"}, RecordReference: "table ",
	})
}

// diagnostics keeps the diagnostics of an import; records are dropped.
type diagnostics []sdk.Diagnostic

func (d *diagnostics) Emit(sdk.Record) error { return nil }

func (d *diagnostics) Diagnose(x sdk.Diagnostic) error {
	*d = append(*d, x)
	return nil
}

// TestTheTitleNamesTheCounty checks that the first paragraph naming a
// unit above the first table decides which unit the report is for.
func TestTheTitleNamesTheCounty(t *testing.T) {
	t.Parallel()
	p := func(text string) string { return `<w:p><w:r><w:t>` + text + `</w:t></w:r></w:p>` }
	const table = `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>议事平台</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`
	tests := map[string]struct {
		body string
		want string // the refusal; "" for none
	}{
		"the county's title":              {body: p("望江县“皖美红色物业”建设工作情况报告") + table},
		"other counties named after it":   {body: p("") + p("望江县工作情况报告") + p("学习借鉴岳西县做法") + table},
		"other counties below the tables": {body: p("工作情况报告") + table + p("岳西县")},
		"another county's title": {body: p("") + p("（截至2023年8月7日）") + p("岳西县工作情况报告") + p("望江县") + table,
			want: `ERROR paragraph 3: "岳西县工作情况报告" names 岳西县 (340828), another county: this import is for 望江县 (340827)`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got diagnostics
			r := &reader{ctx: context.Background(), out: &got, unit: "340827", metrics: map[string]string{}, keys: map[string]string{}}
			err := walkBody(strings.NewReader(docHead+tc.body+`</w:body></w:document>`), r)
			var refusals []string
			for _, d := range got {
				if strings.Contains(d.Message, "names") {
					refusals = append(refusals, d.String())
				}
			}
			switch {
			case tc.want == "" && (err != nil || len(refusals) > 0):
				t.Errorf("walkBody: %v, refusals %q; want none", err, refusals)
			case tc.want != "" && (!errors.Is(err, errRefused) || len(refusals) != 1 || refusals[0] != tc.want):
				t.Errorf("walkBody: %v, refusals %q; want errRefused and %q", err, refusals, tc.want)
			}
		})
	}
}

//go:build ignore

// Generate writes the .docx golden-case inputs of the wangjiang importer:
// the sample report and its damaged variants. Run it from the importer's
// directory:
//
//	go run testdata/generate.go
//
// The files are minimal valid Word documents ([Content_Types].xml,
// _rels/.rels, word/document.xml) written with archive/zip, with a fixed
// modification time so that they come out the same on every run.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// cell is a table cell: its paragraphs, each a list of runs.
type cell struct {
	paras  [][]string
	span   int
	vmerge string // "", "restart" or "continue"
	bold   bool
}

// c is a cell of one paragraph; several texts make several runs.
func c(runs ...string) cell { return cell{paras: [][]string{runs}} }

// h is a bold header cell.
func h(runs ...string) cell { return cell{paras: [][]string{runs}, bold: true} }

// paras is a cell of several paragraphs, one run each ("" for an empty
// paragraph).
func paras(texts ...string) cell {
	var ps [][]string
	for _, t := range texts {
		ps = append(ps, []string{t})
	}
	return cell{paras: ps}
}

// span is a cell merged across n grid columns.
func span(n int, text string) cell { return cell{paras: [][]string{{text}}, span: n} }

// vstart starts a vertical merge; vcont continues it.
func vstart(text string) cell { return cell{paras: [][]string{{text}}, vmerge: "restart"} }
func vcont() cell             { return cell{paras: [][]string{{}}, vmerge: "continue"} }

type table struct {
	widths []int // grid column widths in twips
	rows   [][]cell
}

type paragraph struct {
	text  string
	title bool
	bold  bool
}

// indicatorRows are the rows of table 1 below its header.
func indicatorRows() [][]cell {
	return [][]cell{
		{c("1"), c("小区党支部"), c("55个"), c("组建“皖美红色物业”小区党支部")},
		{c("2"), c("物业服务企业党支部"), c("15个"), paras("", "")},
		{c("3"), c("业委会（物管会）"), paras("", "55个"), c("")},
		{c("4"), c("联审拟任人选"), c("72名"), c("分批组织21家单位对拟任小区党组织书记、委员人选进行联审")},
		{c("5"), c("小区党建工作指导员"), c("55名"), c("选派经验丰富的党员干部担任")},
		{c("6"), c("文化活动"), c("50余次"), c("以小区党支部为主体，联合业委会（物管会）、物业企业开展")},
		{c("7"), c("参与群众"), c("近", "3000人"), c("")},
		{c("8"), c("收集群众意见建议"), c("85条"), c("")},
		{c("9"), c("帮助解决", "难题"), c("500", "余次"), c("下水道堵塞、水压不足等难题")},
		{c("10"), c("化解矛盾纠纷"), c("56起"), c("")},
		{span(4, "注：数据统计截至2023年8月7日。")},
	}
}

func indicatorTable() table {
	rows := [][]cell{{h("序号"), h("指标"), h("数", "值"), h("说明")}}
	return table{widths: []int{800, 3000, 1600, 3600}, rows: append(rows, indicatorRows()...)}
}

func budgetTable() table {
	return table{widths: []int{1200, 4400, 1800, 1600}, rows: [][]cell{
		{span(4, "表2 “皖美红色物业”建设资金安排")},
		{h("年度"), h("资金用途"), h("金额"), h("状态")},
		{c("2023"), c("以奖代补：统一制作党支部、物业相关制度牌匾"), c("6万", "余元"), c("已安排")},
	}}
}

func spaceTable() table {
	return table{widths: []int{800, 2400, 1600, 4200}, rows: [][]cell{
		{h("序号"), h("议事平台"), h("类型"), h("说明")},
		{c("1"), c("周末议事厅"), vstart("议事平台"), c("“党支部+物业公司+业委会（物管会）”三方联动议事")},
		{c("2"), c("党群议事会"), vcont(), c("")},
		{c("3"), c("解忧亭"), vcont(), c("")},
	}}
}

// report is the body of the sample report, its tables replaceable.
func report(t1, t2, t3 table, dated bool) []any {
	date := paragraph{text: "（截至2023年8月7日）"}
	if !dated {
		date = paragraph{text: "（2023年工作情况）"}
	}
	return []any{
		paragraph{text: "望江县“皖美红色物业”建设工作情况报告", title: true},
		date,
		paragraph{},
		paragraph{text: "一、主要指标完成情况", bold: true},
		t1,
		paragraph{},
		paragraph{text: "二、资金安排", bold: true},
		t2,
		paragraph{text: "三、议事平台", bold: true},
		t3,
		paragraph{},
		paragraph{text: "四、下一步工作", bold: true},
		paragraph{text: "按照“一社区一方案”“一小区一对策”分类建设小区党群服务站，推进“党支部+物业公司+业委会（物管会）”三方联动。"},
	}
}

func main() {
	sample := report(indicatorTable(), budgetTable(), spaceTable(), true)
	write("sample", docx(document(sample)))
	write("title-date", docx(document(sample)))

	t1 := indicatorTable()
	t1.rows[8][2] = c("待统计")
	t2 := budgetTable()
	t2.rows[2][2] = c("若干")
	write("text-in-number", docx(document(report(t1, t2, spaceTable(), true))))

	t1 = indicatorTable()
	for i, row := range t1.rows {
		if len(row) == 4 {
			t1.rows[i] = []cell{row[0], row[1], row[3]}
		}
	}
	t1.widths = []int{800, 3000, 5200}
	t1.rows[len(t1.rows)-1] = []cell{span(3, "注：数据统计截至2023年8月7日。")}
	write("missing-column", docx(document(report(t1, budgetTable(), spaceTable(), true))))

	t1 = indicatorTable()
	t1.rows[0] = []cell{h(""), h("序号"), h("指标"), h("数值")}
	write("shifted-header", docx(document(report(t1, budgetTable(), spaceTable(), true))))

	write("undated", docx(document(report(indicatorTable(), budgetTable(), spaceTable(), false))))

	doc := document(sample)
	write("damaged-xml", docx(doc[:len(doc)/2]))
	write("not-docx-zip", zipOf(map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":     `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
	}))
	write("not-zip", []byte("<html><head><meta charset=\"utf-8\"><title>望江县工作情况报告</title></head>\n<body><p>望江县“皖美红色物业”建设工作情况报告</p></body></html>\n"))
	write("doc-binary", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 504)...))

	// The sample relabelled as a report of Yuexi (岳西县), the county next
	// to Wangjiang: a Wangjiang import refuses it by its title.
	yuexi := report(indicatorTable(), budgetTable(), spaceTable(), true)
	yuexi[0] = paragraph{text: "岳西县“皖美红色物业”建设工作情况报告", title: true}
	write("neighbour-title", docx(document(yuexi)))
}

func write(name string, data []byte) {
	dir := filepath.Join("testdata", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "input.docx"), data, 0o644); err != nil {
		log.Fatal(err)
	}
}

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>
`
	packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>
`
)

// docx packs a main document part into a .docx package.
func docx(document []byte) []byte {
	return zipOf(map[string]string{
		"[Content_Types].xml": contentTypes,
		"_rels/.rels":         packageRels,
		"word/document.xml":   string(document),
	})
}

// zipOf writes a zip of the files, [Content_Types].xml first as Office
// does, the others in name order.
func zipOf(files map[string]string) []byte {
	names := []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml"}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	modified := time.Date(2023, 8, 7, 16, 20, 0, 0, time.UTC)
	for _, name := range names {
		content, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// document writes word/document.xml for a body of paragraphs and tables.
func document(body []any) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + "\n<w:body>\n")
	for _, item := range body {
		switch v := item.(type) {
		case paragraph:
			writeParagraph(&b, v)
		case table:
			writeTable(&b, v)
		}
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>` + "\n")
	b.WriteString("</w:body>\n</w:document>\n")
	return []byte(b.String())
}

func writeParagraph(b *strings.Builder, p paragraph) {
	if p.text == "" {
		b.WriteString("<w:p/>\n")
		return
	}
	b.WriteString("<w:p>")
	if p.title {
		b.WriteString(`<w:pPr><w:jc w:val="center"/></w:pPr>`)
	}
	props := ""
	switch {
	case p.title:
		props = `<w:rPr><w:b/><w:sz w:val="36"/></w:rPr>`
	case p.bold:
		props = `<w:rPr><w:b/></w:rPr>`
	}
	fmt.Fprintf(b, "<w:r>%s<w:t>%s</w:t></w:r></w:p>\n", props, escape(p.text))
}

func writeTable(b *strings.Builder, t table) {
	b.WriteString("<w:tbl>\n<w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>")
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="auto"/>`, side)
	}
	b.WriteString("</w:tblBorders></w:tblPr>\n<w:tblGrid>")
	for _, w := range t.widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString("</w:tblGrid>\n")
	for _, row := range t.rows {
		b.WriteString("<w:tr>\n")
		col := 0
		for _, c := range row {
			n := max(c.span, 1)
			width := 0
			for i := col; i < col+n && i < len(t.widths); i++ {
				width += t.widths[i]
			}
			col += n
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
			if c.span > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, c.span)
			}
			switch c.vmerge {
			case "restart":
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case "continue":
				b.WriteString(`<w:vMerge/>`)
			}
			b.WriteString("</w:tcPr>")
			for _, runs := range c.paras {
				writeCellParagraph(b, runs, c.bold)
			}
			b.WriteString("</w:tc>\n")
		}
		b.WriteString("</w:tr>\n")
	}
	b.WriteString("</w:tbl>\n")
}

// writeCellParagraph writes a paragraph of a cell; runs after the first
// are separated by a proofing mark, as Word leaves them after an edit.
func writeCellParagraph(b *strings.Builder, runs []string, bold bool) {
	b.WriteString("<w:p>")
	props := ""
	if bold {
		props = `<w:rPr><w:b/></w:rPr>`
	}
	for i, r := range runs {
		if r == "" {
			continue
		}
		if i > 0 {
			b.WriteString(`<w:proofErr w:type="gramStart"/>`)
		}
		fmt.Fprintf(b, `<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>`, props, escape(r))
	}
	b.WriteString("</w:p>")
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

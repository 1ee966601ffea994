//go:build ignore

// Generate writes the golden-case inputs of the daguan importer: the
// district's sample work sheet as Excel saves it on a Chinese Windows
// (GBK, CRLF) and damaged variants of it. Run it from the importer's
// directory:
//
//	go run testdata/generate.go
package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"log"
	"os"
	"path/filepath"
	"slices"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const title = "大观区红色物业工作情况统计表（截至2023年8月7日）"

var header = []string{"序号", "类别", "名称", "街道", "社区", "地址", "数值", "配套设施", "状态", "备注"}

const four = "儿童游乐室、图书阅览室、文体活动室、老年食堂"

// rows are the sheet's data rows, without the running number.
var rows = [][]string{
	{"指标", "联席会议成员单位", "", "", "", "19个", "", "", "“皖美红色物业”联席会议机制"},
	{"指标", "协调解决重难点问题", "", "", "", "30余个", "", "", ""},
	{"指标", "小区（网格）党支部", "", "", "", "113个", "", "", ""},
	{"指标", "志愿服务队伍", "", "", "", "12支", "", "", "“银发先锋”“巾帼宣讲”“五老议事”等"},
	{"指标", "解决路面破损、消防安全、飞线充电等问题", "", "", "", "110余件", "", "", "今年以来"},
	{"指标", "解决小区“疑难杂症”", "", "", "", "126个", "", "", ""},
	{"党群服务站", "石化二村小区党群服务站", "德宽路街道", "石化社区", "石化路石化二村12栋东侧", "", four, "正常运行", ""},
	{"党群服务站", "德宽花园小区党群服务站", "德宽路街道", "德宽社区", "德宽路德宽花园3号楼一楼", "", four, "正常运行", ""},
	{"党群服务站", "玉琳苑小区党群服务站", "玉琳路街道", "玉琳社区", "玉琳路玉琳苑小区会所", "", four, "正常运行", ""},
	{"党群服务站", "皖江小区党群服务站", "玉琳路街道", "皖江社区", "皖江路皖江小区南门", "", four, "正常运行", ""},
	{"党群服务站", "集贤新村小区党群服务站", "集贤路街道", "集贤社区", "集贤南路集贤新村8栋", "", four, "正常运行", ""},
	{"党群服务站", "同安里小区党群服务站", "集贤路街道", "同安社区", "同安路同安里小区活动中心", "", four, "正常运行", ""},
	{"党群服务站", "龙山花园小区党群服务站", "龙山路街道", "龙山社区", "龙山路龙山花园北区", "", four, "正常运行", ""},
	{"党群服务站", "华中路小区党群服务站", "龙山路街道", "华中社区", "华中路华中小区5栋", "", four, "正常运行", ""},
	{"党群服务站", "菱湖新村小区党群服务站", "菱湖街道", "菱湖社区", "菱湖南路菱湖新村东门", "", four, "正常运行", ""},
	{"党群服务站", "花亭雅苑小区党群服务站", "花亭路街道", "花亭社区", "花亭路花亭雅苑2号楼", "", four, "正常运行", ""},
	{"议事点", "百姓评理说事点", "龙山路街道", "龙山社区", "龙山花园小区党群服务站内", "", "", "", ""},
	{"议事点", "议事长廊", "集贤路街道", "集贤社区", "集贤新村小区中心广场", "", "", "", ""},
}

const footer = "填报单位：中共安庆市大观区委组织部　　填报日期：2023年8月7日"

func main() {
	sample := sheet(header, numbered(rows))
	write("sample", gbk(sample))
	write("utf8-bom", append([]byte("\ufeff"), sample...))
	write("utf8-no-bom", sample)
	write("xlsx-renamed", zipFile())
	write("missing-column", gbk(sheet(without(header, 6), numbered(columnless(rows[:8], 6)))))
	write("no-header", gbk(sheet(nil, numbered(rows))))
	write("bad-rows", badRows())
	// The sample relabelled as a sheet of Yixiu (宜秀区), the district next
	// to Daguan: a Daguan import refuses it by its title.
	write("neighbour-title", gbk(bytes.ReplaceAll(sample, []byte("大观区"), []byte("宜秀区"))))
}

// badRows is a sheet with typical faults in its rows, and one row with
// bytes that are not GBK.
func badRows() []byte {
	bad := [][]string{
		{"指标", "联席会议成员单位", "", "", "", "19个", "", "", ""},
		{"指标", "协调解决重难点问题", "", "", "", "待统计", "", "", "text in a number cell"},
		{"指标", "小区党组织覆盖率", "", "", "", "100%", "", "", "unknown indicator"},
		{"指标", "志愿服务队伍", "", "", "", "", "", "", "empty value"},
		{"党群服务站", "石化二村小区党群服务站", "德宽路街道", "石化社区", "石化路石化二村12栋东侧", "", four + "、健身房", "正常运行", "unknown facility"},
		{"党群服务站", "石化二村小区党群服务站", "德宽路街道", "石化社区", "", "", four, "正常运行", "repeated station"},
		{"党群服务站", "德宽花园小区党群服务站", "玉琳路街道", "石化社区", "", "", four, "正常运行", "community in another street"},
		{"党群服务站", "玉琳苑小区党群服务站", "玉琳路街道", "玉琳社区", "", "", four, "暂停", "unknown status"},
		{"服务中心", "皖江小区服务中心", "玉琳路街道", "皖江社区", "", "", "", "", "unknown category"},
		{"党群服务站", "", "集贤路街道", "集贤社区", "", "", four, "", "no name"},
		{"", "同安里小区党群服务站", "集贤路街道", "同安社区", "", "", four, "", "no category"},
		{"党群服务站", "ADDRESS", "龙山路街道", "龙山社区", "", "", four, "", "bytes that are not GBK"},
		{"议事点", "百姓评理说事点", "龙山路街道", "龙山社区", "", "", "", "", ""},
	}
	out := gbk(sheet(header, numbered(bad)))
	// Excel never writes 0xFF: it stands for a file damaged in transit.
	return bytes.Replace(out, []byte("ADDRESS"), []byte("\xff\xfe\xff"), 1)
}

// sheet lays out a work sheet as Excel saves it: the title in the first
// cell, a blank row, the header (when given), the rows and a footer, every
// row as wide as the header, lines ending in CRLF.
func sheet(head []string, body [][]string) []byte {
	width := len(head)
	for _, r := range body {
		width = max(width, len(r))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	pad := func(cells ...string) []string { return append(cells, make([]string, width-len(cells))...) }
	must(w.Write(pad(title)))
	must(w.Write(pad()))
	if head != nil {
		must(w.Write(pad(head...)))
	}
	for _, r := range body {
		must(w.Write(pad(r...)))
	}
	must(w.Write(pad()))
	must(w.Write(pad(footer)))
	w.Flush()
	must(w.Error())
	return buf.Bytes()
}

// numbered puts the running number (序号) in front of each row.
func numbered(body [][]string) [][]string {
	out := make([][]string, len(body))
	for i, r := range body {
		out[i] = append([]string{itoa(i + 1)}, r...)
	}
	return out
}

// columnless drops cell i-1 of each row (i counts the 序号 column).
func columnless(body [][]string, i int) [][]string {
	out := make([][]string, len(body))
	for j, r := range body {
		out[j] = without(r, i-1)
	}
	return out
}

func without(cells []string, i int) []string {
	return slices.Delete(slices.Clone(cells), i, i+1)
}

// zipFile is a minimal zip archive such as an .xlsx workbook renamed .csv.
func zipFile() []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("[Content_Types].xml")
	must(err)
	_, err = f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	must(err)
	must(zw.Close())
	return buf.Bytes()
}

func gbk(b []byte) []byte {
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
	must(err)
	return out
}

func write(name string, data []byte) {
	dir := filepath.Join("testdata", name)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "input.csv"), data, 0o644))
	must(os.WriteFile(filepath.Join(dir, "case.json"), []byte(`{"unit": "340803", "options": {"as_of": "2023-08-07"}}`+"\n"), 0o644))
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

package main

import (
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/grid"
)

// columns are the columns of the data table; the first identifies it.
// 序号, 类别 and 备注 are not read, but known, so that their text is not
// taken for a shifted header.
var columns = grid.Columns{
	{Name: "指标", Labels: []string{"指标", "指标名称", "项目", "工作内容"}, Required: true},
	{Name: "数值", Labels: []string{"数值", "数量", "完成数", "完成情况"}, Required: true},
	{Name: "单位", Labels: []string{"单位", "计量单位"}},
	{Name: "序号", Labels: []string{"序号"}},
	{Name: "类别", Labels: []string{"类别", "分类", "机制"}},
	{Name: "备注", Labels: []string{"备注", "说明"}},
}

// Footnote definitions below a table: "注：1. 为累计数。", "* 为今年以来数据",
// "¹ 累计数". Digits need a separator after them, so that "2023年……" is no
// footnote.
var (
	digitNote  = regexp.MustCompile(`^(?:注[：:]?\s*)?[\[(（【]?([0-9０-９]{1,2})[\])）】]?\s*[.．、:：)）]\s*(\S.*)$`)
	markedNote = regexp.MustCompile(`^(?:注[：:]?\s*)?([⁰¹²³⁴⁵⁶⁷⁸⁹]+|[*＊※]+)\s*[.．、:：)）]?\s*(\S.*)$`)
)

// footnotes reads the footnote definitions among a table's notes, by key.
func footnotes(lines []string) map[string]string {
	notes := map[string]string{}
	for _, line := range lines {
		m := digitNote.FindStringSubmatch(line)
		if m == nil {
			m = markedNote.FindStringSubmatch(line)
		}
		if m == nil {
			continue
		}
		if key := markerKey(m[1]); key != "" {
			if _, dup := notes[key]; !dup {
				notes[key] = strings.TrimSpace(m[2])
			}
		}
	}
	return notes
}

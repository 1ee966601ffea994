package mapping

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/countyhub/countyhub/importers/internal/status"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
)

// The words a cell may hold for an enum field, besides the model's own
// values (OPERATING, TRIAL, …, in any case); the statuses are those every
// county importer reads. A mapping adds its own under values.

var stationStatuses = words(byName(status.StationWords()))

var spaceKinds = words(map[string][]string{
	string(model.SpaceShared):       {"共享空间", "共享书吧", "共享驿站"},
	string(model.SpaceDeliberation): {"议事点", "议事场所", "议事厅", "说事点"},
	string(model.SpaceActivity):     {"活动场所", "活动阵地", "活动中心"},
})

var pilotPhases = words(map[string][]string{
	string(model.PilotTrial):    {"试用", "试运行", "先尝"},
	string(model.PilotPurchase): {"购买", "付费", "已付费"},
	string(model.PilotEnded):    {"结束", "已结束", "终止"},
})

var budgetStatuses = words(byName(status.BudgetWords()))

var unitLevels = words(map[string][]string{
	string(model.LevelTown):      {"镇", "乡", "乡镇", "街道", "镇街"},
	string(model.LevelCommunity): {"社区", "居委会"},
	string(model.LevelCompound):  {"小区", "住宅小区"},
})

// flags are the cell texts of yes-or-no fields.
var flags = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"是", "有", "达标", "已达标", "√", "✓", "yes", "y", "true", "1"} {
		m[fold(w)] = true
	}
	for _, w := range []string{"否", "无", "未达标", "不达标", "×", "✗", "no", "n", "false", "0"} {
		m[fold(w)] = false
	}
	return m
}()

// facilities are the station facilities counties share. A cell may name
// one by its code or its standard Chinese name; other names need the
// mapping's values.
var facilities = normalize.Facilities()

// byName keys a word list of the status package by the statuses' names.
func byName[S ~string](byStatus map[S][]string) map[string][]string {
	m := make(map[string][]string, len(byStatus))
	for s, ws := range byStatus {
		m[string(s)] = ws
	}
	return m
}

// words makes the folded word table of an enum: each value stands for
// itself too.
func words(byValue map[string][]string) map[string]string {
	m := map[string]string{}
	for value, ws := range byValue {
		m[fold(value)] = value
		for _, w := range ws {
			m[fold(w)] = value
		}
	}
	return m
}

// fold is how cell texts, header texts and words compare: full-width
// letters, digits and punctuation as their ASCII forms, no whitespace,
// ASCII in lower case. "金额 （万元）" and "金额(万元)" fold alike.
func fold(s string) string {
	s = width.Fold.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

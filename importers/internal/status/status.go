// Package status reads the words county files use for the status of a
// station and of a budget: one word list for every importer, so that a
// word one county writes is read alike by every importer that meets it.
//
// A word is compared once folded as vocabulary.Fold folds names (without
// spaces, quotation marks, and with ASCII brackets); the hub's own name of
// a status (OPERATING, ALLOCATED, …) is read too, in any case. An empty
// cell is the usual status: an operating station, an allocated budget.
package status

import (
	"strings"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
)

// StationWords returns the words for each station status, besides the
// status's own name.
func StationWords() map[model.StationStatus][]string {
	return map[model.StationStatus][]string{
		model.StationOperating: {"正常运行", "运行", "运行中", "运营中", "已建成", "在用"},
		model.StationUpgrading: {"提档升级", "升级改造", "改造中", "升级中", "提升中"},
		model.StationPlanned:   {"在建", "筹建", "筹建中", "规划", "规划中", "拟建"},
		model.StationClosed:    {"停用", "关闭", "已关闭", "撤销", "已撤销"},
	}
}

// BudgetWords returns the words for each budget status, besides the
// status's own name.
func BudgetWords() map[model.BudgetStatus][]string {
	return map[model.BudgetStatus][]string{
		model.BudgetPlanned:   {"计划", "拟安排", "计划安排"},
		model.BudgetAllocated: {"已安排", "已下达", "已批复"},
		model.BudgetDisbursed: {"已拨付", "拨付", "已支付"},
	}
}

// Station returns the station status a cell's text names, and whether it
// names one; an empty cell is an operating station.
func Station(text string) (model.StationStatus, bool) {
	return lookup(text, model.StationOperating, StationWords())
}

// Budget returns the budget status a cell's text names, and whether it
// names one; an empty cell is an allocated budget.
func Budget(text string) (model.BudgetStatus, bool) {
	return lookup(text, model.BudgetAllocated, BudgetWords())
}

// lookup finds the status of text in a word list, or empty for a blank
// text.
func lookup[S ~string](text string, empty S, words map[S][]string) (S, bool) {
	folded := vocabulary.Fold(text)
	if folded == "" {
		return empty, true
	}
	for s, ws := range words {
		if strings.EqualFold(folded, string(s)) {
			return s, true
		}
		for _, w := range ws {
			if folded == vocabulary.Fold(w) {
				return s, true
			}
		}
	}
	return "", false
}

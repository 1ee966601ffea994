package status

import (
	"testing"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
)

func TestStation(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]struct {
		status model.StationStatus
		ok     bool
	}{
		"":          {model.StationOperating, true},
		" ":         {model.StationOperating, true},
		"正常运行":      {model.StationOperating, true},
		"已建成":       {model.StationOperating, true},
		"运营中":       {model.StationOperating, true},
		"正常 运行":     {model.StationOperating, true},
		"operating": {model.StationOperating, true},
		"提档升级":      {model.StationUpgrading, true},
		"升级改造":      {model.StationUpgrading, true},
		"在建":        {model.StationPlanned, true},
		"规划中":       {model.StationPlanned, true},
		"停用":        {model.StationClosed, true},
		"已撤销":       {model.StationClosed, true},
		"CLOSED":    {model.StationClosed, true},
		"维修":        {"", false},
		"已拨付":       {"", false},
	} {
		got, ok := Station(text)
		if got != want.status || ok != want.ok {
			t.Errorf("Station(%q) = %q, %v; want %q, %v", text, got, ok, want.status, want.ok)
		}
	}
}

func TestBudget(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]struct {
		status model.BudgetStatus
		ok     bool
	}{
		"":          {model.BudgetAllocated, true},
		"计划":        {model.BudgetPlanned, true},
		"拟安排":       {model.BudgetPlanned, true},
		"已安排":       {model.BudgetAllocated, true},
		"已下达":       {model.BudgetAllocated, true},
		"已拨付":       {model.BudgetDisbursed, true},
		"PLANNED":   {model.BudgetPlanned, true},
		"disbursed": {model.BudgetDisbursed, true},
		"在建":        {"", false},
		"待定":        {"", false},
	} {
		got, ok := Budget(text)
		if got != want.status || ok != want.ok {
			t.Errorf("Budget(%q) = %q, %v; want %q, %v", text, got, ok, want.status, want.ok)
		}
	}
}

// TestWordsNameOneStatus checks that no word, once folded, stands for two
// statuses of a kind, which would make the reading of a cell depend on
// the order of a map.
func TestWordsNameOneStatus(t *testing.T) {
	t.Parallel()
	check := func(kind string, words map[string][]string) {
		seen := map[string]string{}
		for s, ws := range words {
			for _, w := range append([]string{s}, ws...) {
				f := vocabulary.Fold(w)
				if other, ok := seen[f]; ok && other != s {
					t.Errorf("%s word %q stands for %s and %s", kind, w, other, s)
				}
				seen[f] = s
			}
		}
	}
	stations := map[string][]string{}
	for s, ws := range StationWords() {
		stations[string(s)] = ws
	}
	budgets := map[string][]string{}
	for s, ws := range BudgetWords() {
		budgets[string(s)] = ws
	}
	check("station", stations)
	check("budget", budgets)
}

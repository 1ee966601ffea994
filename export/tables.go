package export

import (
	"fmt"
	"slices"

	"github.com/countyhub/countyhub/model"
)

// names gives a unit's name by code, for tables.
type names map[string]string

func (n names) of(code string) string {
	if name, ok := n[code]; ok {
		return name
	}
	return code
}

// StationMatrix lays the station facets out as a table: one row per
// county, a column per status and per facility.
func StationMatrix(title string, fs []model.StationFacet, n map[string]string) Table {
	statuses := []model.StationStatus{model.StationOperating, model.StationUpgrading, model.StationPlanned, model.StationClosed}
	var facilities []string
	labels := map[string]string{}
	for _, f := range fs {
		for _, fc := range f.Facilities {
			key := fc.Code + "|" + fc.Name
			if _, ok := labels[key]; !ok {
				labels[key] = fc.Name
				facilities = append(facilities, key)
			}
		}
	}
	slices.Sort(facilities)
	t := Table{Title: title, Header: []string{"单位 county", "代码 code", "站点 stations", "达标 meet standard"}}
	for _, s := range statuses {
		t.Header = append(t.Header, string(s))
	}
	for _, key := range facilities {
		t.Header = append(t.Header, labels[key])
	}
	for _, f := range fs {
		row := []any{names(n).of(f.County), f.County, float64(f.Stations), float64(f.MeetStandard)}
		for _, s := range statuses {
			row = append(row, float64(f.ByStatus[string(s)]))
		}
		for _, key := range facilities {
			count := 0
			for _, fc := range f.Facilities {
				if fc.Code+"|"+fc.Name == key {
					count = fc.Stations
				}
			}
			row = append(row, float64(count))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// BudgetTotals lays the budget facets out as a table.
func BudgetTotals(title string, fs []model.BudgetFacet, n map[string]string) Table {
	t := Table{Title: title, Header: []string{"单位 county", "代码 code", "年度 year", "用途 purpose", "来源 source", "金额 amount", "限定 qualifier", "计量 measure", "原文 text", "条数 lines", "每年 recurring"}}
	for _, f := range fs {
		recurring := ""
		if f.Recurring {
			recurring = "recurring"
		}
		t.Rows = append(t.Rows, []any{names(n).of(f.County), f.County, float64(f.Year), f.Purpose, f.Source, f.Amount.Value,
			string(f.Amount.Qualifier), f.Amount.Unit, f.Amount.Text, float64(f.Lines), recurring})
	}
	return t
}

// PilotPhases lays the pilot facets out as a table; numbers no pilot
// reports are empty.
func PilotPhases(title string, fs []model.PilotFacet, n map[string]string) Table {
	t := Table{Title: title, Header: []string{"单位 county", "代码 code", "阶段 phase", "试点 pilots", "小区 compounds", "户数 households", "付费户 paying", "转化率 conversion"}}
	opt := func(v *int) any {
		if v == nil {
			return ""
		}
		return float64(*v)
	}
	for _, f := range fs {
		conv := any("")
		if f.Conversion != nil {
			conv = *f.Conversion
		}
		t.Rows = append(t.Rows, []any{names(n).of(f.County), f.County, string(f.Phase), float64(f.Pilots), opt(f.Compounds), opt(f.Households), opt(f.PayingHouseholds), conv})
	}
	return t
}

// tableTitle names a table of a scope.
func tableTitle(what string, scope model.AdminUnit) string {
	return fmt.Sprintf("%s %s", scope.Name, what)
}

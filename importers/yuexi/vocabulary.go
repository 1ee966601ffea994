package main

import (
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// metrics maps the county's indicator names, folded by foldName, to
// catalog codes.
var metrics = map[string]string{
	"公开招聘社区工作者":       "org.community_workers_recruited",
	"招聘社区工作者":         "org.community_workers_recruited",
	"小区物业服务年度重点工作清单":  "plan.key_tasks",
	"年度重点工作清单":        "plan.key_tasks",
	"解决居民诉求、物业纠纷":     "outcome.problems_resolved",
	"集中解决各类居民诉求、物业纠纷": "outcome.problems_resolved",
}

// indicatorNames are the indicator names the diagnostics suggest.
var indicatorNames = []string{"公开招聘社区工作者", "小区物业服务年度重点工作清单", "解决居民诉求、物业纠纷"}

// metricCode matches a catalog code written as the indicator's name.
var metricCode = regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)

// metricFor returns the catalog code of an indicator name, or "".
func metricFor(name string) string {
	if metricCode.MatchString(name) {
		return name
	}
	return metrics[foldName(name)]
}

// foldName drops spaces and quotation marks and makes parentheses and
// commas uniform, so small differences in typing do not matter.
func foldName(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "“", "", "”", "", "\"", "", "（", "(", "）", ")", ",", "、", "，", "、").Replace(s)
}

// titleDateRE finds the reporting date of a title: "（截至2023年8月7日）".
var titleDateRE = regexp.MustCompile(`(?:截至|截止)[：:\s]*([0-9０-９]{4}\s*(?:年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?|[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?))`)

// titleDate returns the date a title reports as of, or "".
func titleDate(title string) string {
	if m := titleDateRE.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// statuses maps 建设状态 to station states; empty means operating.
var statuses = map[string]model.StationStatus{
	"": model.StationOperating, "已建成": model.StationOperating, "正常运行": model.StationOperating, "运行中": model.StationOperating,
	"提档升级": model.StationUpgrading, "升级改造": model.StationUpgrading,
	"在建": model.StationPlanned, "筹建": model.StationPlanned, "规划": model.StationPlanned,
	"停用": model.StationClosed, "关闭": model.StationClosed,
}

// marks maps the cells of the six haves to met or not.
var marks = map[string]bool{
	"√": true, "✓": true, "✔": true, "是": true, "有": true,
	"": false, "×": false, "✗": false, "否": false, "无": false,
}

// phases maps 阶段 to pilot phases: residents first try the service
// (先尝), then buy it (后买).
var phases = map[string]model.PilotPhase{
	"体验服务": model.PilotTrial, "先尝": model.PilotTrial, "试点": model.PilotTrial,
	"购买服务": model.PilotPurchase, "后买": model.PilotPurchase,
	"已结束": model.PilotEnded, "结束": model.PilotEnded, "终止": model.PilotEnded,
}

// yesNo maps 是否每年安排; empty means no.
var yesNo = map[string]bool{"": false, "否": false, "是": true}

// facility is a standard station facility with the names a sheet may use.
type facility struct {
	model.Facility
	names []string
}

// facilities are the station facilities countyhub compares across
// counties, with the names counties give them.
var facilities = []facility{
	{model.Facility{Code: "children_playroom", Name: "儿童活动室"}, []string{"儿童活动室", "儿童游乐室", "儿童之家"}},
	{model.Facility{Code: "reading_room", Name: "阅览室"}, []string{"阅览室", "图书阅览室", "书屋", "农家书屋"}},
	{model.Facility{Code: "activity_room", Name: "活动室"}, []string{"活动室", "文体活动室", "多功能活动室"}},
	{model.Facility{Code: "senior_canteen", Name: "老年食堂"}, []string{"老年食堂", "长者食堂", "老年助餐点"}},
}

// parseFacilities reads a 功能室 cell such as "活动室、阅览室": the standard
// facilities it names, in order and once each, and the names it does not
// know.
func parseFacilities(cell string) (found []model.Facility, unknown []string) {
	seen := map[string]bool{}
	for _, name := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune("、，,；;/／ \u3000\n", r) }) {
		f, ok := facilityNamed(name)
		switch {
		case !ok:
			unknown = append(unknown, name)
		case !seen[f.Code]:
			seen[f.Code] = true
			found = append(found, f)
		}
	}
	return found, unknown
}

func facilityNamed(name string) (model.Facility, bool) {
	for _, f := range facilities {
		for _, n := range f.names {
			if n == name {
				return f.Facility, true
			}
		}
	}
	return model.Facility{}, false
}

func knownFacilities() string {
	var names []string
	for _, f := range facilities {
		names = append(names, f.names...)
	}
	return strings.Join(names, ", ")
}

// joinKey makes the natural key of a station: its unit and its name.
func joinKey(unit, name string) string {
	if unit == "" {
		return name
	}
	return unit + "/" + name
}

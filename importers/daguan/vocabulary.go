package main

import (
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// category is what a row describes, from its 类别 cell.
type category int

// Categories of rows.
const (
	unknownCategory category = iota
	indicatorRow
	stationRow
	spaceRow
)

var categories = map[string]category{
	"指标": indicatorRow, "统计指标": indicatorRow,
	"党群服务站": stationRow, "小区党群服务站": stationRow, "服务站": stationRow,
	"议事点": spaceRow, "议事平台": spaceRow,
}

// metrics maps the district's indicator names, folded by foldName, to
// catalog codes.
var metrics = map[string]string{
	"联席会议成员单位":  "org.joint_meeting_member_units",
	"协调解决重难点问题": "outcome.coordinated_issues",
	"小区(网格)党支部": "org.compound_party_branches",
	"小区党支部":     "org.compound_party_branches",
	"志愿服务队伍":    "org.volunteer_teams",
	"解决路面破损、消防安全、飞线充电等问题": "outcome.problems_resolved",
	"解决问题":     "outcome.problems_resolved",
	"解决小区疑难杂症": "outcome.difficult_cases_resolved",
	"解决疑难杂症":   "outcome.difficult_cases_resolved",
}

// metricCode matches a catalog code written in the 名称 cell itself.
var metricCode = regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)

// metricFor returns the catalog code of an indicator name, or "".
func metricFor(name string) string {
	if metricCode.MatchString(name) {
		return name
	}
	return metrics[foldName(name)]
}

// foldName drops spaces and quotation marks and makes parentheses ASCII,
// so 解决小区“疑难杂症” and 解决小区"疑难杂症" read alike.
func foldName(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "“", "", "”", "", "\"", "", "‘", "", "’", "", "'", "",
		"（", "(", "）", ")").Replace(s)
}

// facility is a standard station facility with the names a sheet may use.
type facility struct {
	model.Facility
	names []string
}

// facilities are the station facilities countyhub compares across
// counties, with the district's names for them.
var facilities = []facility{
	{model.Facility{Code: "children_playroom", Name: "儿童活动室"}, []string{"儿童活动室", "儿童游乐室", "儿童之家"}},
	{model.Facility{Code: "reading_room", Name: "阅览室"}, []string{"阅览室", "图书阅览室", "书屋", "农家书屋"}},
	{model.Facility{Code: "activity_room", Name: "活动室"}, []string{"活动室", "文体活动室", "多功能活动室"}},
	{model.Facility{Code: "senior_canteen", Name: "老年食堂"}, []string{"老年食堂", "长者食堂", "老年助餐点"}},
}

// facilitySeparators split the 配套设施 cell.
var facilitySeparators = "、，,；;/／ \u3000"

// parseFacilities reads a 配套设施 cell such as "儿童游乐室、图书阅览室":
// the standard facilities it names, in order and once each, and the names
// it does not know.
func parseFacilities(cell string) (found []model.Facility, unknown []string) {
	seen := map[string]bool{}
	for _, name := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(facilitySeparators, r) }) {
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

// statuses maps the 状态 cell to station states; an empty cell means the
// station is operating.
var statuses = map[string]model.StationStatus{
	"": model.StationOperating, "正常运行": model.StationOperating, "运行": model.StationOperating,
	"运行中": model.StationOperating, "已建成": model.StationOperating, "在用": model.StationOperating,
	"提档升级": model.StationUpgrading, "升级改造": model.StationUpgrading, "改造中": model.StationUpgrading,
	"在建": model.StationPlanned, "筹建": model.StationPlanned, "规划": model.StationPlanned,
	"停用": model.StationClosed, "关闭": model.StationClosed, "撤销": model.StationClosed,
}

package main

import (
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
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

// metrics are the district's indicators and the catalog metrics they
// report.
var metrics = vocabulary.NewMetrics(
	vocabulary.Metric{Code: "org.joint_meeting_member_units", Names: []string{"联席会议成员单位"}},
	vocabulary.Metric{Code: "outcome.coordinated_issues", Names: []string{"协调解决重难点问题"}},
	vocabulary.Metric{Code: "org.compound_party_branches", Names: []string{"小区（网格）党支部", "小区党支部"}},
	vocabulary.Metric{Code: "org.volunteer_teams", Names: []string{"志愿服务队伍"}},
	vocabulary.Metric{Code: "outcome.problems_resolved", Names: []string{"解决路面破损、消防安全、飞线充电等问题", "解决问题"}},
	vocabulary.Metric{Code: "outcome.difficult_cases_resolved", Names: []string{"解决小区“疑难杂症”", "解决疑难杂症"}},
)

package main

import (
	"strings"

	"github.com/countyhub/countyhub/model"
)

// indicator is a row name of the statistics table and the catalog metric
// it reports.
type indicator struct {
	// Names are the ways the page names the indicator; the first is the
	// usual one.
	Names  []string
	Metric string
	// Unit is the metric's unit.
	Unit string
	// Grouped tells that the figure may be written as groups and items,
	// "3项19条", and counts the items.
	Grouped bool
}

// indicators are the indicators of the statistics page, in its order.
var indicators = []indicator{
	{Names: []string{"三年行动计划具体工作任务", "具体工作任务", "重点工作任务"}, Metric: "plan.key_tasks", Unit: model.UnitCount, Grouped: true},
	{Names: []string{"召开联席会议", "皖美红色物业联席会议", "联席会议"}, Metric: "outcome.joint_meetings", Unit: model.UnitCount},
	{Names: []string{"召开专题调度会", "专题调度会"}, Metric: "outcome.scheduling_meetings", Unit: model.UnitCount},
	{Names: []string{"结对共建党组织", "结对共建"}, Metric: "org.paired_party_orgs", Unit: model.UnitCount},
	{Names: []string{"联结新就业新业态群体", "新就业新业态群体"}, Metric: "org.new_employment_groups_linked", Unit: model.UnitCount},
	{Names: []string{"红色物业党员志愿服务队", "党员志愿服务队", "志愿服务队"}, Metric: "org.volunteer_teams", Unit: model.UnitCount},
	{Names: []string{"党员先锋区、责任区", "党员先锋区责任区", "党员先锋区和责任区"}, Metric: "org.pioneer_zones", Unit: model.UnitCount},
	{Names: []string{"机关党员进社区报到", "党员进社区报到"}, Metric: "org.party_members_reporting", Unit: model.UnitCount},
	{Names: []string{"帮助解决困难问题", "累计帮助解决困难问题", "解决困难问题"}, Metric: "outcome.problems_resolved", Unit: model.UnitCount},
}

// findIndicator returns the indicator a row names.
func findIndicator(name string) (indicator, bool) {
	name = foldName(name)
	for _, ind := range indicators {
		for _, n := range ind.Names {
			if foldName(n) == name {
				return ind, true
			}
		}
	}
	return indicator{}, false
}

// indicatorNames lists the usual names, for messages.
func indicatorNames() string {
	names := make([]string, len(indicators))
	for i, ind := range indicators {
		names[i] = ind.Names[0]
	}
	return strings.Join(names, ", ")
}

// nameFolder drops what varies between two writings of the same name:
// spaces, line breaks, quotation marks, and full-width brackets.
var nameFolder = strings.NewReplacer(
	" ", "", "\u3000", "", "\u00a0", "", "\t", "", "\n", "",
	"“", "", "”", "", "\"", "", "「", "", "」", "",
	"（", "(", "）", ")",
)

// foldName returns a name or a header label in its folded form.
func foldName(s string) string { return nameFolder.Replace(s) }

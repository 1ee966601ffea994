package main

import (
	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
)

// indicators are the indicators of the statistics page, in its order,
// with the ways the page names them.
var indicators = vocabulary.NewMetrics(
	vocabulary.Metric{Code: "plan.key_tasks", Names: []string{"三年行动计划具体工作任务", "具体工作任务", "重点工作任务"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.joint_meetings", Names: []string{"召开联席会议", "皖美红色物业联席会议", "联席会议"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.scheduling_meetings", Names: []string{"召开专题调度会", "专题调度会"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.paired_party_orgs", Names: []string{"结对共建党组织", "结对共建"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.new_employment_groups_linked", Names: []string{"联结新就业新业态群体", "新就业新业态群体"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.volunteer_teams", Names: []string{"红色物业党员志愿服务队", "党员志愿服务队", "志愿服务队"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.pioneer_zones", Names: []string{"党员先锋区、责任区", "党员先锋区责任区", "党员先锋区和责任区"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.party_members_reporting", Names: []string{"机关党员进社区报到", "党员进社区报到"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.problems_resolved", Names: []string{"帮助解决困难问题", "累计帮助解决困难问题", "解决困难问题"}, Unit: model.UnitCount},
)

// grouped are the metrics whose figure may be written as groups and
// items, "3项19条", and counts the items.
var grouped = map[string]bool{"plan.key_tasks": true}

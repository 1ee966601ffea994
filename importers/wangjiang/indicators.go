package main

import (
	"strings"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
)

// indicators are the indicators the county reports, in the order of its
// report, with the ways the report names them.
var indicators = vocabulary.NewMetrics(
	vocabulary.Metric{Code: "org.compound_party_branches", Names: []string{"小区党支部", "皖美红色物业小区党支部"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.property_company_party_branches", Names: []string{"物业服务企业党支部", "物业企业党支部"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.owners_committees", Names: []string{"业委会(物管会)", "业委会", "物管会", "业主委员会"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.candidates_reviewed", Names: []string{"联审拟任人选", "联审拟任小区党组织书记、委员人选"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "org.party_building_instructors", Names: []string{"小区党建工作指导员", "党建工作指导员"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.cultural_activities", Names: []string{"文化活动", "开展文化活动"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.activity_participants", Names: []string{"参与群众", "参与活动群众"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.opinions_collected", Names: []string{"收集群众意见建议", "群众意见建议"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.problems_resolved", Names: []string{"帮助解决难题", "解决难题"}, Unit: model.UnitCount},
	vocabulary.Metric{Code: "outcome.disputes_resolved", Names: []string{"化解矛盾纠纷"}, Unit: model.UnitCount},
)

// trimQuotes drops the quotation marks around a name: “周末议事厅”.
func trimQuotes(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [][2]string{{"“", "”"}, {"\"", "\""}, {"「", "」"}} {
		if strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) && len(s) > len(q[0])+len(q[1]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

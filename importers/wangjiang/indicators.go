package main

import (
	"strings"

	"github.com/countyhub/countyhub/model"
)

// indicator is a row name of the report's indicator table and the catalog
// metric it reports.
type indicator struct {
	// Names are the ways the report names the indicator; the first is the
	// usual one.
	Names  []string
	Metric string
	// Unit is the metric's unit.
	Unit string
}

// indicators are the indicators the county reports, in the order of its
// report.
var indicators = []indicator{
	{[]string{"小区党支部", "皖美红色物业小区党支部"}, "org.compound_party_branches", model.UnitCount},
	{[]string{"物业服务企业党支部", "物业企业党支部"}, "org.property_company_party_branches", model.UnitCount},
	{[]string{"业委会(物管会)", "业委会", "物管会", "业主委员会"}, "org.owners_committees", model.UnitCount},
	{[]string{"联审拟任人选", "联审拟任小区党组织书记、委员人选"}, "outcome.candidates_reviewed", model.UnitCount},
	{[]string{"小区党建工作指导员", "党建工作指导员"}, "org.party_building_instructors", model.UnitCount},
	{[]string{"文化活动", "开展文化活动"}, "outcome.cultural_activities", model.UnitCount},
	{[]string{"参与群众", "参与活动群众"}, "outcome.activity_participants", model.UnitCount},
	{[]string{"收集群众意见建议", "群众意见建议"}, "outcome.opinions_collected", model.UnitCount},
	{[]string{"帮助解决难题", "解决难题"}, "outcome.problems_resolved", model.UnitCount},
	{[]string{"化解矛盾纠纷"}, "outcome.disputes_resolved", model.UnitCount},
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
	" ", "", "\u3000", "", "\t", "", "\n", "",
	"“", "", "”", "", "\"", "", "「", "", "」", "",
	"（", "(", "）", ")",
)

// foldName returns a name or a header label in its folded form.
func foldName(s string) string { return nameFolder.Replace(s) }

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

package main

import "github.com/countyhub/countyhub/model"

// indicator is an indicator of the county office system and the catalog
// metric it reports.
type indicator struct {
	// Name is the system's name of the indicator, as its export writes it.
	Name string
	// Metric is the catalog code of the metric.
	Metric string
	// Unit is the metric's unit: the default for a figure that names none,
	// and the unit a figure must be in.
	Unit string
}

// indicators maps the office system's indicator codes to catalog metrics.
// ZZ codes are organisation figures (组织建设), CX codes outcomes (工作成效),
// KH codes the structure of the county's assessment scheme (考核).
var indicators = map[string]indicator{
	"ZZ01": {"工作专班", "org.task_forces", model.UnitCount},
	"ZZ02": {"联席会议成员单位", "org.joint_meeting_member_units", model.UnitCount},
	"ZZ03": {"城市社区党委", "org.community_party_committees", model.UnitCount},
	"ZZ04": {"小区(网格)党支部", "org.compound_party_branches", model.UnitCount},
	"ZZ05": {"覆盖居民小区", "org.compounds_covered", model.UnitCount},
	"ZZ06": {"物业企业党支部", "org.property_company_party_branches", model.UnitCount},
	"ZZ07": {"联合党支部", "org.joint_party_branches", model.UnitCount},
	"ZZ08": {"党建指导员", "org.party_building_instructors", model.UnitCount},
	"ZZ09": {"在职党员到社区报到", "org.party_members_reporting", model.UnitCount},
	"CX01": {"物业企业自查整改问题", "outcome.self_check_problems_rectified", model.UnitCount},
	"KH01": {"考核一级指标", "assessment.indicators_level1", model.UnitCount},
	"KH02": {"考核二级指标", "assessment.indicators_level2", model.UnitCount},
	"KH03": {"考核三级指标", "assessment.indicators_level3", model.UnitCount},
}

// indicatorCodes lists the known codes in order, for messages.
var indicatorCodes = []string{
	"ZZ01", "ZZ02", "ZZ03", "ZZ04", "ZZ05", "ZZ06", "ZZ07", "ZZ08", "ZZ09",
	"CX01", "KH01", "KH02", "KH03",
}

package main

import (
	"strings"

	"github.com/countyhub/countyhub/importers/internal/vocabulary"
	"github.com/countyhub/countyhub/model"
)

// metrics are the county's indicators and the catalog metrics they
// report.
var metrics = vocabulary.NewMetrics(
	vocabulary.Metric{Code: "org.community_workers_recruited", Names: []string{"公开招聘社区工作者", "招聘社区工作者"}},
	vocabulary.Metric{Code: "plan.key_tasks", Names: []string{"小区物业服务年度重点工作清单", "年度重点工作清单"}},
	vocabulary.Metric{Code: "outcome.problems_resolved", Names: []string{"解决居民诉求、物业纠纷", "集中解决各类居民诉求、物业纠纷"}},
)

// commas makes the commas of an indicator's name the enumeration comma
// its names are written with: "解决居民诉求，物业纠纷" is
// 解决居民诉求、物业纠纷.
var commas = strings.NewReplacer(",", "、", "，", "、")

// metricFor returns the catalog code of an indicator name, or "".
func metricFor(name string) string { return metrics.Code(commas.Replace(name)) }

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

// joinKey makes the natural key of a station: its unit and its name.
func joinKey(unit, name string) string {
	if unit == "" {
		return name
	}
	return unit + "/" + name
}

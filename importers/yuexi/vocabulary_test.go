package main

import (
	"testing"

	"github.com/countyhub/countyhub/refdata"
)

func TestMetricFor(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"公开招聘社区工作者":       "org.community_workers_recruited",
		"解决居民诉求、物业纠纷":     "outcome.problems_resolved",
		"解决居民诉求，物业纠纷":     "outcome.problems_resolved",
		"解决居民诉求, 物业纠纷":    "outcome.problems_resolved",
		"集中解决各类居民诉求、物业纠纷": "outcome.problems_resolved",
		"“年度重点工作清单”":      "plan.key_tasks",
		"plan.key_tasks":  "plan.key_tasks",
		"居民诉求":            "",
	}
	for name, want := range cases {
		if got := metricFor(name); got != want {
			t.Errorf("metricFor(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestIndicatorsInCatalog checks that every indicator reports a metric of
// the hub's catalog, and that no name is claimed twice.
func TestIndicatorsInCatalog(t *testing.T) {
	t.Parallel()
	catalog, err := refdata.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	if err := metrics.Check(catalog); err != nil {
		t.Error(err)
	}
}

package main

import (
	"testing"

	"github.com/countyhub/countyhub/refdata"
)

func TestMetrics(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"解决小区“疑难杂症”":               "outcome.difficult_cases_resolved",
		`解决小区"疑难杂症"`:               "outcome.difficult_cases_resolved",
		"小区（网格）党支部":                "org.compound_party_branches",
		"小区(网格)党支部":                "org.compound_party_branches",
		"org.volunteer_teams":      "org.volunteer_teams",
		"小区党组织覆盖率":                 "",
		"Org.Volunteer_Teams 大写代码": "",
	}
	for name, want := range cases {
		if got := metrics.Code(name); got != want {
			t.Errorf("metrics.Code(%q) = %q, want %q", name, got, want)
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

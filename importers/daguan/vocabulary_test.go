package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFacilities(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cell        string
		wantCodes   []string
		wantUnknown []string
	}{
		"bulletin words": {cell: "儿童游乐室、图书阅览室、文体活动室、老年食堂", wantCodes: []string{"children_playroom", "reading_room", "activity_room", "senior_canteen"}},
		"standard words": {cell: "阅览室，活动室", wantCodes: []string{"reading_room", "activity_room"}},
		"repeated":       {cell: "阅览室、图书阅览室", wantCodes: []string{"reading_room"}},
		"unknown":        {cell: "老年食堂 健身房", wantCodes: []string{"senior_canteen"}, wantUnknown: []string{"健身房"}},
		"empty":          {cell: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			found, unknown := parseFacilities(tc.cell)
			var codes []string
			for _, f := range found {
				codes = append(codes, f.Code)
			}
			if diff := cmp.Diff(tc.wantCodes, codes); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantUnknown, unknown); diff != "" {
				t.Errorf("unknown (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMetricFor(t *testing.T) {
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
		if got := metricFor(name); got != want {
			t.Errorf("metricFor(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestTitleDate(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"大观区红色物业工作情况统计表（截至2023年8月7日）": "2023年8月7日",
		"统计表（截止：2023-08-07）":          "2023-08-07",
		"统计表（截至2023年8月）":              "2023年8月",
		"大观区红色物业工作情况统计表":              "",
	}
	for title, want := range cases {
		if got := titleDate(title); got != want {
			t.Errorf("titleDate(%q) = %q, want %q", title, got, want)
		}
	}
}

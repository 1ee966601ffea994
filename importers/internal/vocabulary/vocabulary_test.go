package vocabulary

import (
	"strings"
	"testing"

	"github.com/countyhub/countyhub/model"
)

func TestFold(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain":                {"联席会议", "联席会议"},
		"ascii spaces":         {"联席 会议 ", "联席会议"},
		"full-width space":     {"联席\u3000会议", "联席会议"},
		"no-break space":       {"联席\u00a0会议", "联席会议"},
		"tab and line break":   {"党员先锋区、\n责任区\t", "党员先锋区、责任区"},
		"curly quotes":         {"解决小区“疑难杂症”", "解决小区疑难杂症"},
		"single curly quotes":  {"‘周末’议事厅", "周末议事厅"},
		"ascii quotes":         {`解决小区"疑难杂症"'`, "解决小区疑难杂症"},
		"corner brackets":      {"「周末议事厅」", "周末议事厅"},
		"full-width brackets":  {"业委会（物管会）", "业委会(物管会)"},
		"ascii brackets":       {"小区(网格)党支部", "小区(网格)党支部"},
		"commas kept":          {"路面破损，消防安全", "路面破损，消防安全"},
		"letters kept":         {"Org.Teams", "Org.Teams"},
		"empty":                {"", ""},
		"bytes around a space": {"\xe3 \x80\x8d0", "\uFFFD\uFFFD0"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Fold(Fold(tc.in)); got != tc.want {
				t.Errorf("Fold(Fold(%q)) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSame(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		a, b string
		want bool
	}{
		"typed alike":     {"小区（网格）党支部", "小区(网格) 党支部", true},
		"quoted":          {"解决小区“疑难杂症”", "解决小区疑难杂症", true},
		"different names": {"小区党支部", "物业企业党支部", false},
		"extra word":      {"联席会议", "召开联席会议", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Same(tc.a, tc.b); got != tc.want {
				t.Errorf("Same(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// testMetrics is the vocabulary of the tests.
var testMetrics = NewMetrics(
	Metric{Code: "org.compound_party_branches", Names: []string{"小区（网格）党支部", "小区党支部", "小区(网格)党支部"}, Unit: model.UnitCount},
	Metric{Code: "outcome.difficult_cases_resolved", Names: []string{"解决小区“疑难杂症”", "解决疑难杂症"}},
	// A name an earlier metric has stands for the earlier one.
	Metric{Code: "org.other_branches", Names: []string{"其他党支部", "小区党支部"}},
	Metric{Code: "org.unnamed"},
)

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name string
		want string // code, "" when unknown
	}{
		"usual name":         {"小区（网格）党支部", "org.compound_party_branches"},
		"usual name, ascii":  {"小区(网格)党支部", "org.compound_party_branches"},
		"other name":         {"小区党支部", "org.compound_party_branches"},
		"quotes typed apart": {`解决小区"疑难杂症"`, "outcome.difficult_cases_resolved"},
		"quotes left out":    {"解决小区疑难杂症", "outcome.difficult_cases_resolved"},
		"spaced":             {" 解决 疑难杂症\n", "outcome.difficult_cases_resolved"},
		"later metric":       {"其他党支部", "org.other_branches"},
		"unknown":            {"小区党组织覆盖率", ""},
		"code is not a name": {"org.compound_party_branches", ""},
		"empty":              {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := testMetrics.Lookup(tc.name)
			if ok != (tc.want != "") || got.Code != tc.want {
				t.Errorf("Lookup(%q) = %q, %v; want %q", tc.name, got.Code, ok, tc.want)
			}
		})
	}
}

func TestCode(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"解决小区“疑难杂症”":               "outcome.difficult_cases_resolved",
		`解决小区"疑难杂症"`:               "outcome.difficult_cases_resolved",
		"小区(网格)党支部":                "org.compound_party_branches",
		"org.volunteer_teams":      "org.volunteer_teams",
		"assessment.level1_items":  "assessment.level1_items",
		"outcome.a.b":              "outcome.a.b",
		"org":                      "",
		"org.":                     "",
		"Org.Volunteer_Teams":      "",
		"org.volunteer_teams 大写代码": "",
		"小区党组织覆盖率":                 "",
		"":                         "",
	}
	for name, want := range tests {
		if got := testMetrics.Code(name); got != want {
			t.Errorf("Code(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestKnown(t *testing.T) {
	t.Parallel()
	if got, want := testMetrics.Known(), "小区（网格）党支部, 解决小区“疑难杂症”, 其他党支部"; got != want {
		t.Errorf("Known() = %q, want %q", got, want)
	}
	if got := NewMetrics().Known(); got != "" {
		t.Errorf("Known() of an empty vocabulary = %q, want \"\"", got)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	catalog := []model.Metric{
		{Code: "org.compound_party_branches", Unit: model.UnitCount},
		{Code: "outcome.difficult_cases_resolved", Unit: model.UnitCount},
		{Code: "budget.amount", Unit: model.UnitCNY},
	}
	tests := map[string]struct {
		metrics *Metrics
		want    []string // parts of the error, one per problem
	}{
		"good": {metrics: NewMetrics(
			Metric{Code: "org.compound_party_branches", Names: []string{"小区党支部", "小区（网格）党支部", "小区(网格)党支部"}, Unit: model.UnitCount},
			Metric{Code: "outcome.difficult_cases_resolved", Names: []string{"解决疑难杂症"}},
		)},
		"empty": {metrics: NewMetrics()},
		"not in the catalog": {
			metrics: NewMetrics(Metric{Code: "org.unknown", Names: []string{"未知"}}),
			want:    []string{"metric org.unknown is not in the catalog"},
		},
		"other unit": {
			metrics: NewMetrics(Metric{Code: "budget.amount", Names: []string{"金额"}, Unit: model.UnitCount}),
			want:    []string{"metric budget.amount is in COUNT, but the catalog has it in CNY"},
		},
		"no name": {
			metrics: NewMetrics(Metric{Code: "budget.amount"}),
			want:    []string{"metric budget.amount has no name"},
		},
		"name twice": {
			metrics: NewMetrics(
				Metric{Code: "org.compound_party_branches", Names: []string{"小区（网格）党支部"}},
				Metric{Code: "outcome.difficult_cases_resolved", Names: []string{"解决疑难杂症", "小区(网格)党支部"}},
			),
			want: []string{`name "小区(网格)党支部" is given to org.compound_party_branches and to outcome.difficult_cases_resolved`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tc.metrics.Check(catalog)
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("Check: %v; want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check: no error; want %q", tc.want)
			}
			if got := strings.Count(err.Error(), "\n") + 1; got != len(tc.want) {
				t.Errorf("Check: %v; want %d problems", err, len(tc.want))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check: %v; want it to say %q", err, w)
				}
			}
		})
	}
}

func FuzzFold(f *testing.F) {
	f.Add("小区（网格） 党支部")
	f.Add("解决小区“疑难杂症”")
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if Fold(folded) != folded {
			t.Errorf("Fold(%q) = %q, which folds again to %q", s, folded, Fold(folded))
		}
		if !Same(s, folded) {
			t.Errorf("Same(%q, Fold(%[1]q)) = false", s)
		}
	})
}

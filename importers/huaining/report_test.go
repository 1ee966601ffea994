package main

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/sdk"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
	"github.com/countyhub/countyhub/refdata"
)

// TestIndicatorsInCatalog checks that every indicator code maps to a
// metric of the hub's catalog, in the metric's unit, and that the list of
// codes for messages is complete.
func TestIndicatorsInCatalog(t *testing.T) {
	t.Parallel()
	metrics, err := refdata.Metrics()
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]string{}
	for _, m := range metrics {
		units[m.Code] = m.Unit
	}
	for code, ind := range indicators {
		unit, ok := units[ind.Metric]
		switch {
		case !ok:
			t.Errorf("%s: metric %s is not in the catalog", code, ind.Metric)
		case unit != ind.Unit:
			t.Errorf("%s: unit %s, but metric %s is in %s", code, ind.Unit, ind.Metric, unit)
		}
	}
	codes := slices.Sorted(func(yield func(string) bool) {
		for code := range indicators {
			if !yield(code) {
				return
			}
		}
	})
	if diff := cmp.Diff(codes, slices.Sorted(slices.Values(indicatorCodes))); diff != "" {
		t.Errorf("indicatorCodes differs from the keys of indicators (-keys +list):\n%s", diff)
	}
}

func TestReadBudget(t *testing.T) {
	t.Parallel()
	amount := func(s string) *string { return &s }
	tests := map[string]struct {
		el        budgetElement
		want      *sdk.Budget
		wantField string
	}{
		"complete": {
			el:   budgetElement{Code: "JB1", Year: "2023年", Status: "已拨付", Recurring: "是", Purpose: " 奖补 ", Source: "县财政", Amount: amount("100万元")},
			want: &sdk.Budget{Key: "JB1", Year: 2023, Purpose: "奖补", Source: "县财政", Status: model.BudgetDisbursed, Recurring: true, Amount: model.Quantity{Value: 1e6, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "100万元"}},
		},
		"defaults": {
			el:   budgetElement{Code: "JB2", Year: "2024", Purpose: "奖补", Amount: amount("6万余")},
			want: &sdk.Budget{Key: "JB2", Year: 2024, Purpose: "奖补", Status: model.BudgetAllocated, Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余"}},
		},
		"no code":        {el: budgetElement{Year: "2023", Purpose: "奖补", Amount: amount("1元")}, wantField: "code"},
		"bad year":       {el: budgetElement{Code: "JB", Year: "23", Purpose: "奖补", Amount: amount("1元")}, wantField: "year"},
		"month":          {el: budgetElement{Code: "JB", Year: "2023-08", Purpose: "奖补", Amount: amount("1元")}, wantField: "year"},
		"no purpose":     {el: budgetElement{Code: "JB", Year: "2023", Amount: amount("1元")}, wantField: "purpose"},
		"no amount":      {el: budgetElement{Code: "JB", Year: "2023", Purpose: "奖补"}, wantField: "amount"},
		"count amount":   {el: budgetElement{Code: "JB", Year: "2023", Purpose: "奖补", Amount: amount("3个")}, wantField: "amount"},
		"unknown status": {el: budgetElement{Code: "JB", Year: "2023", Purpose: "奖补", Amount: amount("1元"), Status: "done"}, wantField: "status"},
		"bad recurring":  {el: budgetElement{Code: "JB", Year: "2023", Purpose: "奖补", Amount: amount("1元"), Recurring: "yearly"}, wantField: "recurring"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, d := readBudget(tc.el)
			if tc.wantField != "" {
				if d == nil || d.Field != tc.wantField || d.Severity != sdk.SeverityError {
					t.Fatalf("readBudget = %+v, %+v; want an error on %s", got, d, tc.wantField)
				}
				return
			}
			if d != nil {
				t.Fatalf("readBudget: %s", d)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("readBudget (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzImport feeds the importer arbitrary files: it must never panic or
// fail, and everything it emits must say where it is in the file.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340822", Options: map[string]string{"as_of": "2023-08-07"}, RecordReference: "line ",
	})
}

package main

import (
	"testing"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
)

func TestInTenThousands(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cell string
		want float64
		qual model.Qualifier
	}{
		"bare number":      {cell: "135", want: 1350000, qual: model.Exact},
		"decimal":          {cell: "6.5", want: 65000, qual: model.Exact},
		"more than":        {cell: "6余", want: 60000, qual: model.AtLeast},
		"own unit in 万元":   {cell: "135万元", want: 1350000, qual: model.Exact},
		"own unit in yuan": {cell: "1350000元", want: 1350000, qual: model.Exact},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q, err := normalize.Quantity(inTenThousands(tc.cell), model.UnitCNY)
			if err != nil {
				t.Fatal(err)
			}
			if q.Value != tc.want || q.Qualifier != tc.qual || q.Unit != model.UnitCNY {
				t.Errorf("%q reads as %v %s %s, want %v %s CNY", tc.cell, q.Value, q.Qualifier, q.Unit, tc.want, tc.qual)
			}
		})
	}
}

func TestBudgetYear(t *testing.T) {
	t.Parallel()
	cases := map[string]int{"2022": 2022, "2022年": 2022, "2023年度": 2023, "今年": 0, "2022-08": 0, "": 0}
	for cell, want := range cases {
		got, err := budgetYear(row{sheet: "经费", num: 4, cells: []string{"1", "", "", cell}})
		if (err != nil) != (want == 0) || got != want {
			t.Errorf("budgetYear(%q) = %d, %v; want %d", cell, got, err, want)
		}
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cell    string
		want    int
		wantNil bool
		wantErr bool
	}{
		"number":      {cell: "12", want: 12},
		"with unit":   {cell: "12个", want: 12},
		"empty":       {cell: "", wantNil: true},
		"approximate": {cell: "约300户", wantErr: true},
		"fraction":    {cell: "2.5", wantErr: true},
		"text":        {cell: "若干", wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := count(row{sheet: "试点", num: 4, cells: []string{"1", tc.cell}}, 2, "小区数")
			switch {
			case tc.wantErr:
				if err == nil {
					t.Errorf("count(%q) = %v, want an error", tc.cell, got)
				}
			case err != nil:
				t.Errorf("count(%q): %v", tc.cell, err)
			case tc.wantNil != (got == nil) || (got != nil && *got != tc.want):
				t.Errorf("count(%q) = %v, want %d (nil: %t)", tc.cell, got, tc.want, tc.wantNil)
			}
		})
	}
}

func TestRowNote(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cells []string
		want  bool
	}{
		"note":           {cells: []string{"注：“六有”即有场所……"}, want: true},
		"note and blank": {cells: []string{"填报单位：县委组织部", "", ""}, want: true},
		"numbered row":   {cells: []string{"12"}},
		"data row":       {cells: []string{"1", "城东新村党群服务站"}},
		"empty":          {cells: nil},
	}
	for name, tc := range cases {
		if got := (row{cells: tc.cells}).note(); got != tc.want {
			t.Errorf("%s: note() = %t, want %t", name, got, tc.want)
		}
	}
}

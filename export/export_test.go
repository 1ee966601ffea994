package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
)

func comparison() analytics.Comparison {
	share := 0.5
	return analytics.Comparison{
		Metric: model.Metric{Code: "outcome.problems_resolved", Name: "解决问题"},
		Period: "2023",
		Scope:  model.AdminUnit{Code: "340800", Name: "安庆市"},
		Rows: []analytics.Row{
			{Unit: model.AdminUnit{Code: "340882", Name: "潜山市"}, Rank: 1, Value: model.Quantity{Value: 580, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "580余件"},
				Share: &share, Source: model.RollupFigure{FileName: "=HYPERLINK(\"http://x\")", Reference: "table 1 row 10", Run: "r1"}},
			{Unit: model.AdminUnit{Code: "340828", Name: "岳西县"}, Rank: 2, Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount},
				Partial: true, Contributors: []string{"340828-26b2ea5907"}, PerUnitMissing: "-1 reports nothing"},
		},
		Total: &model.Quantity{Value: 880, Qualifier: model.AtLeast, Unit: model.UnitCount},
		Gaps:  []model.AdminUnit{{Code: "340802", Name: "迎江区"}},
	}
}

func TestCSVHasABOMAndNoFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, Comparison(comparison())); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\ufeff")) {
		t.Error("no byte-order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	r.FieldsPerRecord = -1 // the title line has one field
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Title, header, two rows, the total, one gap.
	if len(rows) != 6 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	if r := rows[2]; r[0] != "1" || r[1] != "潜山市" || r[3] != "580" || r[4] != "AT_LEAST" || r[6] != "580余件" || r[9] != "0.5" || r[12] != "table 1 row 10" {
		t.Errorf("first row %q", r)
	}
	if r := rows[2]; r[11] != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula in a cell is not neutralized: %q", r[11])
	}
	if r := rows[3]; r[7] != "partial" || r[8] != "340828-26b2ea5907" || r[10] != "'-1 reports nothing" {
		t.Errorf("partial row %q", r)
	}
	if r := rows[4]; r[1] != "合计 total" || r[3] != "880" || r[4] != "AT_LEAST" {
		t.Errorf("total row %q", r)
	}
	if r := rows[5]; r[1] != "迎江区" || r[4] != "无数据 no data" {
		t.Errorf("gap row %q", r)
	}
}

func TestXLSXKeepsNumbersAndText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, Comparison(comparison())); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A1": "安庆市 解决问题 (outcome.problems_resolved), 2023", "B3": "潜山市", "D3": "580", "E3": "AT_LEAST", "G3": "580余件", "L3": `'=HYPERLINK("http://x")`} {
		if got, _ := f.GetCellValue("Sheet1", cell); got != want {
			t.Errorf("%s = %q; want %q", cell, got, want)
		}
	}
	if typ, _ := f.GetCellType("Sheet1", "D3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("D3 is %v; want a number", typ)
	}
	if formula, _ := f.GetCellFormula("Sheet1", "L3"); formula != "" {
		t.Errorf("L3 holds the formula %q", formula)
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-5": "'-5", "@SUM": "'@SUM", "\tx": "'\tx", "580余件": "580余件", "": ""} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q; want %q", in, got, want)
		}
	}
}

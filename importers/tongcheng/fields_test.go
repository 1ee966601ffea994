package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/model"
)

func TestFigure(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		doc       string
		want      model.Quantity
		wantField string
		wantMsg   string
	}{
		"value and unit":    {doc: `{"value": 47, "unit": "家"}`, want: model.Quantity{Value: 47, Qualifier: model.Exact, Unit: model.UnitCount, Text: "47家"}},
		"value alone":       {doc: `{"value": 5}`, want: model.Quantity{Value: 5, Qualifier: model.Exact, Unit: model.UnitCount, Text: "5"}},
		"reported text":     {doc: `{"valueText": "300余件"}`, want: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}},
		"both, agreeing":    {doc: `{"value": 300, "valueText": "300余件"}`, want: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}},
		"both, disagreeing": {doc: `{"value": 30, "valueText": "300余件"}`, wantField: "valueText", wantMsg: "reads as 300, but value is 30"},
		"string value":      {doc: `{"value": "85"}`, wantField: "value", wantMsg: `want a number, found a string "85"`},
		"null value":        {doc: `{"value": null}`, wantField: "value", wantMsg: "missing"},
		"no value":          {doc: `{"unit": "个"}`, wantField: "value", wantMsg: "missing"},
		"bad text":          {doc: `{"valueText": "若干"}`, wantField: "valueText", wantMsg: "no number"},
		"unit not a word":   {doc: `{"value": 5, "unit": "次/月"}`, wantField: "value", wantMsg: "not a figure"},
		"number unit":       {doc: `{"value": 5, "unit": 3}`, wantField: "unit", wantMsg: "want a string, found a number 3"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o, ferr := asObject(json.RawMessage(tc.doc), "$.indicators[0]", "an indicator")
			if ferr != nil {
				t.Fatal(ferr)
			}
			got, ferr := figure(o)
			if tc.wantField != "" {
				if ferr == nil || ferr.field != tc.wantField || !strings.Contains(ferr.msg, tc.wantMsg) {
					t.Fatalf("figure(%s) error = %+v, want field %s saying %q", tc.doc, ferr, tc.wantField, tc.wantMsg)
				}
				return
			}
			if ferr != nil {
				t.Fatal(ferr)
			}
			if got != tc.want {
				t.Errorf("figure(%s) = %+v, want %+v", tc.doc, got, tc.want)
			}
		})
	}
}

package pipeline

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

func TestQuantity(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      model.Quantity
		unit    string
		want    model.Quantity
		wantErr string
	}{
		"read from the text":   {in: model.Quantity{Text: "6万余元"}, unit: model.UnitCNY, want: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"}},
		"explicit":             {in: model.Quantity{Value: 300, Qualifier: model.AtLeast}, unit: model.UnitCount, want: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount}},
		"empty text":           {in: model.Quantity{Text: " "}, unit: model.UnitCount, wantErr: "value is empty"},
		"unreadable text":      {in: model.Quantity{Text: "NaN"}, unit: model.UnitCount, wantErr: `quantity "NaN"`},
		"unknown qualifier":    {in: model.Quantity{Value: 1, Qualifier: "ABOUT"}, unit: model.UnitCount, wantErr: `qualifier "ABOUT"`},
		"negative":             {in: model.Quantity{Value: -1, Qualifier: model.Exact}, unit: model.UnitCount, wantErr: "not a count or amount"},
		"NaN":                  {in: model.Quantity{Value: math.NaN(), Qualifier: model.Exact}, unit: model.UnitCount, wantErr: "not a count or amount"},
		"infinite":             {in: model.Quantity{Value: math.Inf(1), Qualifier: model.AtLeast}, unit: model.UnitCNY, wantErr: "not a count or amount"},
		"negative infinite":    {in: model.Quantity{Value: math.Inf(-1), Qualifier: model.Exact}, unit: model.UnitCNY, wantErr: "not a count or amount"},
		"largest finite value": {in: model.Quantity{Value: math.MaxFloat64, Qualifier: model.Exact}, unit: model.UnitCNY, want: model.Quantity{Value: math.MaxFloat64, Qualifier: model.Exact, Unit: model.UnitCNY}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, p := quantity("value", tc.in, tc.unit)
			if tc.wantErr != "" {
				if p == nil || !strings.Contains(p.msg, tc.wantErr) || p.field != "value" {
					t.Errorf("quantity(%+v) = %+v, %v; want a problem of value saying %q", tc.in, got, p, tc.wantErr)
				}
				return
			}
			if p != nil {
				t.Fatalf("quantity(%+v): %v", tc.in, p)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("quantity(%+v) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

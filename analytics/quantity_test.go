package analytics

import (
	"testing"

	"github.com/countyhub/countyhub/model"
)

func q(v float64, qual model.Qualifier) model.Quantity {
	return model.Quantity{Value: v, Qualifier: qual, Unit: model.UnitCount}
}

func TestSumKeepsQualifiersHonest(t *testing.T) {
	tests := []struct {
		name  string
		terms []model.Quantity
		want  model.Quantity
	}{
		{"exact", []model.Quantity{q(113, model.Exact), q(85, model.Exact)}, q(198, model.Exact)},
		{"30+ and 12 is 42+", []model.Quantity{q(30, model.AtLeast), q(12, model.Exact)}, q(42, model.AtLeast)},
		{"two lower bounds", []model.Quantity{q(580, model.AtLeast), q(500, model.AtLeast)}, q(1080, model.AtLeast)},
		{"upper bound", []model.Quantity{q(5, model.AtMost), q(2, model.Exact)}, q(7, model.AtMost)},
		{"lower and upper bound", []model.Quantity{q(5, model.AtMost), q(2, model.AtLeast)}, q(7, model.Approximate)},
		{"approximate", []model.Quantity{q(3000, model.Approximate), q(50, model.AtLeast)}, q(3050, model.Approximate)},
		{"one term", []model.Quantity{q(300, model.AtLeast)}, q(300, model.AtLeast)},
	}
	for _, tc := range tests {
		got, err := Sum(tc.terms...)
		if err != nil || got != tc.want {
			t.Errorf("%s: Sum = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	if _, err := Sum(q(1, model.Exact), model.Quantity{Value: 1, Qualifier: model.Exact, Unit: model.UnitCNY}); err == nil {
		t.Error("COUNT + CNY added")
	}
	if _, err := Sum(); err == nil {
		t.Error("empty sum accepted")
	}
}

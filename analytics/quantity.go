// Package analytics compares units on a metric with arithmetic that keeps
// qualifiers honest, and computes the rollups comparisons read: "30余" and
// "12" add up to "42余", never to 42.
package analytics

import (
	"fmt"

	"github.com/countyhub/countyhub/model"
)

// Sum adds quantities of one measurement unit. The sum is EXACT only when
// every term is; a lower bound among exact terms makes a lower bound
// (AT_LEAST), an upper bound an upper bound (AT_MOST); lower and upper
// bounds together, or an approximate term, make it APPROXIMATE. The sum
// has no original text.
func Sum(qs ...model.Quantity) (model.Quantity, error) {
	if len(qs) == 0 {
		return model.Quantity{}, fmt.Errorf("sum of nothing")
	}
	out := model.Quantity{Qualifier: model.Exact, Unit: qs[0].Unit}
	for _, q := range qs {
		if q.Unit != out.Unit {
			return model.Quantity{}, fmt.Errorf("cannot add %s to %s", q.Unit, out.Unit)
		}
		out.Value += q.Value
		out.Qualifier = combine(out.Qualifier, q.Qualifier)
	}
	return out, nil
}

func combine(a, b model.Qualifier) model.Qualifier {
	switch {
	case a == b:
		return a
	case a == model.Exact:
		return b
	case b == model.Exact:
		return a
	default: // a bound and another kind of bound, or an approximation
		return model.Approximate
	}
}

// Scale multiplies a quantity by a factor, keeping its qualifier.
func Scale(q model.Quantity, by float64) model.Quantity {
	return model.Quantity{Value: q.Value * by, Qualifier: q.Qualifier, Unit: q.Unit}
}

package graph

import (
	"context"

	"github.com/countyhub/countyhub/model"
)

// ofUnit returns the records of a unit: all of a county's, those located
// in a lower unit, none for a city. The records are loaded by county, so a
// list of units costs one query.
func ofUnit[T any](ctx context.Context, u *model.AdminUnit, load func(context.Context, string) ([]T, error), unitOf func(T) string) ([]T, error) {
	if u.Level == model.LevelCity || u.CountyCode == "" {
		return []T{}, nil
	}
	all, err := load(ctx, u.CountyCode)
	if err != nil || u.Level == model.LevelCounty {
		return all, err
	}
	out := []T{}
	for _, v := range all {
		if unitOf(v) == u.Code {
			out = append(out, v)
		}
	}
	return out, nil
}

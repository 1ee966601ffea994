package auth

import (
	"context"
	"errors"
	"testing"
)

func TestRoleOfEnumReadsWhatEnumWrites(t *testing.T) {
	for _, r := range []Role{Admin, CountyEditor, Analyst, Anonymous} {
		got, err := RoleOfEnum(r.Enum())
		if err != nil || got != r {
			t.Errorf("RoleOfEnum(%q) = %q, %v; want %q", r.Enum(), got, err, r)
		}
	}
	for _, s := range []string{"admin", "Admin", "", "ROOT"} {
		if r, err := RoleOfEnum(s); err == nil {
			t.Errorf("RoleOfEnum(%q) = %q; want an error", s, r)
		}
	}
}

func TestRequireAnswersAsTheRoleChecks(t *testing.T) {
	as := func(r Role) context.Context {
		return WithPrincipal(context.Background(), Principal{Name: "t", Role: r, Counties: []string{"340828"}})
	}
	cases := []struct {
		ctx  context.Context
		role Role
		want error
		msg  string
	}{
		{context.Background(), Analyst, ErrUnauthenticated, "unauthenticated: listing import runs needs a token"},
		{as(Anonymous), Analyst, ErrUnauthenticated, "unauthenticated: listing import runs needs a token"},
		{as(Analyst), Analyst, nil, ""},
		{as(Analyst), CountyEditor, ErrForbidden, "forbidden: listing import runs: role analyst only reads"},
		{as(CountyEditor), CountyEditor, nil, ""},
		{as(CountyEditor), Admin, ErrForbidden, "forbidden: listing import runs needs an admin token; this one is county_editor"},
		{as(Anonymous), Admin, ErrUnauthenticated, "unauthenticated: listing import runs needs an admin token"},
		{as(Admin), Admin, nil, ""},
	}
	for _, c := range cases {
		err := Require(c.ctx, c.role, "listing import runs")
		if !errors.Is(err, c.want) || err != nil && err.Error() != c.msg {
			t.Errorf("Require(%s) = %v; want %q", c.role, err, c.msg)
		}
	}
}

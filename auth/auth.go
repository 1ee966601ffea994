// Package auth says who is calling and what they may do: API tokens with
// roles (admin, county editor, analyst), stored hashed and revocable, the
// principal of a request carried in its context, and the HTTP middleware
// that authenticates Bearer tokens.
//
// Checks live where the action happens: the import pipeline asks
// CanEdit before it imports, publishes, discards or rolls back, and the
// token manager asks for an admin, whoever calls them; the GraphQL API
// asks Require for each field its schema marks @requires.
package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// Role is what a token may do.
type Role string

// Roles, from most to least powerful; Anonymous is a caller without a
// token, where the operator allows anonymous reading.
const (
	// Admin does everything: imports anywhere, manages tokens, reads the
	// audit log.
	Admin Role = "admin"
	// CountyEditor imports, publishes, discards and rolls back for its
	// counties only, and reads everything analysts read.
	CountyEditor Role = "county_editor"
	// Analyst reads everything, import runs and diagnostics included, and
	// changes nothing.
	Analyst Role = "analyst"
	// Anonymous reads published data only.
	Anonymous Role = "anonymous"
)

// ParseRole reads a role as written on the command line or in GraphQL
// (admin, county_editor, analyst; any case).
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Admin, CountyEditor, Analyst:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want admin, county_editor or analyst", s)
}

// RoleOfEnum reads a role as GraphQL's enum Role spells it (ADMIN,
// COUNTY_EDITOR, ANALYST, ANONYMOUS).
func RoleOfEnum(s string) (Role, error) {
	switch r := Role(strings.ToLower(s)); r {
	case Admin, CountyEditor, Analyst, Anonymous:
		if r.Enum() == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: want ADMIN, COUNTY_EDITOR, ANALYST or ANONYMOUS", s)
}

// Enum is the role as GraphQL's enum Role spells it: ADMIN, COUNTY_EDITOR,
// ANALYST or ANONYMOUS.
func (r Role) Enum() string { return strings.ToUpper(string(r)) }

// Principal is who makes a request.
type Principal struct {
	// TokenID is the public id of the token; "" for anonymous and system
	// callers.
	TokenID string
	// Name describes the caller for logs and the audit log.
	Name string
	Role Role
	// Counties are the codes of the units a county editor may change, or
	// an analyst reads the import runs of, with what lies within them; an
	// analyst without any reads every run.
	Counties []string
}

// System is the hub itself: loading the demo, recovering runs at start.
var System = Principal{Name: "system", Role: Admin}

// AnonymousPrincipal is a caller without a token.
var AnonymousPrincipal = Principal{Name: "anonymous", Role: Anonymous}

// Label names the caller in the audit log: "token ID (NAME, ROLE)", or
// the name of a caller without a token.
func (p Principal) Label() string {
	if p.TokenID == "" {
		return p.Name
	}
	return fmt.Sprintf("token %s (%s, %s)", p.TokenID, p.Name, p.Role)
}

// CanRead tells whether the caller may read beyond published data:
// import runs, their diagnostics and diffs.
func (p Principal) CanRead() bool {
	return p.Role == Admin || p.Role == CountyEditor || p.Role == Analyst
}

// CanSee tells whether the caller may read the import runs of the unit
// with this code, their diagnostics and diffs: an analyst given units (a
// city or province analyst) those of its subtree, an admin, a county
// editor and an analyst given none every unit's.
func (p Principal) CanSee(unit string) bool {
	if !p.CanRead() {
		return false
	}
	if p.Role == Analyst && len(p.Counties) > 0 {
		return slices.ContainsFunc(p.Counties, func(scope string) bool { return model.Within(unit, scope) })
	}
	return true
}

// CanEdit tells whether the caller may import, publish, discard and roll
// back for the unit with this code: a county editor for its units and
// what lies within them (a token for a city edits its counties too; see
// model.Within).
func (p Principal) CanEdit(unit string) bool {
	switch p.Role {
	case Admin:
		return true
	case CountyEditor:
		return slices.ContainsFunc(p.Counties, func(scope string) bool { return model.Within(unit, scope) })
	}
	return false
}

// IsAdmin tells whether the caller may manage tokens and read the audit
// log.
func (p Principal) IsAdmin() bool { return p.Role == Admin }

// Errors of this package, for errors.Is.
var (
	// ErrUnauthenticated: no valid token where one is needed.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller's role does not allow the operation.
	ErrForbidden = errors.New("forbidden")
)

type principalKey struct{}

// WithPrincipal returns a context that carries p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of ctx, and whether there is one.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Edit checks that the caller of ctx may change the unit: a context
// without a principal may do nothing (the hub's own work runs as System).
func Edit(ctx context.Context, unit, what string) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok {
		return p, fmt.Errorf("%w: %s for %s needs a token", ErrUnauthenticated, what, unit)
	}
	if !p.CanEdit(unit) {
		switch p.Role {
		case Anonymous:
			return p, fmt.Errorf("%w: %s for %s needs a token", ErrUnauthenticated, what, unit)
		case CountyEditor:
			return p, fmt.Errorf("%w: %s for %s: this token edits only %s", ErrForbidden, what, unit, strings.Join(p.Counties, ", "))
		default:
			return p, fmt.Errorf("%w: %s for %s: role %s only reads", ErrForbidden, what, unit, p.Role)
		}
	}
	return p, nil
}

// Read checks that the caller of ctx may read beyond published data.
func Read(ctx context.Context, what string) error {
	p, ok := FromContext(ctx)
	if !ok || p.Role == Anonymous {
		return fmt.Errorf("%w: %s needs a token", ErrUnauthenticated, what)
	}
	if !p.CanRead() {
		return fmt.Errorf("%w: %s", ErrForbidden, what)
	}
	return nil
}

// Administer checks that the caller of ctx is an admin.
func Administer(ctx context.Context, what string) error {
	p, ok := FromContext(ctx)
	if !ok || p.Role == Anonymous {
		return fmt.Errorf("%w: %s needs an admin token", ErrUnauthenticated, what)
	}
	if !p.IsAdmin() {
		return fmt.Errorf("%w: %s needs an admin token; this one is %s", ErrForbidden, what, p.Role)
	}
	return nil
}

// Require checks that the caller of ctx has at least the role, with
// Read's answers for Analyst, Editor's for CountyEditor and Administer's
// for Admin; what says what the caller does, for the error.
func Require(ctx context.Context, role Role, what string) error {
	switch role {
	case Admin:
		return Administer(ctx, what)
	case CountyEditor:
		_, err := Editor(ctx, what)
		return err
	case Analyst:
		return Read(ctx, what)
	case Anonymous:
		return nil
	}
	return fmt.Errorf("%w: %s: unknown role %q", ErrForbidden, what, role)
}

// Editor checks, before anything is looked up, that the caller of ctx
// may change some data at all: without a token it gets
// ErrUnauthenticated, with a token that only reads ErrForbidden. Which
// units it may change is checked by Edit once the unit is known.
func Editor(ctx context.Context, what string) (Principal, error) {
	p, ok := FromContext(ctx)
	switch {
	case !ok || p.Role == Anonymous:
		return p, fmt.Errorf("%w: %s needs a token", ErrUnauthenticated, what)
	case p.Role != Admin && p.Role != CountyEditor:
		return p, fmt.Errorf("%w: %s: role %s only reads", ErrForbidden, what, p.Role)
	}
	return p, nil
}

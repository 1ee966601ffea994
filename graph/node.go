package graph

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vikstrous/dataloadgen"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// Node is a value of the GraphQL interface Node: a model.AdminUnit,
// model.Station, model.Space, model.Pilot, model.Budget or
// model.Observation. The generated executor picks the GraphQL type by the
// value's Go type.
type Node any

// GraphQL types that implement Node, as they appear in global ids.
const (
	typeUnit        = "AdminUnit"
	typeStation     = "ServiceStation"
	typeSpace       = "SharedSpace"
	typePilot       = "Pilot"
	typeBudget      = "BudgetLine"
	typeObservation = "Observation"
)

// globalID is what a global id names: a record of a type by its natural
// key within its release unit (the county, or the city for city-wide
// observations), the same across imports; or, for an AdminUnit, the unit
// by its code (Unit, with an empty Key).
type globalID struct {
	Type string
	Unit string
	Key  string
}

// String is the id clients see: "Type:unit/key" (an AdminUnit's
// "AdminUnit:code") in base64url without padding, so that it reads as
// opaque and needs no escaping in a URL.
func (g globalID) String() string {
	raw := g.Type + ":" + g.Unit
	if g.Type != typeUnit {
		raw += "/" + g.Key
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

var errMalformedID = errors.New("not a global id: pass the id of a Node")

// parseGlobalID decodes a global id. A unit code never holds a slash, so
// the first one ends it and the key keeps any of its own.
func parseGlobalID(id string) (globalID, error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	// The decoder skips line breaks and stray bits; only the canonical
	// encoding is an id, so that a record has one.
	if err != nil || !utf8.Valid(b) || base64.RawURLEncoding.EncodeToString(b) != id {
		return globalID{}, errMalformedID
	}
	typ, rest, ok := strings.Cut(string(b), ":")
	if !ok {
		return globalID{}, errMalformedID
	}
	switch typ {
	case typeUnit:
		if rest == "" || strings.Contains(rest, "/") {
			return globalID{}, errMalformedID
		}
		return globalID{Type: typ, Unit: rest}, nil
	case typeStation, typeSpace, typePilot, typeBudget, typeObservation:
		unit, key, ok := strings.Cut(rest, "/")
		if !ok || unit == "" || key == "" {
			return globalID{}, errMalformedID
		}
		return globalID{Type: typ, Unit: unit, Key: key}, nil
	default:
		if len(typ) > 32 {
			return globalID{}, errMalformedID
		}
		return globalID{}, fmt.Errorf("%q is not a type of Node", typ)
	}
}

// idArg decodes the global id given as the argument arg, or returns a
// BAD_USER_INPUT error naming the argument.
func idArg(arg, id string) (globalID, error) {
	g, err := parseGlobalID(id)
	if err != nil {
		shown := id
		if len(shown) > 64 {
			shown = shown[:64] + "…"
		}
		return globalID{}, errBadInput("%s %q: %v", arg, shown, err)
	}
	return g, nil
}

// releaseUnit is the unit whose release holds an observation: its
// county, or the city for a city-wide figure.
func releaseUnit(o model.Observation) string {
	if o.CountyCode != "" {
		return o.CountyCode
	}
	return o.UnitCode
}

// lookup starts loading, through the request's loaders, the record a
// global id names from the current release, and returns the function that
// waits for it: nil when the release does not have it. Starting every
// lookup of a list before waiting for any lets one batch serve them all.
func (r *Resolver) lookup(ctx context.Context, g globalID) func() (Node, error) {
	l := r.loadersFor(ctx)
	switch g.Type {
	case typeUnit:
		load := l.unit.LoadThunk(ctx, g.Unit)
		return func() (Node, error) {
			u, err := load()
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return u, nil
		}
	case typeStation:
		return keyed(ctx, l.stations, g, func(v model.Station) string { return v.Key })
	case typeSpace:
		return keyed(ctx, l.spaces, g, func(v model.Space) string { return v.Key })
	case typePilot:
		return keyed(ctx, l.pilots, g, func(v model.Pilot) string { return v.Key })
	case typeBudget:
		return keyed(ctx, l.budgets, g, func(v model.Budget) string { return v.Key })
	case typeObservation:
		return keyed(ctx, l.releasedObservations, g, func(v model.Observation) string { return v.Key })
	}
	return func() (Node, error) { return nil, nil } // parseGlobalID returns no other type
}

// keyed starts loading the released records of the id's unit and returns
// the function that waits for them and picks the one with the id's key.
func keyed[T any](ctx context.Context, l *dataloadgen.Loader[string, []T], g globalID, key func(T) string) func() (Node, error) {
	load := l.LoadThunk(ctx, g.Unit)
	return func() (Node, error) {
		all, err := load()
		if err != nil {
			return nil, err
		}
		for _, v := range all {
			if key(v) == g.Key {
				return v, nil
			}
		}
		return nil, nil
	}
}

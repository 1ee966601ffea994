package graph

import (
	"context"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/countyhub/countyhub/graph/gqlmodel"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
)

// Page sizes of connections.
const (
	defaultPageSize = 50
	maxPageSize     = 500
)

// connection is a page of a Relay connection whose edges are E: the
// edges, their page info and, for a connection with totalCount, how to
// count its records over all pages, asked only when the field is.
type connection[E any] struct {
	Edges    []E
	PageInfo gqlmodel.PageInfo
	count    func(context.Context) (int, error)
}

// TotalCount counts the records of the connection over all pages.
func (c *connection[E]) TotalCount(ctx context.Context) (int, error) { return c.count(ctx) }

// StationConnection is a page of service stations.
type StationConnection struct {
	connection[gqlmodel.StationEdge]
}

// SpaceConnection is a page of shared spaces.
type SpaceConnection struct{ connection[gqlmodel.SpaceEdge] }

// PilotConnection is a page of fallback-service pilots.
type PilotConnection struct{ connection[gqlmodel.PilotEdge] }

// BudgetConnection is a page of budget lines.
type BudgetConnection struct {
	connection[gqlmodel.BudgetEdge]
}

// ImportRunConnection is a page of import runs.
type ImportRunConnection struct {
	connection[gqlmodel.ImportRunEdge]
}

// AdminUnitConnection is a page of administrative units.
type AdminUnitConnection struct {
	connection[gqlmodel.AdminUnitEdge]
}

// AuditConnection is a page of the audit log.
type AuditConnection struct{ connection[gqlmodel.AuditEdge] }

// DiagnosticConnection is a page of diagnostics of a run.
type DiagnosticConnection struct {
	connection[gqlmodel.DiagnosticEdge]
}

// cursorVersion prefixes every cursor so that the encoding can change
// without old cursors being misread.
const cursorVersion = "v1"

// encodeCursor makes the opaque cursor of a record of a dataset.
func encodeCursor(dataset, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorVersion + ":" + dataset + ":" + key))
}

// decodeCursor returns the record key inside a cursor of the dataset, or an
// INVALID_CURSOR error for anything else: a forged cursor, or one of
// another dataset.
func decodeCursor(dataset, cursor string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	// Only the exact encoding the hub issues: the decoder would also take
	// line breaks and stray bits, and a key must be text.
	if err != nil || base64.RawURLEncoding.EncodeToString(raw) != cursor || !utf8.Valid(raw) {
		return "", errInvalidCursor(cursor)
	}
	key, ok := strings.CutPrefix(string(raw), cursorVersion+":"+dataset+":")
	if !ok || key == "" {
		return "", errInvalidCursor(cursor)
	}
	return key, nil
}

// pageArgs validates the Relay arguments of a connection field.
func pageArgs(dataset string, first *int, after *string) (store.Page, error) {
	p := store.Page{First: defaultPageSize}
	if first != nil {
		if *first < 0 || *first > maxPageSize {
			return p, errBadInput("first must be between 0 and %d, got %d", maxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil {
		key, err := decodeCursor(dataset, *after)
		if err != nil {
			return p, err
		}
		p.After = key
	}
	return p, nil
}

// connect makes the page of a connection from a page of records: each
// record's edge has the cursor of its key in the dataset, and the page
// info says whether pages follow and precede. count counts the records
// over all pages (nil for a connection without totalCount).
func connect[T, E any](dataset string, p store.Page, page store.PageOf[T], key func(T) string,
	edge func(cursor string, node T) E, count func(context.Context) (int, error)) connection[E] {
	c := connection[E]{
		Edges:    make([]E, len(page.Items)),
		PageInfo: gqlmodel.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: p.After != ""},
		count:    count,
	}
	for i, item := range page.Items {
		cur := encodeCursor(dataset, key(item))
		c.Edges[i] = edge(cur, item)
		if i == 0 {
			c.PageInfo.StartCursor = &cur
		}
		c.PageInfo.EndCursor = &cur
	}
	return c
}

// connectPage makes the page of a connection from a page of released
// records: their cursors hold release.CursorKey of the record's county
// and key, and the total is the one the releases keep.
func connectPage[T model.Record, E any](dataset string, p store.Page, page release.Page[T], county func(T) string,
	edge func(cursor string, node T) E) connection[E] {
	total := page.Total
	return connect(dataset, p, store.PageOf[T]{Items: page.Items, HasNext: page.HasNext},
		func(v T) string { return release.CursorKey(county(v), v.NaturalKey()) }, edge,
		func(context.Context) (int, error) { return total, nil })
}

// filtered keeps the records for which keep is true.
func filtered[T any](items []T, keep func(T) bool) []T {
	out := items[:0:0]
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

// countiesOf is the county filter of a connection: nil for all.
func countiesOf(county *string) []string {
	if county == nil {
		return nil
	}
	return []string{*county}
}

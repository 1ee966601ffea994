package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses, registered as "sqlite"
)

// idExpr is the expression FerretDB v1's SQLite backend filters on when
// a query, update or delete names one document by a string _id. Its own
// _id index is on a different expression (_ferretdb_sjson->"_id"), which
// SQLite does not match to this one, so without an index on idExpr every
// such statement reads the whole table: 40 ms per replace at 20,000
// documents, where the index makes it 2 ms.
const idExpr = `_ferretdb_sjson->'$._id'`

// idIndexSuffix names the indexes this package adds, after their table.
const idIndexSuffix = "_countyhub_id"

// sweepEvery is how often the server looks for collections created
// since the last sweep.
const sweepEvery = 2 * time.Second

// IndexIDs adds the index on idExpr to every collection of every database
// in the server's directory that lacks it, and returns how many it added.
// The server does this on its own every two seconds; a caller that has
// just created collections and is about to load them calls it to have the
// indexes at once. The indexes live in the SQLite files beside FerretDB's
// own and go with their tables when a collection is dropped; FerretDB
// neither lists nor minds them.
//
// On PostgreSQL it does nothing: that backend's own _id index serves them.
func (s *Server) IndexIDs(ctx context.Context) (int, error) {
	if s.dir == "" {
		return 0, nil
	}
	files, err := filepath.Glob(filepath.Join(s.dir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	added := 0
	var errs []error
	for _, f := range files {
		n, err := indexIDs(ctx, f)
		added += n
		if err != nil {
			errs = append(errs, fmt.Errorf("embedded database: index _id in %s: %w", filepath.Base(f), err))
		}
	}
	return added, errors.Join(errs...)
}

// indexIDs adds the missing _id indexes of one database file.
func indexIDs(ctx context.Context, file string) (int, error) {
	if _, err := os.Stat(file); err != nil {
		return 0, nil // dropped meanwhile
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(file)+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var tables []string
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)
		AND EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'table' AND t.name = c.table_name)`, idIndexSuffix)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return 0, nil // a database FerretDB has not set up yet
		}
		return 0, err
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, t)
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	added := 0
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, t+idIndexSuffix, t, idExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			if strings.Contains(err.Error(), "no such table") {
				continue // the collection was dropped meanwhile
			}
			return added, err
		}
		added++
	}
	return added, nil
}

// sweep runs IndexIDs every sweepEvery until ctx ends, logging failures.
func (s *Server) sweep(ctx context.Context, logger *slog.Logger) {
	if s.dir == "" {
		return
	}
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		if _, err := s.IndexIDs(ctx); err != nil && ctx.Err() == nil {
			logger.Error("index _id", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

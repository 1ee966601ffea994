// Package store is countyhub's only MongoDB code: typed access to
// administrative units, the metric catalog, the entity datasets and
// observations.
//
// Every query stays inside the subset of MongoDB that the embedded FerretDB
// v1 server implements (no transactions, no $lookup or $facet, no $group
// accumulators but $sum), so one code path serves the embedded store and a
// production MongoDB deployment alike. Callers never see BSON.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// DefaultDatabase is the database used when the connection string names none.
const DefaultDatabase = "countyhub"

// ErrNotFound is returned when a record looked up by its key does not exist.
var ErrNotFound = errors.New("not found")

// CommandObserver is told about every database command the store sends:
// one call per round trip, after the reply (or failure).
type CommandObserver func(command string, took time.Duration, failed bool)

// Options tune a connection.
type Options struct {
	// Database overrides the database named in the connection string.
	Database string
	// ConnectTimeout bounds how long Open waits for the server; zero means
	// five seconds.
	ConnectTimeout time.Duration
	// Observe, when set, is called for every database command.
	Observe CommandObserver
}

// Store is a connection to the hub's database.
type Store struct {
	client     *mongo.Client
	db         *mongo.Database
	unitWrites atomic.Int64
	// genWrites counts this process's moves of the release, rollup and
	// unit generations.
	genWrites atomic.Int64
}

// Open connects to the MongoDB server at uri and checks that it answers.
// An unreachable server fails within the connect timeout with an error that
// names the server, not a hang.
func Open(ctx context.Context, uri string, opts Options) (*Store, error) {
	cs, err := connstring.ParseAndValidate(uri)
	if err != nil {
		return nil, fmt.Errorf("parse MongoDB URI %s: %w", Redact(uri), err)
	}
	dbName := opts.Database
	if dbName == "" {
		dbName = cs.Database
	}
	if dbName == "" {
		dbName = DefaultDatabase
	}
	timeout := opts.ConnectTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}

	co := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(timeout).
		SetConnectTimeout(timeout).
		SetAppName("countyhub")
	if opts.Observe != nil {
		co.SetMonitor(commandMonitor(opts.Observe))
	}
	client, err := mongo.Connect(co)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB at %s: %w", Redact(uri), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := client.Ping(pingCtx, readpref.Primary()); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("cannot reach MongoDB at %s within %s: %s", Redact(uri), timeout, firstLine(err))
	}
	return &Store{client: client, db: client.Database(dbName)}, nil
}

// Close disconnects from the server.
func (s *Store) Close(ctx context.Context) error {
	return s.client.Disconnect(ctx)
}

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.client.Ping(ctx, readpref.Primary())
}

// DatabaseName is the name of the database the store uses.
func (s *Store) DatabaseName() string { return s.db.Name() }

// Drop deletes the store's whole database. Tests use it to clean up.
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }

// Redact removes the password from a connection string for logs and errors.
func Redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		return uri
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func commandMonitor(observe CommandObserver) *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			observe(e.CommandName, e.Duration, false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			observe(e.CommandName, e.Duration, true)
		},
	}
}

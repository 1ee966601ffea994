// Package pipeline runs imports and publishes them. An import run takes a
// file through an importer plugin, validates and normalizes what it sends,
// writes the records under the run's id, and ends READY for publishing (or
// FAILED, UNCHANGED, or DISCARDED after a dry run), with its diagnostics and
// its diff against what is released. Publishing flips the unit's release to
// the run in one single-document update, so readers see the old records or
// the new ones, never a mix; records of runs no release points at any more
// are removed.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/store"
)

// Store is what the pipeline keeps runs, records and releases in.
// *store.Store implements it.
type Store interface {
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	UnitsOfCounty(ctx context.Context, county string) ([]model.AdminUnit, error)
	PutUnits(ctx context.Context, units []model.AdminUnit) error
	Metrics(ctx context.Context) ([]model.Metric, error)

	CreateRun(ctx context.Context, r model.Run) error
	PutRun(ctx context.Context, r model.Run) error
	SetRunProgress(ctx context.Context, id string, read, errs, warnings int) error
	Run(ctx context.Context, id string) (model.Run, error)
	RunsWith(ctx context.Context, f store.RunFilter) ([]model.Run, error)
	RecountRuns(ctx context.Context) error
	PutDiagnostics(ctx context.Context, d []model.RunDiagnostic) error
	DeleteDiagnostics(ctx context.Context, run string) (int, error)

	Released
	Releases(ctx context.Context) ([]model.Release, error)
	SwapRelease(ctx context.Context, old, next model.Release) error

	WriteRecords(ctx context.Context, run string, recs []model.Record) error
	UnitRecords(ctx context.Context, run string) ([]model.UnitRecord, error)
	DeleteRunRecords(ctx context.Context, dataset, run string) error
	PutUpload(ctx context.Context, sha, name string, r io.Reader) error
	PutAudit(ctx context.Context, e model.AuditEntry) error
}

// Importers runs importer plugins. *host.Host implements it.
type Importers interface {
	Describe(ctx context.Context, name string) (records.Description, error)
	Import(ctx context.Context, name string, req host.Request, sink host.Sink) (records.Summary, error)
}

// Options tune a pipeline.
type Options struct {
	Logger *slog.Logger
	// Writers is the number of parallel insert writers; default 2. More
	// help a MongoDB server; the embedded database takes one write at a
	// time.
	Writers int
	// BatchSize is the number of records per insert; default 1000.
	BatchSize int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Released is called after the release of a unit changes (a
	// publish, a rollback), for what is computed from the releases, such
	// as rollups. Its error is logged: the release stands.
	Released func(ctx context.Context, unit string) error
	// ObservePhase, when set, sees every phase a run finishes (model.Phase),
	// for the hub's metrics.
	ObservePhase func(model.Phase)
	// Persist is how long the end of a failed run is retried while the
	// database does not answer, so that the run is marked FAILED once the
	// database is back rather than at the next start; default 1 minute.
	Persist time.Duration
}

// Pipeline runs imports and publishes them.
type Pipeline struct {
	store     Store
	importers Importers
	opts      Options

	// base is the context the imports Start runs in the background
	// answer to: Shutdown cancels it.
	base   context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	watchers map[string][]chan model.Run
	// running are the ids of the runs importing in the background.
	running map[string]bool
	// closed is set by Shutdown: Start takes no more imports.
	closed bool
	// collecting is set while old runs are collected in the background;
	// toCollect are the ids of the runs waiting for it.
	collecting bool
	toCollect  []string
}

// New returns a pipeline. It starts nothing; call Recover once at start.
func New(s Store, importers Importers, opts Options) *Pipeline {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Writers <= 0 {
		opts.Writers = 2
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Persist <= 0 {
		opts.Persist = time.Minute
	}
	base, cancel := context.WithCancelCause(context.Background())
	return &Pipeline{store: s, importers: importers, opts: opts, base: base, cancel: cancel,
		watchers: map[string][]chan model.Run{}, running: map[string]bool{}}
}

// Request is one file to import.
type Request struct {
	// Unit is the code of the unit the import is for.
	Unit     string
	Importer string
	FileName string
	File     io.Reader
	// Options are the importer's options.
	Options map[string]string
	// DryRun computes the diagnostics and the diff, then discards the run.
	DryRun bool
	// MaxErrors is how many error diagnostics the run tolerates.
	MaxErrors int
	// By says through what the caller asked (graphql, demo), for the
	// audit log; who asked is the principal of the context (package auth),
	// which must be allowed to edit Unit.
	By string
}

// Error kinds of the pipeline, for errors.Is.
var (
	// ErrInvalid: the request cannot be run (unknown unit, bad options).
	ErrInvalid = errors.New("invalid import")
	// ErrState: the run is not in a state that allows the operation.
	ErrState = errors.New("not allowed in this state")
	// ErrShuttingDown: the hub is shutting down (Shutdown): Start takes no
	// new imports, and the imports it cancels fail with ShutDownReason.
	ErrShuttingDown = errors.New("the hub is shutting down")
)

// ShutDownReason is the reason of a run that Shutdown cancelled.
const ShutDownReason = "hub shut down; import the file again"

// Start stores the file and creates the run, then imports in the
// background; the returned run is RUNNING (or UNCHANGED). Watch it, or read
// it again, to see it end. The import outlives ctx, keeping its values
// (the caller, for the audit log), until it ends or Shutdown cancels it.
func (p *Pipeline) Start(ctx context.Context, req Request) (model.Run, error) {
	if p.shuttingDown() {
		return model.Run{}, fmt.Errorf("%w: %w and takes no new imports; try again once it is back", ErrState, ErrShuttingDown)
	}
	run, spool, err := p.prepare(ctx, req)
	if err != nil || run.Status != model.RunRunning {
		return run, err
	}
	p.mu.Lock()
	if p.closed {
		// Shutdown began while the file was stored.
		p.mu.Unlock()
		os.Remove(spool)
		return p.fail(ctx, run, ShutDownReason)
	}
	p.wg.Add(1)
	p.running[run.ID] = true
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		defer func() {
			p.mu.Lock()
			delete(p.running, run.ID)
			p.mu.Unlock()
		}()
		defer os.Remove(spool)
		bg, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
		defer cancel(nil)
		defer context.AfterFunc(p.base, func() { cancel(context.Cause(p.base)) })()
		if _, err := p.execute(bg, run, spool); err != nil {
			p.opts.Logger.Error("import failed", "run", run.ID, "error", err)
		}
	}()
	return run, nil
}

// shuttingDown says whether Shutdown was called.
func (p *Pipeline) shuttingDown() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Shutdown stops Start taking imports and waits for the imports running
// in the background to end, until ctx is done. Then it cancels those
// still running: each ends FAILED with ShutDownReason, recorded in the
// store (and its records removed) before Shutdown returns. It returns nil
// when every import ended by itself, and otherwise an error naming the
// runs it cancelled. Imports run with Import end with their caller's
// context, not here.
func (p *Pipeline) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	p.mu.Lock()
	ids := sortedKeys(p.running)
	p.mu.Unlock()
	p.cancel(ErrShuttingDown)
	<-done
	return fmt.Errorf("cancelled %d imports still running when the wait ended (%s): %w", len(ids), strings.Join(ids, ", "), context.Cause(ctx))
}

// Import runs an import to its end and returns the finished run.
func (p *Pipeline) Import(ctx context.Context, req Request) (model.Run, error) {
	run, spool, err := p.prepare(ctx, req)
	if err != nil || run.Status != model.RunRunning {
		return run, err
	}
	defer os.Remove(spool)
	return p.execute(ctx, run, spool)
}

// Wait waits for the imports started in the background and for the
// collection of old runs after a publish.
func (p *Pipeline) Wait() { p.wg.Wait() }

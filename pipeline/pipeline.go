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
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/store"
)

// Store is what the pipeline keeps runs, records and releases in.
// *store.Store implements it.
type Store interface {
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	Units(ctx context.Context) ([]model.AdminUnit, error)
	PutUnits(ctx context.Context, units []model.AdminUnit) error
	Metrics(ctx context.Context) ([]model.Metric, error)

	CreateRun(ctx context.Context, r model.Run) error
	PutRun(ctx context.Context, r model.Run) error
	SetRunProgress(ctx context.Context, id string, read, errs, warnings int) error
	Run(ctx context.Context, id string) (model.Run, error)
	RunsWith(ctx context.Context, f store.RunFilter) ([]model.Run, error)
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
	// Released is called after a release changes (a publish, a rollback),
	// for what is computed from the releases, such as rollups. Its error
	// is logged: the release stands.
	Released func(ctx context.Context) error
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

// Wait waits for the imports started in the background.
func (p *Pipeline) Wait() { p.wg.Wait() }

// prepare checks the request, keeps the file (spooled to a temporary file
// and stored by its SHA-256), and creates the run.
func (p *Pipeline) prepare(ctx context.Context, req Request) (model.Run, string, error) {
	unit, err := p.store.Unit(ctx, req.Unit)
	if errors.Is(err, store.ErrNotFound) {
		return model.Run{}, "", fmt.Errorf("%w: unknown unit %q", ErrInvalid, req.Unit)
	}
	if err != nil {
		return model.Run{}, "", err
	}
	if unit.Level != model.LevelCounty && unit.Level != model.LevelCity {
		return model.Run{}, "", fmt.Errorf("%w: imports are for a county or a city, and %s (%s) is a %s", ErrInvalid, unit.Name, unit.Code, strings.ToLower(string(unit.Level)))
	}
	who, err := auth.Edit(ctx, unit.Code, "import")
	if err != nil {
		return model.Run{}, "", err
	}
	if req.MaxErrors < 0 {
		return model.Run{}, "", fmt.Errorf("%w: maxErrors must not be negative", ErrInvalid)
	}
	desc, err := p.importers.Describe(ctx, req.Importer)
	if err != nil {
		return model.Run{}, "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := checkOptions(desc, req.Options); err != nil {
		return model.Run{}, "", err
	}

	spool, sum, size, err := spoolFile(req.File)
	if err != nil {
		return model.Run{}, "", err
	}
	f, err := os.Open(spool)
	if err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}
	err = p.store.PutUpload(ctx, sum, req.FileName, f)
	f.Close()
	if err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}

	now := p.opts.Now().UTC()
	run := model.Run{
		ID: model.NewID(now), Unit: unit.Code, Importer: desc.Name, ImporterVersion: desc.Version,
		FileName: req.FileName, FileSHA256: sum, FileSize: size, Options: req.Options,
		Fingerprint: fingerprint(desc, sum, req.Options), DryRun: req.DryRun, MaxErrors: req.MaxErrors,
		Status: model.RunRunning, Datasets: desc.Datasets, Counts: map[string]int{}, By: actor(who, req.By), Created: now,
	}
	if !req.DryRun {
		if same, err := p.releasedWith(ctx, run); err != nil {
			os.Remove(spool)
			return model.Run{}, "", err
		} else if same != "" {
			run.Status, run.Reason, run.Finished = model.RunUnchanged, "the same file, importer version and options are released as run "+same, &now
			os.Remove(spool)
			if err := p.store.CreateRun(ctx, run); err != nil {
				return model.Run{}, "", err
			}
			p.audit(ctx, req.By, "import", run, "unchanged: "+run.Reason)
			return run, "", nil
		}
	}
	if err := p.store.CreateRun(ctx, run); err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}
	p.audit(ctx, req.By, "import", run, fmt.Sprintf("%s through %s %s", run.FileName, run.Importer, run.ImporterVersion))
	return run, spool, nil
}

// releasedWith returns the id of a run with the same fingerprint that is
// released for every dataset it released, or "".
func (p *Pipeline) releasedWith(ctx context.Context, run model.Run) (string, error) {
	rel, err := p.store.Release(ctx, run.Unit)
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	for _, ds := range run.Datasets {
		id := rel.Runs[ds]
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		r, err := p.store.Run(ctx, id)
		if err != nil {
			return "", err
		}
		if r.Fingerprint != run.Fingerprint {
			continue
		}
		whole := true
		for _, d := range r.Datasets {
			whole = whole && rel.Runs[d] == id
		}
		if whole {
			return id, nil
		}
	}
	return "", nil
}

func fingerprint(d records.Description, sum string, options map[string]string) string {
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", d.Name, d.Version, sum)
	for _, k := range keys {
		fmt.Fprintf(h, "\x00%s=%s", k, options[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func checkOptions(d records.Description, given map[string]string) error {
	declared := map[string]records.Option{}
	for _, o := range d.Options {
		declared[o.Name] = o
	}
	for name := range given {
		if _, ok := declared[name]; !ok {
			return fmt.Errorf("%w: importer %s has no option %q", ErrInvalid, d.Name, name)
		}
	}
	for _, o := range d.Options {
		if _, ok := given[o.Name]; o.Required && !ok {
			return fmt.Errorf("%w: importer %s needs the option %q (%s)", ErrInvalid, d.Name, o.Name, o.Description)
		}
	}
	return nil
}

func spoolFile(r io.Reader) (path, sum string, size int64, err error) {
	f, err := os.CreateTemp("", "countyhub-upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("keep upload: %w", err)
	}
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", 0, fmt.Errorf("read upload: %w", err)
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), size, nil
}

// actor names who asked, and through what, for runs and the audit log:
// "token ID (NAME, ROLE) via graphql".
func actor(who auth.Principal, via string) string {
	if via == "" {
		return who.Label()
	}
	return who.Label() + " via " + via
}

// audit records what the caller of ctx did; via says through what
// (graphql, the demo loader), as the caller gave it: the entry's actor
// names the caller once, "token ID (NAME, ROLE) via graphql".
func (p *Pipeline) audit(ctx context.Context, via, action string, run model.Run, detail string) {
	who, _ := auth.FromContext(ctx)
	now := p.opts.Now().UTC()
	e := model.AuditEntry{ID: model.NewID(now), At: now, Actor: actor(who, via), Token: who.TokenID, Action: action, Unit: run.Unit, Run: run.ID, Detail: detail}
	if err := p.store.PutAudit(context.WithoutCancel(ctx), e); err != nil {
		p.opts.Logger.Error("audit entry lost", "action", action, "run", run.ID, "error", err)
	}
}

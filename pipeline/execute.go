package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
)

// progressEvery is how often a running import reports its progress.
const progressEvery = 500 * time.Millisecond

// diagnosticsBatch is how many diagnostics are stored at once.
const diagnosticsBatch = 500

// execute runs a RUNNING run to its end.
func (p *Pipeline) execute(ctx context.Context, run model.Run, spool string) (model.Run, error) {
	run, written, err := p.load(ctx, run, spool)
	if err != nil {
		return p.fail(ctx, run, failure(ctx, err))
	}
	if run.Errors > run.MaxErrors {
		return p.fail(ctx, run, fmt.Sprintf("rows with errors: %d, and the run allows %d (option maxErrors): fix the rows the diagnostics name, or raise maxErrors to keep the rest", run.Errors, run.MaxErrors))
	}
	// A run releases the datasets it holds records of: an importer that
	// can produce several (a mapping importer) reads one table at a time,
	// and its run must not empty the others.
	var produced []string
	for _, ds := range run.Datasets {
		if run.Counts[ds] > 0 {
			produced = append(produced, ds)
		}
	}
	run.Datasets = produced
	started := time.Now()
	changes, err := diff(ctx, p.store, run, written)
	if err != nil {
		return p.fail(ctx, run, failure(ctx, fmt.Errorf("compare with the release: %w", err)))
	}
	run.Diff = &changes
	p.phase(&run, model.Phase{Name: model.PhaseDiff, Duration: time.Since(started), Rows: total(run.Counts)})
	now := p.opts.Now().UTC()
	run.Finished = &now
	run.Status = model.RunReady
	if run.DryRun {
		run.Status, run.Reason = model.RunDiscarded, "dry run: nothing is published"
		if err := p.removeRecords(ctx, run); err != nil {
			return run, err
		}
		run.Collected = true
	}
	if err := p.store.PutRun(context.WithoutCancel(ctx), run); err != nil {
		return run, err
	}
	p.notify(run)
	return run, nil
}

// load streams the file through the importer and writes what validates.
// It returns the run with its counts, and the records it wrote by dataset
// and key, for the diff. Whatever goes wrong, the writers have stopped and
// the diagnostics so far are stored before it returns.
func (p *Pipeline) load(ctx context.Context, run model.Run, spool string) (model.Run, map[string]map[string]model.Record, error) {
	v, err := p.validatorFor(ctx, run)
	if err != nil {
		return run, nil, err
	}
	f, err := os.Open(spool)
	if err != nil {
		return run, nil, err
	}
	defer f.Close()

	w := p.startWriters(ctx, run.ID)
	l := &loading{p: p, ctx: ctx, run: run, v: v, w: w, lastProgress: time.Now(),
		written: map[string]map[string]model.Record{}, pending: map[string][]model.Record{}}
	started := time.Now()
	_, err = p.importers.Import(ctx, run.Importer, host.Request{
		File: f, FileName: run.FileName, Size: run.FileSize, Unit: run.Unit, Options: run.Options,
	}, l.take)
	imported, taking, sending := time.Since(started), l.taking, l.sending
	if err == nil {
		err = l.finish()
	}
	if werr := w.close(); err == nil {
		err = werr
	}
	if derr := l.flushDiagnostics(); err == nil {
		err = derr
	}
	busy, written := w.stats()
	p.phase(&l.run,
		model.Phase{Name: model.PhaseParse, Duration: imported - taking, Rows: l.run.Read, Bytes: run.FileSize},
		model.Phase{Name: model.PhaseValidate, Duration: taking - sending, Rows: l.run.Read},
		model.Phase{Name: model.PhaseWrite, Duration: busy, Rows: written})
	if err != nil {
		return l.run, nil, err
	}
	if l.run.Summary, err = summarize(l.written, p.opts.Now().UTC()); err != nil {
		return l.run, nil, err
	}
	return l.run, l.written, nil
}

// summarize computes the facets of a run's stations, budgets and pilots
// from the records it wrote (Run.Summary).
func summarize(written map[string]map[string]model.Record, now time.Time) (*model.Facets, error) {
	var e analytics.Entities
	for _, ds := range []string{records.Stations, records.Budgets, records.Pilots} {
		for _, key := range slices.Sorted(maps.Keys(written[ds])) {
			switch r := written[ds][key].(type) {
			case model.Station:
				e.Stations = append(e.Stations, r)
			case model.Budget:
				e.Budgets = append(e.Budgets, r)
			case model.Pilot:
				e.Pilots = append(e.Pilots, r)
			}
		}
	}
	f, err := analytics.FacetsOf(e, now)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// phase appends finished phases to a run and reports them.
func (p *Pipeline) phase(run *model.Run, phases ...model.Phase) {
	run.Phases = append(run.Phases, phases...)
	p.observe(phases...)
}

// observe reports finished phases to Options.ObservePhase.
func (p *Pipeline) observe(phases ...model.Phase) {
	if p.opts.ObservePhase == nil {
		return
	}
	for _, ph := range phases {
		p.opts.ObservePhase(ph)
	}
}

// total is the sum of counts.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// validatorFor returns a validator for a run, knowing the units its
// county's records may name and the metric catalog as they are stored.
func (p *Pipeline) validatorFor(ctx context.Context, run model.Run) (*validator, error) {
	unit, err := p.store.Unit(ctx, run.Unit)
	if err != nil {
		return nil, err
	}
	known, err := p.store.UnitsOfCounty(ctx, unit.CountyCode)
	if err != nil {
		return nil, err
	}
	metrics, err := p.store.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	return newValidator(run, unit, known, metrics), nil
}

// loading is one import on its way from the importer to the store: it
// validates what the importer sends, batches the records for the
// writers, and keeps the run's counts and diagnostics.
type loading struct {
	p   *Pipeline
	ctx context.Context
	run model.Run
	v   *validator
	w   *writers
	// written are the records sent to the writers, by dataset and key.
	written map[string]map[string]model.Record
	// pending are the records of each dataset not sent yet.
	pending map[string][]model.Record
	// diags are the diagnostics not stored yet; seq numbers the next.
	diags        []model.RunDiagnostic
	seq          int
	lastProgress time.Time
	// taking is the time spent in take, of which sending is the time
	// spent waiting for the writers to take a batch.
	taking, sending time.Duration
}

// take handles one batch from the importer: its diagnostics, then its
// records; it stores the diagnostics and reports progress now and then.
func (l *loading) take(b host.Batch) error {
	started := time.Now()
	defer func() { l.taking += time.Since(started) }()
	for _, d := range b.Diagnostics {
		l.diagnose(d)
	}
	for _, r := range b.Records {
		l.run.Read++
		rec, diag := l.v.convert(r)
		if diag != nil {
			l.diagnose(*diag)
			continue
		}
		if err := l.add(rec); err != nil {
			return err
		}
	}
	if len(l.diags) >= diagnosticsBatch {
		if err := l.flushDiagnostics(); err != nil {
			return err
		}
	}
	if time.Since(l.lastProgress) >= progressEvery {
		l.lastProgress = time.Now()
		if err := l.p.store.SetRunProgress(l.ctx, l.run.ID, l.run.Read, l.run.Errors, l.run.Warnings); err != nil {
			return err
		}
		l.p.notify(l.run)
	}
	return nil
}

// add keeps a valid record for the diff and queues it for writing,
// sending its dataset's batch when full.
func (l *loading) add(rec model.Record) error {
	ds := rec.Dataset()
	if l.written[ds] == nil {
		l.written[ds] = map[string]model.Record{}
	}
	l.written[ds][rec.NaturalKey()] = rec
	l.pending[ds] = append(l.pending[ds], rec)
	l.run.Counts[ds]++
	if f := rec.Facet(); f != "" {
		l.run.Facets[model.FacetKey(ds, f)]++
	}
	if len(l.pending[ds]) >= l.p.opts.BatchSize {
		return l.send(ds)
	}
	return nil
}

// finish ends an import the importer completed: the units its records
// named without unit records become unit records, and every batch left
// is sent.
func (l *loading) finish() error {
	for _, u := range l.v.newUnits() {
		if !l.v.recorded(u.Code) {
			l.pending[records.Units] = append(l.pending[records.Units], model.UnitRecord{ID: l.v.id(u.Code), Key: u.Code, Code: u.Code, Name: u.Name,
				Level: u.Level, ParentCode: u.ParentCode, CountyCode: u.CountyCode, Provenance: withRef(l.v.prov, "named by records of the file")})
			l.run.Counts[records.Units]++
		}
	}
	for ds, recs := range l.pending {
		if len(recs) > 0 {
			if err := l.send(ds); err != nil {
				return err
			}
		}
	}
	return nil
}

// send hands the pending records of a dataset to the writers.
func (l *loading) send(dataset string) error {
	started := time.Now()
	err := l.w.send(batch{dataset, l.pending[dataset]})
	l.sending += time.Since(started)
	if err != nil {
		return err
	}
	l.pending[dataset] = nil
	return nil
}

// diagnose counts a diagnostic and keeps it for storing.
func (l *loading) diagnose(d records.Diagnostic) {
	switch d.Severity {
	case records.Error:
		l.run.Errors++
	case records.Warning:
		l.run.Warnings++
	}
	l.diags = append(l.diags, model.RunDiagnostic{ID: model.DiagnosticID(l.run.ID, l.seq), Run: l.run.ID, Seq: l.seq,
		Severity: string(d.Severity), Reference: d.Reference, Field: d.Field, Message: d.Message})
	l.seq++
}

// flushDiagnostics stores the diagnostics kept so far.
func (l *loading) flushDiagnostics() error {
	if len(l.diags) == 0 {
		return nil
	}
	err := l.p.store.PutDiagnostics(l.ctx, l.diags)
	l.diags = nil
	if err == nil {
		stored := l.seq
		l.run.Diagnostics = &stored
	}
	return err
}

// failure is the reason of a run that failed with err: ShutDownReason
// when Shutdown cancelled it, whatever the cancellation broke first.
func failure(ctx context.Context, err error) string {
	if errors.Is(context.Cause(ctx), ErrShuttingDown) {
		return ShutDownReason
	}
	return err.Error()
}

func withRef(p model.Provenance, ref string) model.Provenance {
	p.Reference = ref
	return p
}

// fail ends a run as FAILED with a reason, removing its records.
func (p *Pipeline) fail(ctx context.Context, run model.Run, reason string) (model.Run, error) {
	ctx = context.WithoutCancel(ctx)
	now := p.opts.Now().UTC()
	run.Status, run.Reason, run.Finished = model.RunFailed, reason, &now
	// A run often fails because the database went away: keep trying to
	// record the failure until it is back, for a while. What is not done
	// here the next start does (Recover).
	err := p.persist(func() error { return p.removeRecords(ctx, run) })
	if err != nil {
		p.opts.Logger.Error("records of a failed run left behind", "run", run.ID, "error", err)
	} else {
		run.Collected = true
	}
	if err := p.persist(func() error { return p.store.PutRun(ctx, run) }); err != nil {
		return run, err
	}
	p.notify(run)
	return run, nil
}

// persist runs f until it succeeds or Options.Persist has passed, waiting
// longer between tries.
func (p *Pipeline) persist(f func() error) error {
	deadline := time.Now().Add(p.opts.Persist)
	wait := 250 * time.Millisecond
	for {
		err := f()
		if err == nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		p.opts.Logger.Warn("the database did not take the end of a failed run; trying again", "in", wait, "error", err)
		time.Sleep(wait)
		wait = min(2*wait, 4*time.Second)
	}
}

// removeRecords deletes everything a run wrote to its datasets.
func (p *Pipeline) removeRecords(ctx context.Context, run model.Run) error {
	for _, ds := range append([]string{records.Units}, run.Datasets...) {
		if err := p.store.DeleteRunRecords(ctx, ds, run.ID); err != nil {
			return err
		}
	}
	return nil
}

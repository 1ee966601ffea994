package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
)

// progressEvery is how often a running import reports its progress.
const progressEvery = 500 * time.Millisecond

// batch is records of one dataset on their way to the store.
type batch struct {
	dataset string
	recs    []model.Record
}

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
	changes, err := diff(ctx, p.store, run, written)
	if err != nil {
		return p.fail(ctx, run, failure(ctx, fmt.Errorf("compare with the release: %w", err)))
	}
	run.Diff = &changes
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
// It returns the records it wrote by dataset and key, for the diff.
func (p *Pipeline) load(ctx context.Context, run model.Run, spool string) (model.Run, map[string]map[string]model.Record, error) {
	written := map[string]map[string]model.Record{}
	unit, err := p.store.Unit(ctx, run.Unit)
	if err != nil {
		return run, nil, err
	}
	known, err := p.store.Units(ctx)
	if err != nil {
		return run, nil, err
	}
	metrics, err := p.store.Metrics(ctx)
	if err != nil {
		return run, nil, err
	}
	v := newValidator(run, unit, known, metrics)

	f, err := os.Open(spool)
	if err != nil {
		return run, nil, err
	}
	defer f.Close()

	g, gctx := errgroup.WithContext(ctx)
	queue := make(chan batch, p.opts.Writers)
	for range p.opts.Writers {
		g.Go(func() error {
			for b := range queue {
				if err := p.store.WriteRecords(gctx, run.ID, b.recs); err != nil {
					return fmt.Errorf("write %s: %w", b.dataset, err)
				}
			}
			return nil
		})
	}

	pending := map[string][]model.Record{}
	var diags []model.RunDiagnostic
	seq := 0
	lastProgress := time.Now()
	send := func(dataset string) error {
		select {
		case queue <- batch{dataset, pending[dataset]}:
			pending[dataset] = nil
			return nil
		case <-gctx.Done():
			return context.Cause(gctx)
		}
	}
	diagnose := func(d records.Diagnostic) {
		switch d.Severity {
		case records.Error:
			run.Errors++
		case records.Warning:
			run.Warnings++
		}
		diags = append(diags, model.RunDiagnostic{ID: fmt.Sprintf("%s/%08d", run.ID, seq), Run: run.ID, Seq: seq,
			Severity: string(d.Severity), Reference: d.Reference, Field: d.Field, Message: d.Message})
		seq++
	}
	flushDiags := func() error {
		if len(diags) == 0 {
			return nil
		}
		err := p.store.PutDiagnostics(ctx, diags)
		diags = nil
		return err
	}

	sink := func(b host.Batch) error {
		for _, d := range b.Diagnostics {
			diagnose(d)
		}
		for _, r := range b.Records {
			run.Read++
			rec, diag := v.convert(r)
			if diag != nil {
				diagnose(*diag)
				continue
			}
			dataset := rec.Dataset()
			if written[dataset] == nil {
				written[dataset] = map[string]model.Record{}
			}
			written[dataset][rec.NaturalKey()] = rec
			pending[dataset] = append(pending[dataset], rec)
			run.Counts[dataset]++
			if len(pending[dataset]) >= p.opts.BatchSize {
				if err := send(dataset); err != nil {
					return err
				}
			}
		}
		if len(diags) >= 500 {
			if err := flushDiags(); err != nil {
				return err
			}
		}
		if time.Since(lastProgress) >= progressEvery {
			lastProgress = time.Now()
			if err := p.store.SetRunProgress(ctx, run.ID, run.Read, run.Errors, run.Warnings); err != nil {
				return err
			}
			p.notify(run)
		}
		return nil
	}

	_, importErr := p.importers.Import(ctx, run.Importer, host.Request{
		File: f, FileName: run.FileName, Size: run.FileSize, Unit: run.Unit, Options: run.Options,
	}, sink)
	if importErr == nil {
		// Units the records named without unit records become unit records.
		for _, u := range v.newUnits() {
			if !v.recorded(u.Code) {
				pending[records.Units] = append(pending[records.Units], model.UnitRecord{ID: v.id(u.Code), Key: u.Code, Code: u.Code, Name: u.Name,
					Level: u.Level, ParentCode: u.ParentCode, CountyCode: u.CountyCode, Provenance: withRef(v.prov, "named by records of the file")})
				run.Counts[records.Units]++
			}
		}
		for dataset, docs := range pending {
			if len(docs) > 0 && importErr == nil {
				importErr = send(dataset)
			}
		}
	}
	close(queue)
	if err := g.Wait(); err != nil && importErr == nil {
		importErr = err
	}
	if err := flushDiags(); err != nil && importErr == nil {
		importErr = err
	}
	if importErr != nil {
		var reason string
		switch {
		case errors.Is(importErr, host.ErrFailed):
			reason = importErr.Error()
		default:
			reason = fmt.Sprintf("%v", importErr)
		}
		return run, nil, errors.New(reason)
	}
	return run, written, nil
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

package pipeline

import (
	"context"
	"errors"
	"slices"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// Recover runs once when the hub starts: the tallies of runs by status are
// counted afresh; runs left RUNNING by a hub that stopped become FAILED
// and lose their records; READY runs that a release already points at
// (the hub stopped between the flip and the status) become PUBLISHED;
// then records no release needs are removed.
func (p *Pipeline) Recover(ctx context.Context) error {
	if err := p.store.RecountRuns(ctx); err != nil {
		return err
	}
	running, err := p.store.RunsWith(ctx, store.RunFilter{Status: model.RunRunning})
	if err != nil {
		return err
	}
	for _, r := range running {
		r.Diagnostics = nil // how many it stored before the stop is not known: they are counted
		if _, err := p.fail(ctx, r, "the hub stopped during the import; import the file again"); err != nil {
			return err
		}
		p.opts.Logger.Warn("import interrupted by a stop of the hub", "run", r.ID)
	}
	released, err := p.referenced(ctx)
	if err != nil {
		return err
	}
	ready, err := p.store.RunsWith(ctx, store.RunFilter{Status: model.RunReady})
	if err != nil {
		return err
	}
	for _, r := range ready {
		if released[r.ID] {
			now := p.opts.Now().UTC()
			r.Status, r.Published = model.RunPublished, &now
			if err := p.store.PutRun(ctx, r); err != nil {
				return err
			}
		}
	}
	if err := p.tallyReleases(ctx); err != nil {
		return err
	}
	return p.collect(ctx)
}

// referenced is the set of runs a release points at, current or previous.
func (p *Pipeline) referenced(ctx context.Context) (map[string]bool, error) {
	rels, err := p.store.Releases(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rels {
		for _, id := range r.Runs {
			out[id] = true
		}
		for _, id := range r.Previous {
			out[id] = true
		}
	}
	return out, nil
}

// collect removes the records of published runs no release points at.
//
// It reads the runs before the releases: a publish points the release at
// its run before it marks the run PUBLISHED, so every published run read
// is found in the releases read after it, however publishes interleave.
func (p *Pipeline) collect(ctx context.Context) error {
	runs, err := p.store.RunsWith(ctx, store.RunFilter{Status: model.RunPublished})
	if err != nil {
		return err
	}
	return p.sweep(ctx, runs)
}

// collectRuns is collect for the runs with the given ids alone: those a
// publish pushed out of a release.
func (p *Pipeline) collectRuns(ctx context.Context, ids []string) error {
	var runs []model.Run
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		r, err := p.store.Run(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	return p.sweep(ctx, runs)
}

// sweep removes the records of those of runs that are published, not yet
// collected and that no release points at, read after the runs.
func (p *Pipeline) sweep(ctx context.Context, runs []model.Run) error {
	keep, err := p.referenced(ctx)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.Status != model.RunPublished || keep[r.ID] || r.Collected {
			continue
		}
		if err := p.removeRecords(ctx, r); err != nil {
			return err
		}
		r.Collected = true
		if err := p.store.PutRun(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

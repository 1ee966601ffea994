package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// Publish releases a READY run: the unit's release points each of the
// run's datasets at it, in one single-document update. The lower units
// the run added become units first, so readers of the new release find
// them. Records of runs no release points at any more are then removed.
// The caller of ctx must be allowed to edit the run's unit
// (auth.Edit); by says through what it asked, for the audit log.
func (p *Pipeline) Publish(ctx context.Context, id, by string) (model.Run, error) {
	run, err := p.store.Run(ctx, id)
	if err != nil {
		return run, err
	}
	if _, err := auth.Edit(ctx, run.Unit, "publish"); err != nil {
		return run, err
	}
	if run.Status != model.RunReady {
		return run, fmt.Errorf("%w: run %s is %s; only a READY run can be published", ErrState, run.ID, run.Status)
	}
	started := time.Now()
	recs, err := p.store.UnitRecords(ctx, run.ID)
	if err != nil {
		return run, err
	}
	units := make([]model.AdminUnit, 0, len(recs))
	for _, u := range recs {
		units = append(units, u.AdminUnit())
	}
	if err := p.store.PutUnits(ctx, units); err != nil {
		return run, err
	}
	now := p.opts.Now().UTC()
	var dropped []string // runs the release no longer points at
	if err := p.swap(ctx, run.Unit, func(rel *model.Release) error {
		dropped = dropped[:0]
		for _, ds := range run.Datasets {
			if cur := rel.Runs[ds]; cur != "" && cur != run.ID {
				if prev := rel.Previous[ds]; prev != "" && prev != cur {
					dropped = append(dropped, prev)
				}
				rel.Previous[ds] = cur
			}
			rel.Runs[ds] = run.ID
		}
		return nil
	}); err != nil {
		return run, err
	}
	run.Status, run.Published = model.RunPublished, &now
	p.phase(&run, model.Phase{Name: model.PhasePublish, Duration: time.Since(started), Rows: total(run.Counts)})
	if err := p.store.PutRun(context.WithoutCancel(ctx), run); err != nil {
		return run, err
	}
	p.audit(ctx, by, "publish", run, fmt.Sprintf("%v", run.Counts))
	started = time.Now()
	p.released(ctx, run.Unit)
	p.phase(&run, model.Phase{Name: model.PhaseRollups, Duration: time.Since(started)})
	if err := p.store.PutRun(context.WithoutCancel(ctx), run); err != nil {
		return run, err
	}
	p.notify(run)
	p.collectLater(dropped)
	return run, nil
}

// collectLater removes, in the background, the records of the runs a
// publish pushed out of its release, so that the publish answers without
// waiting for it. One pass runs at a time over the runs asked for so far.
// A pass cut short by a stop is taken up at the next start (Recover,
// which collects every run no release points at). Shutdown and Wait wait
// for it.
func (p *Pipeline) collectLater(ids []string) {
	if len(ids) == 0 {
		return
	}
	p.mu.Lock()
	p.toCollect = append(p.toCollect, ids...)
	if p.collecting {
		p.mu.Unlock()
		return
	}
	p.collecting = true
	p.wg.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		for {
			p.mu.Lock()
			ids := p.toCollect
			p.toCollect = nil
			if len(ids) == 0 {
				p.collecting = false
				p.mu.Unlock()
				return
			}
			p.mu.Unlock()
			if err := p.collectRuns(p.base, ids); err != nil {
				p.opts.Logger.Warn("collecting old runs failed; the next start retries", "error", err)
			}
		}
	}()
}

// Rollback points every dataset of a unit back at the run released before
// the current one (rolling back twice rolls forward again). The caller of
// ctx must be allowed to edit the unit.
func (p *Pipeline) Rollback(ctx context.Context, unit, by string) (model.Release, error) {
	var out model.Release
	if _, err := auth.Edit(ctx, unit, "roll back"); err != nil {
		return out, err
	}
	err := p.swap(ctx, unit, func(rel *model.Release) error {
		changed := false
		for ds, prev := range rel.Previous {
			if prev == "" {
				continue
			}
			rel.Previous[ds], rel.Runs[ds] = rel.Runs[ds], prev
			changed = true
		}
		if !changed {
			return fmt.Errorf("%w: %s has no earlier release to roll back to", ErrState, unit)
		}
		out = *rel
		return nil
	})
	if err != nil {
		return out, err
	}
	p.audit(ctx, by, "rollback", model.Run{Unit: unit}, fmt.Sprintf("now %v", out.Runs))
	p.released(ctx, unit)
	return out, nil
}

// released runs the Released hook after the release of unit changed.
func (p *Pipeline) released(ctx context.Context, unit string) {
	if p.opts.Released == nil {
		return
	}
	if err := p.opts.Released(context.WithoutCancel(ctx), unit); err != nil {
		p.opts.Logger.Error("updating what is computed from the releases failed; it is retried at the next release or start", "error", err)
	}
}

// swap applies change to a unit's release and stores it with a
// compare-and-swap, retrying when another publish got there first.
func (p *Pipeline) swap(ctx context.Context, unit string, change func(*model.Release) error) error {
	for attempt := 0; ; attempt++ {
		old, err := p.store.Release(ctx, unit)
		if err != nil {
			return err
		}
		next := model.Release{Unit: unit, Runs: copyMap(old.Runs), Previous: copyMap(old.Previous), Version: old.Version + 1, Published: p.opts.Now().UTC()}
		if err := change(&next); err != nil {
			return err
		}
		if err := p.tally(ctx, &next); err != nil {
			return err
		}
		err = p.store.SwapRelease(ctx, old, next)
		if !errors.Is(err, store.ErrConflict) || attempt == 5 {
			return err
		}
	}
}

// tally sets the counts of a release from its runs: each dataset's count
// and facets are those of the run it points at.
func (p *Pipeline) tally(ctx context.Context, rel *model.Release) error {
	rel.Counts, rel.Facets = map[string]int{}, map[string]int{}
	runs := map[string]model.Run{}
	known := true
	for ds, id := range rel.Runs {
		run, ok := runs[id]
		if !ok {
			var err error
			if run, err = p.store.Run(ctx, id); err != nil {
				return fmt.Errorf("count the records of %s's release: %w", rel.Unit, err)
			}
			runs[id] = run
		}
		rel.Counts[ds] = run.Counts[ds]
		if run.Facets == nil {
			known = false // a run from before runs kept them
		}
		prefix := model.FacetKey(ds, "")
		for k, n := range run.Facets {
			if strings.HasPrefix(k, prefix) {
				rel.Facets[k] = n
			}
		}
	}
	if !known {
		rel.Facets = nil
	}
	return nil
}

// tallyReleases gives the releases written before releases kept the counts
// of their runs those counts, once, at start.
func (p *Pipeline) tallyReleases(ctx context.Context) error {
	rels, err := p.store.Releases(ctx)
	if err != nil {
		return err
	}
	for _, old := range rels {
		if old.Tallied() {
			continue
		}
		next := old
		next.Version++
		if err := p.tally(ctx, &next); err != nil {
			return err
		}
		if err := p.store.SwapRelease(ctx, old, next); err != nil && !errors.Is(err, store.ErrConflict) {
			return err // a conflict is a publish that tallied it
		}
	}
	return nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Discard ends a READY run unpublished and removes its records. The
// caller of ctx must be allowed to edit the run's unit.
func (p *Pipeline) Discard(ctx context.Context, id, by string) (model.Run, error) {
	run, err := p.store.Run(ctx, id)
	if err != nil {
		return run, err
	}
	if _, err := auth.Edit(ctx, run.Unit, "discard"); err != nil {
		return run, err
	}
	if run.Status != model.RunReady {
		return run, fmt.Errorf("%w: run %s is %s; only a READY run can be discarded", ErrState, run.ID, run.Status)
	}
	if err := p.removeRecords(ctx, run); err != nil {
		return run, err
	}
	run.Status, run.Collected = model.RunDiscarded, true
	if err := p.store.PutRun(ctx, run); err != nil {
		return run, err
	}
	p.audit(ctx, by, "discard", run, "")
	p.notify(run)
	return run, nil
}

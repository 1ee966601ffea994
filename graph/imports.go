package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// optionalRun loads a run through the request's loader; an empty id or a
// run that does not exist gives null.
func (r *Resolver) optionalRun(ctx context.Context, id string) (*model.Run, error) {
	if id == "" {
		return nil, nil
	}
	run, err := r.loadersFor(ctx).run.Load(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if who, _ := auth.FromContext(ctx); !who.CanSee(run.Unit) {
		return nil, nil // a run outside the caller's subtree reads as none
	}
	return &run, nil
}

// visibleUnits lists the units whose runs the caller may read, when it may
// not read every unit's: a scoped analyst's units with the cities and
// county-level units within them. nil means every unit.
func (r *Resolver) visibleUnits(ctx context.Context) ([]string, error) {
	who, _ := auth.FromContext(ctx)
	if who.Role != auth.Analyst || len(who.Counties) == 0 {
		return nil, nil
	}
	out := []string{}
	for _, scope := range who.Counties {
		out = append(out, scope)
		for _, level := range []model.UnitLevel{model.LevelCity, model.LevelCounty} {
			units, err := r.Store.Descendants(ctx, scope, level)
			if err != nil {
				return nil, err
			}
			for _, u := range units {
				out = append(out, u.Code)
			}
		}
	}
	return out, nil
}

// hideRun keeps a county editor from learning whether a run it may not
// touch exists: a run of another county and a run that does not exist
// get the same FORBIDDEN answer. Admins see NOT_FOUND.
func hideRun(ctx context.Context, id string, err error) error {
	if err == nil {
		return nil
	}
	p, _ := auth.FromContext(ctx)
	if p.IsAdmin() || !errors.Is(err, store.ErrNotFound) && !errors.Is(err, auth.ErrForbidden) {
		return err
	}
	return fmt.Errorf("%w: run %q is not a run of the counties this token edits (%s)", auth.ErrForbidden, id, strings.Join(p.Counties, ", "))
}

// diagnostics reads a page of a run's diagnostics and says how to count
// them: a finished run knows how many it stored, so its pages are read by
// id and its total is that number; a running one (or one stored before
// runs kept the number) is read and counted by a filter on the run.
func (r *Resolver) diagnostics(ctx context.Context, run *model.Run, p store.Page) (store.PageOf[model.RunDiagnostic], func(context.Context) (int, error), error) {
	if run.Diagnostics != nil && run.Status != model.RunRunning {
		total := *run.Diagnostics
		page, err := r.Store.DiagnosticsPage(ctx, run.ID, total, p)
		return page, func(context.Context) (int, error) { return total, nil }, err
	}
	page, err := r.Store.Diagnostics(ctx, run.ID, p)
	return page, func(ctx context.Context) (int, error) { return r.Store.CountDiagnostics(ctx, run.ID) }, err
}
